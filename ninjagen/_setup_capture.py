"""Run a project's setup.py and describe, as JSON, what setuptools would build.

Standalone on purpose: ``ninjagen.setup_py`` runs this file with the Python
that the project builds for, as ``python _setup_capture.py MODE SETUP_PY OUT_JSON``,
so that the setup.py's own imports (numpy, Cython, pybind11, ...) resolve there.
Nothing is compiled, in either mode:

- ``build_ext``: ``setup.py build_ext --inplace`` runs for real, the project's own
  build_ext subclass, setup.cfg, ``options=``, ``ext_package`` and all, but the
  compiler object setuptools creates records its ``compile()``, ``link()`` and
  ``create_static_lib()`` calls (with the compiler's state at that moment: its
  commands, include folders, macros, libraries) instead of spawning anything.
  Probes (``has_function``) and tools the project runs itself do run, as under
  setuptools; commands it spawns through the compiler by hand are reported.
- ``setup``: ``setup()`` records its arguments and stops the script (for a build
  whose build_ext cannot run here: another platform's).

Either way Cython's ``cythonize()`` returns its Extensions with their ``.pyx``
sources, and SWIG interfaces stay ``.i``, instead of being translated: ninja does
that, with dependency tracking.
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


def _sibling(name):
    """A standalone module beside this file (whose folder is kept off sys.path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_ninjagen" + name, os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# the recording compiler, and its _plain(): values of setup() and Extension fields as JSON data
recorder = _sibling("_build_ext_recorder")
_plain = recorder._plain


class SetupCalled(Exception):
    """Raised by the intercepted setup() once it has recorded its arguments."""


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


def _intercept_setup(recorded):
    """setup() records its keyword arguments and stops the script."""

    def fake_setup(**kwargs):
        recorded.update(kwargs)
        raise SetupCalled()

    import setuptools

    setuptools.setup = fake_setup
    for name in ("setuptools._distutils.core", "distutils.core"):
        try:
            __import__(name)
            sys.modules[name].setup = fake_setup
        except ImportError:
            pass


def _intercept_cythonize():
    """cythonize() returns its Extensions untranslated, its options kept on each as ninjagen_cython."""
    try:
        import Cython.Build
        from Cython.Build.Dependencies import create_extension_list

        def fake_cythonize(module_list, exclude=None, nthreads=0, aliases=None, quiet=False, force=None,
                           language=None, exclude_failures=False, show_all_warnings=False, **options):
            from Cython.Compiler.Main import CompilationOptions, Context

            known = {k: v for k, v in options.items() if k in ("include_path", "compiler_directives")}
            ctx = Context.from_options(CompilationOptions(**known))
            if "language_level" in options:
                known.setdefault("compiler_directives", {})
                known["compiler_directives"] = {"language_level": options["language_level"],
                                                **known["compiler_directives"]}
            modules, _ = create_extension_list(module_list, exclude=exclude or [], ctx=ctx, quiet=quiet,
                                               exclude_failures=exclude_failures, language=language,
                                               aliases=aliases)
            cython = {"directives": _plain(known.get("compiler_directives") or {}),
                      "include_path": _plain(options.get("include_path") or []),
                      "compile_time_env": _plain(options.get("compile_time_env") or {})}
            for module in modules:
                module.ninjagen_cython = cython
            return modules

        Cython.Build.cythonize = fake_cythonize
        import Cython.Build.Dependencies

        Cython.Build.Dependencies.cythonize = fake_cythonize
    except Exception:  # no Cython, or one whose internals differ: setup.py gets the real one
        pass


def _run(setup_py, argv):
    """Run *setup_py* as ``setup.py ARGV``; return None, or the project's failure as one line."""
    folder = os.path.dirname(os.path.abspath(setup_py))
    os.chdir(folder)
    sys.path.insert(0, folder)
    sys.argv = [setup_py, *argv]
    try:
        runpy.run_path(setup_py, run_name="__main__")
    except SetupCalled:
        raise
    except SystemExit as exc:
        if exc.code not in (None, 0):
            return f"setup.py exited with status {exc.code}" if isinstance(exc.code, int) else str(exc.code)
    except BaseException as exc:  # the project's own failure, reported as one line
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if os.path.abspath(f.filename) == os.path.abspath(setup_py)]
        where = f" (setup.py line {frames[-1].lineno})" if frames else ""
        return f"{type(exc).__name__}: {exc}{where}"
    return None


def capture_setup(setup_py):
    recorded = {}
    _intercept_setup(recorded)
    _intercept_cythonize()
    result = {"called": False}
    pristine = _directive_defaults()
    try:
        error = _run(setup_py, ["build_ext", "--inplace"])
        if error:
            result["error"] = error
    except SetupCalled:
        result["called"] = True
    if result["called"]:
        now = _directive_defaults() if pristine is not None else None
        changed = {k: v for k, v in (now or {}).items() if k not in pristine or pristine[k] != v}
        result["ext_modules"] = [_extension(e, changed) for e in recorded.get("ext_modules") or []]
        result["libraries"] = [_library(item) for item in recorded.get("libraries") or []]
        result["package_dir"] = _plain(recorded.get("package_dir") or {})
        result["custom_build_ext"] = _custom_build_ext(recorded.get("cmdclass"))
    return result


def capture_build_ext(setup_py):
    _intercept_cythonize()
    recorder.install()
    pristine = _directive_defaults()
    # what a build runs: build_ext alone does not build the build_clib libraries it links
    # --force: setuptools skips a module it thinks up to date, and each one must be recorded
    error = _run(setup_py, ["build_clib", "build_ext", "--inplace", "--force"])
    now = _directive_defaults() if pristine is not None else None
    changed = {k: v for k, v in (now or {}).items() if k not in pristine or pristine[k] != v}
    result = recorder.result(lambda ext: _extension(ext, changed))
    if error:
        result["error"] = error
    return result


def main(mode, setup_py, out_json):
    result = capture_build_ext(setup_py) if mode == "build_ext" else capture_setup(setup_py)
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
