"""The editable loader's freshness check: a record of what ninja looked at, written after each successful
build, that lets an import with nothing changed skip ninja.

These run the finder in this process on real builds with the real ninja: what the
record holds, what fails the check, and what keeps a record from being written.
tests/test_editable_fresh_property.py checks the check against ninja's own dry run
on random edits.
"""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import configure, ninja, planned, touch, write

from ninjagen import _editable
from ninjagen.runner import ninja_binary


def _finder(project: Path, **options) -> _editable.NinjagenEditableFinder:
    return _editable.NinjagenEditableFinder(str(project), "build", ninja_binary(), {"hello": [str(project)]},
                                            **options)


def _record(project: Path) -> tuple:
    return marshal.loads((project / "build" / _editable.FRESH_NAME).read_bytes())


def _files(record: tuple) -> set[str]:
    """Every path a record lists: the exact ones, the stat'ed ones, the absent ones."""
    _form, _project, _ninja, exact, groups, _mtimes, absent = record
    found = {path for path, _ in exact} | set(absent)
    found.update(os.fsdecode(os.path.join(folder, name)) for folder, names in groups for name in names)
    return found


@pytest.fixture
def built(sample) -> Path:
    """The hello sample, configured and built by the loader, with its record written."""
    project = sample("hello")
    configure(project)
    assert _finder(project)._build("hello") is None
    return project


# ------------------------------------------------------------ reading ninja's output and logs
@pytest.mark.skipif(os.name == "nt", reason="POSIX shell quoting")
def test_unquote_reads_back_the_paths_ninja_t_inputs_quotes(tmp_path):
    names = ["plain.c", "a b.c", "it's.c", "c:d.c", "$dollar.c", "x#y.c", "naïve.c"]
    escaped = [n.replace("$", "$$").replace(" ", "$ ").replace(":", "$:") for n in names]
    write(tmp_path / "build.ninja", "rule cp\n  command = cp $in $out\n"
          + "".join(f"build out{i}: cp {e}\n" for i, e in enumerate(escaped))
          + "build all: phony " + " ".join(f"out{i}" for i in range(len(names))) + "\ndefault all\n")
    listed = ninja(tmp_path, "-t", "inputs").stdout.splitlines()
    assert any(line.startswith("'") for line in listed)  # some needed quoting
    assert sorted(_editable._unquote(line) for line in listed) == sorted(names + [f"out{i}" for i in range(len(names))])


def test_deps_log_nodes_are_the_outputs_and_headers_ninja_t_deps_shows(sample, tmp_path):
    project = sample("multi")
    configure(project)
    ninja(project)
    shown = set()
    for line in ninja(project, "-t", "deps").stdout.splitlines():
        if line.startswith("    "):
            shown.add(line.strip())
        elif line.strip():
            shown.add(line.split(": #deps")[0])
    nodes = _editable._deps_log_nodes(str(project / "build" / ".ninja_deps"))
    assert nodes == shown and "include/shapes.h" in nodes and any(re.fullmatch(r"build/\S+\.o", n) for n in nodes)
    assert _editable._deps_log_nodes(str(tmp_path / "none")) == set()
    (tmp_path / "bad").write_bytes(b"# ninjadeps\n\x03\x00\x00\x00")
    with pytest.raises(ValueError):
        _editable._deps_log_nodes(str(tmp_path / "bad"))


# ------------------------------------------------------------ the record and the check
def test_a_build_through_the_loader_records_what_ninja_looks_at(built):
    record = _record(built)
    assert record[:3] == (_editable.FRESH_FORMAT, str(built), ninja_binary())
    files = _files(record)
    for relative in ("hello.c", "build.ninja", "build/.ninja_log", "build/.ninja_deps", "pyproject.toml",
                     "compile_commands.json", "all"):
        assert str(built / relative) in files
    assert any(f.endswith(".o") for f in files) and any(f.endswith(".h") and os.path.isabs(f) for f in files)
    assert ninja_binary() in {path for path, _ in record[3]}  # the binary, by size and inode too
    assert str(built / "all") in record[6]  # a phony name: recorded as absent
    assert _finder(built).fresh()


def test_a_fresh_import_runs_nothing_and_verbose_says_so(built, monkeypatch, capsys):
    def no_process(*args, **kwargs):
        raise AssertionError("started a process")

    monkeypatch.setattr(_editable, "_spawn", no_process)
    finder = _finder(built, verbose=True)
    finder.rebuild("hello")
    finder.rebuild("hello")
    assert capsys.readouterr().err == (f"ninjagen: {built} is up to date: no file ninja looks at has changed "
                                       "since its last build\n")  # once per process
    monkeypatch.setenv(_editable.NO_REBUILD_ENV, "1")
    monkeypatch.setattr(_editable.NinjagenEditableFinder, "fresh", no_process)
    _finder(built).rebuild("hello")  # turned off: not even the check


