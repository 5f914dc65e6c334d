"""ninjagen.config.load_project on pyproject.toml files written per test."""

from __future__ import annotations

import textwrap

import pytest

from ninjagen.config import load_project
from ninjagen.errors import ConfigError


@pytest.fixture
def project(tmp_path):
    """Write pyproject.toml (dedented) into a fresh folder; return the folder as a str."""

    def write(text: str) -> str:
        (tmp_path / "pyproject.toml").write_text(textwrap.dedent(text), encoding="utf-8")
        return str(tmp_path)

    return write


def load_error(directory: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_project(directory)
    return str(info.value)


MINIMAL = """
    [[tool.ninjagen.ext-modules]]
    name = "pkg.mod"
    sources = ["src/mod.c"]
"""


# ------------------------------------------------------------- [tool.ninjagen]
def test_minimal_project(project):
    config = load_project(project(MINIMAL))
    [ext] = config.extensions
    assert ext.name == "pkg.mod" and ext.sources == ["src/mod.c"]
    assert config.libraries == [] and config.package_dir == {}
    assert config.build_dir is None and config.compiler is None and config.link_jobs is None
    assert config.source == "pyproject.toml [tool.ninjagen]"


def test_ext_modules_with_every_kebab_key(project):
    config = load_project(project("""
        [[tool.ninjagen.ext-modules]]
        name = "pkg.mod"
        sources = ["src/mod.c", "src/more.cpp"]
        include-dirs = ["include"]
        define-macros = [["WITH_VALUE", "1"], ["NO_VALUE"], "BARE"]
        undef-macros = ["NDEBUG"]
        library-dirs = ["lib"]
        libraries = ["m"]
        runtime-library-dirs = ["/opt/lib"]
        extra-objects = ["x.o"]
        extra-compile-args = ["-O0"]
        extra-link-args = ["-Wl,-z,defs"]
        export-symbols = ["PyInit_mod"]
        depends = ["include/mod.h"]
        language = "c++"
        optional = true
        py-limited-api = "cp310"
    """))
    [ext] = config.extensions
    assert ext.include_dirs == ["include"]
    assert ext.define_macros == [("WITH_VALUE", "1"), ("NO_VALUE", None), ("BARE", None)]
    assert ext.undef_macros == ["NDEBUG"]
    assert ext.library_dirs == ["lib"] and ext.libraries == ["m"]
    assert ext.runtime_library_dirs == ["/opt/lib"] and ext.extra_objects == ["x.o"]
    assert ext.extra_compile_args == ["-O0"] and ext.extra_link_args == ["-Wl,-z,defs"]
    assert ext.export_symbols == ["PyInit_mod"] and ext.depends == ["include/mod.h"]
    assert ext.language == "c++" and ext.optional is True and ext.py_limited_api == "cp310"


def test_several_extensions_keep_their_order(project):
    config = load_project(project("""
        [[tool.ninjagen.ext-modules]]
        name = "b"
        sources = ["b.c"]
        [[tool.ninjagen.ext-modules]]
        name = "a"
        sources = ["a.c"]
    """))
    assert [e.name for e in config.extensions] == ["b", "a"]


def test_libraries(project):
    config = load_project(project(MINIMAL + """
        [[tool.ninjagen.libraries]]
        name = "helper"
        sources = ["lib/helper.c"]
        include-dirs = ["lib"]
        define-macros = [["H", "1"], "G"]
        undef-macros = ["U"]
        extra-compile-args = ["-O1"]
        depends = ["lib/helper.h"]
    """))
    [lib] = config.libraries
    assert lib.name == "helper" and lib.sources == ["lib/helper.c"] and lib.include_dirs == ["lib"]
    assert lib.define_macros == [("H", "1"), ("G", None)] and lib.undef_macros == ["U"]
    assert lib.extra_compile_args == ["-O1"] and lib.depends == ["lib/helper.h"]


def test_library_with_a_slash_in_its_name_is_rejected(project):
    msg = load_error(project(MINIMAL + """
        [[tool.ninjagen.libraries]]
        name = "sub/helper"
        sources = ["h.c"]
    """))
    assert "'sub/helper'" in msg


def test_library_unknown_key_has_a_hint(project):
    msg = load_error(project(MINIMAL + """
        [[tool.ninjagen.libraries]]
        name = "helper"
        sources = ["h.c"]
        libraries = ["m"]
    """))
    assert "libraries[0]" in msg and "unknown key 'libraries'" in msg


def test_package_dir_build_dir_compiler_link_jobs(project):
    config = load_project(project("""
        [tool.ninjagen]
        package-dir = {"" = "src"}
        build-dir = "out/build"
        compiler = "unix"
        link-jobs = 3
    """ + MINIMAL))
    assert config.package_dir == {"": "src"}
    assert config.build_dir == "out/build"
    assert config.compiler == "unix"
    assert config.link_jobs == 3


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("build-dir = ''", "build-dir must be a folder name"),
        ("build-dir = 3", "build-dir must be a folder name"),
        ("compiler = 3", "compiler must be a string"),
        ("link-jobs = 0", "link-jobs must be a whole number"),
        ("link-jobs = true", "link-jobs must be a whole number"),
        ("link-jobs = 2.5", "link-jobs must be a whole number"),
        ("package-dir = 'src'", "package-dir must be a table"),
        ("package-dir = {'' = 3}", "package-dir must be a table"),
        ("ext-modules = 'x'", "ext-modules must be an array of tables"),
        ("libraries = {}", "libraries must be an array of tables"),
    ],
)
def test_bad_tool_values(project, line, fragment):
    text = "[tool.ninjagen]\n" + line + "\n"
    if not line.startswith("ext-modules"):
        text += "ext-modules = [{name = 'm', sources = ['m.c']}]\n"
    msg = load_error(project(text))
    assert fragment in msg


