"""The benchmark keeps working (issue 6), and the cheap commands stay cheap.

``bench/run.py --quick`` builds the S workload once with every tool and writes
its table; this checks that every tool has a row and that ninjagen rebuilt
exactly what it should.  No timing is asserted: CI machines are too noisy for
that, and bench/RESULTS.md is where the figures live.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROWS = ["ninjagen", "ideal ninja (bench/ideal.py)", "meson", "setuptools build_ext (serial)",
        "setuptools build_ext --parallel", "compile floor"]


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt" or shutil.which("gcc") is None, reason="the benchmark builds with gcc")
def test_quick_benchmark_writes_a_row_for_every_tool(tmp_path):
    report = tmp_path / "RESULTS.md"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--output", str(report),
                           "--workdir", str(tmp_path / "work")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = report.read_text(encoding="utf-8")
    section = text[text.index("\n## S:"):text.index("\nRatios")]  # the table of absolute figures
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    for tool in ROWS:
        mine = [r for r in rows if r.startswith(f"| {tool}")]
        assert mine, f"no row for {tool} in:\n" + "\n".join(rows)
        assert "skipped:" in mine[0] or re.search(r"\d+\.\d+ s", mine[0]), mine[0]
    cells = [c.strip() for c in next(r for r in rows if r.startswith("| ninjagen |")).split("|")]
    assert re.fullmatch(r"\d+\.\d+ s", cells[3]), cells  # its full build was timed

    raw = json.loads((tmp_path / "RESULTS.json").read_text(encoding="utf-8"))["results"]["S"]
    ninjagen = raw["tools"]["ninjagen"]
    assert ninjagen["header_objects"] == [raw["expected_header_objects"]]  # exactly the dependents
    assert ninjagen["source_objects"] == [1]
    assert raw["checksums_identical"]  # every tool built modules that import and compute the same


def test_help_imports_neither_jinja2_nor_the_templates():
    code = ("import sys\nfrom ninjagen.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "rules = sys.modules.get('ninjagen.rules')\n"
            "print(sorted(m for m in sys.modules if m.startswith('jinja2')),"
            " rules and rules._environment.cache_info().currsize)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] in ("[] 0", "[] None")


@pytest.mark.skipif(os.name == "nt", reason="on Windows configure asks ninja for compile_commands.json")
def test_configure_starts_no_process(sample, monkeypatch):
    """compile_commands.json comes from the graph itself, not from a ninja run."""
    from ninjagen.cli import main

    started = []
    real_init = subprocess.Popen.__init__

    def observing_init(self, args, *rest, **kwargs):
        started.append(args)
        real_init(self, args, *rest, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", observing_init)
    assert main(["configure", "-C", str(sample("multi"))]) == 0
    assert started == []
