"""Run from the sample root after building: python check_sample.py"""
import os
import sysconfig

import cxxdemo

# The module must be the in-place build next to this script.
here = os.path.dirname(os.path.realpath(__file__))
assert os.path.dirname(os.path.realpath(cxxdemo.__file__)) == here, cxxdemo.__file__
assert cxxdemo.__file__.endswith(sysconfig.get_config_var("EXT_SUFFIX")), cxxdemo.__file__

# C++: std::vector + std::sort + std::unique
assert cxxdemo.sorted_unique([3, 1, 2, 3, -5, 1]) == [-5, 1, 2, 3]
assert cxxdemo.sorted_unique([]) == []
assert cxxdemo.sorted_unique((7, 7, 7)) == [7]

# C++: std::string
assert cxxdemo.join(["a", "b", "c"], ", ") == "a, b, c"
assert cxxdemo.join([], "-") == ""
assert cxxdemo.join(["solo"], "-") == "solo"
assert cxxdemo.join(["caf\u00e9", "\u00fcber"], "\u2192") == "caf\u00e9\u2192\u00fcber"

# C (ccore.c) called from C++
assert cxxdemo.total([1, 2, 3, 4]) == 10
assert cxxdemo.total([]) == 0
assert cxxdemo.total([-10, 4]) == -6

for bad_call in (
    lambda: cxxdemo.sorted_unique([1, "x"]),
    lambda: cxxdemo.join(["a", 1], ","),
    lambda: cxxdemo.total(5),
):
    try:
        bad_call()
    except TypeError:
        pass
    else:
        raise AssertionError("expected TypeError")
try:
    cxxdemo.total([2**62, 2**62])
except OverflowError:
    pass
else:
    raise AssertionError("total overflow should raise OverflowError")

print("ok cxx")