def test_ext_module_that_is_not_a_table(project):
    msg = load_error(project("[tool.ninjagen]\next-modules = ['m.c']\n"))
    assert "ext-modules[0]" in msg and "must be a table" in msg


def test_ext_module_missing_sources(project):
    msg = load_error(project("[tool.ninjagen]\next-modules = [{name = 'm'}]\n"))
    assert "ext-modules[0] (m)" in msg and "missing required key 'sources'" in msg


def test_ext_module_bad_value_names_the_extension(project):
    msg = load_error(project("""
        [[tool.ninjagen.ext-modules]]
        name = "pkg.mod"
        sources = ["m.c"]
        define-macros = [["1BAD", "x"]]
    """))
    assert "'pkg.mod'" in msg and "define_macros[0]" in msg


# --------------------------------------------------------- [tool.setuptools]
def test_falls_back_to_setuptools_ext_modules_and_package_dir(project):
    config = load_project(project("""
        [tool.setuptools]
        package-dir = {"" = "lib"}
        [[tool.setuptools.ext-modules]]
        name = "pkg.fast"
        sources = ["lib/pkg/fast.c"]
        define-macros = [["X", "1"]]
    """))
    [ext] = config.extensions
    assert ext.name == "pkg.fast" and ext.define_macros == [("X", "1")]
    assert config.package_dir == {"": "lib"}
    assert config.source == "pyproject.toml [tool.setuptools]"


def test_ninjagen_wins_over_setuptools(project):
    config = load_project(project("""
        [tool.ninjagen]
        package-dir = {"" = "ours"}
        [[tool.ninjagen.ext-modules]]
        name = "ours"
        sources = ["ours.c"]
        [tool.setuptools]
        package-dir = {"" = "theirs"}
        [[tool.setuptools.ext-modules]]
        name = "theirs"
        sources = ["theirs.c"]
    """))
    assert [e.name for e in config.extensions] == ["ours"]
    assert config.package_dir == {"": "ours"}


def test_setuptools_package_dir_used_when_ours_is_silent(project):
    config = load_project(project(MINIMAL + """
        [tool.setuptools]
        package-dir = {"" = "src"}
    """))
    assert config.package_dir == {"": "src"}


def test_setuptools_other_keys_are_not_ours_to_check(project):
    config = load_project(project("""
        [tool.setuptools]
        zip-safe = false
        [[tool.setuptools.ext-modules]]
        name = "m"
        sources = ["m.c"]
    """))
    assert [e.name for e in config.extensions] == ["m"]


# --------------------------------------------------------------- misspellings
def test_unknown_tool_key_suggests_the_close_one(project):
    msg = load_error(project("[tool.ninjagen]\next_modules = []\n"))
    assert msg == "pyproject.toml [tool.ninjagen]: unknown key 'ext_modules' (did you mean 'ext-modules'?)"


def test_unknown_tool_key_without_close_match_lists_the_valid_keys(project):
    msg = load_error(project("[tool.ninjagen]\nzzz = 1\n"))
    assert "unknown key 'zzz'" in msg
    assert ("valid keys: build-dir, compiler, cross-prefix, ext-modules, heavy-jobs, launcher, libraries, "
            "link-jobs, package-dir") in msg


def test_unknown_key_inside_an_ext_module_suggests_the_close_one(project):
    msg = load_error(project("""
        [[tool.ninjagen.ext-modules]]
        name = "pkg.mod"
        sources = ["m.c"]
        include_dirs = ["inc"]
    """))
    assert msg == (
        "pyproject.toml [tool.ninjagen] ext-modules[0] (pkg.mod): "
        "unknown key 'include_dirs' (did you mean 'include-dirs'?)"
    )


def test_unknown_key_inside_a_setuptools_ext_module_names_that_section(project):
    msg = load_error(project("""
        [[tool.setuptools.ext-modules]]
        name = "m"
        sources = ["m.c"]
        extra-compile-arg = ["-O0"]
    """))
    assert "[tool.setuptools] ext-modules[0] (m)" in msg
    assert "did you mean 'extra-compile-args'?" in msg


# ------------------------------------------------------------ broken projects
def test_malformed_toml_names_the_line(project):
    directory = project("""
        [tool.ninjagen]
        build-dir = "b"
        this is not toml
    """)
    msg = load_error(directory)
    assert "pyproject.toml: invalid TOML" in msg
    assert "line 4" in msg  # the dedented text starts with an empty line


def test_missing_pyproject(tmp_path):
    msg = load_error(str(tmp_path))
    assert msg == f"no pyproject.toml in {tmp_path} (ninjagen reads the extension modules from it, or from a setup.py)"


def test_no_extensions_at_all(project):
    msg = load_error(project("[project]\nname = 'x'\n"))
    assert "no extension modules" in msg and "[tool.ninjagen] ext-modules" in msg


def test_empty_ext_modules_list_gives_no_extensions(project):
    # an explicit empty list is taken at its word
    assert load_project(project("[tool.ninjagen]\next-modules = []\n")).extensions == []


def test_tool_ninjagen_not_a_table(project):
    msg = load_error(project("[tool]\nninjagen = 3\n"))
    assert "[tool.ninjagen] must be a table" in msg


def test_tool_not_a_table_is_a_config_error(project):
    # BUG: load_project calls tool.get(...) on whatever [tool] is: AttributeError, not ConfigError
    msg = load_error(project("tool = 3\n"))
    assert "tool" in msg
