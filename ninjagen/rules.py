"""Toolchain rules: jinja2 renders ``templates/<toolchain>.ninja.j2`` into rule blocks.

The templates hold ``rule`` blocks only; build statements come from the
compiler classes.  The jinja2 environment is created on first use, so that
commands that never render rules (``ninjagen --help``) do not import jinja2,
and a rendered text is kept (:func:`render_rules`): in the build folder and in
the user's cache folder (:func:`user_cache_dir`), so that neither a
reconfigure nor the configure of a fresh checkout does either (importing
jinja2 and rendering is a tenth of configuring ten thousand sources).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from typing import Any, Optional

from ._version import __version__
from .atomic import atomic_write
from .errors import ConfigError

__all__ = ["templates_dir", "template_path", "render_rules", "user_cache_dir", "RULES_CACHE"]


@functools.lru_cache(maxsize=None)
def templates_dir() -> str:
    """Where the templates are: inside the installed package, or the source tree's top level."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "templates"), os.path.join(os.path.dirname(here), "templates")):
        if os.path.isfile(os.path.join(candidate, "unix.ninja.j2")):
            return candidate
    raise ConfigError(f"ninjagen's rule templates are missing (looked in {here}/templates and beside the package)")


def template_path(toolchain: str) -> str:
    return os.path.join(templates_dir(), f"{toolchain}.ninja.j2")


@functools.lru_cache(maxsize=None)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_rules(toolchain: str, context: dict[str, Any], cache_dir: Optional[str] = None) -> str:
    """The rule text of *toolchain*'s template rendered with *context*.

    The text is a function of the templates' bytes, the context and the
    jinja2 installed, so it is remembered under a key made of those: in this
    process, with *cache_dir* (a build folder) in a file there, and in the
    user's cache folder, so that a configure neither imports jinja2 nor
    renders again.  A copy that cannot be read or written is only slower.
    """
    key = _key(toolchain, context)
    path = os.path.join(cache_dir, RULES_CACHE) if cache_dir is not None else None
    in_build = _read_cached(path, key) if path is not None else None
    text = _rendered.get(key) or in_build
    if text is None:
        user = user_cache_dir()
        shared = os.path.join(user, f"rules-{key}.txt") if user else None
        text = _read_cached(shared, key) if shared is not None else None
        if text is None:
            text = _render(toolchain, context)
            if shared is not None:
                _write_cached(shared, key, text, make_folder=True)
    if path is not None and in_build is None and os.path.isdir(cache_dir or ""):
        _write_cached(path, key, text)
    _rendered[key] = text
    return text


def user_cache_dir() -> Optional[str]:
    """The folder of ninjagen's cache for this user (None: no cache).

    ``NINJAGEN_CACHE_DIR`` if set (empty: no cache), else
    ``$XDG_CACHE_HOME/ninjagen``, else ``~/.cache/ninjagen`` (Windows:
    ``%LOCALAPPDATA%\\ninjagen\\cache``).  It holds only what ninjagen can make
    again, each file under a key of what it was made from.
    """
    env = os.environ
    if "NINJAGEN_CACHE_DIR" in env:
        return env["NINJAGEN_CACHE_DIR"] or None
    if os.name == "nt":
        base = env.get("LOCALAPPDATA")
        return os.path.join(base, "ninjagen", "cache") if base else None
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: which the XDG rules say to ignore
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ninjagen") if os.path.isabs(base) else None


#: the build folder's copy of the rendered rules: the key on its first line, then the text
RULES_CACHE = "ninjagen-rules.txt"

_rendered: dict[str, str] = {}


def _key(toolchain: str, context: dict[str, Any]) -> str:
    """What the rendered text depends on: every template (one may include another), the context, jinja2."""
    digest = hashlib.sha256(json.dumps([__version__, toolchain, context], sort_keys=True).encode())
    folder = templates_dir()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".j2"):
            with open(os.path.join(folder, name), "rb") as f:
                digest.update(b"\0" + name.encode() + b"\0" + f.read())
    spec = importlib.util.find_spec("jinja2")
    origin = spec.origin if spec is not None else None
    if origin:
        # its __init__.py names its version: the same jinja2 in another environment (each isolated
        # build has its own) renders the same text, so it shares the user cache's copy
        with open(origin, "rb") as f:
            digest.update(b"\0jinja2\0" + f.read())
    return digest.hexdigest()


def _read_cached(path: str, key: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            if f.readline() == key + "\n":
                return f.read()
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _write_cached(path: str, key: str, text: str, make_folder: bool = False) -> None:
    try:
        if make_folder:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write(path, f"{key}\n{text}")
    except OSError:
        pass  # a cache that cannot be written is only slower


def _render(toolchain: str, context: dict[str, Any]) -> str:
    import jinja2

    try:
        template = _environment().get_template(f"{toolchain}.ninja.j2")
    except jinja2.TemplateNotFound:
        raise ConfigError(f"no rule template for toolchain {toolchain!r} in {templates_dir()}") from None
    return template.render(**context)
