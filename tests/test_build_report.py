"""Build insight: the summary line after a build, `ninjagen report` (text, --json, --trace, --html), from real builds.

The log reader is checked on each log version ninja 1.10-1.13 writes, as written
by hand; everything else on real builds with the real ninja, whose .ninja_log is
the reference the report and the trace must agree with.  The M benchmark
workload's page is opened in headless Chromium.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from browser import chromium, near
from conftest import ROOT, ninja, write
from devloop import need

from ninjagen.build_report import assign_lanes, critical_path, ninja_default_jobs
from ninjagen.build_summary import summary_line
from ninjagen.cli import main
from ninjagen.errors import NinjagenError
from ninjagen.ninja_log import LogMark, Step, read_log, runs, steps_of

SUMMARY = re.compile(r"^ninjagen: (?P<counts>[^;]+) in [\d.]+ s; [\d.]+ of \d+ jobs busy \(\d+%\); slowest: .+$")
CRITICAL_RGB = (0xD6, 0x27, 0x28)


def log_text(version: int, lines: list[tuple]) -> str:
    return f"# ninja log v{version}\n" + "".join("\t".join(map(str, line)) + "\n" for line in lines)


# ---- the log --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", [5, 6, 7])
def test_each_log_version_ninja_writes_is_read(tmp_path, version):
    log = write(tmp_path / ".ninja_log", log_text(version, [(0, 150, 1700000000123456789, "a.o", "e2f236d5a5512e9b"),
                                                            (150, 190, 1700000000223456789, "lib a.so", "bd92")]))
    entries = read_log(str(log))
    assert [(e.start_ms, e.end_ms, e.output, e.command_hash) for e in entries] == [
        (0, 150, "a.o", "e2f236d5a5512e9b"), (150, 190, "lib a.so", "bd92")]


@pytest.mark.parametrize("text, message", [
    ("# ninja log v4\n0\t1\t2\ta.o\tgcc -c a.c\n", "version 4; ninjagen reads versions 5 to 7"),
    ("# ninja log v8\n", "version 8; ninjagen reads versions 5 to 7"),
    ("not a log\n", "is not a ninja build log"),
])
def test_a_log_of_another_kind_is_one_clear_error(tmp_path, text, message):
    log = write(tmp_path / ".ninja_log", text)
    with pytest.raises(NinjagenError, match=re.escape(message)):
        read_log(str(log))


def test_a_line_cut_short_by_an_interrupted_ninja_is_skipped(tmp_path):
    log = write(tmp_path / ".ninja_log", log_text(7, [(0, 10, 5, "a.o", "aa")]) + "12\t30\t7\tb.")
    assert [e.output for e in read_log(str(log))] == ["a.o"]


def test_runs_are_cut_where_the_end_times_go_down_and_at_a_mark(tmp_path):
    lines = [(0, 100, 1, "a.o", "h1"), (0, 120, 1, "b.o", "h2"), (120, 150, 1, "m.so", "h3"),  # one run
             (0, 90, 2, "a.o", "h1"),  # the next ninja starts again near zero
             (95, 180, 2, "b.o", "h2")]
    log = write(tmp_path / ".ninja_log", log_text(7, lines))
    entries = read_log(str(log))
    assert [[e.output for e in run] for run in runs(entries)] == [["a.o", "b.o", "m.so"], ["a.o", "b.o"]]
    # a mark taken after the third line cuts there even though the times alone would not
    entries2 = read_log(str(write(tmp_path / "two", log_text(7, lines[:3] + [(200, 260, 3, "c.o", "h4")]))))
    mark = LogMark(inode=7, size=entries2[3].offset)
    assert [[e.output for e in r] for r in runs(entries2, mark, inode=7)] == [["a.o", "b.o", "m.so"], ["c.o"]]
    assert len(runs(entries2, mark, inode=8)) == 1  # another file's mark says nothing about this one


def test_a_regeneration_and_the_build_after_it_are_one_run_on_one_clock(tmp_path):
    # ninja regenerated build.ninja (one edge, two outputs), read it again and started its clock again
    lines = [(0, 120, 1, "hello.o", "c0"), (120, 150, 1, "hello.so", "l0"),  # the build before
             (0, 194, 1, "build.ninja", "r1"), (0, 194, 1, "compile_commands.json", "r1"),
             (0, 81, 2, "hello.o", "c1"), (81, 99, 2, "hello.so", "l1")]
    entries = read_log(str(write(tmp_path / ".ninja_log", log_text(7, lines))))
    assert len(runs(entries)) == 2  # the regeneration's times alone do not say it began a run
    before, run = runs(entries, manifest="build.ninja")
    assert [e.output for e in before] == ["hello.o", "hello.so"]
    assert [(e.output, e.start_ms, e.end_ms) for e in run] == [
        ("build.ninja", 0, 194), ("compile_commands.json", 0, 194), ("hello.o", 194, 275), ("hello.so", 275, 293)]


def test_an_edge_with_several_outputs_is_one_step():
    from ninjagen.ninja_log import LogEntry

    entries = [LogEntry(0, 40, 1, "pkg/_w.c", "h", 0), LogEntry(0, 40, 1, "pkg/w.py", "h", 1),
               LogEntry(0, 55, 1, "a.o", "k", 2)]
    assert steps_of(entries) == [Step(("pkg/_w.c", "pkg/w.py"), 0.0, 0.04), Step(("a.o",), 0.0, 0.055)]


# ---- lanes, the critical path, the summary line ----------------------------------------------------------------------

def test_steps_that_overlap_get_separate_lanes_and_free_lanes_are_reused():
    steps = [Step(("a",), 0.0, 1.0), Step(("b",), 0.1, 0.5), Step(("c",), 0.5, 0.9), Step(("d",), 0.2, 0.3)]
    assert assign_lanes(steps) == [0, 1, 1, 2]


def test_the_critical_path_is_the_longest_chain_of_waiting_steps():
    # a0 (0.3) and a1 (0.9) feed link A; b0 (0.2) feeds link B; the long chain is a1 -> A
    steps = [Step(("a0",), 0.0, 0.3), Step(("a1",), 0.0, 0.9), Step(("b0",), 0.3, 0.5),
             Step(("A",), 0.9, 1.0), Step(("B",), 0.5, 0.55)]
    preds = [[], [], [], [0, 1], [2]]
    assert critical_path(steps, preds) == [1, 3]
    assert critical_path([], []) == []


def test_ninjas_default_jobs():
    assert [ninja_default_jobs(n) for n in (1, 2, 4, 16)] == [2, 3, 6, 18]


def test_the_summary_line():
    report = {"counts": {"compile": 3, "link": 1, "archive": 0, "cython": 1, "swig": 0, "regenerate": 1, "other": 0},
              "wall_s": 12.34, "steps": [{}], "parallelism": 1.84, "jobs": 3, "utilization": 0.613,
              "slowest": [{"source": "src/a/b.c", "output": "build/obj/b.o", "duration_s": 4.5},
                          {"source": None, "output": "src/m.so", "duration_s": 0.25}],
              "cache": {"launcher": "sccache", "hits": 1, "misses": 3}}
    assert summary_line(report) == (
        "ninjagen: 3 compiles, 1 link, 1 Cython translation, 1 build.ninja regeneration in 12.3 s; "
        "1.8 of 3 jobs busy (61%); slowest: b.c 4.50 s, m.so 0.25 s; sccache: 1 hit, 3 misses")


# ---- real builds -----------------------------------------------------------------------------------------------------

def cli(capfd, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capfd.readouterr()
    return status, out, err


def log_steps(project: Path) -> list[Step]:
    """The last run's steps, straight from the log: the reference."""
    entries = read_log(str(project / "build" / ".ninja_log"))
    return steps_of(runs(entries)[-1])


