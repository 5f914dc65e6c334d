"""A recording compiler for setuptools' own build_ext (standalone: loaded by _setup_capture.py).

:func:`install` makes every compiler that distutils' ``new_compiler()`` creates
(for build_ext, build_clib, or a project's own code) an instance of a subclass
of its real class -- ``isinstance`` checks and attribute edits such as
``self.compiler.compiler_so.remove(...)`` keep working -- whose ``compile()``,
``link()`` and ``create_static_lib()`` record the call, with the compiler's
state at that moment and the commands the real method would have spawned
for it (captured, not run), instead of spawning.  ``has_function`` and the
other probes run for real, and so does a compile that is one (distutils'
``config`` command; a call made from another folder, or on files outside the
project); so do programs the project's build_ext starts itself
(``self.spawn``, ``subprocess``), which are named in the result.  ``copy_file``
of a module that was only recorded (the copy into the source tree of
``build_ext --inplace``) is recorded as where the module belongs.
:func:`result` describes it all as plain data.
"""

import os
import sys
import threading
import traceback

CALLS = []
COPIES = {}
SPAWNED = []
_STATE = {"live": 0, "command": None, "setup_called": False, "copying_to_source": False,
          "in_build_ext": 0, "root": None, "build_dirs": []}
#: the extension being built, per thread: build_ext's ``parallel`` (Pillow sets it) builds several at once
_BUILDING = threading.local()
_CAPTURING = threading.RLock()
#: a compiler's state that its calls depend on, as distutils names it
_STATE_ATTRIBUTES = ("include_dirs", "macros", "libraries", "library_dirs", "runtime_library_dirs", "objects")


def _current_extension():
    return getattr(_BUILDING, "ext", None)


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


def _outside_setuptools():
    """Where a call came from: the first frame outside the standard library, setuptools and this file."""
    skip = ("setuptools", "distutils", "_distutils_hack", "Cython", "pybind11")
    stdlib = os.path.join(os.path.dirname(os.path.abspath(os.__file__)), "")
    for frame in reversed(traceback.extract_stack()[:-2]):
        path = os.path.abspath(frame.filename)
        parts = set(os.path.normpath(path).split(os.sep))
        if path == os.path.abspath(__file__) or parts & set(skip) or frame.filename.startswith("<") \
                or (path.startswith(stdlib) and "site-packages" not in parts):
            continue
        return f"{os.path.basename(frame.filename)} line {frame.lineno}, in {frame.name}"
    return "setup.py"


class _Live:
    """Compile and link for real inside: a probe's own test program."""

    def __enter__(self):
        _STATE["live"] += 1

    def __exit__(self, *exc_info):
        _STATE["live"] -= 1


def _probing(sources=(), objects=None):
    """Whether a call is a probe whose result its caller reads at once.

    It is made from another folder than the project's (pybind11's ``has_flag``
    compiles in a temporary folder it changes into), compiles only files outside
    the project, or links only objects that no recorded compile made.
    """
    root = _STATE["root"]
    if root is None:
        return False
    if os.path.join(os.getcwd(), "") != os.path.join(root, ""):
        return True
    if objects is not None:
        recorded = {os.path.normpath(o) for c in CALLS if c["call"] == "compile" for o in c["returned"] or ()}
        return bool(objects) and not any(os.path.normpath(os.fspath(o)) in recorded for o in objects)
    # the project's folder, or build_ext's build_temp (outside it for an editable build: cffi writes its C there)
    homes = [os.path.join(folder, "") for folder in [root, *_STATE["build_dirs"]]]
    paths = [os.path.abspath(os.fspath(p)) for p in sources]
    return bool(paths) and not any(p.startswith(home) for p in paths for home in homes)


