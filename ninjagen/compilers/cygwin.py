"""gcc ports on Windows: Cygwin, and MinGW as its subclass (as in distutils).

They speak gcc's language (``-D -I -L -l``, depfiles), so the rules are the
unix ones plus ``windres`` for resources.  What differs: DLLs named ``.dll``
with import libraries, ``-lpythonXY`` named explicitly, exports through a
``.def`` file that is written at configure time (a generated file of the
graph, never inside ``link()``), and a cross toolchain's prefix
(``x86_64-w64-mingw32-``) in front of every tool.
"""

from __future__ import annotations

import os
import shutil
from typing import ClassVar, Mapping, Optional, Union

from ..errors import ConfigError
from ..graph import Edge
from .base import by_suffix
from .unix import UnixCCompiler

__all__ = ["CygwinCCompiler", "Mingw32CCompiler", "MINGW_PREFIXES"]

#: Windows target platform -> (MinGW-w64 cross prefix, the Debian package that installs its gcc)
MINGW_PREFIXES: dict[str, tuple[str, Optional[str]]] = {
    "win-amd64": ("x86_64-w64-mingw32-", "gcc-mingw-w64-x86-64"),
    "win32": ("i686-w64-mingw32-", "gcc-mingw-w64-i686"),
    "win-arm64": ("aarch64-w64-mingw32-", None),  # llvm-mingw has it; Debian has no gcc for it
}


class CygwinCCompiler(UnixCCompiler):
    compiler_type = "cygwin"
    description = "Cygwin port of the GNU C compiler for Windows"
    verified_by = "golden files and commands parsed back into arguments (no registry offers Cygwin)"
    template = "cygwin"

    src_extensions = UnixCCompiler.src_extensions + (".rc",)
    object_extensions: ClassVar[dict[str, str]] = {".rc": ".res.o"}
    static_lib_extension = ".a"
    shared_lib_extension = ".dll.a"   # the import library -lfoo links against
    dylib_lib_extension = ".dll"      # the DLL itself
    static_lib_format = "lib%s%s"
    shared_lib_format = "lib%s%s"
    dylib_lib_format = "cyg%s%s"
    exe_extension = ".exe"

    executables: ClassVar[dict[str, Optional[list[str]]]] = {
        **UnixCCompiler.executables,
        "windres": ["windres"],
    }
    environment_variables: ClassVar[tuple[str, ...]] = ("CC", "CXX", "AR", "ARFLAGS")
    #: words that select this port's runtime (Cygwin's; MinGW has none)
    runtime_flag: ClassVar[list[str]] = ["-mcygwin"]
    #: Cygwin's CPython is built by its configure script, whose pyconfig.h defines
    #: Py_GIL_DISABLED for a free-threaded build: nothing to add on the command line
    windows_pyconfig = False

    def customize(self, environ: Mapping[str, str]) -> None:
        """Commands as distutils' cygwinccompiler sets them; CC / CXX / AR override."""
        prefix = self.cross_prefix
        cc = environ.get("CC", prefix + "gcc")
        cxx = environ.get("CXX", prefix + "g++")
        runtime = " ".join(self.runtime_flag)
        self.set_executables(
            preprocessor=f"{cc} -E",
            compiler=f"{cc} {runtime} -O -Wall",
            compiler_so=f"{cc} {runtime} -shared -O -Wall",
            compiler_cxx=f"{cxx} {runtime} -O -Wall",
            compiler_so_cxx=f"{cxx} {runtime} -shared -O -Wall",
            linker_exe=f"{cc} {runtime}",
            linker_exe_cxx=f"{cxx} {runtime}",
            linker_so=f"{cc} {runtime} -shared",
            linker_so_cxx=f"{cxx} {runtime} -shared",
            archiver=f"{environ.get('AR', prefix + 'ar')} {environ.get('ARFLAGS', 'rcs')}",
            windres=prefix + "windres",
        )

    def runtime_library_dir_option(self, dir: str) -> Union[str, list[str]]:
        return []  # Windows finds a DLL beside the module that loads it; there is no rpath

    def runtime_origin(self) -> str:
        return ""  # as above: no run paths on Windows

    def python_link_libraries(self, limited_api: bool = False) -> list[str]:
        return [self.python_library(".")]

    def toolchain_variables(self) -> dict[str, str]:
        variables = super().toolchain_variables()
        variables["windres"] = self.join_args(self.command("windres"))
        return variables

    @by_suffix
    def compile_edge(self, src: str, obj: str, lang: str, pp_opts: list[str], debug: bool,
                     extra_preargs: list[str], extra_postargs: list[str], implicit: list[str]) -> Edge:
        if src.lower().endswith(".rc"):
            return Edge.make(obj, "rc", [src], implicit=implicit, variables={"args": self.join_args(pp_opts)})
        return super().compile_edge(src, obj, lang, pp_opts, debug, extra_preargs, extra_postargs, implicit)

    def link_edge(self, target_desc: str, objects: list[str], output: str, lib_opts: list[str], *,
                  implicit: list[str], export_symbols: list[str], debug: bool, extra_preargs: list[str],
                  extra_postargs: list[str], build_temp: Optional[str], target_lang: Optional[str]) -> Edge:
        temp = build_temp or (os.path.dirname(objects[0]) if objects else "") or "."
        name = os.path.splitext(os.path.basename(output))[0]
        objects = list(objects)
        implicit_outputs = []
        if export_symbols and target_desc != self.EXECUTABLE:
            def_file = os.path.join(temp, name + ".def")
            lines = [f"LIBRARY {os.path.basename(output)}", "EXPORTS", *export_symbols]
            self.graph.add_file(def_file, "\n".join(lines) + "\n")
            objects.append(def_file)  # gcc reads a .def among the objects
        if target_desc == self.SHARED_LIBRARY:
            prefix = self.dylib_lib_format.split("%s")[0]  # cygfoo.dll -> libfoo.dll.a
            libname = name[len(prefix):] if prefix and name.startswith(prefix) else name
            implib = os.path.join(temp, self.library_filename(libname, lib_type="shared"))
            extra_postargs = extra_postargs + [f"-Wl,--out-implib,{implib}"]
            implicit_outputs.append(implib)
        if not debug:
            extra_preargs = extra_preargs + ["-s"]
        edge = super().link_edge(target_desc, objects, output, lib_opts, implicit=implicit,
                                 export_symbols=export_symbols, debug=debug, extra_preargs=extra_preargs,
                                 extra_postargs=extra_postargs, build_temp=build_temp, target_lang=target_lang)
        return Edge.make(edge.outputs, edge.rule, edge.inputs, implicit=edge.implicit,
                         implicit_outputs=implicit_outputs, variables=dict(edge.variables))


