"""The catalogue of bad input (tests/BAD_INPUTS.md), each case run for real.

Every case runs ``ninjagen configure`` (or the API call named) on a small
project and asserts: exactly one line on stderr, the message the catalogue
promises, a non-zero exit, no traceback, and the previous build.ninja and
compile_commands.json left as they were.  A last test checks that the
catalogue and this list agree, so the document stays true.
"""

from __future__ import annotations

import fnmatch
import re
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import write

from ninjagen import PlatformError, new_compiler
from ninjagen.cli import main

CATALOGUE = Path(__file__).with_name("BAD_INPUTS.md")
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"


@dataclass
class Case:
    id: str
    message: str
    """What follows 'ninjagen: error: ' ({placeholders} filled in; '*' matches anything)."""
    ext: str = ""
    """Extra lines for the extension table of the default project."""
    tool: str = ""
    """Extra lines for [tool.ninjagen]."""
    pyproject: str | None = None
    """A whole pyproject.toml instead of the default one."""
    setup_py: str = ""
    """A setup.py to write into the project."""
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    exit: int = 1
    prefix: str = "ninjagen: error: "
    hook: str = ""
    """A build backend hook to call (in the project folder) instead of ``ninjagen configure``."""
    settings: dict[str, str] = field(default_factory=dict)
    """Its config-settings."""
    command: str = "configure"
    """The ninjagen command to run (when no *hook* is named)."""


def _pyproject(case: Case) -> str:
    if case.pyproject is not None:
        return case.pyproject
    return f'[tool.ninjagen]\n{case.tool}\n[[tool.ninjagen.ext-modules]]\nname = "m"\nsources = ["m.c"]\n{case.ext}\n'


M = '[[tool.ninjagen.ext-modules]]\nname = "m"\nsources = ["m.c"]\n'
PROJECT = '[project]\nname = "x"\nversion = "1.0"\n'

