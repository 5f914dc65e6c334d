"""The build graph and its ninja file.

This module is the only user of ``ninja.ninja_syntax``, and it knows nothing of
toolchains: a compiler hands it :class:`Edge` values, its rule text and its
variables.  Every path and value passes through :mod:`ninjagen.quoting` exactly
once, here.  Files are written atomically (:mod:`ninjagen.atomic`): a reader, or ninja,
sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import io
import os
import re
import sys
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Optional, Sequence, Union

from ninja import ninja_syntax

from .atomic import atomic_write
from .errors import ConfigError
from .quoting import host_join, ninja_path, ninja_text

__all__ = ["Edge", "BuildGraph", "normal_path", "c_normpath", "atomic_write", "forget_build_log",
           "NINJA_REQUIRED_VERSION"]

NINJA_REQUIRED_VERSION = "1.10"
_NO_WRAP = 1 << 30  # ninja_syntax's line wrapping is not worth its escaping corner cases


def _norm(path: Union[str, "os.PathLike[str]"]) -> str:
    """A path a caller gives the graph (a str or a path object), normalized; :func:`normal_path` is for
    the str paths of statements, many at a time."""
    return os.path.normpath(path)


#: os.path.normpath without its Python wrapper where CPython has the C function under it (3.11 and 3.12
#: wrap ``_path_normpath``, 3.13's normpath is it; it gives "" for "", normpath "."): configure
#: normalizes every path it is given, twenty thousand on ten thousand sources
c_normpath = getattr(sys.modules.get(os.name), "_path_normpath", None) or os.path.normpath


def normal_path(path: str) -> str:
    """os.path.normpath(path), but *path* itself when it is normal already: one string, not two equal ones
    (an object is the output of its compile and an input of its link: 2.6 MB on 10,000 sources)."""
    norm = c_normpath(path) or "."
    return path if norm == path else norm


#: what ninja itself sets for each statement
_BUILTIN = ("in", "in_newline", "out")
#: the variables a rule may bind (a file variable of one of these names would take the place of a rule's)
_RULE_BINDINGS = ("command", "depfile", "dyndep", "description", "deps", "generator", "pool", "restat",
                  "rspfile", "rspfile_content", "msvc_deps_prefix")

#: a variable reference in rule text (``$name``, ``${name}``): names a generated variable must not take
_REFERENCE = re.compile(r"\$\{?([a-zA-Z0-9_-]+)")


@dataclass(frozen=True)
class Edge:
    """One ``build`` statement.  Variable values are plain text, escaped on writing."""

    outputs: tuple[str, ...]
    rule: str
    inputs: tuple[str, ...] = ()
    implicit: tuple[str, ...] = ()
    order_only: tuple[str, ...] = ()
    implicit_outputs: tuple[str, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()
    pool: Optional[str] = None

    @classmethod
    def make(cls, outputs: Union[str, Sequence[str]], rule: str, inputs: Sequence[str] = (), *,
             implicit: Sequence[str] = (), order_only: Sequence[str] = (),
             implicit_outputs: Sequence[str] = (), variables: Optional[Mapping[str, str]] = None,
             pool: Optional[str] = None) -> "Edge":
        norm = normal_path
        edge = object.__new__(cls)
        # what the generated __init__ does, without its object.__setattr__ call per field (a frozen
        # dataclass's way), which made up half of the time configure took per source
        fields = edge.__dict__
        fields["outputs"] = (norm(outputs),) if isinstance(outputs, str) else tuple(map(norm, outputs))
        fields["rule"] = rule
        # one input (a compile) is the usual case, and a one-item tuple(map()) costs twice as much
        fields["inputs"] = ((norm(inputs[0]),) if type(inputs) is list and len(inputs) == 1
                            else tuple(map(norm, inputs)) if inputs else ())
        fields["implicit"] = tuple(dict.fromkeys(map(norm, implicit))) if implicit else ()
        fields["order_only"] = tuple(map(norm, order_only)) if order_only else ()
        fields["implicit_outputs"] = tuple(map(norm, implicit_outputs)) if implicit_outputs else ()
        fields["variables"] = tuple(variables.items()) if variables else ()
        fields["pool"] = pool
        return edge

    def one_to_one(self) -> bool:
        """Whether this statement makes one file of one input (a compile)."""
        return len(self.outputs) == 1 and len(self.inputs) == 1 and not self.implicit_outputs

    def with_paths(self, output: str, source: str) -> "Edge":
        """This :meth:`one_to_one` statement for another *source* and *output* (normal paths already)."""
        edge = object.__new__(Edge)
        fields = edge.__dict__
        fields.update(self.__dict__)
        fields["outputs"] = (output,)
        fields["inputs"] = (source,)
        return edge

    def all_outputs(self) -> tuple[str, ...]:
        return self.outputs + self.implicit_outputs


@dataclass
class BuildGraph:
    """Build statements, keyed by the files they write."""

    edges: dict[str, Edge] = field(default_factory=dict)
    _producer: dict[str, str] = field(default_factory=dict)
    pools: dict[str, int] = field(default_factory=dict)
    extra_rules: list[dict] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    """Small files written at configure time (``.def`` export lists): path -> text."""

    def add(self, edge: Edge) -> Edge:
        """Add *edge*; the same statement added twice is kept once.

        The same outputs from a different statement is an error: two
        extensions whose objects would overwrite each other.  Statements that
        differ only in implicit inputs are merged (their union).
        """
        key = edge.outputs[0]
        existing = self.edges.get(key)
        if existing is not None:
            if replace(existing, implicit=()) == replace(edge, implicit=()):
                merged = replace(existing, implicit=tuple(dict.fromkeys(existing.implicit + edge.implicit)))
                self.edges[key] = merged
                return merged
            raise ConfigError(f"two different build steps write {key} (rules {existing.rule} and {edge.rule})")
        outs = edge.all_outputs()
        for out in outs:
            if out in self._producer:
                raise ConfigError(f"two different build steps write {out}")
        for out in outs:
            self._producer[out] = key
        self.edges[key] = edge
        return edge

    def add_all(self, edges: Iterable[Edge]) -> None:
        """:meth:`add` each of *edges*, the usual case (one output, new to the graph) without a call."""
        known, producer, add = self.edges, self._producer, self.add
        for edge in edges:
            outputs = edge.outputs
            key = outputs[0]
            if len(outputs) == 1 and not edge.implicit_outputs and key not in known and key not in producer:
                producer[key] = key
                known[key] = edge
            else:
                add(edge)

    def add_file(self, path: str, text: str) -> None:
        """A file to write at configure time, beside build.ninja (an input of some edge)."""
        path = _norm(path)
        if self.files.get(path, text) != text:
            raise ConfigError(f"two different contents for the generated file {path}")
        self.files[path] = text

    def write_files(self) -> None:
        """Write the generated files whose text changed (an unchanged one keeps its time: no relink)."""
        for path, text in self.files.items():
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() == text:
                        continue
            except OSError:
                pass
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            atomic_write(path, text)

    def produces(self, path: str) -> bool:
        return _norm(path) in self._producer

    def phony(self, name: str, inputs: Sequence[str]) -> Edge:
        return self.add(Edge.make(name, "phony", inputs))

    def pool(self, name: str, depth: int) -> None:
        if depth < 1:
            raise ConfigError(f"pool {name}: depth must be at least 1, got {depth}")
        self.pools[name] = depth

    def rule(self, name: str, program: Sequence[str], *refs: str, **attributes: Union[str, bool]) -> None:
        """A rule that runs a program on this machine (regeneration, translators), not a toolchain's.

        *program* is plain words, quoted here for the host's way of running
        commands and escaped for ninja; *refs* (``$args``, ``$in``, ...) are
        ninja text appended as they are.  Defining the same rule again is a no-op.
        """
        self.command_rule(name, host_join(program), *refs, **attributes)

    def command_rule(self, name: str, command: str, *refs: str, **attributes: Union[str, bool]) -> None:
        """A rule whose *command* is already host shell text: escaped here for ninja, *refs* appended as they are."""
        rule = {"name": name, "command": " ".join([ninja_text(command, f"rule {name}"), *refs]), **attributes}
        for existing in self.extra_rules:
            if existing["name"] == name:
                if existing != rule:
                    raise ConfigError(f"two different definitions of the ninja rule {name}")
                return
        self.extra_rules.append(rule)

    def default(self, paths: Iterable[str]) -> None:
        self.defaults.extend(_norm(p) for p in paths)

    # -------------------------------------------------------------- rendering
    def render(self, *, rules: str = "", variables: Optional[Mapping[str, str]] = None,
               build_dir: Optional[str] = None, header: str = "") -> str:
        """The whole ninja file as text.

        Two spellings keep it short, and quick for ninja to read, without
        changing what ninja expands: the value most statements give a variable
        is written once, as the file's value of it, which a statement that says
        nothing of it gets (the others say theirs, an empty one too); and
        another value several statements share is a file variable they refer to
        (``args = $args_1``: ninja expands a statement's variables as it reads
        them).  Paths are written out whole: a path that starts with a variable
        (``$o1/src/a.o``) is shorter, but ninja evaluates it on every run (on
        ten thousand sources, 31 M of a no-op's 450 M instructions).
        """
        variables = dict(variables or {})
        refs, outside = _rule_references(rules, self.extra_rules)
        taken = {"ninja_required_version", "builddir", *_BUILTIN, *variables, *outside, *_RULE_BINDINGS,
                 *(name for names in refs.values() for name in names)}
        # a file variable named like a rule binding would shadow the rule's for statements without variables
        edges = self.edges.values()
        groups = _variable_groups(edges)
        defaults = _defaults(groups, refs, reserved={*variables, *outside, *_BUILTIN, *_RULE_BINDINGS,
                                                     "ninja_required_version", "builddir"})
        shared = _shared_values(groups, taken, defaults)
        spell = _PathSpelling()
        body = _body_text(edges, spell, shared, defaults, refs)

        out = io.StringIO()
        w = ninja_syntax.Writer(out, width=_NO_WRAP)
        if header:
            for line in header.splitlines():
                w.comment(line)
            w.newline()
        w.variable("ninja_required_version", NINJA_REQUIRED_VERSION)
        if build_dir is not None:
            w.variable("builddir", ninja_path(build_dir))
        for name, value in variables.items():
            w.variable(name, ninja_text(value, f"variable {name}"))
        for name, (value, where) in defaults.items():
            w.variable(name, ninja_text(value, where))
        for value, (name, where) in shared.items():
            w.variable(name, ninja_text(value, where))
        w.newline()
        for name, depth in self.pools.items():
            w.pool(name, depth)
            w.newline()
        if rules:
            out.write(rules.rstrip("\n") + "\n\n")
        for r in self.extra_rules:
            w.rule(**r)
            w.newline()
        out.write(body)
        if self.defaults:
            w.newline()
            w.default([ninja_path(p) for p in self.defaults])
        return out.getvalue()

    def write(self, path: Union[str, os.PathLike[str]], **render_args: object) -> None:
        self.write_files()
        atomic_write(path, self.render(**render_args))  # type: ignore[arg-type]


def _rule_references(rules: str, extra_rules: Iterable[Mapping[str, object]]) -> tuple[dict[str, set[str]], set[str]]:
    """Rule name -> the variables its bindings refer to; and the variables the rule text refers to elsewhere."""
    refs: dict[str, set[str]] = {}
    outside: set[str] = set()
    block: Optional[set[str]] = None
    for line in rules.split("\n"):
        if line.startswith("rule "):
            block = refs.setdefault(line[5:].strip(), set())
        elif line.startswith(" ") and block is not None:
            block.update(_REFERENCE.findall(line))
        else:
            block = None
            outside.update(_REFERENCE.findall(line))
    for rule in extra_rules:
        refs.setdefault(str(rule["name"]), set()).update(
            name for key, value in rule.items() if key != "name" and isinstance(value, str)
            for name in _REFERENCE.findall(value))
    return refs, outside


#: statements that have one rule and one variables tuple: (rule, variables, how many, the first one's output)
_Group = tuple[str, tuple[tuple[str, str], ...], int, str]


def _variable_groups(edges: Iterable[Edge]) -> list[_Group]:
    """The statements counted by rule and variables, in the order of their first statement.

    The compiles of an extension share one variables tuple (see
    ``CCompiler._compile_edges``), so they are counted by its identity, a
    statement at a time, and the counting below is done once a group.
    """
    groups: dict[tuple[str, int], list] = {}
    for edge in edges:
        key = (edge.rule, id(edge.variables))  # the edges hold the tuples: no id is reused meanwhile
        group = groups.get(key)
        if group is None:
            groups[key] = [edge.rule, edge.variables, 1, edge.outputs[0]]
        else:
            group[2] += 1
    return [tuple(group) for group in groups.values()]  # type: ignore[misc]


def _defaults(groups: Iterable[_Group], refs: Mapping[str, set[str]], reserved: set[str]) -> dict[str, tuple[str, str]]:
    """Statement variable -> (the value written once, as the file's, what it is for errors).

    A variable gets one when at least two of the statements whose rules use
    it have that value, and more than have none: those would then have to say
    so (``args =``).
    """
    counts: dict[tuple[str, str], int] = {}
    where: dict[tuple[str, str], str] = {}
    per_rule: dict[str, int] = {}
    for rule, variables, number, first in groups:
        per_rule[rule] = per_rule.get(rule, 0) + number
        used = refs.get(rule)
        if used:
            for name, value in variables:
                if value and name in used:
                    key = (name, value)
                    if key in counts:
                        counts[key] += number
                    else:
                        counts[key] = number
                        where[key] = f"{name} of {first}"
    using: dict[str, int] = {}  # variable -> the statements whose rules use it
    for rule, count in per_rule.items():
        for name in refs.get(rule, ()):
            using[name] = using.get(name, 0) + count
    valued: dict[str, int] = {}  # variable -> the statements that give it a value
    best: dict[str, tuple[str, int]] = {}
    for (name, value), count in counts.items():
        valued[name] = valued.get(name, 0) + count
        if count > best.get(name, ("", 0))[1]:
            best[name] = (value, count)
    return {name: (value, where[(name, value)]) for name, (value, count) in best.items()
            if name not in reserved and count > 1 and count > using[name] - valued[name]}


def _shared_values(groups: Iterable[_Group], taken: set[str],
                   defaults: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Statement variable values worth writing once: value -> (file variable name, what it is for errors).

    A value is shared when writing it once and referring to it is shorter than
    writing it every time; each is named after the first variable that holds it
    (``args_1``), never a name the rules or the file's variables use.  A value
    that is its variable's default is not written by the statements at all.
    """
    counts: dict[str, int] = {}
    first: dict[str, tuple[str, str]] = {}
    for _, variables, number, output in groups:
        for name, value in variables:
            if value and (name not in defaults or defaults[name][0] != value):
                if value in counts:
                    counts[value] += number
                else:
                    counts[value] = number
                    first[value] = (name, f"{name} of {output}")
    shared: dict[str, tuple[str, str]] = {}
    numbers: dict[str, int] = {}
    for value, count in counts.items():
        name, where = first[value]
        # n statements: n copies of the value, or one in "name_k = value" and n references "$name_k"
        if count < 2 or count * len(value) <= len(value) + (count + 1) * (len(name) + 4):
            continue
        number = numbers.get(name, 0) + 1
        while f"{name}_{number}" in taken:
            number += 1
        numbers[name] = number
        shared[value] = (f"{name}_{number}", where)
    return shared


class _PathSpelling:
    """Paths as a build line writes them, each escaped once (an object is a compile's output and a link's input)."""

    def __init__(self) -> None:
        self.paths: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        text = self.paths.get(path)
        return self.new(path) if text is None else text

    def new(self, path: str) -> str:
        """The spelling of a *path* not spelled before."""
        text = self.paths[path] = ninja_path(path)
        return text


def _body_text(edges: Iterable[Edge], spell: _PathSpelling, shared: Mapping[str, tuple[str, str]],
               defaults: Mapping[str, tuple[str, str]], refs: Mapping[str, set[str]]) -> str:
    """The ``build`` statements, in order.

    A statement of one input and one output (a compile: most of them) is
    written here, its implicit inputs and variables spelled once for all the
    statements that share them; any other by :func:`_edge_text`.
    """
    blocks: dict[tuple, str] = {}
    extras: dict[tuple[str, ...], str] = {}  # implicit inputs -> " | a.h b.h"
    known, new = spell.paths, spell.new
    parts = []
    append = parts.append
    for edge in edges:
        outputs, inputs = edge.outputs, edge.inputs
        if len(outputs) != 1 or len(inputs) != 1 or edge.implicit_outputs or edge.order_only or edge.pool is not None:
            append(_edge_text(edge, spell, blocks, shared, defaults, refs))
            continue
        out, source = outputs[0], inputs[0]
        out = known.get(out) or new(out)
        source = known.get(source) or new(source)
        implicit = edge.implicit
        extra = ""
        if implicit:
            extra = extras.get(implicit)  # type: ignore[assignment]
            if extra is None:
                extra = extras[implicit] = " | " + " ".join(map(spell, implicit))
        key = (edge.rule, edge.variables)
        block = blocks.get(key)
        if block is None:
            block = blocks[key] = _variables_text(edge, shared, defaults, refs.get(edge.rule, set()))
        append(f"build {out}: {edge.rule} {source}{extra}\n{block}")
    return "".join(parts)


def _edge_text(edge: Edge, spell: _PathSpelling, blocks: dict[tuple, str], shared: Mapping[str, tuple[str, str]],
               defaults: Mapping[str, tuple[str, str]], refs: Mapping[str, set[str]]) -> str:
    """One ``build`` statement: its line and its variables (*blocks*: the variables' text, written once each)."""
    # Built by hand: Writer.build() applies its own path escaping, which
    # mangles '$' (see DESIGN.md); ours in quoting.py is the only one.
    known, outputs, inputs = spell.paths, edge.outputs, edge.inputs
    # one output and one input (a compile) is most statements: no lists for them
    outs = (known.get(outputs[0]) or spell(outputs[0]) if len(outputs) == 1
            else " ".join([known.get(p) or spell(p) for p in outputs]))
    if edge.implicit_outputs:
        outs += " | " + " ".join(map(spell, edge.implicit_outputs))
    ins = (f"{edge.rule} {known.get(inputs[0]) or spell(inputs[0])}" if len(inputs) == 1
           else " ".join([edge.rule, *[known.get(p) or spell(p) for p in inputs]]))
    if edge.implicit:
        ins += " | " + " ".join(map(spell, edge.implicit))
    if edge.order_only:
        ins += " || " + " ".join(map(spell, edge.order_only))
    text = f"build {outs}: {ins}\n"
    if edge.pool is not None:
        text += f"  pool = {edge.pool}\n"  # what w.variable(..., indent=1) writes, without its line wrapping
    key = (edge.rule, edge.variables)  # every source of an extension has the same variables
    block = blocks.get(key)
    if block is None:
        block = blocks[key] = _variables_text(edge, shared, defaults, refs.get(edge.rule, set()))
    return text + block if block else text


def _variables_text(edge: Edge, shared: Mapping[str, tuple[str, str]], defaults: Mapping[str, tuple[str, str]],
                    used: set[str]) -> str:
    lines = []
    own = dict(edge.variables)
    for name, value in edge.variables:
        if name in defaults:
            if value == defaults[name][0] or (not value and name not in used):
                continue  # the file's value, or nothing the rule reads
        elif not value:
            continue  # an unset variable expands to nothing, as an empty one does
        ref = shared.get(value)
        text = "$" + ref[0] if ref else ninja_text(value, f"{name} of {edge.outputs[0]}")
        lines.append(f"  {name} = {text}\n" if text else f"  {name} =\n")
    # the rule reads a variable the file has a value for: the statement has none of its own
    lines += [f"  {name} =\n" for name in defaults if name in used and name not in own]
    return "".join(lines)


def forget_build_log(build_dir: str) -> None:
    """Make the next ninja run rebuild everything: ninja reruns what its log does not know."""
    try:
        os.unlink(os.path.join(build_dir, ".ninja_log"))
    except FileNotFoundError:
        pass
