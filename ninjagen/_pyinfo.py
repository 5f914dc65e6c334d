"""Describe the running Python as JSON: what a build for it needs.

Standalone on purpose: ``Target.from_interpreter`` runs this file with
*another* interpreter (``python -I _pyinfo.py``), which may be older than the
one running ninjagen and has no ninjagen installed.  Keep it free of ninjagen
imports and of syntax newer than Python 3.6.
"""

import json
import os
import sys
import sysconfig

CONFIG_VARS = (
    "CC", "CXX", "CFLAGS", "CCSHARED", "LDSHARED", "LDCXXSHARED", "AR", "ARFLAGS",
    "SHLIB_SUFFIX", "EXT_SUFFIX", "SOABI", "Py_ENABLE_SHARED", "LIBDIR", "LDLIBRARY",
    "GNULD", "py_version_nodot", "abiflags", "Py_GIL_DISABLED", "MACOSX_DEPLOYMENT_TARGET",
)


def describe():
    config = {}
    for name in CONFIG_VARS:
        value = sysconfig.get_config_var(name)
        if value is not None:
            config[name] = value
    paths = sysconfig.get_paths()
    sysconfig_file = None
    for mod_name, mod in list(sys.modules.items()):
        if mod_name.startswith("_sysconfigdata") and getattr(mod, "__file__", None):
            sysconfig_file = os.path.abspath(mod.__file__)
    return {
        "python": sys.executable,
        "version": list(sys.version_info[:2]),
        "implementation": sys.implementation.name,
        "platform": sysconfig.get_platform(),
        "sys_platform": sys.platform,
        "os_name": os.name,
        "base_prefix": getattr(sys, "base_prefix", sys.prefix),
        "exec_prefix": sys.exec_prefix,
        "base_exec_prefix": getattr(sys, "base_exec_prefix", sys.exec_prefix),
        "include": paths.get("include"),
        "platinclude": paths.get("platinclude"),
        "config": config,
        "sysconfig_file": sysconfig_file,
    }


if __name__ == "__main__":
    json.dump(describe(), sys.stdout)
