"""The only place that starts a compiler at configure time.

Probes (``has_function``) compile and link a tiny program with the very
commands the build would use, and remember the answer in the build folder,
keyed by those commands, so a reconfigure does not pay for them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from typing import TYPE_CHECKING, Callable, Optional

from .errors import CompileError, ProbeError
from .atomic import atomic_write

if TYPE_CHECKING:
    from .compilers.base import CCompiler

__all__ = ["run_command", "has_function", "msvc_deps_prefix", "CACHE_NAME"]

CACHE_NAME = "ninjagen-probes.json"


def run_command(argv: list[str], cwd: str | None = None) -> str:
    """Run *argv* (no shell); return its output, or raise with command, status and output."""
    try:
        proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except FileNotFoundError:
        raise ProbeError(f"cannot run {argv[0]!r}: not found on PATH") from None
    except OSError as exc:
        raise ProbeError(f"cannot run {argv[0]!r}: {exc.strerror}") from None
    if proc.returncode != 0:
        output = proc.stdout.strip()
        raise CompileError(f"command failed with exit status {proc.returncode}: {' '.join(argv)}"
                           + (f"\n{output}" if output else ""))
    return proc.stdout


def _program(funcname: str, includes: list[str]) -> str:
    """A program that needs *funcname* to link.

    Without headers it is declared and called, as in distutils; with headers
    its address is taken instead, so that a function with parameters (strlen)
    is found too, where distutils' bare call fails to compile.
    """
    if not includes:
        return f"int {funcname}(void);\nint main(void)\n{{\n    {funcname}();\n    return 0;\n}}\n"
    lines = [f'#include "{inc}"' for inc in includes]
    lines += ["int main(void)", "{", f"    void (*volatile p)(void) = (void (*)(void)){funcname};",
              "    return p == 0;", "}", ""]
    return "\n".join(lines)


def _cache_path(compiler: "CCompiler") -> str:
    return os.path.join(compiler.build_dir, CACHE_NAME)


def _load_cache(path: str) -> dict[str, bool]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _cached(compiler: "CCompiler", key_parts: list, compute: "Callable[[], object]") -> object:
    """*compute()*, remembered in the build folder under a hash of *key_parts*."""
    key = hashlib.sha256(json.dumps(key_parts).encode()).hexdigest()
    cache_file = _cache_path(compiler)
    cache = _load_cache(cache_file)
    if key in cache:
        return cache[key]
    value = compute()
    if not compiler.dry_run:
        cache[key] = value
        os.makedirs(compiler.build_dir, exist_ok=True)
        atomic_write(cache_file, json.dumps(cache, indent=1, sort_keys=True) + "\n")
    return value


def msvc_deps_prefix(compiler: "CCompiler") -> Optional[str]:
    """The text ``cl /showIncludes`` prints before a header's path, or None without a ``cl``.

    A localized Visual Studio prints its own words ("Remarque : inclusion du
    fichier :"); ninja's ``deps = msvc`` must be told them.
    """
    cl = compiler.command("compiler")
    if shutil.which(cl[0]) is None:
        return None

    def detect() -> Optional[str]:
        with tempfile.TemporaryDirectory(prefix="ninjagen-probe-") as scratch:
            header = os.path.join(scratch, "ninjagen_probe.h")
            with open(header, "w", encoding="utf-8") as f:
                f.write("#define NINJAGEN_PROBE 1\n")
            src = os.path.join(scratch, "probe.c")
            with open(src, "w", encoding="utf-8") as f:
                f.write('#include "ninjagen_probe.h"\nint probe = NINJAGEN_PROBE;\n')
            try:
                output = run_command(cl + ["/nologo", "/showIncludes", "/c", "/Tc" + src,
                                           "/Fo" + os.path.join(scratch, "probe.obj")])
            except (CompileError, ProbeError):
                return None
        for line in output.splitlines():
            if line.rstrip().endswith("ninjagen_probe.h"):
                folded = line.replace("\\", "/").lower()
                at = folded.find(scratch.replace("\\", "/").lower())
                if at > 0:
                    return line[:at].rstrip()
        return None

    return _cached(compiler, ["msvc_deps_prefix", cl], detect)  # type: ignore[return-value]


def has_function(compiler: "CCompiler", funcname: str, includes: list[str], include_dirs: list[str],
                 libraries: list[str], library_dirs: list[str]) -> bool:
    from .compilers.base import gen_lib_options

    source = _program(funcname, includes)
    pp_opts = compiler.preprocess_options(None, include_dirs)
    lib_opts = gen_lib_options(compiler, library_dirs + compiler.library_dirs, [],
                               libraries + compiler.libraries)

    def commands(directory: str) -> tuple[list[str], list[str]]:
        src = os.path.join(directory, "probe.c")
        obj = os.path.join(directory, "probe" + compiler.obj_extension)
        exe = os.path.join(directory, compiler.executable_filename("probe"))
        return compiler.compile_argv(src, obj, pp_opts), compiler.link_exe_argv([obj], exe, lib_opts)

    def probe() -> bool:
        with tempfile.TemporaryDirectory(prefix="ninjagen-probe-") as scratch:
            with open(os.path.join(scratch, "probe.c"), "w", encoding="utf-8") as f:
                f.write(source)
            compile_argv, link_argv = commands(scratch)
            try:
                # run from the project folder: include and library dirs are relative to it
                run_command(compile_argv)
                run_command(link_argv)
                return True
            except CompileError:
                return False

    # keyed by the commands with a fixed scratch name, so that the key is stable
    return bool(_cached(compiler, [source, *commands("@probe")], probe))
