"""The configure pipeline: project description -> Extensions -> compiler -> build.ninja.

``configure()`` is what ``ninjagen configure`` runs and what scripts call.  It
writes three files, each atomically: ``build.ninja`` and
``compile_commands.json`` in the project folder, and ``ninjagen-state.json``
in the build folder (see :mod:`ninjagen.state`: how it was configured, the
extensions, which are optional, and the environment that was captured).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from dataclasses import dataclass, fields, replace
from typing import Any, Iterator, Mapping, Optional, Sequence

from ._version import __version__
from .atomic import atomic_write
from .build_layout import ObjectTags, link_temp
from .compdb import compile_commands
from .compilers import customize_compiler, new_compiler
from .compilers.base import CCompiler
from .config import PYPROJECT, load_project
from .project import BuiltExtension, ProjectConfig, SharedLibrary, StaticLibrary, package_folder
from .errors import ConfigError, NinjagenError
from .extension import Extension
from .graph import forget_build_log
from .launchers import LAUNCHER_ENV, resolve_launcher
from .pools import apply_heavy_pool
from .regenerate import add_regeneration, regeneration_inputs
from .replay import notes, replay
from .rules import template_path
from .state import (BUILD_NINJA, COMPILE_COMMANDS, DEFAULT_BUILD_DIR, STATE_FORMAT, STATE_MARKER, STATE_NAME,
                    BuildState, ConfigureOptions)
from .target import Target
from .translators import translate_sources

__all__ = ["configure", "generate", "ConfigureResult", "BuiltExtension", "forget_build_log"]


@dataclass
class ConfigureResult:
    project_dir: str
    build_dir: str
    build_ninja: str
    compile_commands: str
    extensions: list[BuiltExtension]
    target: Target
    compiler: CCompiler
    text: str
    """The generated build.ninja (also when nothing was written: dry run)."""


@contextlib.contextmanager
def _without_gc() -> Iterator[None]:
    """No cyclic garbage collection while configuring.

    Configure makes a few objects per source and keeps them to the end, so each
    collection would walk all of them again and find next to nothing (a few
    hundred objects in cycles on ten thousand sources): a third of the time the
    build statements took.  Reference counting still frees everything else.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _working_dir(path: str) -> Iterator[None]:
    """All paths in build.ninja are relative to the project folder: work from there."""
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def _module_dir(name: str, package_dir: Mapping[str, str], files: "_FileChecks") -> str:
    """The folder that holds the package of extension *name*, as setuptools finds it."""
    package = name.rpartition(".")[0]
    folder = package_folder(package, package_dir)
    parts = package.split(".") if package else []
    if parts and folder == os.path.join(*parts) and not files.is_dir(parts[0]) \
            and files.is_dir(os.path.join("src", parts[0])):
        return os.path.join("src", *parts)  # an undeclared src/ layout
    return folder


class _FileChecks:
    """Checks that the files a project names are there: a listing per folder rather than a stat per file."""

    def __init__(self, cc: CCompiler) -> None:
        self.cc = cc
        self.listed: set[str] = set()  # folders listed so far
        self.known: set[str] = set()  # the paths of the files in them, as folder + "/" + name
        self.folders: dict[str, bool] = {}  # path -> whether it is a folder (asked once a configure)

    def is_dir(self, path: str) -> bool:
        found = self.folders.get(path)
        if found is None:
            found = self.folders[path] = os.path.isdir(path)
        return found

    def check(self, owner: str, what: str, paths: Sequence[str]) -> None:
        if self._all_files(paths):
            return
        for path in paths:  # something is wrong: say what, of the first path it is wrong for
            if "|" in path:
                raise ConfigError(f"{owner}: {what} {path} contains '|', which a ninja build line cannot hold")
            if "\t" in path:
                raise ConfigError(f"{owner}: {what} {path!r} contains a tab, which ninja's build log cannot hold")
            if not os.path.isfile(path) and not self.cc.graph.produces(path):
                raise ConfigError(f"{owner}: {what} {path} not found")

    def _all_files(self, paths: Sequence[str]) -> bool:
        """Whether every path is a file and none holds '|' or a tab (False: look again, one by one).

        A path is looked up in the set of the paths of the files in its folder,
        spelled as it is, so the folder is listed once; a path that set lacks
        (another spelling, a case-insensitive file system, a link) is asked of
        the file system itself.
        """
        joined = "".join(paths)
        if "|" in joined or "\t" in joined:
            return False
        known, listed = self.known, self.listed
        if os.altsep is None:  # POSIX: a path's folder is what comes before its last "/"
            for folder in {path.rpartition("/")[0] for path in paths}.difference(listed):
                listed.add(folder)
                start = folder + "/" if folder else ""
                known.update([start + name for name in self._files_in(folder)])
            if known.issuperset(paths):
                return True
        return all(path in known or os.path.isfile(path) for path in paths)

    @staticmethod
    def _files_in(folder: str) -> frozenset[str]:
        try:
            with os.scandir(folder or ".") as entries:
                return frozenset([e.name for e in entries if e.is_file()])  # is_file follows links, as isfile
        except OSError:
            return frozenset()