def test_ninjagen_build_prints_one_summary_line_and_quiet_drops_it(sample, capfd):
    project = sample("multi")
    status, out, err = cli(capfd, "build", "-C", str(project))
    assert status == 0, err
    last = out.rstrip().splitlines()[-1]
    assert SUMMARY.match(last), last
    assert SUMMARY.match(last)["counts"] == "3 compiles, 2 links, 1 archive"
    assert re.search(r"slowest: \S+\.c \d", last)  # a compile is named by its source
    status, out, _ = cli(capfd, "build", "-C", str(project))
    assert status == 0 and "ninjagen:" not in out  # a no-op: ninja's own line says it
    (project / "include" / "shapes.h").touch()
    status, out, _ = cli(capfd, "build", "-q", "-C", str(project))
    assert status == 0 and "ninjagen:" not in out and "LINK" in out


def test_the_summary_counts_the_compiler_caches_hits_of_this_build(sample, capfd, tmp_path, monkeypatch):
    need("ccache")
    monkeypatch.setenv("CCACHE_DIR", str(tmp_path / "ccache-dir"))  # a private, empty cache
    for name in ("CCACHE_DISABLE", "CCACHE_RECACHE", "CCACHE_READONLY", "NINJAGEN_LAUNCHER"):
        monkeypatch.delenv(name, raising=False)
    project = sample("multi")
    assert main(["configure", "-C", str(project), "--launcher", "ccache"]) == 0
    assert cli(capfd, "build", "-C", str(project))[1].rstrip().endswith("; ccache: 0 hits, 3 misses")
    assert main(["clean", "-C", str(project)]) == 0
    out = cli(capfd, "build", "-C", str(project))[1]
    assert out.rstrip().endswith("; ccache: 3 hits, 0 misses")
    report = json.loads(cli(capfd, "report", "-C", str(project), "--json")[1])
    assert report["cache"] == {"launcher": "ccache", "hits": 3, "misses": 0}


