"""Put on PYTHONPATH by run.py for a setuptools build: log every command a distutils compiler spawns.

Each command that ``CCompiler.spawn`` or ``Compiler.call`` (distutils', setuptools' vendored one,
or a subclass's ``_compile`` / ``link`` through it) starts is appended as a JSON
line ``{"argv": [...], "cwd": "..."}`` to the file ``NINJAGEN_SPAWN_LOG`` names,
and then run as usual: the build is setuptools' own, unchanged.  run.py
compares these with the commands ninja runs (``tests/argv_compare.py``).
"""

import json
import os
import subprocess
import sys

_LOG = os.environ.get("NINJAGEN_SPAWN_LOG")


def _from_a_compiler() -> bool:
    """Whether a distutils compiler's ``spawn`` (or ``call``, setuptools >= 80) is on the stack."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name in ("spawn", "call"):
            owner = frame.f_locals.get("self")
            if hasattr(owner, "compiler_type") and hasattr(owner, "executables"):
                return True
        frame = frame.f_back
    return False


if _LOG:
    _popen_init = subprocess.Popen.__init__

    def _logging_init(self, args, *rest, **kwargs):
        if _from_a_compiler():
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(json.dumps({"argv": [os.fspath(a) for a in args],
                                      "cwd": os.fspath(kwargs.get("cwd") or os.getcwd())}) + "\n")
        _popen_init(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = _logging_init