class RecordingCompiler:
    """Mixed in before a real distutils compiler class."""

    def _ninjagen_state(self):
        state = {name: _plain(getattr(self, name, None) or []) for name in _STATE_ATTRIBUTES}
        executables = {}
        for key in getattr(self, "executables", {}) or {}:
            value = getattr(self, key, None)
            if value:
                executables[key] = _plain(value if isinstance(value, (list, tuple)) else str(value).split())
        state["executables"] = executables
        return state

    def _ninjagen_record(self, call, args, returned=None, argv=None):
        CALLS.append({"call": call, "ext": _current_extension(), "compiler_type": self.compiler_type,
                      "state": self._ninjagen_state(), "args": _plain(args), "returned": _plain(returned),
                      "argv": argv})

    def _ninjagen_argv(self, method, *args):
        """The commands the real *method* runs for *args*, captured instead of run (None: it could not say).

        ``spawn`` (and ``call``, which setuptools >= 80 runs through) only note
        their command; ``mkpath`` creates nothing; ``force`` skips the up-to-date
        checks.  A source it cannot compile (``.pyx``, ``.i``) is an error: None.
        """
        with _CAPTURING:  # the compiler's own spawn is swapped: one capture at a time (parallel build_ext)
            return self._ninjagen_capture(method, *args)

    def _ninjagen_capture(self, method, *args):
        captured = []

        def capture(cmd, *rest, **kwargs):
            captured.append(_plain([os.fspath(word) for word in cmd]))

        def no_folder(*rest, **kwargs):
            return None

        names = ("spawn", "call", "mkpath", "force")
        saved = {name: self.__dict__[name] for name in names if name in self.__dict__}
        self.spawn, self.mkpath, self.force = capture, no_folder, True
        if hasattr(type(self), "call"):
            self.call = capture
        try:
            getattr(super(RecordingCompiler, self), method)(*args)
        except Exception:
            return None
        finally:
            for name in names:
                self.__dict__.pop(name, None)
            self.__dict__.update(saved)
        return captured

    def compile(self, sources, output_dir=None, macros=None, include_dirs=None, debug=0, extra_preargs=None,
                extra_postargs=None, depends=None):
        sources = list(sources)
        if _STATE["live"] or _probing(sources):
            with _Live():
                return super().compile(sources, output_dir, macros, include_dirs, debug, extra_preargs,
                                       extra_postargs, depends)
        objects = []
        for src in sources:  # distutils' object naming, also for what it cannot compile (.pyx, .i)
            base = os.path.splitdrive(os.path.splitext(src)[0])[1]
            base = base[os.path.isabs(base):]
            objects.append(os.path.join(output_dir or "", base + self.obj_extension))
        argv = self._ninjagen_argv("compile", sources, output_dir, macros, include_dirs, debug, extra_preargs,
                                   extra_postargs, depends)
        self._ninjagen_record("compile", {
            "sources": sources, "output_dir": output_dir, "macros": macros, "include_dirs": include_dirs,
            "debug": bool(debug), "extra_preargs": extra_preargs, "extra_postargs": extra_postargs,
            "depends": depends}, objects, argv)
        return objects

    def link(self, target_desc, objects, output_filename, output_dir=None, libraries=None, library_dirs=None,
             runtime_library_dirs=None, export_symbols=None, debug=0, extra_preargs=None, extra_postargs=None,
             build_temp=None, target_lang=None):
        if _STATE["live"] or _probing(objects=list(objects)):
            with _Live():
                return super().link(target_desc, objects, output_filename, output_dir, libraries, library_dirs,
                                    runtime_library_dirs, export_symbols, debug, extra_preargs, extra_postargs,
                                    build_temp, target_lang)
        objects = list(objects)
        argv = self._ninjagen_argv("link", target_desc, objects, output_filename, output_dir, libraries,
                                   library_dirs, runtime_library_dirs, export_symbols, debug, extra_preargs,
                                   extra_postargs, build_temp, target_lang)
        self._ninjagen_record("link", {
            "target_desc": target_desc, "objects": objects, "output_filename": output_filename,
            "output_dir": output_dir, "libraries": libraries, "library_dirs": library_dirs,
            "runtime_library_dirs": runtime_library_dirs, "export_symbols": export_symbols, "debug": bool(debug),
            "extra_preargs": extra_preargs, "extra_postargs": extra_postargs, "build_temp": build_temp,
            "target_lang": target_lang}, None, argv)
        return None

    def create_static_lib(self, objects, output_libname, output_dir=None, debug=0, target_lang=None):
        if _STATE["live"] or _probing(objects=list(objects)):
            with _Live():
                return super().create_static_lib(objects, output_libname, output_dir, debug, target_lang)
        objects = list(objects)
        argv = self._ninjagen_argv("create_static_lib", objects, output_libname, output_dir, debug, target_lang)
        self._ninjagen_record("create_static_lib", {
            "objects": objects, "output_libname": output_libname, "output_dir": output_dir,
            "debug": bool(debug), "target_lang": target_lang}, None, argv)
        return None

    def has_function(self, *args, **kwargs):
        with _Live():
            return super().has_function(*args, **kwargs)

    def has_flag(self, *args, **kwargs):  # a name some projects give their own probe
        with _Live():
            return super().has_flag(*args, **kwargs)

    def preprocess(self, *args, **kwargs):
        with _Live():
            return super().preprocess(*args, **kwargs)