def _macros(ext: Extension, target: Target) -> list[tuple]:
    macros: list[tuple] = list(ext.define_macros)
    limited = ext.limited_api_hex(target.version)
    if limited is not None:
        if target.free_threaded:
            raise ConfigError(f"extension {ext.name!r}: py_limited_api is not available for a free-threaded Python")
        if int(limited, 16) > (0x03000000 | target.version[1] << 16):
            raise ConfigError(f"extension {ext.name!r}: py_limited_api {ext.py_limited_api!r} is newer than "
                              f"the target Python {target.version[0]}.{target.version[1]}")
        if not any(m[0] == "Py_LIMITED_API" for m in macros):
            macros.insert(0, ("Py_LIMITED_API", limited))
    macros.extend((name,) for name in ext.undef_macros)
    return macros


def _add_library(cc: CCompiler, lib: StaticLibrary, build_dir: str, lib_dir: str, files: _FileChecks,
                 tags: ObjectTags) -> None:
    owner = f"library {lib.name!r}"
    files.check(owner, "source", lib.sources)
    files.check(owner, "depends file", lib.depends)
    macros = list(lib.define_macros) + [(name,) for name in lib.undef_macros]
    tag = tags.tag((macros, lib.include_dirs, lib.extra_compile_args))
    try:
        objects = cc.compile(lib.sources, output_dir=build_dir, macros=macros, include_dirs=lib.include_dirs,
                             extra_postargs=lib.extra_compile_args, depends=lib.depends, object_tag=tag)
        cc.create_static_lib(objects, lib.name, output_dir=lib_dir)
    except NinjagenError as exc:
        raise type(exc)(f"{owner}: {exc}") from None


def _add_shared_library(cc: CCompiler, lib: SharedLibrary, config: ProjectConfig, build_dir: str,
                        lib_dir: str, files: _FileChecks, tags: ObjectTags) -> str:
    """Compile and link *lib* into its package folder; return that folder."""
    owner = f"library {lib.name!r}"
    files.check(owner, "source", lib.sources)
    files.check(owner, "depends file", lib.depends)
    macros = list(lib.define_macros) + [(name,) for name in lib.undef_macros]
    tag = tags.tag((macros, lib.include_dirs, lib.extra_compile_args))
    out_dir = _module_dir(f"{lib.package}.x" if lib.package else "x", config.package_dir, files)
    try:
        objects = cc.compile(lib.sources, output_dir=build_dir, macros=macros, include_dirs=lib.include_dirs,
                             extra_postargs=lib.extra_compile_args, depends=lib.depends, object_tag=tag)
        cc.link_shared_lib(objects, lib.name, output_dir=out_dir or None, libraries=lib.libraries,
                           library_dirs=lib.library_dirs, export_symbols=lib.export_symbols or None,
                           extra_postargs=lib.extra_link_args, build_temp=lib_dir,
                           target_lang=cc.detect_language(lib.sources))
    except NinjagenError as exc:
        raise type(exc)(f"{owner}: {exc}") from None
    return out_dir


def _runtime_dirs(ext: Extension, module_dir: str, shared_dirs: dict[str, str], cc: CCompiler) -> list[str]:
    """Run paths, relative to the module's own folder, to the shared libraries *ext* links.

    The compiler spells that folder (``$ORIGIN``, ``@loader_path``); without run
    paths (Windows) there are none.
    """
    origin = cc.runtime_origin()
    if not origin:
        return []
    here = module_dir or "."
    dirs = []
    for lib in ext.libraries:
        if lib in shared_dirs:
            rel = os.path.relpath(shared_dirs[lib] or ".", here)
            dirs.append(origin if rel == "." else f"{origin}/{rel}")
    return list(dict.fromkeys(dirs))


