"""Rebuilds do exactly what changed: header tracking, relinks, regeneration, force."""

from __future__ import annotations

import re
import sys

from conftest import configure, ninja, planned, run_python, touch, write

from ninjagen.cli import main


def _kinds(descriptions: list[str]) -> list[str]:
    """'CC build/src/shapes/_area.1a2b3c.o' -> 'CC _area.o'."""
    return sorted(f"{d.split()[0]} {re.sub(r'[.][0-9a-f]{6}[.]o$', '.o', d.split()[-1].rsplit('/', 1)[-1])}"
                  for d in descriptions)


def _built(project):
    configure(project)
    ninja(project)
    assert planned(project) == []


def test_touching_a_shared_header_rebuilds_exactly_its_includers(sample):
    project = sample("multi")
    _built(project)
    touch(project / "include" / "shapes.h")
    suffix = sys.implementation.cache_tag  # noqa: F841  (names below end in the EXT_SUFFIX)
    kinds = _kinds(planned(project))
    assert [k for k in kinds if k.startswith("CC")] == ["CC _area.o", "CC _perimeter.o"]
    assert len([k for k in kinds if k.startswith("LINK")]) == 2
    assert not any(k.startswith("AR") for k in kinds)
    ninja(project)
    assert planned(project) == []
    run_python(project, "check_sample.py")


def test_touching_the_library_source_rearchives_and_relinks_both(sample):
    project = sample("multi")
    _built(project)
    touch(project / "lib" / "geom.c")
    kinds = _kinds(planned(project))
    assert kinds[:2] == ["AR libgeom.a", "CC geom.o"]
    assert len(kinds) == 4 and all(k.startswith("LINK") for k in kinds[2:])


def test_touching_one_source_rebuilds_one_object_and_one_module(sample):
    project = sample("multi")
    _built(project)
    touch(project / "src" / "shapes" / "_area.c")
    kinds = _kinds(planned(project))
    assert len(kinds) == 2 and kinds[0] == "CC _area.o" and kinds[1].startswith("LINK _area.")


def test_a_header_outside_the_project_is_tracked_too(sample):
    project = sample("hello")
    _built(project)
    deps = ninja(project, "-t", "deps").stdout
    assert "Python.h" in deps


def test_editing_pyproject_regenerates_and_rebuilds(sample):
    project = sample("hello")
    _built(project)
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text.replace('sources = ["hello.c"]',
                                      'sources = ["hello.c"], define-macros = [["HELLO_REGEN", "1"]]'))
    assert "HELLO_REGEN" in pyproject.read_text()
    out = ninja(project).stdout
    assert "Regenerating build.ninja" in out
    assert "-DHELLO_REGEN=1" in (project / "build.ninja").read_text()
    assert "-DHELLO_REGEN=1" in (project / "compile_commands.json").read_text()
    assert "CC " in out and "LINK " in out
    assert planned(project) == []


def test_a_broken_pyproject_fails_the_regeneration_and_keeps_build_ninja(sample):
    project = sample("hello")
    _built(project)
    before = (project / "build.ninja").read_text()
    write(project / "pyproject.toml", (project / "pyproject.toml").read_text() + "\n[tool.ninjagen\n")
    proc = ninja(project, check=False)
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert "ninjagen: error: pyproject.toml: invalid TOML" in output and "Traceback" not in output
    assert (project / "build.ninja").read_text() == before


def test_force_rebuilds_everything(sample, capfd):
    project = sample("multi")
    _built(project)
    capfd.readouterr()
    assert main(["build", "-C", str(project), "--force"]) == 0
    out = capfd.readouterr().out
    assert out.count("] CC ") == 3 and out.count("] AR ") == 1 and out.count("] LINK ") == 2


def test_configure_force_makes_the_next_build_rebuild(sample):
    project = sample("hello")
    _built(project)
    configure(project, "--force")
    assert _kinds(planned(project)) == ["CC hello.o", f"LINK {next(project.glob('hello.*.so')).name}"]
