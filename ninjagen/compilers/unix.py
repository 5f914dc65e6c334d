"""gcc and clang on POSIX systems (``-D -I -L -l -Wl,-rpath``)."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import replace
from typing import Any, ClassVar, Mapping, Optional, Sequence, Union

from ..errors import ConfigError, ProbeError
from ..graph import Edge, c_normpath
from ..launchers import is_launcher, keys_by_working_folder, strip_launcher
from ..probe import Probe, output
from ..quoting import sh_join
from .base import CCompiler, by_suffix

__all__ = ["UnixCCompiler", "response_file_content"]

#: ninja variable -> the executable it holds (rules in templates/unix.ninja.j2 use them)
_VARIABLES = {
    "cc": "compiler_so",
    "cxx": "compiler_so_cxx",
    "cpp": "preprocessor",
    "ldshared": "linker_so",
    "ldcxxshared": "linker_so_cxx",
    "ld": "linker_exe",
    "ldcxx": "linker_exe_cxx",
    "ar": "archiver",
}


_RSP_SPECIAL = re.compile("[ \t\n\r\v\f'\"\\\\]")

#: paths that ninja's ``$in`` writes as they are (its shell escaping leaves them alone) and an
#: ``@file`` reads as they are
_AS_THEY_ARE = re.compile(r"[A-Za-z0-9_+./-]+(\n[A-Za-z0-9_+./-]+)*")  # paths, one a line


#: what breaks a path in a gcc depfile as ninja parses it: characters gcc does not escape,
#: control characters, and a backslash before '$' or ':'
_DEPFILE_UNSAFE = re.compile(r"[*;<>^`|\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\\[$:]")


#: the line marker that names the working folder in gcc's preprocessed output with -g: # 1 "/the/folder//"
_WORKING_FOLDER_MARKER = re.compile(r'^# \d+ ".*//"$', re.M)


def _rsp_quote(arg: str) -> str:
    """Quote for a gcc/ld/ar ``@file``: libiberty reads backslash escapes even in quotes."""
    if not arg:
        return "''"
    return _RSP_SPECIAL.sub(r"\\\g<0>", arg) if _RSP_SPECIAL.search(arg) else arg


def _response_file(inputs: list[str], tail: list[str]) -> dict[str, str]:
    """The statement variables that put *inputs* (the statement's own) and then *tail* in its response file.

    The rules write ``$in$rsp_tail``, so the object list is not written a
    second time.  ninja's ``$in`` quotes a path for the shell, and libiberty's
    ``@file`` reader takes a backslash inside quotes as an escape, so where a
    path would need quoting (or ninja would spell it otherwise) the statement's
    ``rspfile_content`` says the whole content itself.
    """
    joined = "\n".join(inputs)
    if (inputs and _AS_THEY_ARE.fullmatch(joined) and joined.count("\n") == len(inputs) - 1
            and list(map(c_normpath, inputs)) == inputs and "" not in inputs):
        return {"rsp_tail": "".join(" " + _rsp_quote(a) for a in tail)} if tail else {}
    return {"rspfile_content": " ".join(_rsp_quote(a) for a in inputs + tail)}


def response_file_content(edge: Edge) -> str:
    """What ninja writes to the response file of *edge* (a link or an archive of these rules)."""
    own = dict(edge.variables)
    if "rspfile_content" in own:
        return own["rspfile_content"]
    return " ".join(edge.inputs) + own.get("rsp_tail", "")


@functools.lru_cache(maxsize=1024)
def _sh_join_words(words: tuple[str, ...]) -> str:
    return sh_join(words)


def _driver_is(command: str, driver: str) -> bool:
    """Whether *command* starts with the words of *driver* (not just its letters: gcc vs gcc-12)."""
    return command == driver or command.startswith(driver + " ")


def _without_launcher(command: str) -> str:
    """*command* without a leading launcher word (``ccache gcc -shared`` -> ``gcc -shared``)."""
    while " " in command.strip() and is_launcher(command.split()[0]):
        command = command.split(None, 1)[1]
    return command


def _replace_driver(command: str, old: str, new: str) -> str:
    """*command* with its driver *old* replaced by *new*, as setuptools does for ``CC``/``LDSHARED``.

    A launcher word on either side is ignored (a Python built with ``CC="ccache gcc"``).
    """
    command, old = _without_launcher(command), _without_launcher(old)
    return new + command[len(old):] if _driver_is(command, old) else command


def _cxx_linker(linker: list[str], compiler_cxx: list[str]) -> list[str]:
    """A C linker command made a C++ one as distutils did before it had ``linker_so_cxx``.

    Its driver word (after ``env VAR=...`` words, and after AIX's ``ld_so_aix``)
    becomes the C++ compiler's word at that place.
    """
    linker = list(linker)
    i = 0
    if os.path.basename(linker[0]) == "env":
        i = 1
        while i < len(linker) and "=" in linker[i]:
            i += 1
    offset = 1 if i < len(linker) and os.path.basename(linker[i]) == "ld_so_aix" else 0
    if i + offset < len(linker) and i < len(compiler_cxx):
        linker[i + offset] = compiler_cxx[i]
    return linker


class UnixCCompiler(CCompiler):
    compiler_type = "unix"
    description = "standard UNIX-style compiler (gcc, clang)"
    verified_by = "built with gcc by the tests, imported and called"
    template = "unix"
    compile_rules = ("cc", "cxx")
    supports_launcher = True

    executables: ClassVar[dict[str, Optional[list[str]]]] = {
        "preprocessor": ["cc", "-E"],
        "compiler": ["cc"],
        "compiler_so": ["cc"],
        "compiler_cxx": ["c++"],
        "compiler_so_cxx": ["c++"],
        "linker_so": ["cc", "-shared"],
        "linker_so_cxx": ["c++", "-shared"],
        "linker_exe": ["cc"],
        "linker_exe_cxx": ["c++"],
        "archiver": ["ar", "-cr"],
        "ranlib": None,
    }

    #: environment variables that customize() reads, as setuptools does
    environment_variables: ClassVar[tuple[str, ...]] = (
        "CC", "CXX", "CPP", "CPPFLAGS", "CFLAGS", "LDFLAGS", "LDSHARED", "LDCXXSHARED",
        "AR", "ARFLAGS", "RANLIB",
    )

    #: behind a caching launcher, per language: the compile command a probe asks (see
    #: share_cache_across_folders), its source suffix, and the commands that take its answer
    cache_probed_commands: ClassVar[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
        ("compiler_so", ".c", ("compiler_so", "compiler")),
        ("compiler_so_cxx", ".cpp", ("compiler_so_cxx", "compiler_cxx")))

    def customize(self, environ: Mapping[str, str]) -> None:
        """Executables from the target's sysconfig, overridden by *environ*.

        The overrides behave as under setuptools: ``CC`` also replaces the
        driver at the start of ``LDSHARED`` (and ``CXX`` that of
        ``LDCXXSHARED``); ``CFLAGS``/``CPPFLAGS`` are appended to the compile
        and shared-link commands, ``LDFLAGS`` to the shared-link commands.
        """
        var = self.target.var
        cc, cxx = var("CC", "cc"), var("CXX", "c++")
        cflags, ccshared = var("CFLAGS"), var("CCSHARED")
        ldshared = var("LDSHARED", cc + " -shared")
        ldcxxshared = var("LDCXXSHARED", cxx + " -shared")
        ar, ar_flags = var("AR", "ar"), var("ARFLAGS", "rc")

        if "CC" in environ:
            if "LDSHARED" not in environ:
                ldshared = _replace_driver(ldshared, cc, environ["CC"])
            cc = environ["CC"]
        if "CXX" in environ:
            if "LDCXXSHARED" not in environ:
                ldcxxshared = _replace_driver(ldcxxshared, cxx, environ["CXX"])
            cxx = environ["CXX"]
        ldshared = environ.get("LDSHARED", ldshared)
        ldcxxshared = environ.get("LDCXXSHARED", ldcxxshared)
        cpp = environ.get("CPP", cc + " -E")
        if "LDFLAGS" in environ:
            ldshared += " " + environ["LDFLAGS"]
            ldcxxshared += " " + environ["LDFLAGS"]
        for name in ("CFLAGS", "CPPFLAGS"):
            if name in environ:
                cflags += " " + environ[name]
                ldshared += " " + environ[name]
                ldcxxshared += " " + environ[name]
        if "CPPFLAGS" in environ:
            cpp += " " + environ["CPPFLAGS"]
        archiver = environ.get("AR", ar) + " " + environ.get("ARFLAGS", ar_flags)

        cc_cmd, cxx_cmd = f"{cc} {cflags}", f"{cxx} {cflags}"
        self.set_executables(
            preprocessor=cpp,
            compiler=cc_cmd,
            compiler_so=f"{cc_cmd} {ccshared}",
            compiler_cxx=cxx_cmd,
            compiler_so_cxx=f"{cxx_cmd} {ccshared}",
            linker_so=ldshared,
            linker_so_cxx=ldcxxshared,
            linker_exe=cc,
            linker_exe_cxx=cxx,
            archiver=archiver,
        )
        if "RANLIB" in environ:
            self.set_executables(ranlib=environ["RANLIB"])
        for key in ("linker_so", "linker_so_cxx", "linker_exe", "linker_exe_cxx"):
            self.commands[key] = strip_launcher(self.commands[key])  # launchers compile, never link
        shlib_suffix = var("SHLIB_SUFFIX")
        if shlib_suffix:
            self.shared_lib_extension = shlib_suffix  # type: ignore[misc]
        if self.target.sys_platform == "darwin":
            self.dylib_lib_extension = ".dylib"  # type: ignore[misc]  # as distutils' unixccompiler

    # ---------------------------------------------------------------- spellings
    def library_dir_option(self, dir: str) -> str:
        return "-L" + dir

    def library_option(self, lib: str) -> str:
        return "-l" + lib

    def runtime_library_dir_option(self, dir: str) -> Union[str, list[str]]:
        if self.target.sys_platform == "darwin":
            return "-Wl,-rpath," + dir
        if self.target.sys_platform.startswith("freebsd"):
            return "-Wl,-rpath=" + dir
        if self.target.var("GNULD") == "yes":
            return "-Wl,--enable-new-dtags,-R" + dir
        return "-Wl,-R" + dir

    def linked_lib_types(self) -> tuple[str, ...]:
        # macOS's linker finds libfoo.dylib for -lfoo; SHLIB_SUFFIX there names modules (.so)
        return ("static", "shared", "dylib") if self.target.sys_platform == "darwin" else ("static", "shared")

    def runtime_origin(self) -> str:
        # ELF loaders (Linux, the BSDs) expand $ORIGIN; macOS's dyld knows @loader_path instead
        return "@loader_path" if self.target.sys_platform == "darwin" else "$ORIGIN"

    def debug_compile_args(self) -> list[str]:
        return ["-g"]

    def check_dependency_paths(self, sources: Sequence[str], include_dirs: Sequence[str]) -> None:
        """Refuse what ninja cannot read back from gcc's dependency file.

        gcc escapes spaces, ``#`` and ``$`` there; other characters it writes
        as they are, and ninja's depfile parser ends a path at them, so the
        header would be tracked under the wrong name or not at all.
        """
        joined = " ".join([*sources, *include_dirs])  # a space: no match of _DEPFILE_UNSAFE spans two paths
        if "\n" not in joined and "\r" not in joined and not _DEPFILE_UNSAFE.search(joined):
            return
        for what, paths in (("source", sources), ("include folder", include_dirs)):
            for path in paths:
                if "\n" in path or "\r" in path:
                    raise ConfigError(f"{what} {path!r} contains a line break, which a ninja file cannot hold")
                found = _DEPFILE_UNSAFE.findall(path)
                if found:
                    first = min(found, key=lambda c: ("|\t".find(c) % 3, path.index(c)))  # '|', tab, the rest
                    name = "a tab" if first == "\t" else repr(first)
                    raise ConfigError(f"{what} {path!r} contains {name}, which ninja cannot read back "
                                      "from gcc's dependency file (header changes would go unseen)")

    def join_args(self, args: list[str]) -> str:  # type: ignore[override]
        return _sh_join_words(tuple(args))  # every source of an extension has the same words

    def template_context(self) -> dict[str, Any]:
        return {
            "link_pool": "link_pool" if "link_pool" in self.graph.pools else None,
            "ranlib": "ranlib" in self.commands,
        }

    # ------------------------------------------------------------------ edges
    def _front_args(self, debug: bool, extra_preargs: list[str]) -> list[str]:
        # distutils order: extra_preargs, -g, then the rest
        return extra_preargs + (self.debug_compile_args() if debug else [])

    @by_suffix
    def compile_edge(self, src: str, obj: str, lang: str, pp_opts: list[str], debug: bool,
                     extra_preargs: list[str], extra_postargs: list[str], implicit: list[str]) -> Edge:
        return Edge.make(
            obj, "cxx" if lang == "c++" else "cc", [src], implicit=implicit,
            variables={
                "args": self.join_args(self._front_args(debug, extra_preargs) + pp_opts),
                "post_args": self.join_args(extra_postargs),
            },
        )

    def map_prefix(self, folder: str) -> None:
        """As there: ``-ffile-prefix-map=FOLDER=.`` (gcc 8, clang 10) on every compile command."""
        for key in ("compiler", "compiler_so", "compiler_cxx", "compiler_so_cxx"):
            if key in self.commands:
                self.commands[key] = self.commands[key] + [f"-ffile-prefix-map={folder}=."]

    def share_cache_across_folders(self) -> None:
        """As there: ``-fno-working-directory`` on the compiles through sccache, if the compiler needs it.

        With ``-g`` (Python's CFLAGS have it) gcc writes the working folder into
        its preprocessed output (``# 1 "/the/folder//"``), and a cache that hashes
        that output (sccache's preprocessor cache mode, on with its local disk
        cache) keys each object by the folder it was compiled in (ccache takes the
        line out itself).  The flag leaves that line out; an object compiled from
        the source is the same but for the flags gcc records in it (its
        DW_AT_comp_dir still names the folder).  clang writes no such line and
        warns that the flag is unused, so each compiler is asked, by a probe cached
        in the build folder.
        """
        for asked, suffix, keys in self.cache_probed_commands:
            if asked not in self.commands:
                continue
            words = self.command(asked)
            if not (keys_by_working_folder(self.launcher) or keys_by_working_folder(words)):
                continue
            if self._names_working_folder(strip_launcher(words), suffix):
                for key in keys:
                    if key in self.commands:
                        self.commands[key] = self.commands[key] + ["-fno-working-directory"]

    def _names_working_folder(self, command: list[str], suffix: str) -> bool:
        """Whether *command* (a compiler, no launcher) names the working folder when it preprocesses with ``-g``."""
        name = "empty" + suffix

        def commands(scratch: str) -> list[list[str]]:
            return [command + self.debug_compile_args() + ["-E", os.path.join(scratch, name)]]

        try:
            found = output(Probe({name: ""}, commands), self.build_dir,
                           lambda out, scratch: _WORKING_FOLDER_MARKER.search(out) is not None, dry_run=self.dry_run)
        except ProbeError:  # the compiler is not here (a build generated for another machine)
            return False
        return bool(found)

    def adopt_executables(self, recorded: Mapping[str, Sequence[str]]) -> None:
        """As there, and a setuptools compiler without the ``*_cxx`` commands (setuptools < 72) used its C ones.

        It compiled C++ sources with ``compiler_so`` and linked C++ with
        ``linker_so`` / ``linker_exe`` whose driver became ``compiler_cxx``'s.
        """
        super().adopt_executables(recorded)
        if recorded.get("compiler_so") and not recorded.get("compiler_so_cxx"):
            self.set_executables(compiler_so_cxx=self.command("compiler_so"))
        for plain, cxx in (("linker_so", "linker_so_cxx"), ("linker_exe", "linker_exe_cxx")):
            if recorded.get(plain) and not recorded.get(cxx) and recorded.get("compiler_cxx"):
                self.set_executables(**{cxx: _cxx_linker(self.command(plain), list(recorded["compiler_cxx"]))})

    def edge_running(self, edge: Edge, argv: Sequence[str],
                     inputs: Mapping[str, str]) -> tuple[Optional[Edge], str]:
        """As there: the words around ``-c SRC -o OBJ``, the objects and ``-o OUT`` of a link, or
        ``AR ARCHIVE OBJECTS`` become the statement's own command variables (see unix.ninja.j2).

        Words a project's ``_compile`` wrapper put between ``-c`` and the source
        (python-crfsuite's ``-std=c99``) come just before ``-c``: the rule has ``-c $in``.
        """
        argv = list(argv)
        own = dict(edge.variables)
        moved = ""
        if edge.rule in ("cc", "cxx"):
            at = argv.index("-c") if "-c" in argv else -1
            out = argv.index("-o", at) if at >= 0 and "-o" in argv[at:] else -1
            if out < at + 2:
                return None, ""
            between = argv[at + 1:out - 1]
            if between:
                moved = f"{' '.join(between)} before -c, not between -c and the source"
            own.update({edge.rule: self.join_args(argv[:at] + between), "args": "",
                        "post_args": self.join_args(argv[out + 2:])})
        elif edge.rule in ("link_so", "link_so_cxx", "link_exe", "link_exe_cxx"):
            first = next((i for i, word in enumerate(argv) if word in inputs), -1)
            out = argv.index("-o", first) if first >= 0 and "-o" in argv[first:] else -1
            if out < 0:
                return None, ""
            linker = {"link_so": "ldshared", "link_so_cxx": "ldcxxshared", "link_exe": "ld", "link_exe_cxx": "ldcxx"}
            own.pop("rsp_tail", None)
            own.update({linker[edge.rule]: self.join_args(argv[:first]), "args": "",
                        "rspfile_content": " ".join(_rsp_quote(inputs.get(w, w)) for w in argv[first:out]),
                        "post_args": self.join_args(argv[out + 2:])})
        elif edge.rule == "ar":
            first = next((i for i, word in enumerate(argv) if word in inputs), -1)
            if first < 2:
                return None, ""
            own.pop("rsp_tail", None)
            own.update({"ar": self.join_args(argv[:first - 1]),
                        "rspfile_content": " ".join(_rsp_quote(inputs.get(w, w)) for w in argv[first:])})
        else:
            return None, ""
        return replace(edge, variables=tuple(own.items())), moved

    def archive_edge(self, objects: list[str], output: str) -> Edge:
        return Edge.make(output, "ar", objects, variables=_response_file(objects, []))

    def link_edge(self, target_desc: str, objects: list[str], output: str, lib_opts: list[str], *,
                  implicit: list[str], export_symbols: list[str], debug: bool, extra_preargs: list[str],
                  extra_postargs: list[str], build_temp: Optional[str], target_lang: Optional[str]) -> Edge:
        # export_symbols: a POSIX shared object exports every global symbol already
        if target_desc == self.EXECUTABLE:
            rule = "link_exe_cxx" if target_lang == "c++" else "link_exe"
        else:
            rule = "link_so_cxx" if target_lang == "c++" else "link_so"
        variables = {
            "args": self.join_args(self._front_args(debug, extra_preargs)),
            **_response_file(objects, lib_opts),
            "post_args": self.join_args(extra_postargs),
        }
        if target_desc == self.SHARED_LIBRARY and self.target.sys_platform == "darwin":
            variables.update(self._darwin_dylib(rule, output, extra_postargs))
        return Edge.make(output, rule, objects, implicit=implicit, variables=variables)

    def _darwin_dylib(self, rule: str, output: str, extra_postargs: list[str]) -> dict[str, str]:
        """A library other modules link against, for macOS: a ``-dynamiclib`` found through ``@rpath``.

        LDSHARED makes a ``-bundle``, which can be loaded but not linked against;
        the statement's own linker variable shadows the file's for this one link.
        """
        key = "linker_so_cxx" if rule == "link_so_cxx" else "linker_so"
        words = ["-dynamiclib" if w == "-bundle" else w for w in self.command(key)]
        install_name = ["-install_name", "@rpath/" + os.path.basename(output)]
        return {"ldcxxshared" if key == "linker_so_cxx" else "ldshared": self.join_args(words),
                "post_args": self.join_args(extra_postargs + install_name)}

    def preprocess_edge(self, source: str, output: str, pp_opts: list[str],
                        extra_preargs: list[str], extra_postargs: list[str]) -> Edge:
        return Edge.make(output, "cpp", [source], variables={
            "args": self.join_args(extra_preargs + pp_opts),
            "post_args": self.join_args(extra_postargs),
        })

    def toolchain_variables(self) -> dict[str, str]:
        variables = self.launcher_variables()
        variables.update((var, self.join_args(self.command(exe))) for var, exe in _VARIABLES.items())
        if "ranlib" in self.commands:
            variables["ranlib"] = self.join_args(self.commands["ranlib"])
        return variables

    def tools_for(self, languages: set[str], archives: bool) -> dict[str, str]:
        keys = ["compiler_so", "linker_so"]
        if "c++" in languages:
            keys += ["compiler_so_cxx", "linker_so_cxx"]
        if archives:
            keys.append("archiver")
        return {key: self.command(key)[0] for key in keys}

    # ------------------------------------------------------------------ probes
    def compile_argv(self, src: str, obj: str, pp_opts: list[str]) -> list[str]:
        key = "compiler_so_cxx" if self.detect_language(src) == "c++" else "compiler_so"
        return self.command(key) + pp_opts + ["-c", src, "-o", obj]

    def link_exe_argv(self, objects: list[str], output: str, lib_opts: list[str]) -> list[str]:
        return self.command("linker_exe") + objects + lib_opts + ["-o", output]
