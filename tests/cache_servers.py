"""Helpers of the shared-cache tests: an environment without the user's cache and compiler settings."""

from __future__ import annotations

import os

import pytest


def clean_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SCCACHE_* setting of the user's (a remote cache, a port, a config file), launcher or compiler reaches a test."""
    for name in list(os.environ):
        if name.startswith("SCCACHE_"):
            monkeypatch.delenv(name)
    for name in ("NINJAGEN_LAUNCHER", "CC", "CXX", "CFLAGS", "CPPFLAGS", "LDSHARED", "LDCXXSHARED"):
        monkeypatch.delenv(name, raising=False)
