"""The rendered toolchain rules are kept in the build folder, keyed by what they are made of."""

from __future__ import annotations

import subprocess
import sys

from ninjagen.rules import RULES_CACHE, _render, render_rules

from conftest import write

CONFIGURE = ("import sys; from ninjagen.configure import configure; from ninjagen import Extension; "
             "configure('.', extensions=[Extension('m', ['m.c'])], environ={}); "
             "print('jinja2' in sys.modules)")


def _configure_in_a_new_process(project) -> bool:
    """Configure *project* from a fresh interpreter; whether that imported jinja2."""
    out = subprocess.run([sys.executable, "-c", CONFIGURE], cwd=project, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1] == "True"


def test_a_reconfigure_reuses_the_rendered_rules_without_jinja2(tmp_path):
    write(tmp_path / "m.c", "int m;\n")
    assert _configure_in_a_new_process(tmp_path)  # the first renders the template
    first = (tmp_path / "build.ninja").read_text()
    assert (tmp_path / "build" / RULES_CACHE).exists()
    assert not _configure_in_a_new_process(tmp_path)  # the second reads what the first rendered
    assert (tmp_path / "build.ninja").read_text() == first


def test_a_cached_text_is_used_only_for_its_own_key(tmp_path):
    context = {"launcher": False, "link_pool": "link_pool", "ranlib": False}
    fresh = _render("unix", context)
    (tmp_path / RULES_CACHE).write_text("0" * 64 + "\nrule stale\n  command = false\n", encoding="utf-8")
    assert render_rules("unix", context, cache_dir=str(tmp_path)) == fresh  # another key: rendered again
    key, _, text = (tmp_path / RULES_CACHE).read_text(encoding="utf-8").partition("\n")
    assert text == fresh and len(key) == 64
    with_launcher = render_rules("unix", {**context, "launcher": True}, cache_dir=str(tmp_path))
    assert with_launcher == _render("unix", {**context, "launcher": True}) != fresh
    assert (tmp_path / RULES_CACHE).read_text(encoding="utf-8").partition("\n")[0] != key
