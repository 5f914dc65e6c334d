"""A deterministic workload: N extension modules x M C sources, H shared headers.

Every source includes ``Python.h`` and a few of the shared headers
(``include/bench_hNN.h``), and holds realistic function bodies (loops, a
switch, lookup tables, calls into the headers' inline helpers).  Source 00 of
each module defines ``PyInit`` and ``run(x)``, which calls the entry function
of every other source of its module, so a module that imports and runs has
really linked them all.

The same project is written three ways, with the same sources and flags:

* ``pyproject.toml``: ``[tool.ninjagen] ext-modules`` (ninjagen);
* ``setup.py``: setuptools ``Extension`` objects (``build_ext --inplace``); a
  setuptools user must list the headers in ``depends`` (it has no depfiles);
* ``meson.build``: ``py.extension_module`` (flags come from ``meson setup``'s
  ``-Dc_args``, see :func:`meson_setup_args`).

For wheels, :func:`generate_for_backend` writes the same sources as a project
for one PEP 517 backend (ninjagen, setuptools, meson-python, scikit-build-core:
``CMakeLists.txt`` with ``python_add_library``), one folder per backend.

The hand-written "ideal" build.ninja is :mod:`ideal` in this folder.

Usage: ``python bench/workload.py DEST N M H`` (importable as a module too).
"""

from __future__ import annotations

import json
import os
import random
import sys
from dataclasses import dataclass, field
from typing import Optional

PACKAGE = "benchpkg"
HEADERS_PER_SOURCE = 3
FUNCTIONS_PER_SOURCE = 2  # calibrated: ~0.2 s of gcc 12 -O3 -g per source (Python.h alone: ~0.07 s)


@dataclass
class Module:
    name: str  # dotted: benchpkg._m000
    short: str  # _m000
    sources: list[str]  # relative to the project folder
    headers: list[str]  # the shared headers its sources include (setuptools' depends)


@dataclass
class Workload:
    root: str
    modules: list[Module]
    headers: list[str]
    includes: dict[str, list[str]] = field(default_factory=dict)
    """source -> the shared headers it includes"""

    @property
    def sources(self) -> list[str]:
        return [s for m in self.modules for s in m.sources]

    def dependents(self, header: str) -> list[str]:
        return [s for s, hs in self.includes.items() if header in hs]


def _rng(*key: object) -> random.Random:
    return random.Random("/".join(map(str, key)))  # str seeds hash deterministically


def _header_text(h: int) -> str:
    r = _rng("header", h)
    consts = [r.randrange(1, 1 << 31) for _ in range(4)]
    return f"""\
#ifndef BENCH_H{h:02d}_H
#define BENCH_H{h:02d}_H
#include <stddef.h>
#include <stdint.h>

#define H{h:02d}_ROT(x, k) (((x) << ((k) & 63)) | ((x) >> ((64 - ((k) & 63)) & 63)))

typedef struct {{ uint64_t a, b, c; uint32_t n; }} h{h:02d}_state;

static inline uint64_t h{h:02d}_mix(uint64_t x, uint64_t k) {{
    x ^= x >> {r.randrange(13, 33)};
    x *= {consts[0]}ULL;
    x ^= H{h:02d}_ROT(x, k + {r.randrange(1, 60)});
    return x + {consts[1]}ULL;
}}

static inline void h{h:02d}_step(h{h:02d}_state *s, uint64_t v) {{
    s->a = h{h:02d}_mix(s->a ^ v, s->n);
    s->b += s->a * {consts[2]}ULL;
    s->c ^= H{h:02d}_ROT(s->b, s->a);
    s->n++;
}}

static inline uint64_t h{h:02d}_fold(const h{h:02d}_state *s) {{
    return s->a ^ s->b ^ (s->c * {consts[3]}ULL) ^ s->n;
}}
#endif
"""


def _expr(r: random.Random, depth: int, names: list[str], helpers: list[str]) -> str:
    if depth == 0 or r.random() < 0.2:
        return r.choice(names + [f"{r.randrange(1, 1 << 20)}u"])
    kind = r.randrange(6)
    a, b = _expr(r, depth - 1, names, helpers), _expr(r, depth - 1, names, helpers)
    if kind == 0 and helpers:
        return f"{r.choice(helpers)}({a}, {b})"
    if kind == 1:
        return f"(({a}) ^ (({b}) >> {r.randrange(1, 31)}))"
    if kind == 2:
        return f"(({a}) * {r.randrange(3, 1 << 16) | 1}u + ({b}))"
    if kind == 3 and a != b:
        return f"(({a}) < ({b}) ? ({a}) - ({b}) : ({b}) + {r.randrange(1, 99)}u)"
    return f"(({a}) {r.choice('+-&|')} ({b}))"


