"""Microsoft Visual C++: ``cl`` / ``link`` / ``lib`` / ``rc``, as distutils' ``_msvccompiler``.

Commands are quoted by the rules of the Microsoft C runtime (ninja on Windows
runs them without a shell), compiles and links go through response files, and
``/showIncludes`` feeds ninja's ``deps = msvc``.  Nothing here depends on the
host: the same inputs give the same build.ninja on Linux and on Windows.
"""

from __future__ import annotations

import os
import shutil
from typing import Any, ClassVar, Mapping, Optional, Union

from ..errors import ConfigError, ProbeError
from ..graph import Edge
from ..probe import Probe, output
from ..quoting import msvc_join
from .base import CCompiler, WindowsFileNames, by_suffix

__all__ = ["MSVCCompiler", "DEFAULT_DEPS_PREFIX"]

#: what an English Visual Studio prints before each header under /showIncludes
DEFAULT_DEPS_PREFIX = "Note: including file:"

_VARIABLES = {"cl": "compiler", "link": "linker", "lib": "lib", "rc": "rc"}


def _deps_prefix_in(output: str, scratch: str) -> Optional[str]:
    """What precedes the probe header's path (somewhere in *scratch*) on its /showIncludes line."""
    for line in output.splitlines():
        if line.rstrip().endswith("ninjagen_probe.h"):
            at = line.replace("\\", "/").lower().find(scratch.replace("\\", "/").lower())
            if at > 0:
                return line[:at].rstrip()
    return None


