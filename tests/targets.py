"""Frozen Target descriptions: the Pythons the tests build for, written out in full.

No field comes from this machine (except where a test needs a real interpreter to
ask), so what a test generates for them is the same on any host.  The golden
files under tests/golden/ are generated for TARGETS (and FREE_THREADED, MACOS).
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

# Free-threaded 3.13 builds: the Windows pyconfig.h leaves Py_GIL_DISABLED to the command line
# (msvc, mingw32, bcpp add it), a pyconfig.h made by configure defines it (unix, cygwin do not)
WINDOWS_FREE_THREADED = Target(
    python="C:\\Python313\\python3.13t.exe", version=(3, 13), platform="win-amd64", sys_platform="win32",
    os_name="nt", include_dirs=("C:\\Python313\\include",), library_dirs=("C:\\Python313\\libs",),
    config={"EXT_SUFFIX": ".cp313t-win_amd64.pyd", "SHLIB_SUFFIX": ".pyd", "Py_GIL_DISABLED": 1},
)
LINUX_FREE_THREADED = Target(
    python="/opt/python3.13t/bin/python3.13t", version=(3, 13), platform="linux-x86_64", sys_platform="linux",
    os_name="posix", include_dirs=("/opt/python3.13t/include/python3.13t",),
    config={**LINUX.config, "EXT_SUFFIX": ".cpython-313t-x86_64-linux-gnu.so", "Py_GIL_DISABLED": 1},
)
CYGWIN_FREE_THREADED = Target(
    python="/usr/bin/python3.13t", version=(3, 13), platform="cygwin-3.5.4-x86_64", sys_platform="cygwin",
    os_name="posix", include_dirs=("/usr/include/python3.13t",), library_dirs=("/usr/lib/python3.13t/config",),
    config={"EXT_SUFFIX": ".cpython-313t-x86_64-cygwin.dll", "SHLIB_SUFFIX": ".dll", "Py_GIL_DISABLED": 1},
)
FREE_THREADED = {"unix": LINUX_FREE_THREADED, "msvc": WINDOWS_FREE_THREADED, "mingw32": WINDOWS_FREE_THREADED,
                 "cygwin": CYGWIN_FREE_THREADED, "bcpp": WINDOWS_FREE_THREADED}

# A macOS Python: the unix compiler with dyld's run paths and -dynamiclib shared libraries
MACOS = Target(
    python="/Library/Frameworks/Python.framework/Versions/3.12/bin/python3.12", version=(3, 12),
    platform="macosx-11.0-arm64", sys_platform="darwin", os_name="posix",
    include_dirs=("/Library/Frameworks/Python.framework/Versions/3.12/include/python3.12",),
    config={"CC": "clang", "CXX": "clang++", "CFLAGS": "-fno-strict-overflow -Wsign-compare -DNDEBUG -g -O3 -Wall",
            "CCSHARED": "", "LDSHARED": "clang -bundle -undefined dynamic_lookup",
            "LDCXXSHARED": "clang++ -bundle -undefined dynamic_lookup", "AR": "ar", "ARFLAGS": "rcs",
            "EXT_SUFFIX": ".cpython-312-darwin.so", "SHLIB_SUFFIX": ".so"},
)


def linux_target(sys_platform: str = "linux", **config: str) -> Target:
    """A POSIX target described in full (only its python is the running one, for probes): *config* is its sysconfig."""
    return Target(
        python=sys.executable, version=(3, 12), platform="linux-x86_64", sys_platform=sys_platform,
        os_name="posix", include_dirs=("/usr/include/python3.12",), config=config,
    )
