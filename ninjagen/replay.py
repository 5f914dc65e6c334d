"""What a project's own build_ext did, replayed on a ninjagen compiler as build statements.

``_build_ext_recorder`` ran ``setup.py build_clib build_ext --inplace`` with a
compiler that records its calls (:class:`~ninjagen.project.BuildExtRecording`).  Each call is
made again here, in order, on the ninjagen compiler of the same type, after
giving it the state the recorded compiler had at that moment (its commands as
the project left them, include folders, macros, libraries), and where the
recorder captured the command the real compiler method would have spawned,
the statement runs that very command (:meth:`CCompiler.edge_running`).  What
differs, on purpose: ninja's header dependency options are added; ``.pyx``
and ``.i`` sources become translation statements with their dependency files;
objects are named after their compile settings (a source that several
modules compile the same way compiles once); and a module copied into
the source tree by ``--inplace`` is linked there directly.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Mapping, Optional

from .errors import ConfigError, NinjagenError
from .extension import Extension
from .build_layout import ObjectTags, link_temp
from .project import BuildExtRecording
from .translators import translate_sources

if TYPE_CHECKING:
    from .compilers.base import CCompiler

__all__ = ["replay", "notes"]


def _macros(values: Optional[list]) -> list[tuple]:
    """Recorded macros as distutils spells them: a value of any type (``("X", 1)``) is its text."""
    return [(m[0],) if len(m) == 1 else (m[0], None if m[1] is None else str(m[1])) for m in values or []]


def _apply_state(cc: "CCompiler", state: Mapping[str, Any]) -> None:
    """Give *cc* the recorded compiler's commands and settings."""
    cc.adopt_executables(state.get("executables", {}))
    cc.set_include_dirs(state.get("include_dirs") or [])
    cc.macros = _macros(state.get("macros"))
    cc.set_libraries(state.get("libraries") or [])
    cc.set_library_dirs(state.get("library_dirs") or [])
    cc.set_runtime_library_dirs(state.get("runtime_library_dirs") or [])
    cc.set_link_objects(state.get("objects") or [])


def _object_tag(tags: ObjectTags, call: Mapping[str, Any]) -> str:
    """Objects compiled with the same commands and settings share a name."""
    args = {k: v for k, v in call["args"].items() if k not in ("sources", "depends", "output_dir")}
    return tags.tag([call["state"], args])


def _compile(cc: "CCompiler", call: Mapping[str, Any], ext: Optional[Extension], build_dir: str,
             tags: ObjectTags) -> list[str]:
    args = call["args"]
    sources = list(args["sources"])
    include_dirs = list(args.get("include_dirs") or [])
    if any(s.endswith((".pyx", ".i")) for s in sources):
        owner = ext or Extension(call["ext"] or "build_clib", sources)
        translated = translate_sources(cc, replace(owner, sources=sources), build_dir)
        sources, include_dirs = translated.sources, translated.include_dirs + include_dirs
    return cc.compile(sources, output_dir=build_dir, macros=_macros(args.get("macros")),
                      include_dirs=include_dirs, debug=bool(args.get("debug")),
                      extra_preargs=args.get("extra_preargs"), extra_postargs=args.get("extra_postargs"),
                      depends=args.get("depends"), object_tag=_object_tag(tags, call))


def _run_recorded_commands(cc: "CCompiler", rewrites: list[tuple[str, list[str], dict[str, str]]]) -> list[str]:
    """Each statement runs the very command the setuptools compiler spawned for it, where the toolchain
    can line it up with its rules (``CCompiler.edge_running``); a statement two calls share, once.
    Returns what had to move, a line for each kind, with how many statements."""
    done: set[str] = set()
    moved: dict[str, int] = {}
    for key, argv, inputs in rewrites:
        if key in done or key not in cc.graph.edges:
            continue
        done.add(key)
        edge, difference = cc.edge_running(cc.graph.edges[key], argv, inputs)
        if edge is not None:
            cc.graph.edges[key] = edge
        if difference:
            moved[difference] = moved.get(difference, 0) + 1
    return [f"ninjagen: note: {n} of the build_ext's commands differ from setuptools': {what}"
            for what, n in moved.items()]


def _keep_commands(cc: "CCompiler", scopes: list[tuple[list[str], dict[str, str]]]) -> None:
    """Each statement runs the commands its call had: where they differ from the file's, its own.

    build.ninja names a toolchain's commands once (``cc = gcc ...``), as the
    compiler has them after the last call; a build_clib compiler, or a compiler
    the project changed between modules, had others.
    """
    final = cc.toolchain_variables()
    for keys, variables in scopes:
        differ = {k: v for k, v in variables.items() if final.get(k) != v}
        for key in keys if differ else ():
            edge = cc.graph.edges[key]
            own = {k for k, _ in edge.variables}
            extra = tuple((k, v) for k, v in sorted(differ.items()) if k not in own)
            if extra:
                cc.graph.edges[key] = replace(edge, variables=edge.variables + extra)


