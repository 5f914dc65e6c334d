"""``ninjagen explain``: why the next build would rebuild something, in plain words.

Ninja knows why it would run a step: ``ninja -d explain -n`` prints a
``ninja explain:`` line for each reason it finds, and runs nothing.  This
module runs that in the project folder, reads the lines (:func:`parse_explain`)
and says each *root cause* once (:func:`describe`): an input that changed, a
command that changed, an output that is missing, a record that is not there.
The steps that follow from a cause (the compiles after a changed header, then
the links) are counted, not listed, and named by the extension modules they
end in, from the build state.

The wording is the same from ninja 1.10 to 1.13 (``src/graph.cc``,
``src/dyndep.cc``) but for this: 1.10 and 1.11 say ``restat of output X older
than ...`` for a ``restat`` rule; 1.13 prints a step's lines just before the
step, and only for steps that run, so a deleted source or header shows only as
``X is dirty`` (1.10-1.12 also say ``X has no in-edge and is missing``) and a
phony step's reasons (a deleted ``pyproject.toml``) not at all.  What follows
from what comes from ``ninja -t query``, asked only about the files ninja named
and the steps after them, and for a header that is gone from ``ninja -t deps``.

Nothing is changed: every ninja run here is a dry run (``-n``, which also
keeps ninja's tools from opening its logs for writing, and so from compacting
them), and build.ninja is not written.  When ninja would write build.ninja
again first, that is said, and then what the current file says, from a ninja
given build.ninja by its absolute path: it does not take that for its own
manifest, so it does not regenerate it.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Sequence

from .build_layout import TAG_PATTERN
from .errors import ConfigError, NinjagenError
from .ninja_graph import QUERY_CHARS, count_of, kind_of, parse_query
from .ninja_graph import GraphNode as Node
from .process import argument_chunks
from .runner import run_ninja
from .state import BUILD_NINJA, COMPILE_COMMANDS, read_state

__all__ = ["Explanation", "Description", "Fact", "Node", "Graph", "NinjaGraph", "explain", "parse_explain",
           "parse_query", "describe", "PREFIX"]

PREFIX = "ninja explain: "
NAMED = 3
"""How many files or modules a sentence names before it says "and N more"."""
_STATUS = "[%f/%t] "
_STATUS_LINE = re.compile(r"^\[\d+/(\d+)\] ", re.M)
_TIMES = r" \(-?\d+ vs -?\d+\)"
#: ninja's wordings, most specific first: EXPLAIN() in 1.10-1.12, explanations_.Record() in 1.13
_WORDINGS = [(kind, re.compile(pattern + "$")) for kind, pattern in (
    ("gone", r"output (?P<subject>.+) of phony edge with no inputs doesn't exist"),
    ("missing", r"output (?P<subject>.+) doesn't exist"),
    ("older", r"(?:restat of )?output (?P<subject>.+) older than most recent input (?P<other>.+)" + _TIMES),
    ("recorded", r"recorded mtime of (?P<subject>.+) older than most recent input (?P<other>.+)" + _TIMES),
    ("command", r"command line changed for (?P<subject>.+)"),
    ("no_record", r"command line not found in log for (?P<subject>.+)"),
    ("no_deps", r"deps for '(?P<subject>.+)' are missing"),
    ("stale_deps", r"stored deps info out of date for '(?P<subject>.+)'" + _TIMES),
    ("no_depfile", r"depfile '(?P<subject>.+)' is missing"),
    ("depfile_names", r"expected depfile '(?P<other>.+)' to mention '(?P<subject>.+)', got '(?P<detail>.*)'"),
    ("gone", r"(?P<subject>.+) has no in-edge and is missing"),
    ("dirty", r"(?P<subject>.+) is dirty"),
    ("dyndep", r"loading dyndep file '(?P<subject>.+)'"),
)]
#: kinds of steps (ninja_graph.kind_of), in build order, with their nouns (as the summary line's)
#: the kinds of step in build order, as a sentence counts them
_BUILD_ORDER = ("cython", "swig", "compile", "archive", "link", "other", "regenerate")
_GROUP_ORDER = ("older", "recorded", "settings", "command", "missing", "gone", "no_record", "no_deps", "stale_deps",
                "no_depfile", "depfile_names", "other")
_REGENERATES = "ninja writes build.ninja again first (ninjagen configure), then decides what to rebuild"
_COMMAND_NOTE = ("(ninja keeps only a hash of each step's last command, so which words changed is not known; "
                 "the commands now: compile_commands.json, ninja -t commands)")


@dataclass(frozen=True)
class Fact:
    """One ``ninja explain:`` line, read."""

    kind: str
    """older, recorded, command, no_record, missing, no_deps, stale_deps, no_depfile, depfile_names, gone,
    dirty, dyndep; other for a wording not known here (then *subject* is the whole text)."""
    subject: str
    """The file the line is about: the output; the input for dirty and gone; the depfile for no_depfile."""
    other: str = ""
    """The newer input (older, recorded); the depfile (depfile_names)."""
    detail: str = ""
    """What the depfile names instead (depfile_names)."""


def parse_explain(lines: Iterable[str]) -> list[Fact]:
    """The ``ninja explain:`` lines among *lines*, read; other lines are left out."""
    facts = []
    for line in lines:
        if not line.startswith(PREFIX):
            continue
        text = line[len(PREFIX):].rstrip("\r\n")
        for kind, pattern in _WORDINGS:
            match = pattern.match(text)
            if match:
                found = match.groupdict()
                facts.append(Fact(kind, found["subject"], found.get("other") or "", found.get("detail") or ""))
                break
        else:
            facts.append(Fact("other", text))
    return facts


class Graph:
    """What explain knows of the build graph and of the files on disk.

    This one holds what it is given (the tests' graphs); :class:`NinjaGraph`
    asks ninja and looks at the disk.
    """

    def __init__(self, nodes: Optional[Mapping[str, Node]] = None, files: Iterable[str] = (),
                 users: Optional[Mapping[str, Sequence[str]]] = None,
                 earlier: Optional[Mapping[str, str]] = None) -> None:
        self.nodes: dict[str, Node] = dict(nodes or {})
        self.files = set(files)
        self.users = {k: tuple(v) for k, v in (users or {}).items()}
        self.earlier = dict(earlier or {})

    def load(self, paths: Iterable[str]) -> None:
        """Learn about *paths* before :meth:`node` is asked (a real graph asks ninja once for many)."""

    def node(self, path: str) -> Node:
        return self.nodes.get(path, Node())

    def exists(self, path: str) -> bool:
        return path in self.files

    def users_of(self, path: str) -> tuple[str, ...]:
        """The outputs whose recorded headers (ninja's deps log) include *path*."""
        return self.users.get(path, ())

    def earlier_object(self, path: str) -> Optional[str]:
        """The object of the same source compiled with other settings, when that is all that is left of it."""
        return self.earlier.get(path)


def _key(path: str) -> str:
    """*path* spelt as ninja prints a node (forward slashes, canonical)."""
    return posixpath.normpath(path.replace("\\", "/"))


def _ninja_error(proc) -> str:
    lines = [line.strip() for part in (proc.stderr, proc.stdout) if part for line in part.splitlines()]
    for line in lines:
        if line.startswith("ninja: error: "):
            return line[len("ninja: error: "):]
    texts = [line for line in lines if line and not line.startswith(PREFIX)]
    return texts[-1] if texts else f"ninja exited with status {proc.returncode}"


class NinjaGraph(Graph):
    """The graph of the project's build.ninja, asked of ninja as needed; the files, from the disk.

    Every ninja run is a dry run (``-n``).  *aliases* are phony names known
    without asking (the extensions' names, ``all``), which end a walk.
    """

    def __init__(self, root: str, build_dir: str = ".", aliases: Iterable[str] = ()) -> None:
        super().__init__({name: Node("phony") for name in aliases})
        self.root = root
        self.build_dir = build_dir
        self._users: Optional[dict[str, list[str]]] = None
        self._outputs: Optional[set[str]] = None

    def _ninja(self, *args: str) -> str:
        proc = run_ninja(["-n", *args], cwd=self.root, capture=True)
        if proc.returncode != 0:
            raise NinjagenError(f"ninja {' '.join(args[:2])}: {_ninja_error(proc)}")
        return proc.stdout

    def load(self, paths: Iterable[str]) -> None:
        todo = [p for p in dict.fromkeys(paths) if p not in self.nodes]
        for chunk in argument_chunks(todo, QUERY_CHARS):
            self.nodes.update(parse_query(self._ninja("-t", "query", *chunk)))

    def canonical(self, targets: Sequence[str]) -> list[str]:
        """*targets* (extension names, paths, ``src/a.c^``) as ninja names them."""
        found = parse_query(self._ninja("-t", "query", *targets))
        for path, node in found.items():
            self.nodes.setdefault(path, node)
        return list(found)

    def exists(self, path: str) -> bool:
        return os.path.lexists(os.path.join(self.root, path))

    def users_of(self, path: str) -> tuple[str, ...]:
        if self._users is None:
            self._users = {}
            output = None
            for line in self._ninja("-t", "deps").splitlines():
                if line.startswith("    ") and output is not None:
                    self._users.setdefault(line[4:], []).append(output)
                elif line and not line.startswith(" "):
                    output = line.rsplit(": #deps ", 1)[0] if ": #deps " in line else None
        return tuple(self._users.get(path, ()))

    def earlier_object(self, path: str) -> Optional[str]:
        # ninjagen's layout: an object's name holds a tag of its compile settings (defines, include
        # folders, extra compile arguments): <build>/src/a.<tag>.o (build_layout.ObjectTags)
        build = "" if self.build_dir in ("", ".") else _key(self.build_dir) + "/"
        match = re.fullmatch(re.escape(build) + r"(.+/)?([^/]+)\." + TAG_PATTERN + r"(\.[^./]+)", path)
        if not match:
            return None
        folder, stem, suffix = match.group(1) or "", match.group(2), match.group(3)
        same_source = re.compile(re.escape(stem) + r"\." + TAG_PATTERN + re.escape(suffix))
        try:
            names = os.listdir(os.path.join(self.root, build + folder))
        except OSError:
            return None
        own = path[len(build + folder):]
        found = [build + folder + name for name in names if name != own and same_source.fullmatch(name)]
        if found and self._outputs is None:
            self._outputs = {line.rsplit(": ", 1)[0] for line in self._ninja("-t", "targets", "all").splitlines()}
        found = [f for f in found if f not in (self._outputs or ())]  # not another module's object
        return max(found, key=lambda f: os.stat(os.path.join(self.root, f)).st_mtime_ns) if found else None


class _Steps:
    """What follows from each file: the steps after it, and whether the build wants them."""

    def __init__(self, graph: Graph, targets: Optional[Iterable[str]]) -> None:
        self.graph = graph
        self.targets = None if targets is None else set(targets)
        self.extra: dict[str, tuple[str, ...]] = {}
        self._seen: set[str] = set()
        self._after: dict[str, frozenset[str]] = {}
        self._needed: dict[str, bool] = {}

    def dependents(self, path: str) -> tuple[str, ...]:
        return self.graph.node(path).dependents + self.extra.get(path, ())

    def explore(self, starts: Iterable[str]) -> None:
        """Ask the graph about *starts* and all that comes after them, a level at a time."""
        frontier = [p for p in dict.fromkeys(starts) if p not in self._seen]
        while frontier:
            self.graph.load(frontier)
            self._seen.update(frontier)
            frontier = [d for d in dict.fromkeys(d for p in frontier for d in self.dependents(p))
                        if d not in self._seen]

    def after(self, path: str) -> frozenset[str]:
        """Every file that follows from *path*."""
        if path not in self._after:
            self._after[path] = frozenset()  # a cycle would be ninja's error, not a hang here
            found: set[str] = set()
            for d in self.dependents(path):
                found.add(d)
                found |= self.after(d)
            self._after[path] = frozenset(found)
        return self._after[path]

    def needed(self, path: str) -> bool:
        """Whether the build asked for wants *path* (everything, without targets)."""
        if self.targets is None:
            return True
        if path not in self._needed:
            self._needed[path] = False
            self._needed[path] = path in self.targets or any(self.needed(d) for d in self.dependents(path))
        return self._needed[path]

    def is_step(self, path: str) -> bool:
        return self.graph.node(path).rule not in (None, "phony") and self.needed(path)

    def kind(self, path: str) -> str:
        return kind_of(self.graph.node(path).rule)


def _names(items: Sequence[str], limit: int = NAMED) -> str:
    """"a", "a and b", "a, b and c", "a, b, c and 4 more"."""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _natural(text: str) -> list:
    """A sort key that puts m2 before m10."""
    return [(int(part), "") if part.isdigit() else (0, part) for part in re.split(r"(\d+)", text)]


def _counts(paths: Iterable[str], steps: _Steps, name_single: bool = False) -> list[str]:
    """'2 compiles', 'the link of X', ... in build order."""
    by_kind: dict[str, list[str]] = {}
    for path in sorted(paths):
        by_kind.setdefault(steps.kind(path), []).append(path)
    parts = []
    for kind in _BUILD_ORDER:
        found = by_kind.get(kind, [])
        if len(found) == 1 and name_single and kind in ("link", "archive"):
            parts.append(f"the link of {found[0]}" if kind == "link" else f"the archive {found[0]}")
        elif found:
            parts.append(count_of(len(found), kind))
    return parts


@dataclass(frozen=True)
class _Cause:
    kind: str
    subject: str
    other: str = ""
    detail: str = ""


def _source(graph: Graph, path: str) -> str:
    inputs = graph.node(path).inputs
    return inputs[0] if inputs else path


def _reason(kind: str, causes: Sequence[_Cause], graph: Graph, steps: _Steps) -> str:
    """Why, in words, for causes of one *kind* grouped together."""
    subjects = sorted((c.subject for c in causes), key=lambda s: (_natural(_source(graph, s)), _natural(s)))
    one, n, other = subjects[0], len(subjects), causes[0].other
    named = _names(subjects)
    if kind == "older":
        return f"{other} changed since {one} was built" if n == 1 else f"{other} changed"
    if kind == "recorded":
        if n == 1:
            return (f"{other} changed after ninja's last build of {one} began (edited while it ran, "
                    f"or {one} was written since by something other than ninja)")
        return (f"{other} changed after ninja's last builds of {n} outputs began (edited while they ran, "
                f"or they were written since by something other than ninja): {named}")
    if kind == "command":
        step = steps.kind(one)
        what = {"compile": " (flags, compiler or launcher)", "link": " (flags, libraries or linker)",
                "archive": " (the archiver or its options)"}.get(step, "")
        noun = {"cython": "Cython", "swig": "SWIG", "other": "build"}.get(step, step)
        if step in ("compile", "cython", "swig"):
            sources = [_source(graph, s) for s in subjects]
            if n == 1:
                return f"the {noun} command of {sources[0]} changed{what}"
            return f"the {noun} commands of {n} sources changed{what}: {_names(sources)}"
        if n == 1:
            return f"the {noun} command of {one} changed{what}"
        return f"the {noun} commands of {n} outputs changed{what}: {named}"
    if kind == "settings":
        sources = [_source(graph, s) for s in subjects]
        why = "(defines, include folders or extra compile arguments)"
        if n == 1:
            return (f"the compile settings of {sources[0]} changed {why}, so it compiles to a new object, {one} "
                    f"(before: {other})")
        return f"the compile settings of {n} sources changed {why}: {_names(sources)}"
    if kind == "missing":
        if n == 1:
            return f"{one} does not exist (never built, or deleted)"
        return f"{n} outputs do not exist (never built, or deleted): {named}"
    if kind == "no_record":
        if n == 1:
            return f"no build record for {one}: it was built by another tool or the log was removed"
        return f"no build record for {n} outputs ({named}): they were built by another tool or the log was removed"
    if kind == "no_deps":
        if n == 1:
            return f"no record of the headers {one} was built with: ninja's deps log was removed, or another tool built it"
        return (f"no record of the headers {n} outputs were built with ({named}): ninja's deps log was removed, "
                "or another tool built them")
    if kind == "stale_deps":
        if n == 1:
            return (f"{one} is newer than ninja's record of its headers: another tool wrote it, "
                    "or its last build was interrupted")
        return (f"{n} outputs are newer than ninja's record of their headers ({named}): another tool wrote them, "
                "or their last build was interrupted")
    if kind == "no_depfile":
        if n == 1:
            return f"the depfile {one} is missing (never built, or deleted)"
        return f"{n} depfiles are missing (never built, or deleted): {named}"
    if kind == "depfile_names":
        return f"the depfile {other} names {causes[0].detail}, not {one}"
    if kind == "gone":
        return f"{one} is gone (deleted or moved, and no step makes it)"
    return f"ninja says: {one}"


def _regeneration_reason(cause: _Cause, graph: Graph, steps: _Steps) -> str:
    if cause.kind == "older":
        return f"{cause.subject} is older than {cause.other}"
    if cause.kind == "recorded":
        return f"{cause.other} changed after ninja last wrote {cause.subject}"
    if cause.kind == "missing":
        return f"{cause.subject} does not exist"
    if cause.kind == "gone":
        return f"{cause.subject} is gone"
    return _reason(cause.kind, [cause], graph, steps)


def _causes(facts: Sequence[Fact], graph: Graph, steps: _Steps) -> list[_Cause]:
    """The root causes among *facts*, each file once, in ninja's order; a missing source or header too."""
    causes: dict[str, _Cause] = {}
    dirty: list[str] = []
    for fact in facts:
        if fact.kind == "dirty":
            dirty.append(fact.subject)
        elif fact.kind != "dyndep" and fact.subject not in causes:
            causes[fact.subject] = _Cause(fact.kind, fact.subject, fact.other, fact.detail)
    for subject, cause in list(causes.items()):
        if cause.kind == "no_deps" and not graph.exists(subject):  # never built (else ninja would have its deps)
            earlier = graph.earlier_object(subject)
            causes[subject] = _Cause("settings", subject, earlier) if earlier else _Cause("missing", subject)
        if causes[subject].kind == "gone":
            steps.extra[subject] = graph.users_of(subject)
    steps.explore(s for s, c in causes.items() if c.kind not in ("no_depfile", "other"))
    # 1.13 names a deleted source or header only as "X is dirty": one that nothing explains
    explained = set(causes).union(*(steps.after(s) for s in causes))
    for subject in dict.fromkeys(dirty):
        if subject in explained:
            continue
        graph.load([subject])
        if graph.node(subject).rule in (None, "phony") and not graph.exists(subject):
            causes[subject] = _Cause("gone", subject)
            steps.extra[subject] = graph.users_of(subject)
            steps.explore([subject])
            explained |= {subject} | steps.after(subject)
    return list(causes.values())


@dataclass(frozen=True)
class Description:
    """What :func:`describe` says."""

    regeneration: list[str]
    """Why build.ninja would be written again first; empty when it would not."""
    lines: list[str]
    """Why each step would run, a root cause a line; ``nothing to rebuild`` when none would."""


def describe(facts: Sequence[Fact], graph: Graph, extensions: Optional[Mapping[str, str]] = None,
             targets: Optional[Iterable[str]] = None, planned: Optional[int] = None) -> Description:
    """Sentences for *facts* (one ``ninja -d explain -n`` run), a root cause a line.

    *extensions* maps a module's output (as ninja names it) to its name;
    *targets* are the files the build asks for, as ninja names them (None:
    everything); *planned* is how many steps ninja said it would run.
    """
    steps = _Steps(graph, targets)
    regeneration: list[str] = []
    groups: dict[tuple, list[_Cause]] = {}
    for cause in _causes(facts, graph, steps):
        if cause.subject in (BUILD_NINJA, COMPILE_COMMANDS) or BUILD_NINJA in steps.after(cause.subject):
            regeneration.append(f"{_regeneration_reason(cause, graph, steps)}: {_REGENERATES}")
        elif cause.kind in ("older", "recorded"):
            groups.setdefault((cause.kind, cause.other), []).append(cause)
        elif cause.kind == "command":
            groups.setdefault((cause.kind, steps.kind(cause.subject)), []).append(cause)
        elif cause.kind in ("depfile_names", "gone", "other"):
            groups.setdefault((cause.kind, cause.subject), []).append(cause)
        else:
            groups.setdefault((cause.kind,), []).append(cause)
    lines, wanted = [], set()
    for key in sorted(groups, key=lambda key: (_GROUP_ORDER.index(key[0]), key)):
        lines.append(_line(key[0], groups[key], graph, steps, extensions or {}, wanted))
    if any(kind == "command" for kind, *_ in groups):
        lines.append(_COMMAND_NOTE)
    if not groups and not regeneration and planned:
        lines.append(f"ninja would run {count_of(planned, 'step')} and gave no reason known here (see --verbose)")
    elif len(groups) > 1 and planned:
        kinds = _counts(wanted, steps) if len(wanted) == planned else []
        lines.append(f"in all: {count_of(planned, 'step')}" + (f" ({', '.join(kinds)})" if kinds else ""))
    return Description(regeneration, lines or ["nothing to rebuild"])


def _line(kind: str, group: Sequence[_Cause], graph: Graph, steps: _Steps, extensions: Mapping[str, str],
          wanted: set[str]) -> str:
    """The sentence for one group of causes: why, then the steps that follow; adds those steps to *wanted*."""
    roots = [c.subject for c in group if steps.is_step(c.subject)]
    following = set().union(*(steps.after(c.subject) for c in group)) - set(roots)
    later = [p for p in following if steps.is_step(p)]
    wanted |= set(roots) | set(later)
    modules = sorted({extensions[p] for p in set(roots) | following if p in extensions and steps.needed(p)},
                     key=_natural)
    parts = ([", ".join(_counts(roots, steps))] if roots else []) + _counts(later, steps, name_single=True)
    line = _reason(kind, group, graph, steps) + (": " + ", then ".join(parts) if parts else "")
    if len(modules) == 1:
        return f"{modules[0]}: {line}"
    return line + (f" ({_names(modules)})" if modules and parts else "")


@dataclass(frozen=True)
class _Run:
    facts: list[Fact]
    planned: int
    raw: list[str]


def _dry_run(root: str, targets: Sequence[str], manifest: Optional[str] = None) -> _Run:
    """``ninja -d explain -n``: what ninja would do, and why."""
    args = (["-f", manifest] if manifest else []) + ["-d", "explain", "-n", *targets]
    proc = run_ninja(args, cwd=root, capture=True, env={**os.environ, "NINJA_STATUS": _STATUS})
    if proc.returncode != 0:
        raise NinjagenError(_ninja_error(proc))
    raw = [line for line in proc.stderr.splitlines() if line.strip()]
    planned = max((int(m.group(1)) for m in _STATUS_LINE.finditer(proc.stdout)), default=0)
    return _Run(parse_explain(raw), planned, raw)


def _warnings(run: _Run) -> list[str]:
    """ninja's warnings, which may say why (``build log version is too old; starting over``)."""
    return [line for line in run.raw if line.startswith("ninja: warning: ")]


@dataclass(frozen=True)
class Explanation:
    """What ``ninjagen explain`` says."""

    lines: list[str]
    """Why the next build would run what it would, a sentence a line."""
    regenerates: bool
    """Whether build.ninja would be written again first."""
    planned: int
    """How many steps ninja would run with the current build.ninja."""
    raw: list[str] = field(default_factory=list)
    """What ninja printed on stderr: its ``ninja explain:`` lines, its warnings."""

    def text(self, verbose: bool = False) -> str:
        extra = ["", "ninja -d explain -n said:", *("  " + line for line in self.raw)] if verbose and self.raw else []
        return "\n".join(self.lines + extra)


def explain(project_dir: str = ".", targets: Sequence[str] = ()) -> Explanation:
    """Why the next build of *targets* (extension names or files; default everything) would run what it would."""
    root = os.path.abspath(project_dir)
    if not os.path.isdir(root):
        raise ConfigError(f"project folder {project_dir} does not exist")
    if not os.path.isfile(os.path.join(root, BUILD_NINJA)):
        raise NinjagenError(f"no {BUILD_NINJA} in {root}: configure first (ninjagen configure, or ninjagen build)")
    state = read_state(root)
    records = state.extensions if state else []
    extensions = {_key(e["output"]): e["name"] for e in records}
    graph = NinjaGraph(root, state.build_dir if state else ".", [*(e["name"] for e in records), "all"])
    first = _dry_run(root, targets)
    wanted = graph.canonical(targets) if targets else None
    said = describe(first.facts, graph, extensions, wanted, first.planned)
    if said.regeneration:
        head = said.regeneration
    elif state is None:
        head = [f"{BUILD_NINJA} has no readable ninjagen state: ninjagen build configures again first, "
                "then ninja decides what to rebuild"]
    else:
        reason = state.stale_reason()
        head = [f"{reason}: ninjagen build configures again first, then ninja decides what to rebuild"] if reason else []
    if not head:
        return Explanation(said.lines + _warnings(first), False, first.planned, first.raw)
    regenerates, plan = bool(said.regeneration), first
    if regenerates:  # what the current file says, read by a ninja that does not regenerate it
        plan = _dry_run(root, targets, manifest=os.path.join(root, BUILD_NINJA))
        said = describe(plan.facts, graph, extensions, wanted, plan.planned)
    lines = head + ["what the current build.ninja says (decided again once it is written):"]
    lines += ["  " + line for line in said.lines] + _warnings(first) + (_warnings(plan) if regenerates else [])
    return Explanation(lines, regenerates, plan.planned, first.raw + (plan.raw if regenerates else []))
