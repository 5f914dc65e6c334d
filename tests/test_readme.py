"""README.md's two commands for a fresh machine are what CI runs, in the same order."""

from __future__ import annotations

import re

from conftest import ROOT


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^    (\S.*)$", section, re.M)


def test_ci_runs_the_readme_quick_start_then_its_tests_exactly_as_written():
    commands = _readme_commands()
    assert len(commands) == 2, commands
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ran = re.findall(r"^\((.*)\)$", run, re.M)  # each command in a subshell of its own, from the root
    assert ran == commands
