"""The editable loader's freshness check never lets a stale module import where ninja would have rebuilt it.

Hypothesis draws sequences of steps on the multi sample (a static library, two modules,
headers; here also a header that two sources include without any ``depends`` naming
it, so that only ninja's deps log knows it): sources edited and touched, headers
edited, a new header that a source starts including, pyproject.toml edited (a macro,
a comment), objects and outputs deleted or touched, build.ninja touched, unrelated
new files, builds outside the loader (plain ninja, ``ninjagen build``), builds through
the loader's finder, and real imports through the installed loader in a fresh
interpreter.  After every step, ninja's own dry run says whether it would do anything;
whenever it would, the check must say "not fresh".  After a build through the loader
the check must pass (its record was written), and an import must see the latest edit.
Each example starts from a copy of one built tree, at the same path.

Breaking the record on purpose (leaving out the deps log's headers, or the outputs of
``ninja -t targets all``) makes this test fail within its examples.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, configure, copy_sources, ninja, planned, touch
from devloop import clean_env

from ninjagen._editable import FRESH_NAME, NinjagenEditableFinder
from ninjagen.cli import main
from ninjagen.develop import loader_files
from ninjagen.runner import ninja_binary
from ninjagen.state import read_state

pytestmark = pytest.mark.slow  # real compiles: 15 to 30 s

STEM = "_ninjagen_editable_ninjagen_sample_multi"
SOURCES = ["src/shapes/_area.c", "src/shapes/_perimeter.c", "lib/geom.c"]
UNDECLARED = "include/undeclared.h"
HEADERS = ["include/shapes.h", "include/geom.h", UNDECLARED, UNDECLARED]
DOC = '"ninjagen sample: areas (links the static geom library and libm)."'
CHANGES = (["docstring"] * 2 + [f"append {p}" for p in SOURCES[1:] + HEADERS]
           + [f"touch {p}" for p in SOURCES + HEADERS + ["pyproject.toml", "build.ninja"]]
           + ["include-new-header"] * 3 + ["edit-new-header"] * 6  # headers only the deps log knows
           + ["macro", "comment", "unrelated"]
           + [f"{kind} {pattern}" for kind in ("delete", "touch") for pattern in ("*.o", "*.a", "*.so")]
           + ["delete compile_commands.json"])
ACTIONS = CHANGES + ["build loader"] * 8 + ["build import"] * 4 + ["build ninja", "build ninjagen"]
EXAMPLES, STEPS = 40, 14


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _clock_past(folder: Path) -> None:
    """Wait until the file system's clock is past everything written so far, so that an edit after a
    build is newer than the build's outputs, as ninja needs to see it (a coarse clock would hide it
    from ninja too: that is ninja's limit, not the check's)."""
    mark = folder / "clock"
    mark.write_text("")
    first = mark.stat().st_mtime_ns
    while True:
        mark.write_text("")
        if mark.stat().st_mtime_ns > first:
            return
        time.sleep(0.001)


class Project:
    """The multi sample at a fixed path, reset to a built copy for each example, and its loader."""

    def __init__(self, base: Path) -> None:
        self.work, self.template, self.site, self.elsewhere = (base / "multi", base / "template", base / "site",
                                                               base / "elsewhere")
        copy_sources(SAMPLES / "multi", self.work)
        (self.work / UNDECLARED).write_text("/* included, but not in the extensions' depends */\n")
        for source in SOURCES[1:]:  # _perimeter.c and the library's geom.c: only the deps log knows it
            path = self.work / source
            path.write_text(f'#include "{Path(UNDECLARED).name}"\n' + path.read_text())
        configure(self.work)
        ninja(self.work)
        shutil.copytree(self.work, self.template, symlinks=True)  # copy2 keeps the times: still up to date
        self.site.mkdir()
        self.elsewhere.mkdir()
        for name, text in loader_files(str(self.work), read_state(str(self.work))).items():
            (self.site / name).write_text(text, encoding="utf-8")
        self.counts = dict.fromkeys(["examples", "steps", "checks", "stale", "stale_with_a_record", "fresh",
                                     "loader_builds", "imports"], 0)

    def reset(self) -> None:
        shutil.rmtree(self.work)
        shutil.copytree(self.template, self.work, symlinks=True)
        assert planned(self.work) == []
        self.finder = NinjagenEditableFinder(str(self.work), "build", ninja_binary(),
                                             {"shapes": [str(self.work / "src")]})
        self.doc, self.version, self.extra = 0, 3, 0
        self.counts["examples"] += 1

    def do(self, action: str, index: int) -> None:
        work, kind, _, what = self.work, *action.partition(" ")
        self.counts["steps"] += 1
        if kind == "docstring":
            self.doc += 1
            text = (work / SOURCES[0]).read_text()
            (work / SOURCES[0]).write_text(re.sub(r'"ninjagen sample: areas[^"]*"', DOC[:-2] + f' edit {self.doc}."',
                                                  text))
        elif kind == "append":
            _append(work / what, "/* an edit */\n")
        elif kind == "touch" and "*" not in what:
            touch(work / what)
        elif kind == "include-new-header":
            self.extra += 1
            (work / "include" / f"extra{self.extra}.h").write_text(f"/* extra header {self.extra} */\n")
            _replace(work / SOURCES[1], '#include "shapes.h"\n',
                     f'#include "shapes.h"\n#include "extra{self.extra}.h"\n')
        elif kind == "edit-new-header" and self.extra:
            _append(work / "include" / f"extra{self.extra}.h", "/* an edit */\n")
        elif kind == "macro":
            self.version += 1
            _replace(work / "pyproject.toml", f'["GEOM_VERSION", "{self.version - 1}"]',
                     f'["GEOM_VERSION", "{self.version}"]')
        elif kind == "comment":
            _append(work / "pyproject.toml", "# a comment\n")
        elif kind in ("delete", "touch"):
            found = sorted(work.rglob(what))
            if found:
                path = found[index % len(found)]
                path.unlink() if kind == "delete" else touch(path)
        elif kind == "unrelated":
            (work / "src" / "shapes" / f"notes{self.counts['steps']}.txt").write_text("notes\n")
        elif action == "build ninja":
            ninja(work)
            _clock_past(work / "build")
        elif action == "build ninjagen":
            assert main(["build", "-C", str(work), "--quiet"]) == 0
            _clock_past(work / "build")
        elif action == "build loader":
            assert self.finder._build("shapes") is None
            self.counts["loader_builds"] += 1
            assert planned(work) == []
            assert self.finder.fresh(), "no record after a successful build through the loader"
            _clock_past(work / "build")
        elif action == "build import":
            self.real_import()

    def real_import(self) -> None:
        code = f"import {STEM}, shapes, shapes._area as a; print(a.__doc__); print(shapes.geom_version())"
        proc = subprocess.run([sys.executable, "-c", code], cwd=self.elsewhere, capture_output=True, text=True,
                              env=clean_env(PYTHONPATH=str(self.site)))
        assert proc.returncode == 0, proc.stderr
        doc, version = proc.stdout.splitlines()
        assert doc.endswith(f" edit {self.doc}.") if self.doc else doc == DOC.strip('"'), doc
        assert int(version) == self.version
        self.counts["imports"] += 1
        assert planned(self.work) == [] and self.finder.fresh()
        _clock_past(self.work / "build")

    def check(self) -> None:
        """The property: whenever ninja's dry run would do something, the check fails."""
        self.counts["checks"] += 1
        steps = planned(self.work)
        if steps:
            self.counts["stale"] += 1
            self.counts["stale_with_a_record"] += (self.work / "build" / FRESH_NAME).exists()
            assert not self.finder.fresh(), f"the check passed, but ninja would run: {steps}"
        else:
            self.counts["fresh"] += self.finder.fresh()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    return Project(tmp_path_factory.mktemp("fresh-property"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 3)), min_size=1, max_size=STEPS))
def test_the_check_never_passes_where_ninja_would_build(project, steps):
    project.reset()
    project.check()
    for action, index in steps:
        project.do(action, index)
        project.check()


def test_the_property_saw_what_it_is_about(project):
    """Run after the property (same module, in order): it met stale states with a record to fail, and
    passed fresh ones."""
    counts = project.counts
    if not counts["examples"]:
        pytest.skip("the property did not run in this session")
    print(f"\n{counts}")
    assert counts["examples"] == EXAMPLES and counts["stale_with_a_record"] > 0 and counts["fresh"] > 0
