"""Frozen Target descriptions: the Pythons the tests build for, written out in full.

No field comes from this machine (except where a test needs a real interpreter to
ask), so what a test generates for them is the same on any host.  The golden
files under tests/golden/ are generated for TARGETS; test_golden.py re-exports
these names.
"""

from __future__ import annotations

import sys

from ninjagen import Target

LINUX = Target(
    python="/opt/python3.12/bin/python3.12", version=(3, 12), platform="linux-x86_64", sys_platform="linux",
    os_name="posix", include_dirs=("/opt/python3.12/include/python3.12",),
    config={"CC": "gcc -pthread", "CXX": "g++ -pthread", "CFLAGS": "-DNDEBUG -g -fwrapv -O3 -Wall",
            "CCSHARED": "-fPIC", "LDSHARED": "gcc -pthread -shared", "LDCXXSHARED": "g++ -pthread -shared",
            "AR": "ar", "ARFLAGS": "rcs", "EXT_SUFFIX": ".cpython-312-x86_64-linux-gnu.so", "SHLIB_SUFFIX": ".so",
            "GNULD": "yes"},
)
WINDOWS = Target(
    python="C:\\Python312\\python.exe", version=(3, 12), platform="win-amd64", sys_platform="win32", os_name="nt",
    include_dirs=("C:\\Python312\\include",), library_dirs=("C:\\Python312\\libs",),
    config={"EXT_SUFFIX": ".cp312-win_amd64.pyd", "SHLIB_SUFFIX": ".pyd"},
)
CYGWIN = Target(
    python="/usr/bin/python3.12", version=(3, 12), platform="cygwin-3.5.4-x86_64", sys_platform="cygwin",
    os_name="posix", include_dirs=("/usr/include/python3.12",), library_dirs=("/usr/lib/python3.12/config",),
    config={"EXT_SUFFIX": ".cpython-312-x86_64-cygwin.dll", "SHLIB_SUFFIX": ".dll"},
)
#: toolchain -> the target its golden files are generated for
TARGETS = {"unix": LINUX, "msvc": WINDOWS, "mingw32": WINDOWS, "cygwin": CYGWIN, "bcpp": WINDOWS}


def linux_target(sys_platform: str = "linux", **config: str) -> Target:
    """A POSIX target described in full (only its python is the running one, for probes): *config* is its sysconfig."""
    return Target(
        python=sys.executable, version=(3, 12), platform="linux-x86_64", sys_platform=sys_platform,
        os_name="posix", include_dirs=("/usr/include/python3.12",), config=config,
    )
