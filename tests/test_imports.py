"""No import circles inside the ninjagen package.

Each module's relative imports (``from .x import y``, ``from . import x``,
``from ..x import y``), at module level or inside a function, are edges of a
graph over the package's modules; any strongly connected part of more than
one module is a circle.  A function-level import hides a circle from Python
but not from a reader, so it counts here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ninjagen"

#: circles that other work removes; each entry names the modules of one circle, sorted
ALLOWED_CYCLES: set[tuple[str, ...]] = set()


def module_name(path: Path) -> str:
    """``compilers/base.py`` -> ``ninjagen.compilers.base``; a package's ``__init__`` is the package."""
    parts = [PACKAGE.name, *path.relative_to(PACKAGE).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def relative_imports(path: Path, modules: set[str]) -> set[str]:
    """The package modules that *path* imports with relative imports, anywhere in its body."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        base = package[:len(package) - (node.level - 1)]
        target = ".".join(base + (node.module.split(".") if node.module else []))
        # "from . import x" imports the submodule x when there is one, else a name of the package
        for alias in node.names:
            sub = f"{target}.{alias.name}"
            found.add(sub if sub in modules else target)
    found.discard(name)
    return found & modules


def import_graph() -> dict[str, set[str]]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in files}
    return {module_name(p): relative_imports(p, modules) for p in files}


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """The strongly connected parts of *graph* with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[tuple[str, ...]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.add(tuple(sorted(part)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_finder_sees_a_circle_through_a_function_level_import(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == {("a", "b", "c")}
    assert cycles({"a": {"b"}, "b": set()}) == set()


def test_relative_imports_are_read_at_every_level():
    graph = import_graph()
    assert "ninjagen.compilers.base" in graph["ninjagen.compilers.unix"]  # from .base import CCompiler
    assert "ninjagen.graph" in graph["ninjagen.compilers.base"]  # from ..graph import ...
    assert "ninjagen.compilers" in graph["ninjagen"]  # from .compilers import ... in a package's __init__
    assert "ninjagen.rules" in graph["ninjagen.compilers.base"]  # a function-level import
    assert "ninjagen._pyinfo" in graph["ninjagen.target"]  # from . import _pyinfo: a module of the package


def test_no_import_circle_in_the_package():
    found = cycles(import_graph())
    unexpected = found - ALLOWED_CYCLES
    assert not unexpected, "import circles: " + "; ".join(" <-> ".join(c) for c in sorted(unexpected))
    stale = ALLOWED_CYCLES - found
    assert not stale, "no longer circles, drop them from ALLOWED_CYCLES: " + "; ".join(map(str, sorted(stale)))
