"""compile_commands.json from the build graph.

The file is what ``ninja -t compdb RULE...`` prints for the build.ninja that
:meth:`BuildGraph.render <ninjagen.graph.BuildGraph.render>` writes, with
``file`` and ``output`` made absolute, one entry a line.  One rule:
:func:`compile_commands` always returns that text.  It evaluates ninja's
variables in process (:func:`evaluate`: no process, fast on ten thousand
sources), and where that evaluation does not model the file, it asks ninja
itself (:func:`by_ninja`).  tests/test_compdb_inprocess.py holds the two equal.
"""

from __future__ import annotations

import json
import os
import re
from string import Formatter
from typing import Callable, Mapping, Optional, Sequence

from .errors import NinjagenError
from .graph import NINJA_REQUIRED_VERSION, BuildGraph, Edge
from .runner import run_ninja

__all__ = ["compile_commands", "evaluate", "by_ninja"]


def compile_commands(graph: BuildGraph, text: str, *, rule_names: Sequence[str], rules: str = "",
                     variables: Optional[Mapping[str, str]] = None, build_dir: str) -> str:
    """compile_commands.json for *graph*, whose rendered build.ninja is *text*, seen from the working folder.

    *rules*, *variables* and *build_dir* are what was given to ``graph.render``;
    *rule_names* are the compile rules.  Evaluated in process when that models
    the file, else by ninja (a scratch copy of *text* in *build_dir*).
    """
    compdb = evaluate(graph, rule_names=rule_names, directory=os.getcwd(), rules=rules, variables=variables,
                      build_dir=build_dir)
    return compdb if compdb is not None else by_ninja(text, rule_names, build_dir)


def evaluate(graph: BuildGraph, *, rule_names: Sequence[str], directory: str, rules: str = "",
             variables: Optional[Mapping[str, str]] = None, build_dir: Optional[str] = None) -> Optional[str]:
    """What ``ninja -t compdb RULE...`` prints for *graph* rendered with *rules*, *variables* and *build_dir*.

    Each command is the rule's ``command`` evaluated as ninja evaluates it:
    statement variables, then the rule's, then the file's; ``$in``/``$out``
    quoted by ninja's POSIX shell escaping.  ``file`` and ``output`` are
    absolute, relative to *directory* (ninja's working folder).  None for what
    this does not model (ninja on Windows, which quotes for CreateProcess; ``$``
    line continuations; a path that ninja would canonicalize differently).
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
    for r in graph.extra_rules:
        bindings = {k: _tokens(v) for k, v in r.items() if isinstance(v, str) and k != "name"}
        if None in bindings.values():
            return None
        parsed[r["name"]] = bindings  # type: ignore[assignment]
    wanted = {name: parsed[name] for name in rule_names if name in parsed}
    selected = [(edge, wanted[edge.rule]) for edge in graph.edges.values()
                if edge.rule in wanted and "command" in wanted[edge.rule]
                and (edge.inputs or edge.implicit or edge.order_only)]  # ninja skips one without inputs
    paths = [p for edge, _ in selected for p in edge.inputs[:1] or edge.implicit[:1] or edge.order_only[:1]]
    paths += [p for edge, _ in selected for p in edge.inputs + edge.outputs]
    compdb = _compdb_plain if _plain_paths(paths) else _compdb_general
    lines = compdb(selected, scope, directory)
    if lines is None:
        return None
    if not lines:
        return "[\n\n]\n"
    lines[0] = "[\n" + lines[0]  # one join, not three copies of a text that is 3 MB on 10,000 sources
    lines[-1] += "\n]\n"
    return ",\n".join(lines)


# ------------------------------------------- how ninja evaluates what render() wrote
# (for evaluate(); tests/test_compdb_inprocess.py checks these against ninja)
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
    compiles: dict[str, tuple[list[str], tuple[int, ...], tuple[int, ...]]] = {}
    lines = []
    append, join = lines.append, "".join
    for edge, rule in selected:
        key = (edge.rule, edge.variables, edge.pool)
        line = formats.get(key, False)
        if line is False:
            line = formats[key] = _line_format(_bind(rule["command"], scope, edge, rule), head, where, encode)
        if line is None:
            return None
        ins, outs = edge.inputs, edge.outputs
        if len(ins) == 1 and len(outs) == 1:  # a compile: one source, one object
            pieces = compiles.get(line)
            if pieces is None:
                pieces = compiles[line] = _pieces(line)
            parts, source_at, object_at = pieces
            for at in source_at:
                parts[at] = ins[0]
            for at in object_at:
                parts[at] = outs[0]
            append(join(parts))
            continue
        file = ins[0] if ins else (edge.implicit + edge.order_only)[0]
        append(line.format(" ".join(ins), " ".join(outs), "\\n".join(ins), file, outs[0]))
    return lines


def _pieces(line: str) -> tuple[list[str], tuple[int, ...], tuple[int, ...]]:
    """A :func:`_line_format` pattern for one source and one object, as its literal pieces with a slot for
    each field, and the slots of the source ({0}, {2}, {3}) and of the object ({1}, {4}): a line is then
    the pieces joined once the slots are filled (str.format would parse the pattern again for every line)."""
    parts: list[str] = []
    sources: list[int] = []
    objects: list[int] = []
    for literal, field, _, _ in Formatter().parse(line):
        parts.append(literal)
        if field is not None:
            (objects if field in ("1", "4") else sources).append(len(parts))
            parts.append("")
    return parts, tuple(sources), tuple(objects)


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


def by_ninja(text: str, rule_names: Sequence[str], build_dir: str) -> str:
    """compile_commands.json as ninja itself prints it for *text*, run from the working folder."""
    import tempfile  # here: the in-process evaluation is the usual way

    fd, scratch = tempfile.mkstemp(prefix=".compdb-", suffix=".ninja", dir=build_dir)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    try:
        proc = run_ninja(["-f", scratch, "-t", "compdb", *rule_names], cwd=".", capture=True)
    finally:
        os.unlink(scratch)
    if proc.returncode != 0:
        raise NinjagenError(f"ninja rejected the generated file: {proc.stderr.strip() or proc.stdout.strip()}")
    entries = json.loads(proc.stdout)
    for entry in entries:
        for key in ("file", "output"):
            if key in entry:
                entry[key] = os.path.normpath(os.path.join(entry["directory"], entry[key]))
    # one entry a line: readable, and json's fast encoder (indent= makes it slow)
    return "[\n" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n]\n"