CASES = [
    Case("unknown-compiler-option", "unknown compiler type 'gcc' (available: bcpp, cygwin, mingw32, msvc, unix)", args=("--compiler", "gcc")),
    Case("unknown-compiler-config", "unknown compiler type 'turbo' (available: bcpp, cygwin, mingw32, msvc, unix)", tool='compiler = "turbo"'),
    Case("missing-source", "extension 'm': source nope.c not found", pyproject=M.replace("m.c", "nope.c")),
    Case("unknown-suffix", "extension 'm': unknown file type '.txt' of source m.txt (known: .c .cc .cpp .cxx .c++ .C .m .mm)",
         pyproject=M.replace("m.c", "m.txt")),
    Case("bad-extension-name", "extension name 'my-mod' is not a dotted Python identifier",
         pyproject=M.replace('"m"', '"my-mod"')),
    Case("duplicate-extension", "extension 'm' is listed twice", pyproject=M + M),
    Case("colliding-outputs", "extensions 'pkg.m' and 'm' both write m{ext_suffix}",
         pyproject='[tool.ninjagen]\npackage-dir = { "pkg" = "." }\n' + M.replace('"m"', '"pkg.m"') + M),
    Case("define-macros-not-a-list", "extension 'm': define_macros must be a list of (name, value) pairs, got 'X'",
         ext='define-macros = "X"'),
    Case("define-macro-three-items", "extension 'm': define_macros[0] must be a (name, value) pair or a name, got ('A', '1', '2')",
         ext='define-macros = [["A", "1", "2"]]'),
    Case("define-macro-bad-name", "extension 'm': define_macros[0]: '1X' is not a valid macro name",
         ext='define-macros = [["1X", "2"]]'),
    Case("define-macro-value-not-string", "extension 'm': define_macros[0]: the value of A must be a string or None, got 1",
         ext='define-macros = [["A", 1]]'),
    Case("macro-value-line-break", "extension 'm': define_macros[0]: the value of A contains a line break, "
         "which a ninja file cannot hold: 'x\\ny'", ext='define-macros = [["A", "x\\ny"]]'),
    Case("undef-macros-not-a-list", "extension 'm': undef_macros must be a list of strings, got 'A'",
         ext='undef-macros = "A"'),
    Case("undef-macro-bad-name", "extension 'm': undef_macros[0]: 'A B' is not a valid macro name",
         ext='undef-macros = ["A B"]'),
    Case("non-string-in-list", "extension 'm': include_dirs[1] must be a string, got 3", ext='include-dirs = ["inc", 3]'),
    Case("empty-sources", "extension 'm': sources is empty", pyproject=M.replace('["m.c"]', "[]")),
    Case("bad-language", "extension 'm': language 'fortran' is not one of c++, objc, c", ext='language = "fortran"'),
    Case("optional-not-bool", "extension 'm': optional must be true or false, got 'yes'", ext='optional = "yes"'),
    Case("limited-api-bad-tag", "extension 'm': py_limited_api must be true, false or a tag like 'cp39', got 'abi3'",
         ext='py-limited-api = "abi3"'),
    Case("limited-api-too-new", "extension 'm': py_limited_api 'cp399' is newer than the target Python {version}",
         ext='py-limited-api = "cp399"'),
    Case("pipe-in-path", "extension 'm': source a|b.c contains '|', which a ninja build line cannot hold",
         pyproject=M.replace("m.c", "a|b.c")),
    Case("tab-in-path", "extension 'm': source 'a\\tb.c' contains a tab, which ninja's build log cannot hold",
         pyproject=M.replace("m.c", "a\\tb.c")),
    Case("include-folder-depfile-unsafe", "extension 'm': include folder 'inc;old' contains ';', which ninja cannot "
         "read back from gcc's dependency file (header changes would go unseen)", ext='include-dirs = ["inc;old"]'),
    Case("setup-py-raises", "setup.py failed: RuntimeError: no compiler configured (setup.py line 1)",
         pyproject="", setup_py="raise RuntimeError('no compiler configured')\n"),
    Case("setup-py-links-by-hand", "extension 'm': its build_ext never linked it through setuptools' compiler, "
         "so ninjagen cannot build it", pyproject="", setup_py=(
             "from setuptools import setup, Extension\n"
             "from setuptools.command.build_ext import build_ext\n"
             "class ByHand(build_ext):\n    def build_extension(self, ext):\n        pass\n"
             "setup(name='x', ext_modules=[Extension('m', ['m.c'])], cmdclass={'build_ext': ByHand})\n")),
    Case("setup-py-builds-nothing", "setup.py builds no extension modules (setup() gets no ext_modules and its "
         "build_ext adds none): list them in ext_modules, or in [tool.ninjagen] ext-modules", pyproject="",
         setup_py="from setuptools import setup\nsetup(name='x')\n"),
    Case("missing-depends", "extension 'm': depends file nope.h not found", ext='depends = ["nope.h"]'),
    Case("missing-extra-object", "extension 'm': extra object nope.o not found", ext='extra-objects = ["nope.o"]'),
    Case("unknown-tool-key", "pyproject.toml [tool.ninjagen]: unknown key 'ext-module' (did you mean 'ext-modules'?)",
         pyproject='[tool.ninjagen]\next-module = []\n'),
    Case("unknown-extension-key", "pyproject.toml [tool.ninjagen] ext-modules[0] (m): unknown key 'source' (did you mean 'sources'?)",
         ext='source = ["m.c"]'),
    Case("missing-extension-key", "pyproject.toml [tool.ninjagen] ext-modules[0] (m): missing required key 'sources'",
         pyproject='[[tool.ninjagen.ext-modules]]\nname = "m"\n'),
    Case("ext-modules-not-an-array", "pyproject.toml [tool.ninjagen] ext-modules must be an array of tables, got {}",
         pyproject='[tool.ninjagen]\next-modules = {}\n'),
    Case("extension-not-a-table", "pyproject.toml [tool.ninjagen] ext-modules[0] (?) must be a table, got 'm'",
         pyproject='[tool.ninjagen]\next-modules = ["m"]\n'),
    Case("malformed-toml", "pyproject.toml: invalid TOML: * (at line 1, column *)", pyproject="[tool.ninjagen\n"),
    Case("tool-not-a-table", "pyproject.toml: [tool] must be a table", pyproject="tool = 3\n"),
    Case("package-dir-not-a-table", "pyproject.toml [tool.ninjagen] package-dir must be a table of package name = folder, got 'src'",
         tool='package-dir = "src"'),
    Case("link-jobs-zero", "pyproject.toml [tool.ninjagen] link-jobs must be a whole number of at least 1, got 0",
         tool="link-jobs = 0"),
    Case("link-jobs-option-zero", "argument --link-jobs: must be at least 1, got 0 (see ninjagen configure --help)",
         args=("--link-jobs", "0"), exit=2, prefix="ninjagen configure: error: "),
    Case("no-extensions", "pyproject.toml: no extension modules: add [tool.ninjagen] ext-modules = [...]",
         pyproject='[project]\nname = "x"\n'),
    Case("missing-pyproject", "no pyproject.toml in {project} (ninjagen reads the extension modules from it, or from a setup.py)",
         pyproject=""),
    Case("library-bad-name", "library name 'a/b' must be a plain name (no slashes or spaces)",
         tool='libraries = [{ name = "a/b", sources = ["m.c"] }]'),
    Case("library-missing-source", "library 'geom': source nope.c not found",
         tool='libraries = [{ name = "geom", sources = ["nope.c"] }]'),
    Case("python-missing", "--python {tmp}/no-python: no such file", args=("--python", "{tmp}/no-python")),
    Case("python-not-a-python", "--python {tmp}/fake-python: not a Python interpreter (it printed no description)",
         args=("--python", "{tmp}/fake-python")),
    Case("python-without-headers", "--python {tmp}/headerless-python: no development headers (no Python.h in "
         "{tmp}/no-include); install its -dev package", args=("--python", "{tmp}/headerless-python")),
    Case("compiler-not-installed", "'no-such-cc' (the unix compiler_so) was not found on PATH; "
         "install it or name another with the environment (CC, CXX, AR, ...)", env={"CC": "no-such-cc"}),
    Case("build-dir-is-a-file", "build folder m.c exists and is not a folder", args=("-B", "m.c")),
    Case("build-dir-not-creatable", "cannot create build folder /proc/ninjagen-build: No such file or directory",
         args=("-B", "/proc/ninjagen-build")),
    Case("project-dir-missing", "project folder {tmp}/nowhere does not exist", args=("-C", "{tmp}/nowhere")),
    # the build backend (ninjagen.backend), as pip, build and uv call it
    Case("backend-no-project", "pyproject.toml: no [project] table: the build backend takes the name, version and "
         "the rest of the metadata from it (PEP 621)", hook="build_wheel"),
    Case("backend-no-name", 'pyproject.toml: Field "project.name" is required if "project" is present',
         pyproject='[project]\nversion = "1.0"\n' + M, hook="build_wheel"),
    Case("backend-no-version", "pyproject.toml: Field \"project.version\" missing and 'version' not specified in "
         '"project.dynamic"', pyproject='[project]\nname = "x"\n' + M, hook="build_wheel"),
    Case("backend-dynamic-field", "pyproject.toml: project.dynamic lists 'version', which ninjagen cannot fill: "
         "write project.version in [project] itself",
         pyproject='[project]\nname = "x"\ndynamic = ["version"]\n' + M, hook="build_wheel"),
    Case("backend-unknown-setting", "unknown config-setting 'build_dir' (did you mean 'build-dir'?)",
         pyproject=PROJECT + M, hook="build_wheel", settings={"build_dir": "b"}),
    Case("backend-missing-package", "[tool.ninjagen] packages: package 'nope' has no folder nope",
         pyproject=PROJECT + '[tool.ninjagen]\npackages = ["nope"]\n' + M, hook="build_wheel"),
    # build insight
    Case("report-foreign-build-ninja", "build.ninja in {project} has no readable ninjagen state: run ninjagen "
         "configure again", command="report"),
    Case("report-missing-build-file", "no nope.ninja in {project}: run ninjagen configure, then a build",
         command="report", args=("-f", "nope.ninja")),
]