class Mingw32CCompiler(CygwinCCompiler):
    """MinGW: like Cygwin without its runtime.

    C++ modules link libstdc++ and libgcc statically: a .pyd must load with no
    dangling references, and Python (3.8+) does not search PATH for the DLLs
    of an extension module.
    """

    compiler_type = "mingw32"
    description = "MinGW-w64 port of the GNU C compiler for Windows (also as a cross compiler)"
    verified_by = "golden files; built with mingw-w64, imported and called by a Windows CPython under wine"
    dylib_lib_format = "%s%s"
    runtime_flag: ClassVar[list[str]] = []
    windows_pyconfig = True

    def python_link_libraries(self, limited_api: bool = False) -> list[str]:
        return ["python3" if limited_api else self.python_library()]

    def customize(self, environ: Mapping[str, str]) -> None:
        """As Cygwin's; a target for another OS, with no prefix and no ``CC`` given, gets its cross prefix."""
        if not self.cross_prefix and "CC" not in environ and not self.target.runs_here:
            self.cross_prefix = self.default_cross_prefix()
        super().customize(environ)
        for key in ("linker_so_cxx", "linker_exe_cxx"):
            self.set_executable(key, self.command(key) + ["-static-libgcc", "-static-libstdc++"])

    def default_cross_prefix(self) -> str:
        """The MinGW-w64 prefix for the target's architecture, if its gcc is on PATH.

        Without it the host's own gcc would compile, and fail far away (``pyconfig.h``
        wants ``io.h``, which only a Windows toolchain has).
        """
        platform = self.target.platform
        if platform not in MINGW_PREFIXES:
            raise ConfigError(f"no MinGW-w64 cross compiler is known for target platform {platform!r}; "
                              "pass --cross-prefix")
        prefix, package = MINGW_PREFIXES[platform]
        if shutil.which(prefix + "gcc") is None:
            install = f"install it (Debian: {package})" if package else "install it"
            raise ConfigError(f"{prefix}gcc (the MinGW-w64 cross compiler for {platform}) was not found on PATH; "
                              f"{install} or pass --cross-prefix")
        return prefix
