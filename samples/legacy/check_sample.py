"""Run from the sample's root after the build."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))

from legacy import _fast, _native, wrapped  # noqa: E402

assert _native.scaled(2) == 106          # 2 * LEGACY_SCALE + HELPERS_BASE
assert _fast.total([1, 2]) == (101 + 102) * 7
assert wrapped.wrapped_twice_offset(5) == 210
print("ok legacy")