def _add_extension(cc: CCompiler, ext: Extension, config: ProjectConfig, build_dir: str,
                   extra_library_dirs: list[str], shared_dirs: dict[str, str], files: _FileChecks,
                   tags: ObjectTags, detected: Optional[str]) -> BuiltExtension:
    owner = f"extension {ext.name!r}"
    target = cc.target
    files.check(owner, "source", ext.sources)
    files.check(owner, "depends file", ext.depends)
    files.check(owner, "extra object", ext.extra_objects)
    macros = _macros(ext, target)
    suffix = target.abi3_suffix if ext.py_limited_api else target.ext_suffix
    module_dir = _module_dir(ext.name, config.package_dir, files)
    output = config.outputs.get(ext.name) or os.path.join(module_dir, ext.module_name + suffix)
    try:
        translated = translate_sources(cc, ext, build_dir)
        include_dirs = translated.include_dirs + ext.include_dirs
        tag = tags.tag((macros, include_dirs, ext.extra_compile_args))
        objects = cc.compile(translated.sources, output_dir=build_dir, macros=macros, include_dirs=include_dirs,
                             extra_postargs=ext.extra_compile_args, depends=ext.depends, object_tag=tag)
        cc.link_shared_object(
            objects + ext.extra_objects, output,
            libraries=ext.libraries + cc.python_link_libraries(limited_api=bool(ext.py_limited_api)),
            library_dirs=ext.library_dirs + extra_library_dirs + list(target.library_dirs),
            runtime_library_dirs=ext.runtime_library_dirs + _runtime_dirs(ext, module_dir, shared_dirs, cc),
            export_symbols=[f"PyInit_{ext.module_name}"] + ext.export_symbols,
            extra_postargs=ext.extra_link_args, build_temp=link_temp(build_dir, output),
            target_lang=ext.language or translated.language or (
                detected if translated.sources == ext.sources else cc.detect_language(translated.sources)),
        )
        cc.graph.phony(ext.name, [output])
    except NinjagenError as exc:
        raise type(exc)(f"{owner}: {exc}") from None
    return BuiltExtension(ext.name, os.path.normpath(output), ext.optional)


def _check_distinct_outputs(built: Sequence[BuiltExtension]) -> None:
    owners: dict[str, str] = {}
    for b in built:
        if b.output in owners:
            raise ConfigError(f"extensions {owners[b.output]!r} and {b.name!r} both write {b.output}")
        owners[b.output] = b.name


def _compile_commands(cc: CCompiler, text: str, build_dir: str, rules: str, variables: Mapping[str, str]) -> str:
    """compile_commands.json for the new build.ninja *text*, rendered with *rules* and *variables*
    (see :mod:`ninjagen.compdb`)."""
    return compile_commands(cc.graph, text, rule_names=cc.compile_rules, rules=rules, variables=variables,
                            build_dir=build_dir)


def configure(project_dir: str = ".", *, extensions: Optional[Sequence[Extension]] = None,
              libraries: Sequence[StaticLibrary] = (), shared_libraries: Sequence[SharedLibrary] = (),
              package_dir: Optional[Mapping[str, str]] = None, outputs: Optional[Mapping[str, str]] = None,
              target: Optional[Target] = None, build_ninja: str = BUILD_NINJA, dry_run: bool = False,
              force: bool = False, environ: Optional[Mapping[str, str]] = None, **options: Any) -> ConfigureResult:
    """Generate build.ninja and compile_commands.json for a project.

    Without *extensions*, the project's pyproject.toml (or its setup.py: always
    with ``setup_py=``, else when pyproject.toml declares none) says what to
    build, and build.ninja regenerates itself when those files change.  With
    them (a script's own list), nothing is read and there is no regeneration
    rule; *outputs* may then place modules (extension name -> path).  *options*
    are those of ``ninjagen configure`` (:class:`ConfigureOptions`: ``build_dir``,
    ``python``, ``compiler``, ``cross_prefix``, ``link_jobs``, ``setup_py``,
    ``launcher``).  See :func:`generate`.
    """
    project = None
    if extensions is not None:
        project = ProjectConfig(list(extensions), list(libraries), list(shared_libraries), dict(package_dir or {}),
                                outputs=dict(outputs or {}))
    return generate(project_dir, project, ConfigureOptions(**options), target=target, build_ninja=build_ninja,
                    dry_run=dry_run, force=force, environ=environ)