def replay(cc: "CCompiler", recording: BuildExtRecording, extensions: Mapping[str, Extension],
           build_dir: str) -> dict[str, str]:
    """Make every recorded call on *cc*; return extension name -> where its module is built."""
    objects: dict[str, str] = {}  # the recorded compiler's object names -> ours
    outputs: dict[str, str] = {}
    scopes: list[tuple[list[str], dict[str, str]]] = []  # statements of a call, and the commands then
    rewrites: list[tuple[str, list[str], dict[str, str]]] = []  # statement, the argv setuptools had, its files
    tags = ObjectTags()
    for call in recording.calls:
        args = call["args"]
        name = call.get("ext")
        ext = extensions.get(name) if name else None
        before = set(cc.graph.edges)
        try:
            _apply_state(cc, call["state"])
            scopes.append(([], cc.toolchain_variables()))
            argvs = call.get("argv") or []
            if call["call"] == "compile":
                ours = dict(zip(call["returned"], _compile(cc, call, ext, build_dir, tags)))
                objects.update(ours)
                scopes[-1][0].extend(k for k in cc.graph.edges if k not in before)
                for argv in argvs:  # one per source: -o names its object
                    obj = argv[argv.index("-o") + 1] if "-o" in argv[:-1] else None
                    if obj in ours:
                        rewrites.append((os.path.normpath(ours[obj]), argv, {}))
                continue
            linked = [objects.get(o, o) for o in args["objects"]]
            inputs = {o: objects.get(o, o) for o in list(args["objects"]) + list(call["state"].get("objects") or [])}
            if call["call"] == "create_static_lib":
                cc.create_static_lib(linked, args["output_libname"], output_dir=args.get("output_dir"),
                                     debug=bool(args.get("debug")), target_lang=args.get("target_lang"))
                new = [k for k in cc.graph.edges if k not in before]
                scopes[-1][0].extend(new)
                rewrites.extend((k, argvs[0], inputs) for k in new[:1] if argvs)
                continue
            output = os.path.normpath(os.path.join(args.get("output_dir") or "", args["output_filename"]))
            output = os.path.normpath(recording.copies.get(output, output))
            cc.link(args["target_desc"], linked, output, libraries=args.get("libraries"),
                    library_dirs=args.get("library_dirs"), runtime_library_dirs=args.get("runtime_library_dirs"),
                    export_symbols=args.get("export_symbols"), debug=bool(args.get("debug")),
                    extra_preargs=args.get("extra_preargs"), extra_postargs=args.get("extra_postargs"),
                    build_temp=link_temp(build_dir, output), target_lang=args.get("target_lang"))
            new = [k for k in cc.graph.edges if k not in before]
            scopes[-1][0].extend(new)
            rewrites.extend((k, argvs[0], inputs) for k in new if argvs and cc.graph.edges[k].rule.startswith("link"))
            if name:
                outputs[name] = output
        except NinjagenError as exc:
            what = f"extension {name!r}" if name else "build_ext"
            raise type(exc)(f"{what}: {exc}") from None
    cc.notes.extend(_run_recorded_commands(cc, rewrites))
    _keep_commands(cc, scopes)
    missing = sorted(set(extensions) - set(outputs))
    if missing:
        raise ConfigError(f"extension {missing[0]!r}: its build_ext never linked it through setuptools' compiler, "
                          "so ninjagen cannot build it")
    return outputs


def notes(recording: BuildExtRecording, source: str) -> list[str]:
    """What configure says of a recorded build_ext: where ninja differs from setuptools, what ran already."""
    translated = any(str(s).endswith((".pyx", ".i")) for c in recording.calls if c["call"] == "compile"
                     for s in c["args"]["sources"])
    lines = [f"ninjagen: {source}: its build_ext's compiles and links run by ninja with the commands setuptools "
             "spawns, but for ninja's header dependency (and gcc/clang colour) options, objects under the build "
             "folder, --inplace modules linked in place"
             + (", Cython and SWIG as ninja rules (their C under the build folder, the source's folder first "
                "among the include folders)" if translated else "")]
    for spawned in recording.spawned:
        words = " ".join(map(str, spawned["argv"][:4])) + (" ..." if len(spawned["argv"]) > 4 else "")
        lines.append(f"ninjagen: note: the build_ext ({spawned['where']}) runs '{words}' itself: it ran at "
                     "configure time, as it would under setuptools, and is not part of the ninja build")
    return lines
