"""The command line: one-line errors, no traceback, nothing half-written, dry runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import configure, write

from ninjagen.cli import main


def _error(capsys, argv) -> str:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("ninjagen: error: ") and err.count("\n") == 1, err
    return err


BAD_CONFIGS = {
    "misspelled tool key": ('[tool.ninjagen]\next-module = []\n', "unknown key 'ext-module' (did you mean 'ext-modules'?)"),
    "misspelled extension key": ('[[tool.ninjagen.ext-modules]]\nname = "m"\nsource = ["m.c"]\n',
                                 "ext-modules[0] (m): unknown key 'source' (did you mean 'sources'?)"),
    "missing source": ('[[tool.ninjagen.ext-modules]]\nname = "m"\nsources = ["nope.c"]\n',
                       "extension 'm': source nope.c not found"),
    "unknown suffix": ('[[tool.ninjagen.ext-modules]]\nname = "m"\nsources = ["m.txt"]\n',
                       "extension 'm': unknown file type '.txt' of source m.txt"),
    "bad name": ('[[tool.ninjagen.ext-modules]]\nname = "my-mod"\nsources = ["m.c"]\n',
                 "extension name 'my-mod' is not a dotted Python identifier"),
    "listed twice": ('[[tool.ninjagen.ext-modules]]\nname = "m"\nsources = ["m.c"]\n' * 2,
                     "extension 'm' is listed twice"),
    "bad macro": ('[[tool.ninjagen.ext-modules]]\nname = "m"\nsources = ["m.c"]\ndefine-macros = [["1X", "2"]]\n',
                  "extension 'm': define_macros[0]: '1X' is not a valid macro name"),
    "non-string list item": ('[[tool.ninjagen.ext-modules]]\nname = "m"\nsources = ["m.c", 3]\n',
                             "extension 'm': sources[1] must be a string, got 3"),
    "no extensions": ('[project]\nname = "x"\n', "no extension modules"),
    "malformed toml": ('[tool.ninjagen\n', "pyproject.toml: invalid TOML"),
    "unknown compiler in config": ('[tool.ninjagen]\ncompiler = "turbo"\n[[tool.ninjagen.ext-modules]]\nname = "m"\nsources = ["m.c"]\n',
                                   "unknown compiler type 'turbo' (available: unix"),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_configuration_is_one_line_and_keeps_the_old_build_ninja(tmp_path, capsys, case):
    project = tmp_path / "p"
    write(project / "m.c", "int x;\n")
    write(project / "m.txt", "")
    write(project / "build.ninja", "# the previous one\n")
    text, message = BAD_CONFIGS[case]
    write(project / "pyproject.toml", text)
    err = _error(capsys, ["configure", "-C", str(project)])
    assert message in err
    assert (project / "build.ninja").read_text() == "# the previous one\n"
    assert not (project / "compile_commands.json").exists()


def test_missing_pyproject(tmp_path, capsys):
    assert "pyproject.toml: not found" in _error(capsys, ["configure", "-C", str(tmp_path)])


def test_unknown_compiler_option_lists_the_valid_ones(sample, capsys):
    err = _error(capsys, ["configure", "-C", str(sample("hello")), "--compiler", "gcc"])
    assert "unknown compiler type 'gcc' (available: unix)" in err


def test_build_dir_that_is_a_file(sample, capsys):
    project = sample("hello")
    write(project / "out", "")
    assert "build folder out exists and is not a folder" in _error(capsys, ["configure", "-C", str(project), "-B", "out"])


def test_a_compiler_that_is_not_installed_is_reported_at_configure_time(sample, capsys, monkeypatch):
    monkeypatch.setenv("CC", "no-such-cc-ninjagen")
    err = _error(capsys, ["configure", "-C", str(sample("hello"))])
    assert "'no-such-cc-ninjagen' (the unix compiler_so) was not found on PATH" in err


def test_dry_run_writes_nothing(sample, capsys):
    project = sample("hello")
    assert main(["configure", "-C", str(project), "--dry-run"]) == 0
    assert "dry run: would write build.ninja" in capsys.readouterr().out
    assert not (project / "build.ninja").exists() and not (project / "build").exists()


def test_custom_build_dir_holds_objects_and_logs(sample):
    project = sample("hello")
    configure(project, "-B", "out/tmp")
    text = (project / "build.ninja").read_text()
    assert "builddir = out/tmp" in text and "build out/tmp/obj/" in text
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
