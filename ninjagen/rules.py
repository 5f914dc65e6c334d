"""Toolchain rules: jinja2 renders ``templates/<toolchain>.ninja.j2`` into rule blocks.

The templates hold ``rule`` blocks only; build statements come from the
compiler classes.  The jinja2 environment is created on first use, so that
commands that never render rules (``ninjagen --help``) do not import jinja2.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from .errors import ConfigError

__all__ = ["templates_dir", "template_path", "render_rules"]


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


def render_rules(toolchain: str, context: dict[str, Any]) -> str:
    """The rule text of *toolchain*'s template rendered with *context*."""
    import jinja2

    try:
        template = _environment().get_template(f"{toolchain}.ninja.j2")
    except jinja2.TemplateNotFound:
        raise ConfigError(f"no rule template for toolchain {toolchain!r} in {templates_dir()}") from None
    return template.render(**context)
