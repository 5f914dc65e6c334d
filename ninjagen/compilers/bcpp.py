"""Borland C++ 5.5 (``bcc32`` / ``ilink32`` / ``tlib``), as the last distutils ``bcppcompiler.py`` had it.

No registry offers these tools, so this toolchain is proven by golden files
and by parsing its commands back into arguments.  Its vocabulary: ``/tWM``-style
options, C++ sources marked ``-P``, resources through ``brcc32``, and the
ilink32 line whose fields are separated by commas:
``ilink32 flags startup objects, output, map, libraries, def, resources``.
"""

from __future__ import annotations

import ntpath
import os
from typing import Any, ClassVar, Optional, Union

from ..graph import Edge
from ..quoting import msvc_join
from .base import CCompiler, WindowsFileNames, by_suffix

__all__ = ["BCPPCompiler"]

_VARIABLES = {"bcc": "compiler", "cpp": "preprocessor", "ilink": "linker", "tlib": "lib", "brcc": "rc"}


class BCPPCompiler(WindowsFileNames, CCompiler):
    compiler_type = "bcpp"
    description = "Borland C++ Compiler 5.5 (bcc32, ilink32, tlib)"
    verified_by = "golden files and commands parsed back into arguments (the tools are proprietary)"
    template = "bcpp"
    compile_rules = ("cc",)
    windows_pyconfig = True

    executables: ClassVar[dict[str, Optional[list[str]]]] = {
        "compiler": ["bcc32.exe"],
        "preprocessor": ["cpp32.exe"],
        "linker": ["ilink32.exe"],
        "lib": ["tlib.exe"],
        "rc": ["brcc32"],
    }
    compile_options: ClassVar[list[str]] = ["/tWM", "/O2", "/q", "/g0"]
    compile_options_debug: ClassVar[list[str]] = ["/tWM", "/Od", "/q", "/g0"]
    ldflags_shared: ClassVar[list[str]] = ["/Tpd", "/Gn", "/q", "/x"]
    ldflags_exe: ClassVar[list[str]] = ["/Gn", "/q", "/x"]
    ldflags_exe_debug: ClassVar[list[str]] = ["/Gn", "/q", "/x", "/r"]
    #: the C runtime libraries every ilink32 line ends its library field with
    default_libraries: ClassVar[list[str]] = ["import32", "cw32mt"]
    missing_tool_hint = "put the Borland C++ bin folder on PATH"

    def library_dir_option(self, dir: str) -> str:
        return "-L" + dir

    def runtime_library_dir_option(self, dir: str) -> Union[str, list[str]]:
        from ..errors import ConfigError

        raise ConfigError("runtime_library_dirs are not supported by Borland C++")

    def library_option(self, lib: str) -> str:
        return lib

    def find_library_file(self, dirs: Any, lib: str, debug: bool = False) -> Optional[str]:
        """``name_bcpp.lib`` (Borland's OMF format) before ``name.lib``, as distutils looked."""
        names = [f"{lib}_d_bcpp", f"{lib}_bcpp", f"{lib}_d", lib] if debug else [f"{lib}_bcpp", lib]
        for d in dirs:
            for name in names:
                path = os.path.join(d, self.library_filename(name))
                if os.path.isfile(path):
                    return path
        return None

    def python_link_libraries(self, limited_api: bool = False) -> list[str]:
        return ["python3" if limited_api else self.python_library()]

    def join_args(self, args: list[str]) -> str:  # type: ignore[override]
        return msvc_join(args)  # Borland's C runtime splits a command line as Microsoft's does

    def toolchain_variables(self) -> dict[str, str]:
        return {var: self.join_args(self.command(exe)) for var, exe in _VARIABLES.items()}

    def tools_for(self, languages: set[str], archives: bool) -> dict[str, str]:
        tools = {"compiler": self.command("compiler")[0], "linker": self.command("linker")[0]}
        if archives:
            tools["lib"] = self.command("lib")[0]
        return tools

    def template_context(self) -> dict[str, Any]:
        return {"link_pool": "link_pool" if "link_pool" in self.graph.pools else None}

    # ------------------------------------------------------------------ edges
    @by_suffix
    def compile_edge(self, src: str, obj: str, lang: str, pp_opts: list[str], debug: bool,
                     extra_preargs: list[str], extra_postargs: list[str], implicit: list[str]) -> Edge:
        if src.lower().endswith(".rc"):
            return Edge.make(obj, "rc", [src], implicit=implicit)
        options = extra_preargs + (self.compile_options_debug if debug else self.compile_options) + pp_opts
        if lang == "c++":
            options.append("-P")
        return Edge.make(obj, "cc", [src], implicit=implicit, variables={
            "args": self.join_args(options), "post_args": self.join_args(extra_postargs)})

    def archive_edge(self, objects: list[str], output: str) -> Edge:
        return Edge.make(output, "lib", objects, variables={"rsp_args": self.join_args(objects)})

    def link_edge(self, target_desc: str, objects: list[str], output: str, lib_opts: list[str], *,
                  implicit: list[str], export_symbols: list[str], debug: bool, extra_preargs: list[str],
                  extra_postargs: list[str], build_temp: Optional[str], target_lang: Optional[str]) -> Edge:
        if target_desc == self.EXECUTABLE:
            startup, flags = "c0w32", list(self.ldflags_exe_debug if debug else self.ldflags_exe)
        else:
            startup, flags = "c0d32", list(self.ldflags_shared)
        def_file = ""
        inputs = list(objects)
        if export_symbols:
            temp = build_temp or (os.path.dirname(objects[0]) if objects else "") or "."
            def_file = os.path.join(temp, os.path.splitext(os.path.basename(output))[0] + ".def")
            self.graph.add_file(def_file, "EXPORTS\n" + "".join(f"  {s}=_{s}\n" for s in export_symbols))
            inputs.append(def_file)
        # Borland's tools want backslashes (distutils normalised the paths on the Windows host;
        # ntpath does the same on any host, so the output does not depend on where it is made)
        objs = [ntpath.normpath(o) for o in objects if not o.lower().endswith(".res")]
        resources = [ntpath.normpath(o) for o in objects if o.lower().endswith(".res")]
        dirs = [o for o in lib_opts if o.startswith("-L")]
        libs = [o for o in lib_opts if not o.startswith("-L")]
        # ilink32's comma-separated fields: objects, output, map file, libraries, def file, resources
        words = (extra_preargs + flags + [f"/L{ntpath.normpath(d[2:])}" for d in dirs] + ["/L."]
                 + [startup] + objs + [",", ntpath.normpath(output), ",,"] + libs + self.default_libraries
                 + [",", ntpath.normpath(def_file) if def_file else "", ","] + resources + extra_postargs)
        return Edge.make(output, "link", inputs, implicit=implicit,
                         variables={"rsp_args": self.join_args([w for w in words if w != ""])})

    def preprocess_edge(self, source: str, output: str, pp_opts: list[str],
                        extra_preargs: list[str], extra_postargs: list[str]) -> Edge:
        return Edge.make(output, "cpp", [source], variables={
            "args": self.join_args(extra_preargs + pp_opts), "post_args": self.join_args(extra_postargs)})

    def compile_argv(self, src: str, obj: str, pp_opts: list[str]) -> list[str]:
        return self.command("compiler") + self.compile_options + pp_opts + ["-o" + obj, src]

    def link_exe_argv(self, objects: list[str], output: str, lib_opts: list[str]) -> list[str]:
        return (self.command("linker") + self.ldflags_exe + ["c0w32"] + objects + [",", output, ",,"]
                + lib_opts + self.default_libraries + [",", ","])