def _function(r: random.Random, name: str, helpers: list[str]) -> str:
    table = ", ".join(f"{r.randrange(1 << 32)}u" for _ in range(64))
    cases = "\n".join(
        f"        case {c}: acc = {_expr(r, 3, ['acc', 'x', 'v', '(uint64_t)i'], helpers)}; break;"
        for c in range(8)
    )
    inner = _expr(r, 3, ["acc", "v", "w[j]"], helpers)
    return f"""\
static uint64_t {name}(uint64_t x, uint32_t rounds) {{
    static const uint32_t table[64] = {{{table}}};
    uint64_t w[16];
    uint64_t acc = x ^ {r.randrange(1 << 32)}u;
    for (int j = 0; j < 16; j++)
        w[j] = table[(j * {r.randrange(3, 64, 2)} + x) & 63] ^ (acc >> j);
    for (uint32_t i = 0; i < rounds; i++) {{
        uint64_t v = table[(acc + i) & 63];
        switch ((acc >> {r.randrange(1, 9)}) & 7) {{
{cases}
        }}
        for (int j = 0; j < 16; j++)
            w[j] = {inner};
        if (acc & 1) acc = acc * 3 + w[i & 15]; else acc = (acc >> 1) ^ w[(i + 7) & 15];
    }}
    for (int j = 0; j < 16; j++)
        acc ^= w[j] << (j & 31);
    return acc;
}}
"""


def _source_text(m: int, s: int, n_sources: int, headers: list[int], functions: int) -> str:
    r = _rng("source", m, s)
    helpers = [f"h{h:02d}_mix" for h in headers]
    includes = "".join(f'#include "bench_h{h:02d}.h"\n' for h in headers)
    funcs = [f"m{m:03d}_s{s:02d}_f{k}" for k in range(functions)]
    bodies = "\n".join(_function(r, f, helpers) for f in funcs)
    h0 = headers[0]
    calls = "\n".join(f"    h{h0:02d}_step(&st, {f}(x + {k}u, rounds));" for k, f in enumerate(funcs))
    entry = f"""\
uint64_t m{m:03d}_s{s:02d}_entry(uint64_t x, uint32_t rounds) {{
    h{h0:02d}_state st = {{x, {r.randrange(1 << 32)}u, 0, 0}};
{calls}
    return h{h0:02d}_fold(&st);
}}
"""
    text = ("#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n" + includes +
            f"\n/* module {m}, source {s} (generated by bench/workload.py; deterministic) */\n\n"
            f"uint64_t m{m:03d}_s{s:02d}_entry(uint64_t x, uint32_t rounds);\n\n" + bodies + "\n" + entry)
    if s == 0:
        decls = "".join(f"uint64_t m{m:03d}_s{j:02d}_entry(uint64_t x, uint32_t rounds);\n"
                        for j in range(1, n_sources))
        chain = "".join(f"    acc = acc * 1000003u ^ m{m:03d}_s{j:02d}_entry(acc, rounds);\n"
                        for j in range(n_sources))
        text += f"""
{decls}
static PyObject *run(PyObject *self, PyObject *args) {{
    unsigned long long x;
    unsigned int rounds = 8;
    if (!PyArg_ParseTuple(args, "K|I", &x, &rounds)) return NULL;
    uint64_t acc = x;
{chain}    return PyLong_FromUnsignedLongLong(acc);
}}

static PyMethodDef methods[] = {{
    {{"run", run, METH_VARARGS, "Call every source of this module; return a checksum."}},
    {{NULL, NULL, 0, NULL}}
}};

static struct PyModuleDef moduledef = {{PyModuleDef_HEAD_INIT, "{PACKAGE}._m{m:03d}", NULL, -1, methods}};

PyMODINIT_FUNC PyInit__m{m:03d}(void) {{
    PyObject *mod = PyModule_Create(&moduledef);
    if (mod && PyModule_AddIntConstant(mod, "NSOURCES", {n_sources}) < 0) {{ Py_DECREF(mod); return NULL; }}
    return mod;
}}
"""
    return text


