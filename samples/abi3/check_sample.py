"""Run from the sample root after building: python check_sample.py"""
import os
import zlib

import limited

# The module must be the in-place abi3 build next to this script.
here = os.path.dirname(os.path.realpath(__file__))
assert os.path.dirname(os.path.realpath(limited.__file__)) == here, limited.__file__
# a limited-API module is named limited.abi3.so on POSIX and limited.pyd on Windows
assert limited.__file__.endswith(".pyd" if os.name == "nt" else ".abi3.so"), limited.__file__

assert limited.is_limited() is True

assert limited.checksum(b"") == 1
assert limited.checksum(b"a") == 0x00620062
assert limited.checksum(b"Wikipedia") == 0x11E60398
data = bytes(range(256)) * 300
assert limited.checksum(data) == zlib.adler32(data)
try:
    limited.checksum("not bytes")
except TypeError:
    pass
else:
    raise AssertionError("checksum(str) should raise TypeError")

print("ok abi3")