_CLASSES = {}


class building:
    """Calls recorded inside belong to extension *name* (for ninjagen's setuptools drop-in)."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.outer = _current_extension()
        _BUILDING.ext = self.name

    def __exit__(self, *exc_info):
        _BUILDING.ext = self.outer


def recording(compiler, root=None, build_temp=None):
    """*compiler*, made an instance of the recording subclass of its own class.

    *root* is the project folder, *build_temp* the build command's: compiles of
    files in neither are probes, which run for real.
    """
    if root is not None:
        _STATE["root"] = os.path.abspath(root)
    if build_temp is not None and os.path.abspath(build_temp) not in _STATE["build_dirs"]:
        _STATE["build_dirs"].append(os.path.abspath(build_temp))
    _patch_config_command()
    cls = type(compiler)
    if not isinstance(compiler, RecordingCompiler):
        if cls not in _CLASSES:
            _CLASSES[cls] = type("Recording" + cls.__name__, (RecordingCompiler, cls), {})
        compiler.__class__ = _CLASSES[cls]
    return compiler


def _wrap_new_compiler(original):
    def new_compiler(*args, **kwargs):
        return recording(original(*args, **kwargs))

    new_compiler.ninjagen_recording = True
    return new_compiler


def _patch_new_compiler():
    """Every module that holds distutils' new_compiler gets the recording one."""
    __import__("setuptools")  # first: it makes "distutils" its own copy

    # through the names setuptools maps: importing setuptools._distutils.* directly would
    # load second copies of those modules
    for name in ("distutils.ccompiler", "distutils.command.build_ext", "distutils.command.build_clib",
                 "setuptools.command.build_ext", "setuptools.command.build_clib"):
        try:
            __import__(name)
        except Exception:
            continue
    for name, module in list(sys.modules.items()):
        if not name.startswith(("distutils", "setuptools", "Cython")) or module is None:
            continue
        original = getattr(module, "new_compiler", None)
        if callable(original) and not getattr(original, "ninjagen_recording", False):
            module.new_compiler = _wrap_new_compiler(original)


def _build_ext_classes():
    """setuptools' build_ext and those it derives from (Cython's, distutils'): a setup.py may subclass any."""
    from setuptools.command.build_ext import build_ext

    classes = [build_ext]
    distutils_build_ext = sys.modules.get("distutils.command.build_ext")
    base = getattr(distutils_build_ext, "build_ext", None)
    if isinstance(base, type):
        classes += [cls for cls in build_ext.__mro__[1:] if issubclass(cls, base)]
        if base not in classes:  # not setuptools' base (the stdlib's distutils): patched all the same
            classes.append(base)
    return classes


def _patch_commands():
    from setuptools.command.build_ext import build_ext

    def wrapped_build_extension(original):
        def build_extension(self, ext):
            outer = _current_extension()
            _BUILDING.ext = ext.name
            try:
                return original(self, ext)
            finally:
                _BUILDING.ext = outer

        return build_extension

    def wrapped_run(original):
        def run(self):
            _STATE["command"] = self
            return original(self)

        return run

    def swig_sources(self, sources, extension=None):
        return list(sources)  # ninjagen wraps the interfaces itself, as ninja rules

    # each class that defines them: a build_ext that derives from distutils' own, not setuptools'
    # (simplejson's), runs distutils' run and build_extension
    for cls in _build_ext_classes():
        own = vars(cls)
        if "build_extension" in own:
            cls.build_extension = wrapped_build_extension(own["build_extension"])
        if "run" in own:
            cls.run = wrapped_run(own["run"])
        if "swig_sources" in own:
            cls.swig_sources = swig_sources

    _patch_old_cython_build_ext()
    from setuptools import Command, Distribution

    original_run_commands = Distribution.run_commands

    def run_commands(self):
        _STATE["setup_called"] = True
        return original_run_commands(self)

    original_run_command = Distribution.run_command

    def run_command(self, command):
        """Inside build_ext and build_clib (the project's own run() too), started programs are named."""
        building = command in ("build_ext", "build_clib")
        _STATE["in_build_ext"] += building
        try:
            return original_run_command(self, command)
        finally:
            _STATE["in_build_ext"] -= building

    Distribution.run_commands = run_commands
    Distribution.run_command = run_command
    original_copy = Command.copy_file

    def copy_file(self, infile, outfile, *args, **kwargs):
        if not os.path.exists(infile) and (_STATE["copying_to_source"] or os.path.normpath(infile) in _linked()):
            COPIES[os.path.normpath(infile)] = outfile  # a module that was only recorded: where it belongs
            return outfile, 1
        return original_copy(self, infile, outfile, *args, **kwargs)

    Command.copy_file = copy_file
    original_copy_to_source = getattr(build_ext, "copy_extensions_to_source", None)
    if original_copy_to_source is not None:
        def copy_extensions_to_source(self):
            _STATE["copying_to_source"] = True
            try:
                return original_copy_to_source(self)
            finally:
                _STATE["copying_to_source"] = False

        build_ext.copy_extensions_to_source = copy_extensions_to_source


