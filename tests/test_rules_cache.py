"""The rendered toolchain rules are kept in the build folder, keyed by what they are made of."""

from __future__ import annotations

import os
import subprocess
import sys

from ninjagen.rules import RULES_CACHE, _render, render_rules, user_cache_dir

from conftest import write

CONFIGURE = ("import sys; from ninjagen.configure import configure; from ninjagen import Extension; "
             "configure('.', extensions=[Extension('m', ['m.c'])], environ={}); "
             "print('jinja2' in sys.modules)")


def _configure_in_a_new_process(project, user_cache) -> bool:
    """Configure *project* from a fresh interpreter with *user_cache* as ninjagen's user cache folder
    ("": none); whether that imported jinja2."""
    out = subprocess.run([sys.executable, "-c", CONFIGURE], cwd=project, capture_output=True, text=True, check=True,
                         env={**os.environ, "NINJAGEN_CACHE_DIR": str(user_cache)})
    return out.stdout.strip().splitlines()[-1] == "True"


def test_a_reconfigure_reuses_the_rendered_rules_without_jinja2(tmp_path):
    write(tmp_path / "m.c", "int m;\n")
    assert _configure_in_a_new_process(tmp_path, "")  # the first renders the template
    first = (tmp_path / "build.ninja").read_text()
    assert (tmp_path / "build" / RULES_CACHE).exists()
    assert not _configure_in_a_new_process(tmp_path, "")  # the second reads what the first rendered
    assert (tmp_path / "build.ninja").read_text() == first


def test_a_fresh_checkout_reuses_the_user_cache_and_renders_where_it_is_gone(tmp_path):
    cache = tmp_path / "cache"
    one, two = tmp_path / "one", tmp_path / "two"
    for project in (one, two):
        write(project / "m.c", "int m;\n")
    assert _configure_in_a_new_process(one, cache)  # renders, and keeps the text in the user cache too
    kept = list(cache.glob("rules-*.txt"))
    assert len(kept) == 1
    assert not _configure_in_a_new_process(two, cache)  # another project, no build folder: no jinja2
    assert (two / "build.ninja").read_text() == (one / "build.ninja").read_text()
    assert (two / "build" / RULES_CACHE).exists()
    kept[0].write_text(kept[0].read_text().partition("\n")[0] + "\nrule stale\n", encoding="utf-8")
    (two / "build" / RULES_CACHE).unlink()
    # a copy whose key line matches is trusted: the key is what the text is made of, checked before use
    assert not _configure_in_a_new_process(two, cache)
    assert "rule stale" in (two / "build.ninja").read_text()
    for path in (*cache.glob("rules-*.txt"), two / "build" / RULES_CACHE):
        path.unlink()
    assert _configure_in_a_new_process(two, cache)  # both copies gone: rendered again, the same file
    assert (two / "build.ninja").read_text() == (one / "build.ninja").read_text()
    assert not _configure_in_a_new_process(one, "")  # no user cache: the build folder's copy still serves


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


def test_the_user_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NINJAGEN_CACHE_DIR", str(tmp_path / "mine"))
    assert user_cache_dir() == str(tmp_path / "mine")
    monkeypatch.setenv("NINJAGEN_CACHE_DIR", "")
    assert user_cache_dir() is None  # empty: no user cache
    monkeypatch.delenv("NINJAGEN_CACHE_DIR")
    if os.name != "nt":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert user_cache_dir() == str(tmp_path / "xdg" / "ninjagen")
        monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the XDG rule: a relative value is ignored
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert user_cache_dir() == str(tmp_path / "home" / ".cache" / "ninjagen")
