"""Sources that are translated to C or C++ before they are compiled: Cython and SWIG.

Each translation is a build statement of its own, with the translator's own
dependency file, so editing a ``.pxd``, an included ``.pxi`` or a SWIG
interface's ``%include`` re-translates what depends on it.  The generated files
go to the build folder (a shipped ``.c`` beside a ``.pyx`` is never
overwritten, nor removed by ``ninjagen clean``), and the folder of the original
source is put first on the include path of its compile, so ``#include`` lines
that cythonize's in-place output would resolve still resolve.  The translators
run on the machine that runs ninja, so their commands are quoted for that host.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from .errors import ConfigError
from .graph import Edge
from .quoting import host_join

if TYPE_CHECKING:
    from .compilers.base import CCompiler
    from .extension import Extension

__all__ = ["Translated", "translate_sources", "pyx_language", "swig_python_module", "relative_cimports"]

_LANGUAGE_DIRECTIVE = re.compile(r"^#\s*distutils\s*:\s*language\s*=\s*(\S+)", re.M)
_SWIG_MODULE = re.compile(r"^\s*%module\s*(?:\([^)]*\)\s*)?(\w+)", re.M)
_RELATIVE_CIMPORT = re.compile(r"^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+cimport[ \t]+(\([^)]*\)|[^\n#]*)", re.M)


@dataclass
class Translated:
    """An extension's sources after translation."""

    sources: list[str]
    include_dirs: list[str] = field(default_factory=list)
    """Folders of translated originals, for the generated files' relative #includes."""
    language: Optional[str] = None
    """``c++`` when a translation produced C++."""


def pyx_language(path: str) -> Optional[str]:
    """The ``# distutils: language = ...`` directive at the top of a Cython file, if any."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return None
    found = _LANGUAGE_DIRECTIVE.search(head)
    return found.group(1) if found else None


def swig_python_module(path: str) -> Optional[str]:
    """The Python file SWIG writes for an interface: its ``%module`` name, beside it."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            found = _SWIG_MODULE.search(f.read())
    except OSError:
        return None
    return os.path.join(os.path.dirname(path), found.group(1) + ".py") if found else None


def relative_cimports(path: str) -> list[str]:
    """The ``.pxd`` files that ``from . cimport x`` lines of a Cython file reach.

    Cython's own dependency file leaves them out (it lists ``cimport pkg.x`` but
    not the relative form), so they are added to the translation's inputs.
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return []
    found = []
    for dots, module, names in _RELATIVE_CIMPORT.findall(text):
        base = os.path.dirname(path)
        for _ in range(len(dots) - 1):
            base = os.path.dirname(base)
        if module:
            folder = os.path.join(base, *module.split("."))
            candidates = [folder + ".pxd"]
        else:
            folder = base
            candidates = []
        for name in names.strip("() \t").split(","):
            name = name.split(" as ")[0].strip()
            if name.isidentifier():
                candidates.append(os.path.join(folder, name + ".pxd"))
        found += [c for c in candidates if os.path.isfile(c)]
    return list(dict.fromkeys(os.path.normpath(c) for c in found))


def _generated(build_dir: str, kind: str, source: str, suffix: str) -> str:
    base = os.path.splitext(os.path.normpath(source))[0].lstrip("./\\")
    base = base.replace("..", "__")
    return os.path.join(build_dir, kind, base + suffix)


def _cython_rule(cc: "CCompiler", owner: str, src: str) -> None:
    if importlib.util.find_spec("Cython") is None:
        raise ConfigError(f"{owner}: source {src} needs Cython, which the Python running ninjagen lacks: "
                          "pip install cython")
    cc.graph.rule("cython", [sys.executable, "-m", "cython"], "$args", "--depfile", "-o", "$out", "$in",
                  depfile="$out.dep", deps="gcc", description="CYTHON $out")


def _swig_rule(cc: "CCompiler", owner: str, src: str) -> None:
    swig = shutil.which("swig")
    if swig is None:
        raise ConfigError(f"{owner}: source {src} needs SWIG, which is not installed (apt-get install swig)")
    cc.graph.rule("swig", [swig, "-python"], "$args", "-MMD", "-MF", "$out.d", "-outdir", "$outdir",
                  "-o", "$out", "$in", depfile="$out.d", deps="gcc", description="SWIG $out")


def translate_sources(cc: "CCompiler", ext: "Extension", build_dir: str) -> Translated:
    """Add the translation statements for *ext*'s Cython and SWIG sources; return what to compile.

    As in setuptools: a ``.pyx`` becomes C++ when the extension's language or the
    file's ``# distutils: language`` directive says so; a ``.i`` is wrapped by
    ``swig -python`` with the extension's ``swig_opts`` (plus ``-c++`` for a C++
    extension), and SWIG's Python module is written beside the extension module.
    """
    if not any(src.endswith((".pyx", ".i")) for src in ext.sources):
        return Translated(sources=list(ext.sources))  # nothing to translate (a suffix is how a name ends)
    owner = f"extension {ext.name!r}"
    out = Translated(sources=[])
    # cythonize and Cython's build_ext name the module after the extension, not the file
    # (PyInit_<name> has to match the .so): Extension("pkg._fast", ["pkg/fast.pyx"])
    pyx = [src for src in ext.sources if os.path.splitext(src)[1] == ".pyx"]
    for src in ext.sources:
        suffix = os.path.splitext(src)[1]
        if suffix == ".pyx":
            _cython_rule(cc, owner, src)
            cplus = (ext.language or pyx_language(src)) == "c++"
            target = _generated(build_dir, "cython", src, ".cpp" if cplus else ".c")
            # Cython's own default language level unless the project names one (cythonize's
            # language_level=2 arrives as that directive)
            args = ([] if "language_level" in ext.cython_directives else ["-3"]) + (["--cplus"] if cplus else [])
            for name, value in ext.cython_directives.items():
                args += ["-X", f"{name}={str(value) if not isinstance(value, bool) else value}"]
            for folder in ext.cython_include_dirs:
                args += ["-I", folder]
            for name, value in ext.cython_compile_time_env.items():
                args += ["-E", f"{name}={value}"]
            if len(pyx) == 1:
                args += ["--module-name", ext.name]
            cc.graph.add(Edge.make(target, "cython", [src], implicit=relative_cimports(src),
                                   variables={"args": host_join(args)}))
        elif suffix == ".i":
            _swig_rule(cc, owner, src)
            opts = list(ext.swig_opts)
            if ext.language == "c++" and "-c++" not in opts:
                opts.append("-c++")
            cplus = "-c++" in opts
            target = _generated(build_dir, "swig", src, "_wrap" + (".cpp" if cplus else ".c"))
            # SWIG also writes the module's Python half: beside the interface, as distutils has it
            outdir = os.path.dirname(src) or "."
            python_half = swig_python_module(src)
            cc.graph.add(Edge.make(target, "swig", [src], implicit_outputs=[python_half] if python_half else [],
                                   variables={"args": host_join(opts), "outdir": outdir}))
        else:
            out.sources.append(src)
            continue
        out.sources.append(target)
        out.include_dirs.append(os.path.dirname(src) or ".")
        if cplus:
            out.language = "c++"
    out.include_dirs = list(dict.fromkeys(out.include_dirs))
    return out
