"""The build backend's config-settings (``pip -C key=value``, ``python -m build -C``, ``uv build -C``).

Every value arrives as a string (or a list of them, when a key is given
twice); an unknown key, or a value of the wrong kind, is a one-line error that
names the key (with "did you mean" for a near miss).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from .errors import ConfigError

__all__ = ["BackendSettings", "parse_settings"]


@dataclass(frozen=True)
class BackendSettings:
    build_dir: Optional[str] = None
    """The build folder (default: ``build/<wheel tag>``, kept between builds)."""
    jobs: Optional[int] = None
    compiler: Optional[str] = None
    python: Optional[str] = None
    """The target Python: an interpreter, or an unpacked Windows CPython folder."""
    launcher: Optional[str] = None
    verbose: bool = False
    """Full commands in the build log (``ninja -v``)."""
    editable_rebuild: bool = True
    editable_verbose: bool = False


_KEYS = {"build-dir": "build_dir", "jobs": "jobs", "compiler": "compiler", "python": "python",
         "launcher": "launcher", "verbose": "verbose", "editable-rebuild": "editable_rebuild",
         "editable-verbose": "editable_verbose"}
_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True, "": True,
             "false": False, "0": False, "no": False, "off": False}


def _one(key: str, value: Any) -> str:
    if isinstance(value, list):  # the key given more than once: the last one wins, as with options
        value = value[-1] if value else ""
    if not isinstance(value, str):
        raise ConfigError(f"config-setting {key}: expected a string, got {value!r}")
    return value


def parse_settings(config_settings: Optional[Mapping[str, Any]]) -> BackendSettings:
    values: dict[str, Any] = {}
    for key, raw in (config_settings or {}).items():
        if key not in _KEYS:
            hint = difflib.get_close_matches(key, list(_KEYS), n=1)
            suffix = f" (did you mean {hint[0]!r}?)" if hint else f" (known: {', '.join(sorted(_KEYS))})"
            raise ConfigError(f"unknown config-setting {key!r}{suffix}")
        value = _one(key, raw)
        field = _KEYS[key]
        if field in ("verbose", "editable_rebuild", "editable_verbose"):
            if value.strip().lower() not in _BOOLEANS:
                raise ConfigError(f"config-setting {key}: expected true or false, got {value!r}")
            values[field] = _BOOLEANS[value.strip().lower()]
        elif field == "jobs":
            if not value.isdigit() or int(value) < 1:
                raise ConfigError(f"config-setting jobs: expected a whole number of at least 1, got {value!r}")
            values[field] = int(value)
        elif not value:
            raise ConfigError(f"config-setting {key}: expected a value")
        else:
            values[field] = value
    return BackendSettings(**values)
