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
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Optional, Sequence, Union

from ninja import ninja_syntax

from .atomic import atomic_write
from .errors import ConfigError
from .quoting import host_join, ninja_path, ninja_text

__all__ = ["Edge", "BuildGraph", "atomic_write", "forget_build_log", "NINJA_REQUIRED_VERSION"]

NINJA_REQUIRED_VERSION = "1.10"
_NO_WRAP = 1 << 30  # ninja_syntax's line wrapping is not worth its escaping corner cases


def _norm(path: str) -> str:
    return os.path.normpath(path)


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
        norm = os.path.normpath  # map() over it: ten thousand sources make this a hot spot
        return cls(
            outputs=(norm(outputs),) if isinstance(outputs, str) else tuple(map(norm, outputs)),
            rule=rule,
            inputs=tuple(map(norm, inputs)) if inputs else (),
            implicit=tuple(dict.fromkeys(map(norm, implicit))) if implicit else (),
            order_only=tuple(map(norm, order_only)) if order_only else (),
            implicit_outputs=tuple(map(norm, implicit_outputs)) if implicit_outputs else (),
            variables=tuple((variables or {}).items()),
            pool=pool,
        )

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
        """The whole ninja file as text."""
        out = io.StringIO()
        w = ninja_syntax.Writer(out, width=_NO_WRAP)
        if header:
            for line in header.splitlines():
                w.comment(line)
            w.newline()
        w.variable("ninja_required_version", NINJA_REQUIRED_VERSION)
        if build_dir is not None:
            w.variable("builddir", ninja_path(build_dir))
        for name, value in (variables or {}).items():
            w.variable(name, ninja_text(value, f"variable {name}"))
        w.newline()
        for name, depth in self.pools.items():
            w.pool(name, depth)
            w.newline()
        if rules:
            out.write(rules.rstrip("\n") + "\n\n")
        for r in self.extra_rules:
            w.rule(**r)
            w.newline()
        texts: dict[str, str] = {}  # variable values repeat for every source of an extension: escape once
        for edge in self.edges.values():
            self._write_edge(w, edge, texts)
        if self.defaults:
            w.newline()
            w.default([ninja_path(p) for p in self.defaults])
        return out.getvalue()

    @staticmethod
    def _write_edge(w: ninja_syntax.Writer, edge: Edge, texts: Optional[dict[str, str]] = None) -> None:
        # Built by hand: Writer.build() applies its own path escaping, which
        # mangles '$' (see DESIGN.md); ours in quoting.py is the only one.
        outs = [*map(ninja_path, edge.outputs)]
        if edge.implicit_outputs:
            outs += ["|", *map(ninja_path, edge.implicit_outputs)]
        ins = [edge.rule, *map(ninja_path, edge.inputs)]
        if edge.implicit:
            ins += ["|", *map(ninja_path, edge.implicit)]
        if edge.order_only:
            ins += ["||", *map(ninja_path, edge.order_only)]
        w.output.write(f"build {' '.join(outs)}: {' '.join(ins)}\n")
        if edge.pool is not None:
            w.variable("pool", edge.pool, indent=1)
        texts = {} if texts is None else texts
        for name, value in edge.variables:
            if value:  # an unset variable expands to nothing, as an empty one does
                text = texts.get(value)
                if text is None:
                    text = texts[value] = ninja_text(value, f"{name} of {edge.outputs[0]}")
                # what w.variable(..., indent=1) writes, without its line-wrapping machinery
                w.output.write(f"  {name} = {text}\n")

    def write(self, path: Union[str, os.PathLike[str]], **render_args: object) -> None:
        self.write_files()
        atomic_write(path, self.render(**render_args))  # type: ignore[arg-type]


def forget_build_log(build_dir: str) -> None:
    """Make the next ninja run rebuild everything: ninja reruns what its log does not know."""
    try:
        os.unlink(os.path.join(build_dir, ".ninja_log"))
    except FileNotFoundError:
        pass