def _stub_text(headers: list[int]) -> str:
    return "#include <Python.h>\n" + "".join(f'#include "bench_h{h:02d}.h"\n' for h in headers)


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def plan(root: str, n_modules: int, n_sources: int, n_headers: int) -> Workload:
    """What :func:`generate` writes, without writing it."""
    headers = [f"include/bench_h{h:02d}.h" for h in range(n_headers)]
    wl = Workload(root, [], headers)
    per_source = min(HEADERS_PER_SOURCE, n_headers)
    for m in range(n_modules):
        sources, used = [], []
        for s in range(n_sources):
            src = f"{PACKAGE}/m{m:03d}/s{s:02d}.c"
            chosen = sorted(_rng("includes", m, s).sample(range(n_headers), per_source))
            wl.includes[src] = [headers[h] for h in chosen]
            sources.append(src)
            used += [headers[h] for h in chosen if headers[h] not in used]
        wl.modules.append(Module(f"{PACKAGE}._m{m:03d}", f"_m{m:03d}", sources, sorted(used)))
    return wl


def generate(root: str, n_modules: int, n_sources: int, n_headers: int, *, write_sources: bool = True,
             functions: int = FUNCTIONS_PER_SOURCE) -> Workload:
    """Write the project into *root* (created); return its description.

    ``write_sources=False`` writes only each source's #include lines (the L size is
    configured and "built" with bench/fakecc.c, never compiled); *functions* is how many
    generated functions each source holds (``--quick`` uses 1 to keep CI short).
    """
    wl = _write_sources(root, n_modules, n_sources, n_headers, write_sources, functions)
    _write(os.path.join(root, "pyproject.toml"), _pyproject(wl))
    _write(os.path.join(root, "setup.py"), _setup_py(wl))
    _write(os.path.join(root, "meson.build"), _meson_build(wl))
    return wl


def _write_sources(root: str, n_modules: int, n_sources: int, n_headers: int, write_sources: bool,
                   functions: int) -> Workload:
    wl = plan(root, n_modules, n_sources, n_headers)
    for h, path in enumerate(wl.headers):
        _write(os.path.join(root, path), _header_text(h))
    _write(os.path.join(root, PACKAGE, "__init__.py"), "")
    for m, mod in enumerate(wl.modules):
        for s, src in enumerate(mod.sources):
            chosen = [wl.headers.index(h) for h in wl.includes[src]]
            text = _source_text(m, s, n_sources, chosen, functions) if write_sources else _stub_text(chosen)
            _write(os.path.join(root, src), text)
    return wl


#: the PEP 517 backends a wheel project can be written for (see :func:`generate_for_backend`)
BACKENDS = ("ninjagen", "setuptools", "meson-python", "scikit-build-core")


