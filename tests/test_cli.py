"""The command line: dry runs, build folders, compiler listing, light start-up.

Bad input and its one-line errors: test_bad_inputs.py.
"""

from __future__ import annotations

import re
import subprocess
import sys


from conftest import configure

from ninjagen.cli import main


def test_dry_run_writes_nothing(sample, capsys):
    project = sample("hello")
    assert main(["configure", "-C", str(project), "--dry-run"]) == 0
    assert "dry run: would write build.ninja" in capsys.readouterr().out
    assert not (project / "build.ninja").exists() and not (project / "build").exists()


def test_custom_build_dir_holds_objects_and_logs(sample):
    project = sample("hello")
    configure(project, "-B", "out/tmp")
    text = (project / "build.ninja").read_text()
    assert "builddir = out/tmp" in text
    assert re.search(r"^build out/tmp/hello\.[0-9a-f]{6}\.o: cc hello\.c$", text, re.M)
    assert (project / "out" / "tmp" / "ninjagen-state.json").exists()


def test_help_compiler_and_show_compilers(capsys):
    assert main(["--help-compiler"]) == 0
    first = capsys.readouterr().out
    assert main(["show-compilers"]) == 0
    assert capsys.readouterr().out == first
    assert "List of available compilers:" in first and "--compiler=unix" in first


def test_python_dash_m_help_does_not_import_jinja2():
    code = "import sys, runpy; sys.argv = ['ninjagen', '--help']\n" \
           "try:\n    runpy.run_module('ninjagen', run_name='__main__')\nexcept SystemExit as e:\n    assert e.code == 0\n" \
           "assert 'jinja2' not in sys.modules, 'jinja2 imported for --help'\nprint('fine')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "configure" in proc.stdout and proc.stdout.rstrip().endswith("fine")
