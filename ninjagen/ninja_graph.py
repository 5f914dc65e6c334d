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

__all__ = ["EdgeInputs", "rules_of", "inputs_of", "kind_of"]

#: a command line stays well under Windows' 32K characters
_QUERY_CHARS = 24_000

#: ninjagen's rule names (the templates', the translators', regeneration's) -> the kind of step
_KINDS = {
    "cc": "compile", "cxx": "compile", "rc": "compile",
    "link": "link", "link_so": "link", "link_so_cxx": "link", "link_exe": "link", "link_exe_cxx": "link",
    "link_dll": "link",
    "ar": "archive", "lib": "archive",
    "cython": "cython", "swig": "swig", "regenerate": "regenerate",
}
KINDS = ("compile", "link", "archive", "cython", "swig", "regenerate", "other")


def kind_of(rule: Optional[str]) -> str:
    """The kind of step a rule makes: compile, link, archive, cython, swig, regenerate or other."""
    return _KINDS.get(rule or "", "other")


@dataclass(frozen=True)
class EdgeInputs:
    rule: str
    explicit: tuple[str, ...]
    implicit: tuple[str, ...]
    order_only: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.explicit + self.implicit + self.order_only


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


def _parse_query(text: str) -> dict[str, EdgeInputs]:
    found: dict[str, EdgeInputs] = {}
    node = rule = None
    section = ""
    lists: dict[str, list[str]] = {}

    def close() -> None:
        if node is not None and rule is not None:
            found[node] = EdgeInputs(rule, tuple(lists["|0"]), tuple(lists["|1"]), tuple(lists["|2"]))

    for line in text.splitlines():
        if not line.startswith(" "):
            close()
            node, rule, section = line[:-1] if line.endswith(":") else line, None, ""
            lists = {"|0": [], "|1": [], "|2": []}
        elif line.startswith("  input: "):
            rule, section = line[len("  input: "):], "input"
        elif not line.startswith("    "):
            section = line.strip().rstrip(":")
        elif section == "input":
            item = line[4:]
            if item.startswith("|| "):
                lists["|2"].append(item[3:])
            elif item.startswith("| "):
                lists["|1"].append(item[2:])
            else:
                lists["|0"].append(item)
    close()
    return found


def inputs_of(root: str, outputs: Iterable[str], build_ninja: Optional[str] = None,
              known: Optional[dict[str, str]] = None) -> dict[str, EdgeInputs]:
    """*outputs* -> their edge's rule and inputs; outputs the build file does not know are left out
    (a log names outputs of extensions that were removed since)."""
    known = known if known is not None else rules_of(root, build_ninja)
    wanted = [o for o in dict.fromkeys(outputs) if o in known]
    found: dict[str, EdgeInputs] = {}
    for chunk in argument_chunks(wanted, _QUERY_CHARS):
        found.update(_parse_query(_ninja(root, build_ninja, ["-t", "query", *chunk])))
    return found