def generate_for_backend(root: str, backend: str, n_modules: int, n_sources: int, n_headers: int, *,
                         functions: int = FUNCTIONS_PER_SOURCE) -> Workload:
    """Write the same sources as :func:`generate` into *root* as a project that ``pip wheel .``
    builds through *backend* (one of :data:`BACKENDS`): a ``pyproject.toml`` with its
    ``[build-system]`` and ``[project]``, and what that backend reads besides.

    One folder holds one pyproject.toml, so each backend gets a folder of its own; the
    sources are byte-identical across them.  Compiler flags and parallelism are not
    written here: bench/run.py passes them as config-settings (:func:`backend_settings`).
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}: choose among {', '.join(BACKENDS)}")
    wl = _write_sources(root, n_modules, n_sources, n_headers, True, functions)
    system = {"ninjagen": (["ninjagen"], "ninjagen.backend"),
              "setuptools": (["setuptools>=64"], "setuptools.build_meta"),
              "meson-python": (["meson-python>=0.13"], "mesonpy"),
              "scikit-build-core": (["scikit-build-core>=0.8"], "scikit_build_core.build")}[backend]
    text = (f"# generated by bench/workload.py: the benchmark's workload, built by {backend}\n"
            f"[build-system]\nrequires = {json.dumps(system[0])}\nbuild-backend = \"{system[1]}\"\n\n"
            f"[project]\nname = \"{PACKAGE}\"\nversion = \"0\"\nrequires-python = \">=3.9\"\n")
    if backend == "ninjagen":
        text += "\n" + _pyproject(wl).split("\n", 1)[1]
    elif backend == "setuptools":
        _write(os.path.join(root, "setup.py"), _setup_py(wl, packages=[PACKAGE]))
    elif backend == "meson-python":
        _write(os.path.join(root, "meson.build"), _meson_build(wl, install=True))
    else:
        _write(os.path.join(root, "CMakeLists.txt"), _cmake_lists(wl))
        # the package folder goes into the wheel as it is: not its C sources
        text += '\n[tool.scikit-build]\nwheel.exclude = ["**.c"]\n'
    _write(os.path.join(root, "pyproject.toml"), text)
    return wl


def _pyproject(wl: Workload) -> str:
    lines = ["# generated by bench/workload.py", "[tool.ninjagen]", "ext-modules = ["]
    for mod in wl.modules:
        lines.append(f'  {{ name = "{mod.name}", sources = {json.dumps(mod.sources)}, include-dirs = ["include"] }},')
    lines.append("]")
    return "\n".join(lines) + "\n"


def _setup_py(wl: Workload, packages: Optional[list[str]] = None) -> str:
    """``packages`` given: a wheel project, whose name and version are in pyproject's ``[project]``."""
    mods = ",\n".join(f"    ({mod.name!r}, {mod.sources!r}, {mod.headers!r})" for mod in wl.modules)
    named = "" if packages is not None else '    name="benchpkg",\n    version="0",\n'
    return f"""\
# generated by bench/workload.py: the same extensions for setuptools (build_ext --inplace).
# setuptools has no depfiles: the headers go into depends, so a header change rebuilds.
from setuptools import Extension, setup

MODULES = [
{mods}
]

setup(
{named}    packages={packages or []!r},
    py_modules=[],
    ext_modules=[Extension(name, sources, include_dirs=["include"], depends=depends)
                 for name, sources, depends in MODULES],
)
"""


def _meson_build(wl: Workload, install: bool = False) -> str:
    """*install*: for meson-python, which packs what meson would install (the package and its modules)."""
    out = ["# generated by bench/workload.py; flags come from meson setup -Dc_args (see bench/run.py)",
           "project('benchpkg', 'c', version: '0', meson_version: '>=1.1')",
           "py = import('python').find_installation(pure: false)",
           "inc = include_directories('include')", ""]
    where = f"install: true, subdir: '{PACKAGE}'" if install else "install: false"
    if install:
        out.append(f"py.install_sources('{PACKAGE}/__init__.py', subdir: '{PACKAGE}')")
    for mod in wl.modules:
        srcs = ", ".join(f"'{s}'" for s in mod.sources)
        out.append(f"py.extension_module('{mod.short}', [{srcs}], include_directories: inc, "
                   f"dependencies: py.dependency(), gnu_symbol_visibility: 'default', {where})")
    return "\n".join(out) + "\n"


def _cmake_lists(wl: Workload) -> str:
    """For scikit-build-core: FindPython's ``python_add_library(... MODULE WITH_SOABI)`` per module."""
    out = ["# generated by bench/workload.py; flags come from -Ccmake.define.CMAKE_C_FLAGS (see bench/run.py)",
           "cmake_minimum_required(VERSION 3.18...3.31)",
           f"project({PACKAGE} LANGUAGES C)",
           "find_package(Python COMPONENTS Interpreter Development.Module REQUIRED)", ""]
    for mod in wl.modules:
        out.append(f"python_add_library({mod.short} MODULE WITH_SOABI {' '.join(mod.sources)})")
        out.append(f"target_include_directories({mod.short} PRIVATE include)")
        out.append(f"install(TARGETS {mod.short} DESTINATION {PACKAGE})")
    return "\n".join(out) + "\n"


def meson_setup_args(c_flags: list[str], link_flags: list[str]) -> list[str]:
    """``meson setup`` options that give meson the compile flags the other tools use."""
    def array(words: list[str]) -> str:
        return "[" + ",".join(repr(w) for w in words) + "]"

    return ["--buildtype=plain", "-Dwarning_level=0", "-Db_ndebug=false",
            "-Dc_args=" + array(c_flags), "-Dc_link_args=" + array(link_flags)]


if __name__ == "__main__":
    dest, n, m, h = sys.argv[1], *map(int, sys.argv[2:5])
    w = generate(dest, n, m, h)
    print(f"wrote {len(w.sources)} sources in {len(w.modules)} modules and {len(w.headers)} headers to {dest}")