class MSVCCompiler(WindowsFileNames, CCompiler):
    compiler_type = "msvc"
    description = "Microsoft Visual C++ (cl, link, lib, rc)"
    verified_by = ("golden files; built with clang-cl and lld-link standing in for cl and link, "
                   "imported and called by a Windows CPython under wine")
    template = "msvc"
    compile_rules = ("cc", "cxx")
    windows_pyconfig = True
    supports_launcher = True

    executables: ClassVar[dict[str, Optional[list[str]]]] = {
        "compiler": ["cl"],
        "linker": ["link"],
        "lib": ["lib"],
        "rc": ["rc"],
    }
    #: distutils' compile_options / compile_options_debug / ldflags_shared(_debug) / ldflags_exe
    compile_options: ClassVar[list[str]] = ["/nologo", "/O2", "/W3", "/GL", "/DNDEBUG", "/MD"]
    compile_options_debug: ClassVar[list[str]] = ["/nologo", "/Od", "/MDd", "/Zi", "/W3", "/D_DEBUG"]
    ldflags_shared: ClassVar[list[str]] = ["/nologo", "/INCREMENTAL:NO", "/LTCG", "/DLL",
                                           "/MANIFEST:EMBED,ID=2", "/MANIFESTUAC:NO"]
    ldflags_shared_debug: ClassVar[list[str]] = ["/nologo", "/INCREMENTAL:NO", "/LTCG", "/DEBUG:FULL", "/DLL",
                                                 "/MANIFEST:EMBED,ID=2", "/MANIFESTUAC:NO"]
    ldflags_exe: ClassVar[list[str]] = ["/nologo", "/INCREMENTAL:NO", "/LTCG", "/MANIFEST:EMBED,ID=1"]

    environment_variables: ClassVar[tuple[str, ...]] = ("NINJAGEN_MSVC_DEPS_PREFIX",)
    missing_tool_hint = "run from a Visual Studio developer prompt, or put cl and link on PATH"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the /showIncludes prefix ninja looks for (a localized cl prints another one)
        self.deps_prefix = DEFAULT_DEPS_PREFIX

    def customize(self, environ: Mapping[str, str]) -> None:
        """The deps prefix: the environment's, else asked of ``cl`` when it is installed."""
        prefix = environ.get("NINJAGEN_MSVC_DEPS_PREFIX")
        if prefix:
            self.deps_prefix = prefix
            return
        detected = self.detect_deps_prefix()
        if detected:
            self.deps_prefix = detected

    def detect_deps_prefix(self) -> Optional[str]:
        """The text ``cl /showIncludes`` prints before a header's path, or None without a ``cl``.

        A localized Visual Studio prints its own words ("Remarque : inclusion du
        fichier :"); ninja's ``deps = msvc`` must be told them.  Asked once, then cached.
        """
        cl = self.command("compiler")
        if shutil.which(cl[0]) is None:
            return None
        files = {"ninjagen_probe.h": "#define NINJAGEN_PROBE 1\n",
                 "probe.c": '#include "ninjagen_probe.h"\nint probe = NINJAGEN_PROBE;\n'}

        def commands(scratch: str) -> list[list[str]]:
            return [cl + ["/nologo", "/showIncludes", "/c", "/Tc" + os.path.join(scratch, "probe.c"),
                          "/Fo" + os.path.join(scratch, "probe.obj")]]

        try:
            return output(Probe(files, commands), self.build_dir, _deps_prefix_in, dry_run=self.dry_run)
        except ProbeError:
            return None

    # ---------------------------------------------------------------- spellings
    option_prefix = "/"

    def library_dir_option(self, dir: str) -> str:
        return "/LIBPATH:" + dir

    def runtime_library_dir_option(self, dir: str) -> Union[str, list[str]]:
        raise ConfigError("runtime_library_dirs are not supported by MSVC (Windows finds DLLs beside the module)")

    def library_option(self, lib: str) -> str:
        return self.library_filename(lib)

    def join_args(self, args: list[str]) -> str:  # type: ignore[override]
        return msvc_join(args)

    def python_link_libraries(self, limited_api: bool = False) -> list[str]:
        return []  # pyconfig.h names pythonXY.lib (or python3.lib) with #pragma comment(lib, ...)

    def template_context(self) -> dict[str, Any]:
        return {"link_pool": "link_pool" if "link_pool" in self.graph.pools else None}

    def toolchain_variables(self) -> dict[str, str]:
        variables = self.launcher_variables()
        variables.update((var, self.join_args(self.command(exe))) for var, exe in _VARIABLES.items())
        variables["msvc_deps_prefix"] = self.deps_prefix
        return variables

    def tools_for(self, languages: set[str], archives: bool) -> dict[str, str]:
        tools = {"compiler": self.command("compiler")[0], "linker": self.command("linker")[0]}
        if archives:
            tools["lib"] = self.command("lib")[0]
        return tools

    # ------------------------------------------------------------------ edges
    def _compile_options(self, debug: bool, extra_preargs: list[str]) -> list[str]:
        # distutils' order: extra_preargs, /c, the compile options
        return extra_preargs + ["/c"] + (self.compile_options_debug if debug else self.compile_options)

    @by_suffix
    def compile_edge(self, src: str, obj: str, lang: str, pp_opts: list[str], debug: bool,
                     extra_preargs: list[str], extra_postargs: list[str], implicit: list[str]) -> Edge:
        if src.lower().endswith(".rc"):
            return Edge.make(obj, "rc", [src], implicit=implicit, variables={"args": self.join_args(pp_opts)})
        return Edge.make(
            obj, "cxx" if lang == "c++" else "cc", [src], implicit=implicit,
            variables={
                "args": self.join_args(self._compile_options(debug, extra_preargs) + pp_opts),
                "post_args": self.join_args(extra_postargs),
            },
        )

    def archive_edge(self, objects: list[str], output: str) -> Edge:
        return Edge.make(output, "lib", objects, variables={"rsp_args": self.join_args(objects)})

    def link_edge(self, target_desc: str, objects: list[str], output: str, lib_opts: list[str], *,
                  implicit: list[str], export_symbols: list[str], debug: bool, extra_preargs: list[str],
                  extra_postargs: list[str], build_temp: Optional[str], target_lang: Optional[str]) -> Edge:
        if target_desc == self.EXECUTABLE:
            flags, outputs = list(self.ldflags_exe), []
            variables: dict[str, str] = {}
        else:
            flags = list(self.ldflags_shared_debug if debug else self.ldflags_shared)
            # The import library (and link.exe's .exp beside it) belong in the build folder, not
            # beside the module.  Only the .lib is declared: lld-link writes no .exp, and an
            # output that never appears would make every ninja run relink.
            temp = build_temp or (os.path.dirname(objects[0]) if objects else "") or "."
            implib = os.path.join(temp, os.path.splitext(os.path.basename(output))[0] + self.static_lib_extension)
            outputs = [implib]
            variables = {"implib": implib}
        exports = [f"/EXPORT:{sym}" for sym in export_symbols]
        variables.update({
            "args": self.join_args(extra_preargs + flags + lib_opts + exports),
            "rsp_args": self.join_args(objects),
            "post_args": self.join_args(extra_postargs),
        })
        rule = "link_exe" if target_desc == self.EXECUTABLE else "link_dll"
        return Edge.make(output, rule, objects, implicit=implicit, implicit_outputs=outputs, variables=variables)

    def preprocess_edge(self, source: str, output: str, pp_opts: list[str],
                        extra_preargs: list[str], extra_postargs: list[str]) -> Edge:
        return Edge.make(output, "cpp", [source], variables={
            "args": self.join_args(extra_preargs + ["/nologo"] + pp_opts),
            "post_args": self.join_args(extra_postargs),
        })

    # ------------------------------------------------------------------ probes
    def compile_argv(self, src: str, obj: str, pp_opts: list[str]) -> list[str]:
        return self.command("compiler") + ["/c"] + self.compile_options + pp_opts + ["/Tc" + src, "/Fo" + obj]

    def link_exe_argv(self, objects: list[str], output: str, lib_opts: list[str]) -> list[str]:
        return self.command("linker") + self.ldflags_exe + lib_opts + objects + ["/OUT:" + output]