def test_report_json_agrees_with_the_log_and_the_graph(sample, capfd):
    project = sample("multi")
    assert cli(capfd, "build", "-C", str(project), "-j", "2")[0] == 0
    status, out, err = cli(capfd, "report", "-C", str(project), "--json")
    assert status == 0, err
    report = json.loads(out)
    reference = log_steps(project)
    assert [(s["output"], s["start_s"], s["end_s"]) for s in report["steps"]] == [
        (s.output, round(s.start, 3), round(s.end, 3)) for s in reference]
    assert report["jobs"] == 2 and report["counts"]["compile"] == 3 and report["counts"]["link"] == 2
    assert report["busy_s"] == pytest.approx(sum(s.duration for s in reference), abs=0.01)
    exts = {e["name"]: e for e in report["extensions"]}
    assert set(exts) == {"shapes._area", "shapes._perimeter"}
    assert all(e["objects"] == 1 and e["link_s"] > 0 for e in exts.values())
    by_output = {s["output"]: s for s in report["steps"]}
    geom = next(s for s in report["steps"] if re.fullmatch(r"build/lib/geom\.[0-9a-f]{6}\.o", s["output"]))
    assert geom["extension"] is None and geom["source"] == "lib/geom.c"  # the static library both modules share
    chain = report["critical_path"]["steps"]
    assert by_output[chain[-1]]["kind"] == "link" and all(by_output[o]["critical"] for o in chain)
    assert sum(s["critical"] for s in report["steps"]) == len(chain)
    for before, after in zip(chain, chain[1:]):  # each step waited for the one before it, through the graph
        query = ninja(project, "-t", "query", after).stdout
        assert before in query.split("outputs:")[0]
        assert by_output[before]["end_s"] <= by_output[after]["start_s"]
    assert report["critical_path"]["duration_s"] == pytest.approx(sum(by_output[o]["duration_s"] for o in chain))
    text = cli(capfd, "report", "-C", str(project))[1]
    assert text.startswith("ninjagen: 3 compiles") and "critical path: " in text and "shapes._area" in text


def test_the_trace_is_chrome_trace_json_whose_events_match_the_log(sample, capfd, tmp_path):
    project = sample("multi")
    assert cli(capfd, "build", "-C", str(project))[0] == 0
    trace = tmp_path / "out" / "trace.json"
    trace.parent.mkdir()
    status, _, err = cli(capfd, "report", "-C", str(project), "--trace", str(trace))
    assert status == 0 and "wrote" in err
    data = json.loads(trace.read_text())
    events = [e for e in data["traceEvents"] if e["ph"] == "X"]
    entries = runs(read_log(str(project / "build" / ".ninja_log")))[-1]
    steps = steps_of(entries)
    assert len(events) == len(steps)
    for event, step in zip(events, steps):
        assert event["args"]["output"] == step.output
        assert event["ts"] == round(step.start * 1e6) and event["dur"] == round(step.duration * 1e6)
        assert isinstance(event["pid"], int) and isinstance(event["tid"], int) and event["cat"]
    for a in events:  # steps that ran at the same time are on separate rows
        for b in events:
            if a is not b and a["tid"] == b["tid"]:
                assert a["ts"] + a["dur"] <= b["ts"] or b["ts"] + b["dur"] <= a["ts"]
    assert {e["args"]["name"] for e in data["traceEvents"] if e["ph"] == "M" and e["name"] == "thread_name"}


