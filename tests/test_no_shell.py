"""Nothing runs through a shell at configure time: every process gets an argument list."""

from __future__ import annotations

import os
import subprocess

from ninjagen import customize_compiler, new_compiler
from ninjagen.cli import main


def test_configure_and_probes_start_processes_without_a_shell(sample, monkeypatch, tmp_path):
    started = []
    real_init = subprocess.Popen.__init__

    def observing_init(self, args, *rest, **kwargs):
        started.append((args, kwargs.get("shell", False)))
        real_init(self, args, *rest, **kwargs)

    def no_system(command):
        raise AssertionError(f"os.system({command!r}) at configure time")

    monkeypatch.setattr(subprocess.Popen, "__init__", observing_init)
    monkeypatch.setattr(os, "system", no_system)
    project = sample("multi")
    assert main(["configure", "-C", str(project)]) == 0  # runs ninja -t compdb
    monkeypatch.chdir(tmp_path)
    cc = new_compiler()
    customize_compiler(cc)
    cc.build_dir = str(tmp_path / "build")
    assert cc.has_function("strlen", includes=["string.h"])  # a probe runs the compiler for real
    assert started, "configure and the probe should have started processes"
    for args, shell in started:
        assert shell is False and isinstance(args, (list, tuple)), args