def test_each_change_ninja_would_see_fails_the_check_and_the_next_build_records_again(built):
    finder = _finder(built)
    so = next(built.glob("hello.*.so"))
    obj = next((built / "build").rglob("*.o"))
    for change in (lambda: touch(built / "hello.c"), lambda: obj.unlink(), lambda: so.unlink(),
                   lambda: touch(obj), lambda: touch(built / "build.ninja"),
                   lambda: write(built / "pyproject.toml", (built / "pyproject.toml").read_text() + "# a comment\n")):
        assert finder.fresh()
        change()
        assert not finder.fresh()
        assert finder._build("hello") is None
    assert finder.fresh() and planned(built) == []


def test_a_build_outside_the_loader_fails_the_check(built):
    finder = _finder(built)
    touch(built / "hello.c")
    ninja(built)  # plain ninja: now up to date, but the record is not its
    assert planned(built) == [] and not finder.fresh()
    assert finder._build("hello") is None and finder.fresh()
    touch(built / "hello.c")
    subprocess.run([sys.executable, "-m", "ninjagen", "build", "-C", str(built)], check=True, capture_output=True)
    assert planned(built) == [] and not finder.fresh()


def test_a_damaged_or_foreign_record_is_not_trusted(built):
    finder = _finder(built)
    path = built / "build" / _editable.FRESH_NAME
    good = path.read_bytes()
    record = marshal.loads(good)
    for bad in (b"", b"garbage", good[:-7], marshal.dumps(record[:-1]),
                marshal.dumps(("ninjagen-editable-fresh 0", *record[1:])),
                marshal.dumps((record[0], "/elsewhere", *record[2:])),
                marshal.dumps((*record[:2], "/other/ninja", *record[3:]))):
        path.write_bytes(bad)
        assert not finder.fresh()
    path.write_bytes(good)
    assert finder.fresh()
    path.unlink()
    assert not finder.fresh()


def test_an_edit_during_the_dry_run_or_after_it_writes_no_record(built, monkeypatch):
    finder = _finder(built)
    real = _editable._read_all
    for when in ("before", "after"):
        def edit_around_the_dry_run(argv, project, env, when=when):
            if "-n" in argv and when == "before":
                touch(built / "hello.c")  # ninja sees it: work to do
            result = real(argv, project, env)
            if "-n" in argv and when == "after":
                touch(built / "hello.c")  # the snapshot after the dry run differs
            return result

        monkeypatch.setattr(_editable, "_read_all", edit_around_the_dry_run)
        touch(built / "hello.c")
        assert finder._build("hello") is None  # the build itself succeeded
        assert not (built / "build" / _editable.FRESH_NAME).exists() and not finder.fresh()
    monkeypatch.setattr(_editable, "_read_all", real)
    assert finder._build("hello") is None and finder.fresh()


def test_the_graph_is_asked_of_ninja_again_only_when_build_ninja_changed(built, monkeypatch):
    finder = _finder(built)
    asked = []
    real = _editable._read_all

    def counting(argv, project, env):
        if "-t" in argv:
            asked.append(" ".join(argv[argv.index("-t") + 1:]))
        return real(argv, project, env)

    monkeypatch.setattr(_editable, "_read_all", counting)
    touch(built / "hello.c")
    assert finder._build("hello") is None and finder.fresh()
    assert asked == []  # the graph kept beside the record served
    write(built / "pyproject.toml", (built / "pyproject.toml").read_text() + "# another comment\n")
    assert finder._build("hello") is None and finder.fresh()
    assert asked == ["targets all", "inputs", "inputs build.ninja"]



def test_a_hand_written_build_ninja_order_only_inputs_and_no_regeneration(tmp_path):
    """Any build.ninja, not only ninjagen's: an order-only input built from a source, logs in the project
    folder (no builddir), no regeneration statement."""
    write(tmp_path / "in.txt", "in\n")
    write(tmp_path / "order.src", "order\n")
    write(tmp_path / "build.ninja", "rule cp\n  command = cp $in $out\n"
          "build order.txt: cp order.src\nbuild out.txt: cp in.txt || order.txt\n"
          "build all: phony out.txt\ndefault all\n")
    finder = _finder(tmp_path)
    assert finder._build("hello") is None and finder.fresh()
    assert str(tmp_path / "order.src") in _files(_record(tmp_path))
    for change in (lambda: touch(tmp_path / "order.src"), lambda: (tmp_path / "out.txt").unlink(),
                   lambda: (tmp_path / ".ninja_log").unlink()):
        change()
        assert planned(tmp_path) != [] and not finder.fresh()
        assert finder._build("hello") is None and finder.fresh()
