"""CCompiler: the distutils compiler interface, recording Ninja build statements.

A compiler class owns a toolchain's vocabulary: its file suffixes, its flag
spellings (the ``*_option`` hooks), its executables, and the template that
holds its ninja rules.  ``compile``, ``link`` and friends keep distutils'
names, arguments and return values, but add build statements to
``self.graph`` instead of running anything.  Only the configure-time
utilities (``spawn``, ``execute``, ``mkpath``, ``move_file``) and the probes
(``has_function``) start processes.
"""

from __future__ import annotations

import os
import shlex
from typing import Any, ClassVar, Iterable, Mapping, Optional, Sequence, Union

from ..errors import CompileError, ConfigError
from ..extension import LANGUAGES, SOURCE_LANGUAGES
from ..build_layout import kept_inside
from ..graph import BuildGraph, Edge, c_normpath, forget_build_log, normal_path
from ..probe import Probe, run_command, succeeds
from ..state import DEFAULT_BUILD_DIR
from ..target import Target

__all__ = ["CCompiler", "WindowsFileNames", "gen_preprocess_options", "gen_lib_options"]


#: whether "/" is this machine's only path separator (POSIX), so that a path's name is what follows its last "/"
_ONE_SEPARATOR = os.altsep is None and os.sep == "/"


def _splitext(path: str) -> tuple[str, str]:
    """os.path.splitext(path) for a str, its usual case done here: a dot after the last "/" (POSIX) that
    does not start the name.  Configure splits every source three times (language, object, statement)."""
    dot = path.rfind(".")
    start = path.rfind("/") + 1
    if dot > start and path[start] != "." and _ONE_SEPARATOR:
        return path[:dot], path[dot:]
    return os.path.splitext(path)


def by_suffix(compile_edge: Any) -> Any:
    """Mark a ``compile_edge`` whose statement depends on the source only through its suffix
    (so :meth:`CCompiler._compile_edges` makes it once a suffix; an override is not marked)."""
    compile_edge.by_suffix = True
    return compile_edge


#: whether paths of this machine never start with a drive (os.path.splitdrive gives "" on POSIX)
_NO_DRIVES = os.path.splitdrive("c:/x")[0] == ""

#: a macro as distutils passes it: (name, value), (name, None), or (name,) to undefine
MacroSpec = Union[tuple[str, Optional[str]], tuple[str]]


def gen_preprocess_options(macros: Sequence[MacroSpec], include_dirs: Sequence[str], compiler: Any = None) -> list[str]:
    """Preprocessor options for *macros* and *include_dirs*.

    As distutils: ``(name,)`` undefines, ``(name, None)`` defines without a
    value, ``(name, value)`` defines with one.  The spelling comes from
    *compiler*'s ``macro_option`` / ``undef_option`` / ``include_dir_option``
    hooks (``-D``/``-U``/``-I`` when no compiler is given).
    """
    hooks = compiler if compiler is not None else CCompiler
    opts: list[str] = []
    for macro in macros:
        if not isinstance(macro, tuple) or not 1 <= len(macro) <= 2:
            raise ConfigError(f"bad macro definition {macro!r}: each macro must be a 1- or 2-tuple")
        if len(macro) == 1:
            opts.append(hooks.undef_option(macro[0]))
        else:
            opts.append(hooks.macro_option(macro[0], macro[1]))
    for d in include_dirs:
        opts.append(hooks.include_dir_option(d))
    return opts


def gen_lib_options(compiler: "CCompiler", library_dirs: Sequence[str], runtime_library_dirs: Sequence[str], libraries: Sequence[str]) -> list[str]:
    """Linker options for library search directories, runtime paths and libraries.

    A library given with a directory part (``"sub/foo"``) is looked up with
    ``compiler.find_library_file`` and passed as a file, as distutils does;
    one that cannot be found is an error here rather than a warning.
    """
    opts = [compiler.library_dir_option(d) for d in library_dirs]
    for d in runtime_library_dirs:
        opt = compiler.runtime_library_dir_option(d)
        opts.extend(opt if isinstance(opt, list) else [opt])
    for lib in libraries:
        lib_dir, lib_name = os.path.split(lib)
        if lib_dir:
            built = compiler.built_libraries([lib_name], [lib_dir])
            lib_file = built[0] if built else compiler.find_library_file([lib_dir], lib_name)
            if not lib_file:
                raise ConfigError(f"no library file for {lib!r} found in {lib_dir}")
            opts.append(lib_file)
        else:
            opts.append(compiler.library_option(lib))
    return opts