def _patch_old_cython_build_ext():
    """Cython's old_build_ext translates .pyx itself: here the .pyx stay, for ninja's cython rule."""
    try:
        from Cython.Distutils.old_build_ext import old_build_ext
    except Exception:
        return

    def table(value):
        return dict(value) if isinstance(value, dict) else {}

    def cython_sources(self, sources, extension):
        own = getattr(extension, "ninjagen_cython", {})
        extension.ninjagen_cython = {
            "directives": {**table(self.cython_directives), **table(getattr(extension, "cython_directives", None)),
                           **own.get("directives", {})},
            "include_path": [*(self.cython_include_dirs or []), *(getattr(extension, "cython_include_dirs", None) or []),
                             *(extension.include_dirs or []), *own.get("include_path", [])],
            "compile_time_env": {**table(self.cython_compile_time_env),
                                 **table(getattr(extension, "cython_compile_time_env", None)),
                                 **own.get("compile_time_env", {})},
        }
        if (self.cython_cplus or getattr(extension, "cython_cplus", 0)) and not extension.language:
            extension.language = "c++"
        return list(sources)

    old_build_ext.cython_sources = cython_sources


def _patch_config_command():
    """distutils' ``config`` command (``try_compile``, ``check_lib``, ...) reads each result at once: live."""
    try:
        from distutils.command.config import config
    except Exception:
        return
    if getattr(config, "ninjagen_live", False):
        return
    config.ninjagen_live = True

    def live(original):
        def method(self, *args, **kwargs):
            with _Live():
                return original(self, *args, **kwargs)

        return method

    for name in ("try_cpp", "search_cpp", "try_compile", "try_link", "try_run"):
        if callable(vars(config).get(name)):
            setattr(config, name, live(vars(config)[name]))


def _linked():
    return {os.path.normpath(os.path.join(c["args"]["output_dir"] or "", c["args"]["output_filename"]))
            for c in CALLS if c["call"] == "link"}


def _patch_subprocess():
    """Programs a build_ext starts itself (make, cmake, a compiler): they run, and are named."""
    import subprocess

    original_init = subprocess.Popen.__init__

    def __init__(self, args, *rest, **kwargs):
        if _STATE["in_build_ext"] and not _STATE["live"]:
            argv = [args] if isinstance(args, (str, bytes)) else list(args)
            SPAWNED.append({"argv": _plain([os.fsdecode(a) if isinstance(a, bytes) else a for a in argv]),
                            "where": _outside_setuptools()})
        original_init(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = __init__


def install():
    """Record from now on: call before the setup.py runs."""
    os.environ["NINJAGEN_RECORDING"] = "1"  # ninjagen's own setuptools drop-in steps aside
    _STATE["root"] = os.getcwd()
    _patch_new_compiler()
    _patch_commands()
    _patch_subprocess()


def result(describe):
    """The recording as plain data; *describe* turns an Extension into its fields."""
    command = _STATE["command"]
    extensions = []
    for ext in (getattr(command, "extensions", None) or []):
        fields = describe(ext)
        fields["output"] = command.get_ext_fullpath(ext.name) if command is not None else None
        extensions.append(fields)
    return {"calls": CALLS, "copies": COPIES, "spawned": SPAWNED, "extensions": extensions,
            "setup_called": _STATE["setup_called"], "ran": command is not None}
