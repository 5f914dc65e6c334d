"""The build graph and its ninja file.

This module is the only user of ``ninja.ninja_syntax``, and it knows nothing of
toolchains: a compiler hands it :class:`Edge` values, its rule text and its
variables.  Every path and value passes through :mod:`ninjagen.quoting` exactly
once, here.  Files are written atomically (:mod:`ninjagen.atomic`): a reader, or ninja,
sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Mapping, Optional, Sequence, Union

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

    # -------------------------------------------------- compile_commands.json
    def compile_commands(self, *, rule_names: Sequence[str], directory: str, rules: str = "",
                         variables: Optional[Mapping[str, str]] = None,
                         build_dir: Optional[str] = None) -> Optional[str]:
        """What ``ninja -t compdb RULE...`` prints for the file :meth:`render` writes, made absolute.

        Takes the arguments given to :meth:`render`.  Each command is the rule's
        ``command`` evaluated as ninja evaluates it: statement variables, then the
        rule's, then the file's; ``$in``/``$out`` quoted by ninja's POSIX shell
        escaping.  One entry a line; ``file`` and ``output`` absolute, relative to
        *directory* (ninja's working folder).  tests/test_compdb_inprocess.py holds
        it equal to ninja's own output.  Returns None for what this does not model
        (ninja on Windows, which quotes for CreateProcess; ``$`` line continuations;
        a path that ninja would canonicalize differently): ask ninja then.
        """
        if os.name == "nt":
            return None
        scope: dict[str, str] = {"ninja_required_version": NINJA_REQUIRED_VERSION}
        if build_dir is not None:
            scope["builddir"] = build_dir
        scope.update(variables or {})
        parsed = _parse_rules(rules, scope)
        if parsed is None:
            return None
        for r in self.extra_rules:
            bindings = {k: _tokens(v) for k, v in r.items() if isinstance(v, str) and k != "name"}
            if None in bindings.values():
                return None
            parsed[r["name"]] = bindings  # type: ignore[assignment]
        wanted = {name: parsed[name] for name in rule_names if name in parsed}
        selected = [(edge, wanted[edge.rule]) for edge in self.edges.values()
                    if edge.rule in wanted and "command" in wanted[edge.rule]
                    and (edge.inputs or edge.implicit or edge.order_only)]  # ninja skips one without inputs
        paths = [p for edge, _ in selected for p in edge.inputs[:1] or edge.implicit[:1] or edge.order_only[:1]]
        paths += [p for edge, _ in selected for p in edge.inputs + edge.outputs]
        compdb = _compdb_plain if _plain_paths(paths) else _compdb_general
        lines = compdb(selected, scope, directory)
        return None if lines is None else "[\n" + ",\n".join(lines) + "\n]\n"

    def write(self, path: Union[str, os.PathLike[str]], **render_args: object) -> None:
        self.write_files()
        atomic_write(path, self.render(**render_args))  # type: ignore[arg-type]


# ------------------------------------------- how ninja evaluates what render() wrote
# (for compile_commands(); tests/test_compdb_inprocess.py checks these against ninja)
_Tokens = list  # [(is_variable, text)]
_EVAL = re.compile(r"\$(?:([$ :])|\{([a-zA-Z0-9_.-]+)\}|([a-zA-Z0-9_-]+))|[^$]+|\$")
_NINJA_SHELL_SAFE = re.compile(r"[A-Za-z0-9_+./-]*")


def _tokens(text: str) -> Optional[_Tokens]:
    """A ninja value (an EvalString) as literal and variable tokens; None for what is not modelled."""
    out: _Tokens = []
    for m in _EVAL.finditer(text):
        escaped, braced, simple = m.groups()
        if escaped is not None:
            out.append((False, escaped))
        elif braced is not None or simple is not None:
            out.append((True, braced or simple))
        elif m.group() == "$":
            return None  # a '$' that ninja rejects or reads as a line continuation
        else:
            out.append((False, m.group()))
    return out


def _parse_rules(text: str, scope: dict[str, str]) -> Optional[dict[str, dict[str, _Tokens]]]:
    """The ``rule`` blocks of a toolchain's rule text; its top-level bindings go into *scope*."""
    rules: dict[str, dict[str, _Tokens]] = {}
    block: Optional[dict[str, _Tokens]] = None
    for line in text.split("\n"):
        body = line.lstrip(" ")
        if not body:
            block = None  # a blank line ends a block, as in ninja
            continue
        if body.startswith("#"):
            continue
        name, eq, value = body.partition("=")
        tokens = _tokens(value.lstrip(" ")) if eq else None
        if line.startswith(" "):
            if block is None or tokens is None:
                return None
            block[name.strip(" ")] = tokens
        elif body.startswith("rule "):
            block = rules[body[5:].strip(" ")] = {}
        elif body.startswith("pool "):
            block = {}  # its depth is no rule binding
        elif tokens is not None and " " not in name.strip(" "):
            block = None
            scope[name.strip(" ")] = _evaluate(tokens, scope)
        else:
            return None  # build, default, include, subninja: not in rule text
    return rules


def _ninja_shell_escape(path: str) -> str:
    """How ninja quotes a path of ``$in``/``$out`` for /bin/sh (GetShellEscapedString)."""
    if _NINJA_SHELL_SAFE.fullmatch(path):
        return path
    return "'" + path.replace("'", "'\\''") + "'"


def _evaluate(tokens: _Tokens, scope: Mapping[str, str]) -> str:
    """*tokens* evaluated in the file's scope."""
    return "".join(scope.get(text, "") if is_variable else text for is_variable, text in tokens)


def _bind(tokens: _Tokens, scope: Mapping[str, str], edge: Edge, rule: dict[str, _Tokens],
          depth: int = 0) -> Optional[_Tokens]:
    """*tokens* evaluated in *edge*'s scope as ninja's EdgeEnv does (the statement's
    variables, then the rule's, then the file's), except ``$in``, ``$in_newline`` and
    ``$out``, which stay variables: statements that differ only in paths share the result."""
    out: _Tokens = []
    for is_variable, text in tokens:
        if is_variable and text not in ("in", "in_newline", "out"):
            value = next((v for k, v in edge.variables if k == text and v), None)
            if value is None and text == "pool":
                value = edge.pool
            if value is None and text in rule:
                bound = _bind(rule[text], scope, edge, rule, depth + 1) if depth < 8 else None
                if bound is None:
                    return None  # a cycle: ninja reports it
                out.extend(bound)
                continue
            is_variable, text = False, scope.get(text, "") if value is None else value
        if not is_variable and out and not out[-1][0]:
            out[-1] = (False, out[-1][1] + text)
        else:
            out.append((is_variable, text))
    return out


def _canonical(path: str) -> bool:
    """Whether ninja's CanonicalizePath leaves *path* as it is, as it does normpath's results but '//x'."""
    if "/." in path or "//" in path or path.startswith(".") or path.endswith("/"):
        return path == os.path.normpath(path) and not path.startswith("//")
    return True


def _absolute(prefix: str, path: str) -> str:
    """normpath(join(directory, path)) for a canonical *path*; *prefix* is the directory and a slash."""
    if path.startswith(("/", "..")) or path == ".":
        return os.path.normpath(os.path.join(prefix, path))
    return prefix + path


def _path_format(tokens: Optional[_Tokens]) -> Optional[str]:
    """What :func:`_bind` left, as a str.format pattern: {0} for ``$in``, {1} for ``$out``, {2} for ``$in_newline``."""
    if tokens is None:
        return None
    fields = {"in": "{0}", "out": "{1}", "in_newline": "{2}"}
    return "".join(fields[text] if is_variable else text.replace("{", "{{").replace("}", "}}")
                   for is_variable, text in tokens)


def _line_format(tokens: Optional[_Tokens], head: str, where: str, encode: Callable[[str], str]) -> Optional[str]:
    """A whole compile_commands.json line as a str.format pattern, for paths that need no escaping:
    {0} ``$in``, {1} ``$out``, {2} ``$in_newline`` (JSON-escaped), {3} the file, {4} the output."""
    pattern = _path_format(tokens)
    if pattern is None:
        return None
    # JSON escaping works character by character and leaves {0} alone: escape the pattern itself
    return f'{head}{encode(pattern)}, "file": "{where}{{3}}", "output": "{where}{{4}}"}}}}'


_PLAIN_PATH_CHARS = re.compile(r"[-A-Za-z0-9_+./\x00]*")


def _compdb_plain(selected: list, scope: Mapping[str, str], directory: str) -> Optional[list[str]]:
    """compile_commands.json lines when no path needs quoting for the shell or for JSON,
    or canonicalizing, and all are relative (the usual case): one str.format a statement."""
    encode = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses
    prefix = directory if directory.endswith("/") else directory + "/"
    head = "{{" + ('"directory": ' + encode(directory) + ', "command": ').replace("{", "{{").replace("}", "}}")
    where = encode(prefix)[1:-1].replace("{", "{{").replace("}", "}}")
    formats: dict[tuple, Optional[str]] = {}  # statements of one extension share their flags
    lines = []
    for edge, rule in selected:
        key = (edge.rule, edge.variables, edge.pool)
        line = formats[key] if key in formats else formats.setdefault(key, _line_format(
            _bind(rule["command"], scope, edge, rule), head, where, encode))
        if line is None:
            return None
        ins = edge.inputs
        file = ins[0] if ins else (edge.implicit + edge.order_only)[0]
        lines.append(line.format(" ".join(ins), " ".join(edge.outputs), "\\n".join(ins), file, edge.outputs[0]))
    return lines


def _compdb_general(selected: list, scope: Mapping[str, str], directory: str) -> Optional[list[str]]:
    """compile_commands.json lines for any paths: quoted, JSON-escaped and made absolute one by one."""
    encode = json.encoder.encode_basestring
    prefix = directory if directory.endswith("/") else directory + "/"
    head = '{"directory": ' + encode(directory) + ', "command": '
    patterns: dict[tuple, Optional[str]] = {}
    lines = []
    for edge, rule in selected:
        inputs = edge.inputs + edge.implicit + edge.order_only
        key = (edge.rule, edge.variables, edge.pool)
        pattern = patterns[key] if key in patterns else patterns.setdefault(key, _path_format(
            _bind(rule["command"], scope, edge, rule)))
        ins, outs = edge.inputs, edge.outputs
        if pattern is None or not all(map(_canonical, ins + outs)) or not _canonical(inputs[0]):
            return None  # a cycle ninja reports, or a path it would canonicalize ('//x')
        in_text = " ".join(map(_ninja_shell_escape, ins))
        in_lines = "\n".join(map(_ninja_shell_escape, ins)) if "{2}" in pattern else ""
        command = pattern.format(in_text, " ".join(map(_ninja_shell_escape, outs)), in_lines)
        file, output = _absolute(prefix, inputs[0]), _absolute(prefix, outs[0])
        lines.append(f'{head}{encode(command)}, "file": {encode(file)}, "output": {encode(output)}}}')
    return lines


def _plain_paths(paths: list[str]) -> bool:
    """Whether every path is relative, canonical, not above the folder, and safe for
    ninja's shell escaping and for JSON as it is (so that none needs any of them)."""
    joined = "\x00".join(paths)
    return (_PLAIN_PATH_CHARS.fullmatch(joined) is not None and joined.count("\x00") == len(paths) - 1
            and "//" not in joined and "/." not in joined and "\x00." not in joined and "\x00/" not in joined
            and "/\x00" not in joined and not joined.startswith((".", "/")) and not joined.endswith("/")
            and "\x00\x00" not in joined and not joined.startswith("\x00") and not joined.endswith("\x00"))

def forget_build_log(build_dir: str) -> None:
    """Make the next ninja run rebuild everything: ninja reruns what its log does not know."""
    try:
        os.unlink(os.path.join(build_dir, ".ninja_log"))
    except FileNotFoundError:
        pass
