"""``SOURCE_DATE_EPOCH`` (reproducible-builds.org): the one time every archive ninjagen writes carries."""

from __future__ import annotations

import os
from typing import Optional

from .errors import ConfigError

__all__ = ["source_date_epoch"]


def source_date_epoch() -> Optional[int]:
    """``SOURCE_DATE_EPOCH`` as whole seconds, or None when it is unset or empty; anything else is an error."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit() or not value.isascii() or int(value) >= 2 ** 32:
        raise ConfigError(f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970 (before 2106)")
    return int(value)