def generate(project_dir: str, project: Optional[ProjectConfig], options: ConfigureOptions, *,
             target: Optional[Target] = None, build_ninja: str = BUILD_NINJA, dry_run: bool = False,
             force: bool = False, environ: Optional[Mapping[str, str]] = None) -> ConfigureResult:
    """build.ninja, compile_commands.json and the build state for *project* (None: read the project's files).

    The target Python is *target* if given, else the interpreter or Windows
    CPython folder at ``options.python``, else the running one.  *build_ninja*
    is where the ninja file goes; compile_commands.json goes beside it.
    """
    root = os.path.abspath(project_dir)
    if not os.path.isdir(root):
        raise ConfigError(f"project folder {project_dir} does not exist")
    environ = os.environ if environ is None else environ
    given = options.python
    options = replace(options, python=given and os.path.abspath(given))  # as the caller's folder names it
    with _working_dir(root), _without_gc():
        if target is None:  # a Target passed in is the caller's description: taken as it is
            target = Target.from_path(options.python) if options.python else Target.current()
            target.check_headers(f"--python {given}" if given else "")
        config = project or load_project(".", options.setup_py, _runnable_python(target), target.runs_here)
        build_dir = _prepare_build_dir(options.build_dir or config.build_dir or DEFAULT_BUILD_DIR, dry_run)
        cc = _compiler(config, options, target, environ, build_dir, dry_run, force)
        built = _add_everything(cc, config, build_dir)
        apply_heavy_pool(cc, config.extensions, built, config.heavy_jobs or 1)
        compdb_path = os.path.join(os.path.dirname(build_ninja), COMPILE_COMMANDS)
        inputs: list[str] = []
        if project is None:
            inputs = regeneration_inputs([PYPROJECT, *config.inputs], template_path(cc.template),
                                         target.sysconfig_file)
            add_regeneration(cc.graph, sys.executable, options.argv(), inputs, build_ninja, compdb_path)
        state_file = os.path.join(build_dir, STATE_NAME)
        rules, variables = cc.rules(), cc.toolchain_variables()  # once: compile_commands.json is made of them too
        text = cc.graph.render(rules=rules, variables=variables, build_dir=build_dir,
                               header=f"Generated by ninjagen {__version__} for {target.python} "
                                      f"({target.version[0]}.{target.version[1]}); do not edit.\n"
                                      f"{STATE_MARKER}{state_file}")
        result = ConfigureResult(root, build_dir, os.path.join(root, build_ninja), os.path.join(root, compdb_path),
                                 built, target, cc, text)
        if dry_run:
            print(f"dry run: would write {build_ninja} ({len(cc.graph.edges)} build statements), "
                  f"{compdb_path} and {state_file}")
            return result
        state = BuildState(root, build_dir, version=__version__, python=target.python, configured_by=sys.executable,
                           prefix=sys.prefix, options=options if project is None else None,
                           environment={k: environ.get(k) for k in (*cc.environment_variables, LAUNCHER_ENV)},
                           extensions=[_as_dict(b) for b in built], inputs=[_shown_from(root, p) for p in inputs],
                           launcher=list(cc.launcher), format=STATE_FORMAT)
        try:
            _write_outputs(cc, result, state, rules, variables)
        except OSError as exc:
            raise ConfigError(f"cannot write {exc.filename or build_dir}: {exc.strerror}") from None
        if project is None and config.recording is not None:
            print("\n".join(notes(config.recording, config.source) + cc.notes), file=sys.stderr)
        if force:
            forget_build_log(build_dir)
        return result


