"""Every sample builds with the real gcc and ninja, imports, works, and is then up to date."""

from __future__ import annotations

import json
import os

import pytest

from conftest import configure, ninja, planned, run_python

SAMPLES = ["hello", "cxx", "multi", "abi3", "shared"]


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_builds_imports_and_is_then_up_to_date(sample, name):
    project = sample(name)
    configure(project)
    ninja(project)
    assert run_python(project, "check_sample.py").strip() == f"ok {name}"
    assert planned(project) == []
    assert "no work to do" in ninja(project, "-n").stdout


@pytest.mark.parametrize("name", SAMPLES)
def test_compile_commands_lists_every_compile_with_absolute_paths(sample, name):
    project = sample(name)
    configure(project)
    entries = json.loads((project / "compile_commands.json").read_text())
    build_ninja = (project / "build.ninja").read_text()
    assert len(entries) == build_ninja.count(": cc ") + build_ninja.count(": cxx ")
    for entry in entries:
        assert os.path.isabs(entry["file"]) and os.path.isfile(entry["file"])
        assert entry["directory"] == str(project)
        assert " -c " in entry["command"] and "-I" in entry["command"]


def test_mixed_c_and_cxx_links_with_the_cxx_driver(sample):
    project = sample("cxx")
    configure(project)
    text = (project / "build.ninja").read_text()
    assert ": cc ccore.c" in text and ": cxx cxxdemo.cpp" in text
    assert ": link_so_cxx " in text and ": link_so " not in text


def test_limited_api_module_gets_abi3_suffix_and_macro(sample):
    project = sample("abi3")
    configure(project)
    entries = json.loads((project / "compile_commands.json").read_text())
    assert "-DPy_LIMITED_API=0x03090000" in entries[0]["command"]
    assert "build limited.abi3.so: link_so" in (project / "build.ninja").read_text()


def test_static_helper_library_is_archived_once_and_linked_into_both(sample):
    project = sample("multi")
    configure(project)
    text = (project / "build.ninja").read_text()
    assert text.count("lib/geom.c\n") == 1
    assert text.count(": ar ") == 1
    for module in ("_area", "_perimeter"):
        line = next(l for l in text.splitlines() if l.startswith(f"build src/shapes/{module}."))
        assert "| build/lib/libgeom.a" in line  # relinks when the library changes