def _not_an_option(path: str) -> str:
    """*path*, made absolute if a compiler would read it as an option (``-x.c``) or a response file (``@x``).

    ``./-x.c`` would not do: ninja drops a leading ``./`` from the paths it passes.
    """
    return os.path.abspath(path) if path.startswith(("-", "@")) else path


def _not_options(paths: list[str]) -> list[str]:
    """:func:`_not_an_option` of each of *paths*."""
    return [os.path.abspath(p) if p.startswith(("-", "@")) else p for p in paths]


def _as_list(value: Optional[Iterable[str]], what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        raise ConfigError(f"{what} must be a list of strings, not the string {value!r}")
    return [os.fspath(v) for v in value]


def _function_program(funcname: str, includes: list[str]) -> str:
    """A C program that needs *funcname* to link.

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


class WindowsFileNames:
    """The file vocabulary of Microsoft's and Borland's tools: .obj, .lib, .dll, .exe, .rc -> .res.

    A mixin: ``class MSVCCompiler(WindowsFileNames, CCompiler)``.
    """

    src_extensions: ClassVar[tuple[str, ...]] = (".c", ".cc", ".cpp", ".cxx", ".rc")
    obj_extension: ClassVar[str] = ".obj"
    object_extensions: ClassVar[dict[str, str]] = {".rc": ".res"}
    static_lib_extension: ClassVar[str] = ".lib"
    shared_lib_extension: ClassVar[str] = ".dll"
    dylib_lib_extension: ClassVar[str] = ".dll"
    exe_extension: ClassVar[str] = ".exe"
    static_lib_format: ClassVar[str] = "%s%s"
    shared_lib_format: ClassVar[str] = "%s%s"
    dylib_lib_format: ClassVar[str] = "%s%s"
    #: Unix libraries that the Microsoft and Borland C runtimes already contain
    c_runtime_libraries: ClassVar[frozenset[str]] = frozenset({"m", "dl", "rt", "pthread"})


class CCompiler:
    """Abstract toolchain.  Subclasses set the class variables and hooks."""

    compiler_type: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: how the project proves this toolchain's output right (show-compilers says it)
    verified_by: ClassVar[str] = ""
    #: the template in templates/ that holds this toolchain's rules (without .ninja.j2)
    template: ClassVar[str] = ""

    src_extensions: ClassVar[tuple[str, ...]] = tuple(SOURCE_LANGUAGES)
    obj_extension: ClassVar[str] = ".o"
    #: source suffix -> object suffix where it is not obj_extension (resources)
    object_extensions: ClassVar[dict[str, str]] = {}
    static_lib_extension: ClassVar[str] = ".a"
    shared_lib_extension: ClassVar[str] = ".so"
    dylib_lib_extension: ClassVar[str] = ".so"
    exe_extension: ClassVar[str] = ""
    static_lib_format: ClassVar[str] = "lib%s%s"
    shared_lib_format: ClassVar[str] = "lib%s%s"
    dylib_lib_format: ClassVar[str] = "lib%s%s"
    language_map: ClassVar[dict[str, str]] = SOURCE_LANGUAGES
    language_order: ClassVar[tuple[str, ...]] = LANGUAGES

    #: the rules whose statements are compiles (they go to compile_commands.json)
    compile_rules: ClassVar[tuple[str, ...]] = ()

    #: whether this toolchain's compile rules put ``$launcher`` (ccache, distcc, ...) in front
    supports_launcher: ClassVar[bool] = False

    #: Unix libraries that this toolchain's C runtime already contains; link() leaves them
    #: out (libraries=["m"] is right on Linux and names no file for MSVC), as Meson does
    c_runtime_libraries: ClassVar[frozenset[str]] = frozenset()

    #: executable name -> default command; set_executables accepts only these keys
    executables: ClassVar[dict[str, Optional[list[str]]]] = {}

    SHARED_OBJECT: ClassVar[str] = "shared_object"
    SHARED_LIBRARY: ClassVar[str] = "shared_library"
    EXECUTABLE: ClassVar[str] = "executable"

    def __init__(self, verbose: int = 0, dry_run: bool = False, force: bool = False,
                 target: Optional[Target] = None, graph: Optional[BuildGraph] = None) -> None:
        self.verbose = verbose
        self.dry_run = dry_run
        self.force = force
        self.target = target if target is not None else Target.current()
        self.graph = graph if graph is not None else BuildGraph()
        #: where probes keep their cache and scratch files
        self.build_dir = DEFAULT_BUILD_DIR
        #: the folder that keeps the rendered rules for the next configure (None: render them each time)
        self.rules_cache: Optional[str] = None
        #: a cross toolchain's prefix, e.g. "x86_64-w64-mingw32-" (toolchains that use one)
        self.cross_prefix = ""
        self.macros: list[MacroSpec] = []
        self.include_dirs: list[str] = []
        self.libraries: list[str] = []
        self.library_dirs: list[str] = []
        self.runtime_library_dirs: list[str] = []
        self.objects: list[str] = []
        #: words put in front of compile commands only (``["ccache"]``): see set_launcher
        self.launcher: list[str] = []
        #: lines configure prints about these statements (where a replayed command had to differ)
        self.notes: list[str] = []
        self.commands: dict[str, list[str]] = {
            key: list(value) for key, value in type(self).executables.items() if value is not None
        }

    #: environment variables that customize() reads
    environment_variables: ClassVar[tuple[str, ...]] = ()

    def customize(self, environ: Mapping[str, str]) -> None:
        """Adapt the executables to the target Python and *environ* (default: nothing)."""

    # ---------------------------------------------------------------- executables
    def set_executables(self, **kwargs: Union[str, Sequence[str]]) -> None:
        """Set commands by name (``compiler_so="gcc -fPIC"`` or a list of words)."""
        for key, value in kwargs.items():
            self.set_executable(key, value)

    def set_executable(self, key: str, value: Union[str, Sequence[str]]) -> None:
        if key not in type(self).executables:
            raise ConfigError(
                f"unknown executable {key!r} for compiler type {self.compiler_type!r} "
                f"(valid: {', '.join(sorted(type(self).executables))})"
            )
        words = shlex.split(value) if isinstance(value, str) else [str(v) for v in value]
        if not words:
            raise ConfigError(f"executable {key!r} for compiler type {self.compiler_type!r} is empty")
        self.commands[key] = words

    def map_prefix(self, folder: str) -> None:
        """Compile so that *folder* reads as ``.`` in debug information and ``__FILE__`` (default: nothing).

        Two checkouts in two folders then give the same objects (reproducible
        wheels, a compiler cache shared across folders).
        """

    def share_cache_across_folders(self) -> None:
        """Keep the working folder out of what a caching launcher hashes (default: nothing).

        Called once the launcher is set; a compiler changes its compile commands
        only when they go through a caching launcher (ccache, sccache, ...), so
        that two checkouts in two folders can share cache entries.
        """

    def adopt_executables(self, recorded: Mapping[str, Sequence[str]]) -> None:
        """Take the commands a setuptools compiler of this type had (its ``executables``), as it would use them.

        Commands this class has and the recorded one lacks keep their values; a
        subclass derives them where that setuptools compiler derived them from others.
        """
        known = type(self).executables
        self.set_executables(**{k: v for k, v in recorded.items() if k in known and v})

    def edge_running(self, edge: Edge, argv: Sequence[str],
                     inputs: Mapping[str, str]) -> tuple[Optional[Edge], str]:
        """*edge* made to run *argv*: the command a setuptools compiler of this type spawned for it.

        *inputs* maps the files *argv* names (that compiler's objects) to the
        graph's.  Returns the edge, or None where the toolchain cannot say how
        its rules' words line up with such a command (then *edge* stays as this
        class writes it); and, where the words could not all stay in place, what moved.
        """
        return None, ""

    def command(self, key: str) -> list[str]:
        try:
            return self.commands[key]
        except KeyError:
            raise ConfigError(f"compiler type {self.compiler_type!r} has no {key!r} command set") from None

    # ------------------------------------------------------------ option methods
    def define_macro(self, name: str, value: Optional[str] = None) -> None:
        self._forget_macro(name)
        self.macros.append((name, value))

    def undefine_macro(self, name: str) -> None:
        self._forget_macro(name)
        self.macros.append((name,))

    def _forget_macro(self, name: str) -> None:
        self.macros = [m for m in self.macros if m[0] != name]

    def add_include_dir(self, dir: str) -> None:
        self.include_dirs.append(os.fspath(dir))

    def set_include_dirs(self, dirs: Iterable[str]) -> None:
        self.include_dirs = _as_list(dirs, "include_dirs")

    def add_library(self, libname: str) -> None:
        self.libraries.append(libname)

    def set_libraries(self, libnames: Iterable[str]) -> None:
        self.libraries = _as_list(libnames, "libraries")

    def add_library_dir(self, dir: str) -> None:
        self.library_dirs.append(os.fspath(dir))

    def set_library_dirs(self, dirs: Iterable[str]) -> None:
        self.library_dirs = _as_list(dirs, "library_dirs")

    def add_runtime_library_dir(self, dir: str) -> None:
        self.runtime_library_dirs.append(os.fspath(dir))

    def set_runtime_library_dirs(self, dirs: Iterable[str]) -> None:
        self.runtime_library_dirs = _as_list(dirs, "runtime_library_dirs")

    def add_link_object(self, object: str) -> None:
        self.objects.append(os.fspath(object))

    def set_link_objects(self, objects: Iterable[str]) -> None:
        self.objects = _as_list(objects, "objects")

    # ------------------------------------------------------- toolchain spellings
    #: what starts an option: "-" for gcc's -D -U -I, "/" for cl's /D /U /I
    option_prefix: ClassVar[str] = "-"

    @classmethod
    def macro_option(cls, name: str, value: Optional[str]) -> str:
        return f"{cls.option_prefix}D{name}" if value is None else f"{cls.option_prefix}D{name}={value}"

    @classmethod
    def undef_option(cls, name: str) -> str:
        return f"{cls.option_prefix}U{name}"

    @classmethod
    def include_dir_option(cls, dir: str) -> str:
        return f"{cls.option_prefix}I{dir}"

    def library_dir_option(self, dir: str) -> str:
        raise NotImplementedError

    def runtime_library_dir_option(self, dir: str) -> Union[str, list[str]]:
        raise NotImplementedError

    def runtime_origin(self) -> str:
        """How a run path names the folder of the module that loads it; "" when run paths do not exist.

        Windows (this default) finds a DLL beside the module that loads it, with no run path.
        """
        return ""

    def library_option(self, lib: str) -> str:
        raise NotImplementedError

    def debug_compile_args(self) -> list[str]:
        return []

    def check_dependency_paths(self, sources: Sequence[str], include_dirs: Sequence[str]) -> None:
        """Refuse paths that this toolchain's header tracking would get wrong (nothing to refuse here)."""

    def python_link_libraries(self, limited_api: bool = False) -> list[str]:
        """Libraries every extension links for the target Python (distutils' build_ext.get_libraries).

        *limited_api*: the module uses the stable ABI, so it links python3, not pythonXY.
        """
        return []

    def python_library(self, separator: str = "") -> str:
        """The target's Python library: ``python312``, ``python3.12`` (*separator* ``"."``), ``python313t``."""
        major, minor = self.target.version
        return f"python{major}{separator}{minor}{'t' if self.target.free_threaded else ''}"

    def join_args(self, args: Sequence[str]) -> str:
        """One command-line string for *args*, quoted for how ninja runs commands."""
        raise NotImplementedError

    def tools_for(self, languages: set[str], archives: bool) -> dict[str, str]:
        """executable name -> program that a build of *languages* will run."""
        raise NotImplementedError

    #: what to do when check_tools finds a tool missing
    missing_tool_hint: ClassVar[str] = "install it or name another with the environment (CC, CXX, AR, ...)"

    def check_tools(self, languages: set[str], archives: bool) -> None:
        """Fail at configure time, not as a cryptic ninja failure, when a tool is missing."""
        import shutil

        for key, program in self.tools_for(languages, archives).items():
            if shutil.which(program) is None:
                raise ConfigError(f"{program!r} (the {self.compiler_type} {key}) was not found on PATH; "
                                  f"{self.missing_tool_hint}")

    # ------------------------------------------------------------------ languages
    def detect_language(self, sources: Union[str, Sequence[str]]) -> Optional[str]:
        """The language to link *sources* with: the highest in ``language_order``."""
        if type(sources) is str or isinstance(sources, str):  # one source (once per source at configure time)
            return self.language_map.get(_splitext(sources)[1])
        suffixes = {_splitext(src)[1] for src in sources}  # an extension's sources have a suffix or two
        best: Optional[str] = None
        for suffix in suffixes:
            lang = self.language_map.get(suffix)
            if lang is None:
                continue
            if best is None or self.language_order.index(lang) < self.language_order.index(best):
                best = lang
        return best

    # ------------------------------------------------------------------ filenames
    @staticmethod
    def _out_base(name: str, strip_dir: bool) -> str:
        """*name* made relative, so that it cannot leave the output directory."""
        if strip_dir:
            return os.path.basename(name)
        return kept_inside(name) or name

    def object_filenames(self, source_filenames: Iterable[str], strip_dir: bool = False, output_dir: str = "", *,
                         tag: str = "") -> list[str]:
        """distutils' object names (``<output_dir>/src/a.o`` for ``src/a.c``); with a *tag*, ``src/a.<tag>.o``."""
        objects = []
        tag = "." + tag if tag else ""
        prefix = os.path.join(output_dir or "", "")  # join(output_dir, rel) is prefix + rel
        known, special, default, out_base = self.src_extensions, self.object_extensions, self.obj_extension, self._out_base
        inline = not strip_dir and _NO_DRIVES and os.sep == "/"  # out_base's usual case, written out below
        for src in source_filenames:
            base, ext = _splitext(os.fspath(src))
            if ext not in known:
                raise CompileError(
                    f"unknown file type {ext or '(none)'!r} of source {src} "
                    f"(known: {' '.join(self.src_extensions)})"
                )
            path = (c_normpath(base) or ".") if inline else ""
            if not inline or path.startswith(("/", "../")) or path == "..":
                path = out_base(base, strip_dir)
            rel = path + tag + special.get(ext, default)
            objects.append(prefix + rel if not rel.startswith("/") else os.path.join(output_dir or "", rel))
        return objects

    def shared_object_filename(self, basename: str, strip_dir: bool = False, output_dir: str = "") -> str:
        if strip_dir:
            basename = os.path.basename(basename)
        return os.path.join(output_dir or "", basename + self.shared_lib_extension)

    def executable_filename(self, basename: str, strip_dir: bool = False, output_dir: str = "") -> str:
        if strip_dir:
            basename = os.path.basename(basename)
        return os.path.join(output_dir or "", basename + self.exe_extension)

    def library_filename(self, libname: str, lib_type: str = "static", strip_dir: bool = False, output_dir: str = "") -> str:
        if lib_type not in ("static", "shared", "dylib"):
            raise ConfigError(f"lib_type must be 'static', 'shared' or 'dylib', not {lib_type!r}")
        fmt = {"static": self.static_lib_format, "shared": self.shared_lib_format, "dylib": self.dylib_lib_format}[lib_type]
        ext = getattr(self, lib_type + "_lib_extension")
        directory, base = os.path.split(libname)
        name = fmt % (base, ext)
        if strip_dir:
            directory = ""
        return os.path.join(output_dir or "", directory, name)

    def find_library_file(self, dirs: Iterable[str], lib: str, debug: bool = False) -> Optional[str]:
        """The first file in *dirs* that links as library *lib* (shared before static)."""
        for d in dirs:
            for lib_type in ("dylib", "shared", "static"):
                path = self.library_filename(lib, lib_type, output_dir=d)
                if os.path.isfile(path):
                    return path
        return None

    # ---------------------------------------------------------- option plumbing
    def _macros(self, macros: Optional[Sequence[MacroSpec]]) -> list[MacroSpec]:
        extra = list(macros or [])
        for m in extra:
            if not isinstance(m, tuple) or not 1 <= len(m) <= 2:
                raise ConfigError(f"bad macro definition {m!r}: each macro must be a 1- or 2-tuple")
        given = extra + list(self.macros)  # distutils' order: the call's, then the compiler's
        named = {m[0] for m in given}
        return given + [m for m in self.target_macros() if m[0] not in named]

    #: whether the target's pyconfig.h is the hand-written Windows one, which leaves
    #: ``Py_GIL_DISABLED`` to the command line (a pyconfig.h made by configure defines it)
    windows_pyconfig: ClassVar[bool] = False

    def target_macros(self) -> list[MacroSpec]:
        """Macros every compile for this target needs and its headers do not define.

        A free-threaded Windows CPython: ``Py_GIL_DISABLED=1``, as setuptools'
        build_ext adds it; with it the Windows pyconfig.h links ``pythonXYt.lib``.
        A macro the call or the compiler already names is left as they have it.
        """
        if self.windows_pyconfig and self.target.free_threaded:
            return [("Py_GIL_DISABLED", "1")]
        return []

    def preprocess_options(self, macros: Optional[Sequence[MacroSpec]], include_dirs: Optional[Iterable[str]]) -> list[str]:
        # gcc hands "-I@x" on to cc1 as "-I" "@x", which cc1 reads as a response file
        dirs = [_not_an_option(d) for d in _as_list(include_dirs, "include_dirs") + list(self.include_dirs)]
        return gen_preprocess_options(self._macros(macros), dirs, self)

    def linked_lib_types(self) -> tuple[str, ...]:
        """The library_filename() kinds a ``-lfoo`` of this toolchain links: an archive or an import library."""
        return ("static", "shared")

    def built_libraries(self, libraries: Sequence[str], library_dirs: Sequence[str]) -> list[str]:
        """Library files that this graph builds and that the link line names.

        They become implicit inputs of the link, so that a changed helper
        library relinks its users.
        """
        found = []
        for lib in libraries:
            lib_dir, lib = os.path.split(lib)
            for d in [lib_dir] if lib_dir else library_dirs:
                for lib_type in self.linked_lib_types():
                    path = self.library_filename(lib, lib_type, output_dir=d)
                    if self.graph.produces(path):
                        found.append(path)
        return list(dict.fromkeys(found))

    # ------------------------------------------------------------- build steps
    def compile(self, sources: Sequence[str], output_dir: Optional[str] = None,
                macros: Optional[Sequence[MacroSpec]] = None, include_dirs: Optional[Sequence[str]] = None,
                debug: bool = False, extra_preargs: Optional[Sequence[str]] = None,
                extra_postargs: Optional[Sequence[str]] = None, depends: Optional[Sequence[str]] = None, *,
                object_tag: str = "") -> list[str]:
        """Record one compile statement per source; return the object file names.

        An *object_tag* goes into each object's name (``<output_dir>/src/a.<tag>.o``): configure's
        way of keeping apart the objects of one source compiled with different settings, without a
        folder per settings, which would make every object path longer and deeper for ninja to stat.
        """
        sources = [normal_path(src) for src in _as_list(sources, "sources")]  # as the statements have them
        objects = _not_options(self.object_filenames(sources, output_dir=output_dir or "", tag=object_tag))
        sources = _not_options(sources)
        pp_opts = self.preprocess_options(macros, include_dirs)
        self.check_dependency_paths(sources, _as_list(include_dirs, "include_dirs") + list(self.include_dirs))
        implicit = _as_list(depends, "depends")
        preargs, postargs = list(extra_preargs or []), list(extra_postargs or [])
        self.graph.add_all(self._compile_edges(sources, objects, pp_opts, debug, preargs, postargs, implicit))
        return objects

    def _compile_edges(self, sources: list[str], objects: list[str], pp_opts: list[str], debug: bool,
                       extra_preargs: list[str], extra_postargs: list[str], implicit: list[str]) -> list[Edge]:
        """The statements of one :meth:`compile` call (*sources*: normal paths): :meth:`compile_edge` for each source.

        Where compile_edge is ninjagen's own, marked :func:`by_suffix` (the
        statement depends on the source only through its suffix: the language, or
        ``.rc``), it runs once a suffix and the other sources of that suffix get
        its statement with their own paths: on ten thousand sources that is most
        of configure's work per source saved.  An override of compile_edge (a
        subclass's, which may look at more) runs for every source.
        """
        language, edge = self.detect_language, self.compile_edge  # once, not per source
        if not getattr(edge, "by_suffix", False):
            return [edge(src, obj, language(src) or "c", pp_opts, debug, extra_preargs, extra_postargs, implicit)
                    for src, obj in zip(sources, objects)]
        made: dict[str, Optional[Edge]] = {}  # suffix -> the first statement made for it (None: not a copyable one)
        edges = []
        append, with_paths = edges.append, Edge.with_paths
        for src, obj in zip(sources, objects):
            suffix = _splitext(src)[1]
            first = made.get(suffix)
            if first is None:
                first = edge(src, obj, language(src) or "c", pp_opts, debug, extra_preargs, extra_postargs, implicit)
                if suffix not in made:
                    made[suffix] = first if first.one_to_one() else None
                append(first)
            else:
                append(with_paths(first, normal_path(obj), src))
        return edges

    def compile_edge(self, src: str, obj: str, lang: str, pp_opts: list[str], debug: bool,
                     extra_preargs: list[str], extra_postargs: list[str], implicit: list[str]) -> Edge:
        raise NotImplementedError

    def create_static_lib(self, objects: Sequence[str], output_libname: str, output_dir: Optional[str] = None,
                          debug: bool = False, target_lang: Optional[str] = None) -> None:
        objects = _as_list(objects, "objects") + list(self.objects)
        output = self.library_filename(output_libname, output_dir=output_dir or "")
        self.graph.add(self.archive_edge(objects, output))

    def archive_edge(self, objects: list[str], output: str) -> Edge:
        raise NotImplementedError

    def link(self, target_desc: str, objects: Sequence[str], output_filename: str, output_dir: Optional[str] = None,
             libraries: Optional[Sequence[str]] = None, library_dirs: Optional[Sequence[str]] = None,
             runtime_library_dirs: Optional[Sequence[str]] = None, export_symbols: Optional[Sequence[str]] = None,
             debug: bool = False, extra_preargs: Optional[Sequence[str]] = None,
             extra_postargs: Optional[Sequence[str]] = None, build_temp: Optional[str] = None,
             target_lang: Optional[str] = None) -> None:
        """Record the statement that links *objects* into *output_filename*."""
        if target_desc not in (self.SHARED_OBJECT, self.SHARED_LIBRARY, self.EXECUTABLE):
            raise ConfigError(f"unknown link target type {target_desc!r}")
        objects = _not_options(_as_list(objects, "objects") + list(self.objects))
        libraries = [lib for lib in _as_list(libraries, "libraries") + list(self.libraries)
                     if lib not in self.c_runtime_libraries]
        library_dirs = _as_list(library_dirs, "library_dirs") + list(self.library_dirs)
        runtime_dirs = _as_list(runtime_library_dirs, "runtime_library_dirs") + list(self.runtime_library_dirs)
        if output_dir is not None:
            output_filename = os.path.join(output_dir, output_filename)
        output_filename = _not_an_option(output_filename)
        lib_opts = gen_lib_options(self, library_dirs, runtime_dirs, libraries)
        self.graph.add(self.link_edge(
            target_desc, objects, output_filename, lib_opts,
            implicit=self.built_libraries(libraries, library_dirs),
            export_symbols=_as_list(export_symbols, "export_symbols"),
            debug=debug, extra_preargs=list(extra_preargs or []),
            extra_postargs=list(extra_postargs or []), build_temp=build_temp,
            target_lang=target_lang,
        ))

    def link_edge(self, target_desc: str, objects: list[str], output: str, lib_opts: list[str], *,
                  implicit: list[str], export_symbols: list[str], debug: bool, extra_preargs: list[str],
                  extra_postargs: list[str], build_temp: Optional[str], target_lang: Optional[str]) -> Edge:
        raise NotImplementedError

    def link_shared_lib(self, objects: Sequence[str], output_libname: str, output_dir: Optional[str] = None,
                        **kwargs: Any) -> None:
        # the file that is loaded at run time: libfoo.so, foo.dll (cygwin: cygfoo.dll)
        self.link(self.SHARED_LIBRARY, objects, self.library_filename(output_libname, lib_type="dylib"),
                  output_dir, **kwargs)

    def link_shared_object(self, objects: Sequence[str], output_filename: str, output_dir: Optional[str] = None,
                           **kwargs: Any) -> None:
        self.link(self.SHARED_OBJECT, objects, output_filename, output_dir, **kwargs)

    def link_executable(self, objects: Sequence[str], output_progname: str, output_dir: Optional[str] = None,
                        libraries: Optional[Sequence[str]] = None, library_dirs: Optional[Sequence[str]] = None,
                        runtime_library_dirs: Optional[Sequence[str]] = None, debug: bool = False,
                        extra_preargs: Optional[Sequence[str]] = None, extra_postargs: Optional[Sequence[str]] = None,
                        target_lang: Optional[str] = None) -> None:
        self.link(self.EXECUTABLE, objects, self.executable_filename(output_progname), output_dir,
                  libraries, library_dirs, runtime_library_dirs, None, debug,
                  extra_preargs, extra_postargs, None, target_lang)

    def preprocess(self, source: str, output_file: Optional[str] = None,
                   macros: Optional[Sequence[MacroSpec]] = None, include_dirs: Optional[Sequence[str]] = None,
                   extra_preargs: Optional[Sequence[str]] = None, extra_postargs: Optional[Sequence[str]] = None) -> None:
        """Record a preprocessing statement; the output defaults to ``<source base>.i``."""
        source = _not_an_option(os.fspath(source))
        if output_file is None:
            output_file = os.path.splitext(source)[0] + ".i"
        output_file = _not_an_option(os.fspath(output_file))
        pp_opts = self.preprocess_options(macros, include_dirs)
        self.graph.add(self.preprocess_edge(source, output_file, pp_opts,
                                            list(extra_preargs or []), list(extra_postargs or [])))

    def preprocess_edge(self, source: str, output: str, pp_opts: list[str],
                        extra_preargs: list[str], extra_postargs: list[str]) -> Edge:
        raise NotImplementedError

    # ----------------------------------------------------------- ninja output
    def toolchain_variables(self) -> dict[str, str]:
        """Top-level ninja variables that this toolchain's rules refer to."""
        raise NotImplementedError

    def template_context(self) -> dict[str, Any]:
        """Values the rule template may use besides the variables."""
        return {}

    def rules(self) -> str:
        """This toolchain's ``rule`` blocks, rendered from its template."""
        from ..rules import render_rules

        return render_rules(self.template, {"launcher": bool(self.launcher), **self.template_context()},
                            cache_dir=self.rules_cache)

    def set_launcher(self, words: Sequence[str]) -> None:
        """Run compiles (never links) through *words*, e.g. ``["ccache"]``; ``[]`` for none."""
        if words and not self.supports_launcher:
            raise ConfigError(f"compiler type {self.compiler_type!r} does not support a compiler launcher")
        self.launcher = [str(w) for w in words]

    def launcher_variables(self) -> dict[str, str]:
        """The ``launcher`` ninja variable, when there is a launcher (toolchain_variables adds it)."""
        return {"launcher": self.join_args(self.launcher)} if self.launcher else {}

    def write_ninja(self, path: Union[str, os.PathLike[str]], **kwargs: Any) -> None:
        """Write everything recorded so far, with this toolchain's rules, to *path*.

        A dry run only says what it would write; with ``force`` the next ninja
        run rebuilds everything (``builddir``, if given, is where ninja's log is).
        """
        if self.dry_run:
            print(f"dry run: would write {os.fspath(path)} ({len(self.graph.edges)} build statements)")
            return
        self.graph.write(path, rules=self.rules(), variables=self.toolchain_variables(), **kwargs)
        if self.force:
            forget_build_log(kwargs.get("build_dir") or os.path.dirname(os.fspath(path)) or ".")

    # ------------------------------------------- configure-time utilities (run now)
    def announce(self, msg: str, level: int = 1) -> None:
        if self.verbose >= level:
            print(msg)

    def warn(self, msg: str) -> None:
        import sys

        print(f"warning: {msg}", file=sys.stderr)

    def execute(self, func: Any, args: Sequence[Any], msg: Optional[str] = None, level: int = 1) -> None:
        """Call ``func(*args)`` unless this is a dry run."""
        self.announce(msg or f"{func.__name__}{tuple(args)!r}", level)
        if not self.dry_run:
            func(*args)

    def spawn(self, cmd: Sequence[str]) -> None:
        """Run *cmd* now (configure time only); a failure raises with its output."""
        self.announce(" ".join(cmd))
        if not self.dry_run:
            run_command(list(cmd))

    def mkpath(self, name: str, mode: int = 0o777) -> None:
        self.execute(os.makedirs, (name, mode, True), f"creating {name}")

    def move_file(self, src: str, dst: str) -> str:
        if os.path.isdir(dst):
            dst = os.path.join(dst, os.path.basename(src))
        self.execute(os.replace, (src, dst), f"moving {src} -> {dst}")
        return dst

    def has_function(self, funcname: str, includes: Optional[Sequence[str]] = None,
                     include_dirs: Optional[Sequence[str]] = None, libraries: Optional[Sequence[str]] = None,
                     library_dirs: Optional[Sequence[str]] = None) -> bool:
        """Whether a program calling *funcname* compiles and links (cached in the build folder).

        It is compiled and linked with this compiler's own commands (``compile_argv``,
        ``link_exe_argv``), from the project folder: include and library folders are relative to it.
        """
        pp_opts = self.preprocess_options(None, list(include_dirs or []))
        lib_opts = gen_lib_options(self, list(library_dirs or []) + self.library_dirs, [],
                                   list(libraries or []) + self.libraries)

        def commands(scratch: str) -> list[list[str]]:
            src = os.path.join(scratch, "probe.c")
            obj = os.path.join(scratch, "probe" + self.obj_extension)
            exe = os.path.join(scratch, self.executable_filename("probe"))
            return [self.compile_argv(src, obj, pp_opts), self.link_exe_argv([obj], exe, lib_opts)]

        program = Probe({"probe.c": _function_program(funcname, list(includes or []))}, commands)
        return succeeds(program, self.build_dir, dry_run=self.dry_run)

    # argv builders for the probes: the same words a build statement runs
    def compile_argv(self, src: str, obj: str, pp_opts: list[str]) -> list[str]:
        raise NotImplementedError

    def link_exe_argv(self, objects: list[str], output: str, lib_opts: list[str]) -> list[str]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.compiler_type!r} for {self.target.platform}>"