def test_a_plain_ninja_after_ninjagen_build_is_the_build_reported(sample, capfd):
    project = sample("multi")
    assert cli(capfd, "build", "-C", str(project), "-j", "1")[0] == 0
    (project / "src" / "shapes" / "_area.c").touch()
    ninja(project)
    report = json.loads(cli(capfd, "report", "-C", str(project), "--json")[1])
    assert [s["kind"] for s in report["steps"]] == ["compile", "link"]
    assert report["jobs"] == ninja_default_jobs()  # not ninjagen build's -j 1: that record is of another build
    assert cli(capfd, "report", "-C", str(project), "--summary")[1].startswith("ninjagen: 1 compile, 1 link in ")


def test_a_regeneration_is_a_step_that_everything_after_it_waited_for(sample, capfd):
    project = sample("hello")
    assert cli(capfd, "build", "-C", str(project))[0] == 0
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('sources = ["hello.c"]',
                                                       'sources = ["hello.c"], define-macros = [["HELLO_X", "1"]]'))
    ninja(project)
    report = json.loads(cli(capfd, "report", "-C", str(project), "--json")[1])
    assert report["counts"]["regenerate"] == 1 and report["counts"]["compile"] == 1
    chain = report["critical_path"]["steps"]
    assert chain[0] == "build.ninja" and len(chain) == 3


def test_report_errors_are_one_line(tmp_path, sample, capfd):
    status, _, err = cli(capfd, "report", "-C", str(tmp_path))
    assert status == 1 and err.count("\n") == 1 and "no build.ninja in" in err and "ninjagen configure" in err
    project = sample("hello")
    assert main(["configure", "-C", str(project)]) == 0
    status, _, err = cli(capfd, "report", "-C", str(project))
    assert status == 1 and err.count("\n") == 1 and "no build has run" in err
    status, _, err = cli(capfd, "report", "-C", str(project), "-f", "nope.ninja")
    assert status == 1 and "no nope.ninja in" in err


def test_the_editable_loader_prints_the_summary_after_a_rebuild(sample, tmp_path):
    from ninjagen.develop import develop

    project = sample("hello")
    site = tmp_path / "site"
    site.mkdir()
    develop(str(project), str(site))
    code = f"import site; site.addsitedir({str(site)!r}); import hello"
    first = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert SUMMARY.match(first.stderr.rstrip().splitlines()[-1]), first.stderr
    again = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert again.returncode == 0 and again.stderr == ""


# ---- the M benchmark workload in a real browser ----------------------------------------------------------------------

def bench_module(name: str):
    """bench/<name>.py, imported under a name of its own (bench/ is no package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_html_report_of_the_m_workload_draws_its_critical_path_in_chromium(tmp_path, capfd):
    from PIL import Image

    bench_run, workload = bench_module("run"), bench_module("workload")
    project = tmp_path / "m"
    n_modules, n_sources, n_headers = bench_run.SIZES["M"]
    workload.generate(str(project), n_modules, n_sources, n_headers)
    assert cli(capfd, "build", "-C", str(project))[0] == 0
    page = tmp_path / "build-report.html"
    assert cli(capfd, "report", "-C", str(project), "--html", str(page))[0] == 0
    report = json.loads(cli(capfd, "report", "-C", str(project), "--json")[1])
    assert report["counts"]["compile"] == n_modules * n_sources and report["counts"]["link"] == n_modules
    critical = report["critical_path"]["steps"]
    assert critical and report["steps"][0]

    dom = chromium(["--dump-dom", page.resolve().as_uri()], tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    rects = re.findall(r'<rect class="(step[^"]*)"', dom.stdout)
    assert len(rects) == len(report["steps"])
    assert rects.count("step critical") == len(critical)
    assert len(re.findall(r'<rect class="ext-bar"', dom.stdout)) == n_modules

    png = tmp_path / "build-report.png"
    shot = chromium([f"--screenshot={png}", page.resolve().as_uri()], tmp_path / "profile-shot")
    assert shot.returncode == 0 and png.is_file(), shot.stderr[-2000:]
    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    pixels = sum(n for n, _ in colours)
    assert sum(n for n, rgb in colours if min(rgb) < 235) / pixels > 0.05, "the page looks blank"
    assert sum(n for n, rgb in colours if near(rgb, CRITICAL_RGB)) > 100, "the critical path is not drawn"
