"""One exception family.

Every error a user can cause is a :class:`NinjagenError`; the CLI turns it into
one line on stderr and exit status 1.  The names follow distutils'
``errors.py`` (CompileError, LinkError, ...) so code ported from there reads
the same.
"""


class NinjagenError(Exception):
    """Base class: a problem the user can fix, reported as one line."""


class ConfigError(NinjagenError):
    """Bad project configuration: pyproject.toml, an Extension, an option."""


class PlatformError(NinjagenError):
    """An unknown compiler type or platform, or one that cannot be used here."""


class ProbeError(NinjagenError):
    """A configure-time probe could not run (compiler missing, ...)."""


class CompileError(NinjagenError):
    """A compile step failed (probes, ``spawn``)."""


class LinkError(NinjagenError):
    """A link step failed (probes, ``spawn``)."""


class LibError(NinjagenError):
    """A static library step failed."""


class BuildError(NinjagenError):
    """Ninja reported a failed build."""


__all__ = [
    "NinjagenError",
    "ConfigError",
    "PlatformError",
    "ProbeError",
    "CompileError",
    "LinkError",
    "LibError",
    "BuildError",
]
