"""The build graph as ninja reads it from build.ninja: each output's rule and inputs.

Asked of ninja itself (``-t targets all``, ``-t query``) rather than parsed from
the file, so includes, variables and escaping are ninja's business, and a
build.ninja that a script wrote through the Python API is read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from .errors import NinjagenError
from .process import argument_chunks
from .runner import run_ninja

__all__ = ["GraphNode", "KINDS", "QUERY_CHARS", "rules_of", "parse_query", "inputs_of", "kind_of", "count_of"]

#: the paths one ``ninja -t query`` is asked about: a command line well under Windows' 32K characters
QUERY_CHARS = 24_000

#: ninjagen's rule names (the templates', the translators', regeneration's) -> the kind of step
_KINDS = {
    "cc": "compile", "cxx": "compile", "rc": "compile",
    "link": "link", "link_so": "link", "link_so_cxx": "link", "link_exe": "link", "link_exe_cxx": "link",
    "link_dll": "link",
    "ar": "archive", "lib": "archive",
    "cython": "cython", "swig": "swig", "regenerate": "regenerate",
}
KINDS = ("compile", "link", "archive", "cython", "swig", "regenerate", "other")
#: each kind of step in words, one and many
_NOUNS = {"compile": ("compile", "compiles"), "link": ("link", "links"), "archive": ("archive", "archives"),
          "cython": ("Cython translation", "Cython translations"), "swig": ("SWIG wrapper", "SWIG wrappers"),
          "regenerate": ("build.ninja regeneration", "build.ninja regenerations"),
          "other": ("other step", "other steps")}


def count_of(n: int, kind: str) -> str:
    """*n* steps of *kind* in words: '1 compile', '3 Cython translations'."""
    one, many = _NOUNS.get(kind, (kind, kind + "s"))
    return f"{n} {one if n == 1 else many}"


def kind_of(rule: Optional[str]) -> str:
    """The kind of step a rule makes: compile, link, archive, cython, swig, regenerate or other."""
    return _KINDS.get(rule or "", "other")


@dataclass(frozen=True)
class GraphNode:
    """What ``ninja -t query`` says of one file."""

    rule: Optional[str] = None
    """The rule of the step that writes it; None when no step does (a source, a header)."""
    inputs: tuple[str, ...] = ()
    """That step's explicit inputs (a compile's source)."""
    dependents: tuple[str, ...] = ()
    """The outputs of the steps that read it, as build.ninja declares them (not the deps log's headers)."""
    implicit: tuple[str, ...] = ()
    order_only: tuple[str, ...] = ()

    @property
    def all_inputs(self) -> tuple[str, ...]:
        return self.inputs + self.implicit + self.order_only


def _ninja(root: str, build_ninja: Optional[str], args: list[str]) -> str:
    result = run_ninja([*(["-f", build_ninja] if build_ninja else []), *args], cwd=root, capture=True)
    if result.returncode != 0:
        text = ((result.stderr or "") + (result.stdout or "")).strip().splitlines()
        raise NinjagenError(f"ninja {' '.join(args[:2])} failed in {root}: {text[-1] if text else 'no output'}")
    return result.stdout


def rules_of(root: str, build_ninja: Optional[str] = None) -> dict[str, str]:
    """Every output of the build file -> the rule that makes it (phony targets included)."""
    rules = {}
    for line in _ninja(root, build_ninja, ["-t", "targets", "all"]).splitlines():
        output, sep, rule = line.rpartition(": ")
        if sep:
            rules[output] = rule
    return rules


def parse_query(text: str) -> dict[str, GraphNode]:
    """What ``ninja -t query PATH...`` prints (ninja 1.10 to 1.13), by path."""
    nodes: dict[str, GraphNode] = {}
    path: Optional[str] = None
    rule: Optional[str] = None
    section = ""
    lists: dict[str, list[str]] = {}

    def done() -> None:
        if path is not None:
            nodes[path] = GraphNode(rule, tuple(lists["explicit"]), tuple(lists["outputs"]),
                                    tuple(lists["implicit"]), tuple(lists["order_only"]))

    for line in text.splitlines():
        if line and not line.startswith(" "):
            done()
            path, rule, section = line[:-1] if line.endswith(":") else line, None, ""
            lists = {"explicit": [], "implicit": [], "order_only": [], "outputs": []}
        elif line.startswith("  input: "):
            rule, section = line[len("  input: "):], "input"
        elif line.startswith("    "):
            item = line[4:]
            if section == "input":
                if item.startswith("|| "):
                    lists["order_only"].append(item[3:])
                elif item.startswith("| "):
                    lists["implicit"].append(item[2:])
                else:
                    lists["explicit"].append(item)
            elif section == "outputs":
                lists["outputs"].append(item)
        elif line.strip():
            section = "outputs" if line == "  outputs:" else ""  # validations:, validation for:
    done()
    return nodes


def inputs_of(root: str, outputs: Iterable[str], build_ninja: Optional[str] = None,
              known: Optional[dict[str, str]] = None) -> dict[str, GraphNode]:
    """*outputs* -> their edge's rule and inputs; outputs the build file does not know are left out
    (a log names outputs of extensions that were removed since)."""
    known = known if known is not None else rules_of(root, build_ninja)
    wanted = [o for o in dict.fromkeys(outputs) if o in known]
    found: dict[str, GraphNode] = {}
    for chunk in argument_chunks(wanted, QUERY_CHARS):
        found.update(parse_query(_ninja(root, build_ninja, ["-t", "query", *chunk])))
    return found
