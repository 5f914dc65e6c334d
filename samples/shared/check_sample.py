"""Run from the sample's root after the build: B and C must share A's state."""

import os
import sys
import sysconfig

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))

from counter import _bump, _read  # noqa: E402

assert _read.read() == 0
assert _bump.bump() == 1
assert _bump.bump(41) == 42
assert _read.read() == 42, "the two modules do not share the library's counter"
assert _bump.state_address() == _read.state_address(), "two copies of the library's state"
suffix = sysconfig.get_config_var("EXT_SUFFIX")
for module in (_bump, _read):
    assert module.__file__.endswith(suffix), module.__file__
package_dir = os.path.dirname(_bump.__file__)
shared = [f for f in os.listdir(package_dir) if "counter_core" in f]
assert shared, "the shared library should sit beside the modules"
print("ok shared")