def _fill(text: str, project: Path) -> str:
    values = {"project": str(project), "tmp": str(project.parent), "ext_suffix": EXT_SUFFIX, "version": VERSION}
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _fake_pythons(tmp: Path) -> None:
    fake = write(tmp / "fake-python", "#!/bin/sh\necho not a python\n")
    headerless = write(tmp / "headerless-python",  # a real Python that reports an include dir without headers
                       f"#!/bin/sh\n{sys.executable} \"$@\" | sed 's#\"include\": \"[^\"]*\"#\"include\": \"{tmp}/no-include\"#;"
                       f"s#\"platinclude\": \"[^\"]*\"#\"platinclude\": \"{tmp}/no-include\"#;"
                       f"s#exec_prefix\": \"[^\"]*\"#exec_prefix\": \"{tmp}\"#g'\n")
    fake.chmod(0o755)
    headerless.chmod(0o755)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_one_line_and_changes_nothing(case, tmp_path, capfd, monkeypatch):
    project = tmp_path / "p"
    write(project / "m.c", "int m_answer(void) { return 42; }\n")
    write(project / "m.txt", "")
    write(project / "a|b.c", "int x;\n")
    write(project / "build.ninja", "# the previous build.ninja\n")
    write(project / "compile_commands.json", "[]\n")
    text = _pyproject(case)
    if text:
        write(project / "pyproject.toml", text)
    if case.setup_py:
        write(project / "setup.py", case.setup_py)
    _fake_pythons(tmp_path)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    args = [_fill(a, project) for a in case.args]
    if "-C" not in args:
        args = ["-C", str(project), *args]

    try:
        if case.hook:
            import ninjagen.backend

            monkeypatch.chdir(project)
            rc = getattr(ninjagen.backend, case.hook)(str(tmp_path / "dist"), case.settings) and 0
        else:
            rc = main([case.command, *args])
    except SystemExit as exc:  # usage errors leave through argparse; the backend's hooks exit
        rc = exc.code
    captured = capfd.readouterr()
    assert rc == case.exit
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    line = captured.err.rstrip("\n")
    expected = case.prefix + _fill(case.message, project)
    matches = fnmatch.fnmatchcase(line, expected) if "*" in case.message else line == expected
    assert matches, f"got      {line!r}\nexpected {expected!r}"
    assert (project / "build.ninja").read_text() == "# the previous build.ninja\n"
    assert (project / "compile_commands.json").read_text() == "[]\n"
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]


def test_unknown_platform_through_the_api():
    with pytest.raises(PlatformError) as info:
        new_compiler(plat="os2")
    assert str(info.value) == "unknown platform 'os2' (valid: posix, nt)"


def test_the_catalogue_lists_every_case_with_its_message():
    rows = {}
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]  # split on unescaped pipes
        if len(cells) == 4 and cells[0].isdigit():
            rows[cells[1].strip("`")] = cells[3].strip("`").replace("\\|", "|")
    expected = {c.id: c.prefix + c.message for c in CASES}
    expected["unknown-platform"] = "PlatformError: unknown platform 'os2' (valid: posix, nt)"
    assert rows == expected
    assert len(rows) >= 25
