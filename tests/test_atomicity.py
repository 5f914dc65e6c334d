"""Interrupted and concurrent runs never leave a half-written or wrong build."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ninja, planned, run_python, write

from ninjagen.runner import ninja_binary

pytestmark = pytest.mark.slow  # kills and races configure and ninja many times over big builds


def _big_project(project, macro: str) -> None:
    """Large enough that configure takes a noticeable time (the window to kill it in)."""
    tables = []
    for m in range(250):
        sources = [f"pkg/m{m}/s{s}.c" for s in range(20)]
        for src in sources:
            write(project / src, "")
        tables.append(f'{{ name = "pkg.m{m}", sources = {json.dumps(sources)}, define-macros = [["V", "{macro}"]] }}')
    write(project / "pyproject.toml", "[tool.ninjagen]\next-modules = [\n" + ",\n".join(tables) + "\n]\n")


def _configure_process(project) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ninjagen", "configure", "-C", str(project)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _outputs(project) -> tuple[str, str]:
    return (project / "build.ninja").read_text(), (project / "compile_commands.json").read_text()


def test_configure_killed_at_any_moment_leaves_old_or_new_files(tmp_path):
    project = tmp_path / "p"
    _big_project(project, "new")
    start = time.monotonic()
    assert _configure_process(project).wait() == 0
    duration = time.monotonic() - start
    new = _outputs(project)
    _big_project(project, "old")
    assert _configure_process(project).wait() == 0
    old = _outputs(project)
    assert old != new
    _big_project(project, "new")

    outcomes = set()
    for i in range(16):
        proc = _configure_process(project)
        time.sleep(duration * (i + 1) / 16)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        build_ninja, compdb = _outputs(project)
        assert build_ninja in (old[0], new[0])
        assert compdb in (old[1], new[1])
        json.loads(compdb)
        outcomes.add(build_ninja == new[0])
        if build_ninja == new[0]:  # put the old one back, to try again
            (project / "build.ninja").write_text(old[0])
            (project / "compile_commands.json").write_text(old[1])
    assert False in outcomes  # some kills did land before the new files were in place
    # the next run finishes the job and sweeps the killed writers' temporaries
    assert _configure_process(project).wait() == 0
    assert _outputs(project) == new
    assert not [p.name for p in project.iterdir() if p.name.endswith(".tmp")]


def test_two_configures_at_once_both_finish_with_one_result(tmp_path):
    project = tmp_path / "p"
    _big_project(project, "x")
    assert _configure_process(project).wait() == 0
    expected = _outputs(project)
    for _ in range(3):
        first, second = _configure_process(project), _configure_process(project)
        assert (first.wait(), second.wait()) == (0, 0), first.stderr.read() + second.stderr.read()
        assert _outputs(project) == expected
    assert ninja(project, "-t", "targets", "all").stdout.count(": link_so") == 250


SLOW_SOURCE = "\n".join(
    f"static double slow_{i}(double x) {{ for (int k = 0; k < {i % 7 + 3}; k++) x = x * 1.0001 + k / (x + {i}.5); return x; }}"
    for i in range(150)
) + "\ndouble slow_sum(double x) {\n" + "\n".join(f"    x += slow_{i}(x);" for i in range(150)) + "\n    return x;\n}\n"


def test_ninja_interrupted_with_ctrl_c_then_rerun_builds_correctly(sample):
    project = sample("hello")
    for i in range(4):  # slow sources, so that the interrupt lands during compiles
        write(project / f"slow{i}.c", SLOW_SOURCE.replace("slow_", f"slow{i}_"))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('sources = ["hello.c"]',
                                                       'sources = ["hello.c", "slow0.c", "slow1.c", "slow2.c", "slow3.c"]'))
    assert subprocess.run([sys.executable, "-m", "ninjagen", "configure", "-C", str(project)]).returncode == 0
    proc = subprocess.Popen([ninja_binary(), "-j", "2"], cwd=project, stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    first = proc.stdout.readline()
    assert first.startswith("[1/")
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    rest = proc.stdout.read()
    assert proc.wait() != 0 and "interrupted" in rest
    assert planned(project)  # something is left to do
    ninja(project)
    assert run_python(project, "check_sample.py").strip() == "ok hello"
    assert planned(project) == []
