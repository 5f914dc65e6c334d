"""Run from the sample root after building: python check_sample.py"""
import os
import sysconfig

import hello

# The module must be the in-place build next to this script.
here = os.path.dirname(os.path.realpath(__file__))
assert os.path.dirname(os.path.realpath(hello.__file__)) == here, hello.__file__
assert hello.__file__.endswith(sysconfig.get_config_var("EXT_SUFFIX")), hello.__file__

assert hello.greet("ninja") == "Hello, ninja!", hello.greet("ninja")
assert hello.greet("") == "Hello, !"
assert hello.add(2, 3) == 5
assert hello.add(-7, 4) == -3
try:
    hello.add("x", 1)
except TypeError:
    pass
else:
    raise AssertionError("add('x', 1) should raise TypeError")
try:
    hello.add(2**62, 2**62)
except OverflowError:
    pass
else:
    raise AssertionError("add(2**62, 2**62) should raise OverflowError")

print("ok hello")
