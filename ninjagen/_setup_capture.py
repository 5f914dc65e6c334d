"""Run a project's setup.py with setup() intercepted, and describe what it was given as JSON.

Standalone on purpose: ``ninjagen.setup_py`` runs this file with the Python
that the project builds for, as ``python _setup_capture.py SETUP_PY OUT_JSON``,
so that the setup.py's own imports (numpy, Cython, ...) resolve there.  Nothing
is built: ``setup()`` records its arguments and stops the script, and Cython's
``cythonize()`` returns its Extensions with their ``.pyx`` sources instead of
translating them (ninja does that, with dependency tracking).
"""

import os
import sys

# Run as a script, this file's folder (ninjagen's) comes first on sys.path, where
# ninjagen/setuptools.py would shadow the real setuptools: take it away.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import json  # noqa: E402
import runpy  # noqa: E402
import traceback  # noqa: E402

EXTENSION_FIELDS = (
    "name", "sources", "include_dirs", "define_macros", "undef_macros", "library_dirs", "libraries",
    "runtime_library_dirs", "extra_objects", "extra_compile_args", "extra_link_args", "export_symbols",
    "swig_opts", "depends", "language", "optional", "py_limited_api",
)
BUILD_EXT_HOOKS = ("run", "build_extensions", "build_extension", "finalize_options", "get_ext_filename")


class SetupCalled(Exception):
    """Raised by the intercepted setup() once it has recorded its arguments."""


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "__fspath__"):
        return os.fspath(value)
    return str(value)


def _directive_defaults():
    """Cython's global directive defaults, which a setup.py may change (cytoolz sets embedsignature so)."""
    try:
        from Cython.Compiler import Options

        return dict(Options.get_directive_defaults())
    except Exception:
        return None


def _extension(ext, changed_defaults=None):
    described = {}
    for name in EXTENSION_FIELDS:
        if hasattr(ext, name):
            described[name] = _plain(getattr(ext, name))
    cython = dict(getattr(ext, "ninjagen_cython", {}))
    if changed_defaults and any(str(s).endswith(".pyx") for s in getattr(ext, "sources", None) or []):
        cython["directives"] = {**_plain(changed_defaults), **cython.get("directives", {})}
    directives = getattr(ext, "cython_directives", None)  # Cython.Distutils.Extension's own
    if directives:
        cython.setdefault("directives", {}).update(_plain(directives))
    if cython:
        described["cython"] = cython
    return described


def _library(item):
    name, info = item
    return {"name": name, "build_info": _plain(dict(info))}


def _custom_build_ext(cmdclass):
    cls = (cmdclass or {}).get("build_ext")
    if cls is None:
        return None
    module = getattr(cls, "__module__", "")
    if module.startswith(("setuptools", "distutils", "ninjagen", "Cython")):
        return None
    overridden = [hook for hook in BUILD_EXT_HOOKS if hook in vars(cls)]
    return {"class": f"{module}.{cls.__qualname__}", "overrides": overridden}


def main(setup_py, out_json):
    recorded = {}

    def fake_setup(**kwargs):
        recorded.update(kwargs)
        raise SetupCalled()

    import setuptools

    setuptools.setup = fake_setup
    try:
        import setuptools._distutils.core as sdc

        sdc.setup = fake_setup
    except ImportError:
        pass
    try:
        import distutils.core

        distutils.core.setup = fake_setup
    except ImportError:
        pass
    try:
        import Cython.Build
        from Cython.Build.Dependencies import create_extension_list

        def fake_cythonize(module_list, exclude=None, nthreads=0, aliases=None, quiet=False, force=None,
                           language=None, exclude_failures=False, show_all_warnings=False, **options):
            from Cython.Compiler.Main import CompilationOptions, Context

            known = {k: v for k, v in options.items() if k in ("include_path", "compiler_directives")}
            ctx = Context.from_options(CompilationOptions(**known))
            modules, _ = create_extension_list(module_list, exclude=exclude or [], ctx=ctx, quiet=quiet,
                                               exclude_failures=exclude_failures, language=language,
                                               aliases=aliases)
            cython = {"directives": _plain(options.get("compiler_directives") or {}),
                      "include_path": _plain(options.get("include_path") or [])}
            for module in modules:
                module.ninjagen_cython = cython
            return modules

        Cython.Build.cythonize = fake_cythonize
        import Cython.Build.Dependencies

        Cython.Build.Dependencies.cythonize = fake_cythonize
    except Exception:  # no Cython, or one whose internals differ: setup.py gets the real one
        pass

    folder = os.path.dirname(os.path.abspath(setup_py))
    os.chdir(folder)
    sys.path.insert(0, folder)
    sys.argv = [setup_py, "build_ext", "--inplace"]
    result = {"called": False}
    pristine = _directive_defaults()
    try:
        runpy.run_path(setup_py, run_name="__main__")
    except SetupCalled:
        result["called"] = True
    except SystemExit as exc:
        if exc.code not in (None, 0):
            result["error"] = f"setup.py exited with status {exc.code}"
    except BaseException as exc:  # the project's own failure, reported as one line
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == os.path.abspath(setup_py)]
        where = f" (setup.py line {frames[-1].lineno})" if frames else ""
        result["error"] = f"{type(exc).__name__}: {exc}{where}"
    if result["called"]:
        now = _directive_defaults() if pristine is not None else None
        changed = {k: v for k, v in (now or {}).items() if k not in pristine or pristine[k] != v}
        result["ext_modules"] = [_extension(e, changed) for e in recorded.get("ext_modules") or []]
        result["libraries"] = [_library(item) for item in recorded.get("libraries") or []]
        result["package_dir"] = _plain(recorded.get("package_dir") or {})
        result["custom_build_ext"] = _custom_build_ext(recorded.get("cmdclass"))
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