def _compiler(config: ProjectConfig, options: ConfigureOptions, target: Target, environ: Mapping[str, str],
              build_dir: str, dry_run: bool, force: bool) -> CCompiler:
    """The compiler for *target*, customized as setuptools would, with the project's pools and launcher."""
    cc = new_compiler(compiler=options.compiler or config.compiler, dry_run=dry_run, force=force, target=target)
    cross_prefix = options.cross_prefix if options.cross_prefix is not None else config.cross_prefix
    cc.cross_prefix = cross_prefix or ""
    customize_compiler(cc, environ)
    cc.set_launcher(resolve_launcher(options.launcher, environ, config.launcher, check=target.runs_here))
    cc.build_dir = build_dir
    cc.rules_cache = None if dry_run else build_dir
    cc.share_cache_across_folders()  # after the launcher is set, and where the probe cache is
    if options.map_prefix:
        cc.map_prefix(os.getcwd())  # the project folder: configure runs in it
    cc.set_include_dirs(list(target.include_dirs))
    cc.graph.pool("link_pool", options.link_jobs or config.link_jobs or max(1, (os.cpu_count() or 2) // 2))
    return cc


def _runnable_python(target: Target) -> str:
    """The Python that runs a setup.py: the target's when it runs here, else this one."""
    if target.runs_here and os.path.isfile(target.python):
        return target.python
    return sys.executable


def _prepare_build_dir(build_dir: str, dry_run: bool) -> str:
    build_dir = os.path.normpath(build_dir)
    if os.path.exists(build_dir) and not os.path.isdir(build_dir):
        raise ConfigError(f"build folder {build_dir} exists and is not a folder")
    if not dry_run:
        try:
            os.makedirs(build_dir, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create build folder {build_dir}: {exc.strerror}") from None
    return build_dir


def _add_everything(cc: CCompiler, config: ProjectConfig, build_dir: str) -> list[BuiltExtension]:
    """All libraries and extensions of *config* as build statements, and the ``all`` target."""
    seen: set[str] = set()
    for ext in config.extensions:
        if ext.name in seen:
            raise ConfigError(f"extension {ext.name!r} is listed twice")
        seen.add(ext.name)
    detected = {e.name: cc.detect_language(e.sources) for e in config.extensions}  # once, not again at the link
    languages = {lang or "c" for lang in detected.values()}
    languages |= {e.language for e in config.extensions if e.language}
    if cc.target.runs_here:  # a build for another OS may well be generated where its tools are not
        cc.check_tools(languages, archives=bool(config.libraries))

    if config.recording is not None:
        outputs = replay(cc, config.recording, {e.name: e for e in config.extensions}, build_dir)
        built = [BuiltExtension(e.name, outputs[e.name], e.optional) for e in config.extensions]
        for b in built:
            cc.graph.phony(b.name, [b.output])
        shared_outputs: list[str] = []
    else:
        built, shared_outputs = _add_declared(cc, config, build_dir, detected)
    _check_distinct_outputs(built)
    cc.graph.phony("all", [b.output for b in built] + shared_outputs)
    cc.graph.default(["all"])
    return built


def _add_declared(cc: CCompiler, config: ProjectConfig, build_dir: str,
                  detected: Mapping[str, Optional[str]]) -> tuple[list[BuiltExtension], list[str]]:
    """The libraries and extensions of *config*, compiled from their fields; the shared libraries' files.

    *detected* is each extension's language as its sources say.
    """
    lib_dir = os.path.join(build_dir, "lib")
    files, tags = _FileChecks(cc), ObjectTags()
    for lib in config.libraries:
        _add_library(cc, lib, build_dir, lib_dir, files, tags)
    shared_dirs = {lib.name: _add_shared_library(cc, lib, config, build_dir, lib_dir, files, tags)
                   for lib in config.shared_libraries}
    extra_library_dirs = [lib_dir] if config.libraries or shared_dirs else []
    extra_library_dirs += list(dict.fromkeys(d or "." for d in shared_dirs.values()))
    built = [_add_extension(cc, ext, config, build_dir, extra_library_dirs, shared_dirs, files, tags,
                            detected[ext.name])
             for ext in config.extensions]
    shared = [os.path.join(d, cc.library_filename(name, lib_type="dylib")) for name, d in shared_dirs.items()]
    return built, shared


def _as_dict(built: BuiltExtension) -> dict[str, Any]:
    """dataclasses.asdict of a BuiltExtension, without its deep copy of each field (strings and a bool)."""
    return {f.name: getattr(built, f.name) for f in fields(built)}


def _shown_from(root: str, path: str) -> str:
    """*path* relative to the project folder when it is inside it (the state survives a moved checkout)."""
    full = os.path.abspath(path)
    return os.path.relpath(full, root) if full.startswith(os.path.join(root, "")) else full


def _write_outputs(cc: CCompiler, result: ConfigureResult, state: BuildState, rules: str,
                   variables: Mapping[str, str]) -> None:
    """The state file, compile_commands.json, then build.ninja: each one atomically."""
    build_dir = result.build_dir
    os.makedirs(build_dir, exist_ok=True)
    compdb = _compile_commands(cc, result.text, build_dir, rules, variables)
    atomic_write(os.path.join(build_dir, STATE_NAME), state.to_json())
    atomic_write(result.compile_commands, compdb)
    cc.graph.write_files()
    atomic_write(result.build_ninja, result.text)

