"""The wheel tag of a build, from the *target* Python (which may not be the one running ninjagen).

``cpXY-cpXY-<platform>`` for modules built against the full API (``cpXYt`` for a
free-threaded Python, ``d`` added for a debug build); ``cpXY-abi3-<platform>``
when every extension uses the limited API, XY being the lowest version among
them (the wheel works from there on); ``py3-none-any`` without extensions.
The platform is the target's ``sysconfig.get_platform()`` written as wheel tags
write it (``linux_x86_64``, ``win_amd64``, ``macosx_11_0_arm64``), as
setuptools' bdist_wheel does; ``auditwheel repair`` makes a Linux one manylinux.
"""

from __future__ import annotations

import re
from typing import Sequence

from .errors import ConfigError
from .extension import Extension
from .target import Target

__all__ = ["wheel_tag", "platform_tag"]

_SOABI_CPYTHON = re.compile(r"cpython-(\d)(\d+)([a-z]*)")


def platform_tag(target: Target) -> str:
    return re.sub(r"[-.]", "_", target.platform)


def _interpreter_and_abi(target: Target) -> tuple[str, str]:
    nodot = f"{target.version[0]}{target.version[1]}"
    soabi = str(target.var("SOABI") or "")
    match = _SOABI_CPYTHON.match(soabi)
    if soabi and not match:
        raise ConfigError(f"the target Python {target.python} is not CPython (its SOABI is {soabi!r}): "
                          "ninjagen tags wheels for CPython only")
    flags = match.group(3) if match else ("t" if target.free_threaded else "")
    return f"cp{nodot}", f"cp{nodot}{flags}"


def _lowest_limited_api(extensions: Sequence[Extension], target: Target) -> int:
    """The lowest minor version the limited-API extensions ask for (``py_limited_api = true``: 3.9, or the target's)."""
    minors = []
    for ext in extensions:
        hexed = ext.limited_api_hex(target.version)
        minors.append(int(hexed[4:6], 16) if hexed else target.version[1])
    return min(minors)


def wheel_tag(target: Target, extensions: Sequence[Extension]) -> str:
    """``interpreter-abi-platform`` for a wheel holding *extensions* built for *target*."""
    if not extensions:
        return "py3-none-any"
    interpreter, abi = _interpreter_and_abi(target)
    if all(ext.py_limited_api for ext in extensions) and not target.free_threaded:
        return f"cp{target.version[0]}{_lowest_limited_api(extensions, target)}-abi3-{platform_tag(target)}"
    return f"{interpreter}-{abi}-{platform_tag(target)}"
