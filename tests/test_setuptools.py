"""setup.py projects built through ninjagen unchanged: capture, the build_ext drop-in, Cython, SWIG."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest

from cmodule import c_module
from conftest import configure, ninja, planned, run_python, touch, write

from ninjagen.cli import main

needs_swig = pytest.mark.skipif(shutil.which("swig") is None and not os.environ.get("CI"),
                                reason="SWIG is not installed (apt-get install swig)")
pytest.importorskip("Cython")


def _kinds(project) -> list[str]:
    return sorted(d.split()[0] for d in planned(project))


@pytest.mark.slow
@needs_swig
def test_setup_py_capture_builds_c_build_clib_cython_and_swig(sample):
    project = sample("legacy")
    configure(project)  # pyproject.toml declares no extensions: setup.py is read
    ninja(project)
    assert run_python(project, "check_sample.py").strip() == "ok legacy"
    assert planned(project) == []
    assert not (project / "src" / "legacy" / "_fast.c").exists()  # generated into build/, not beside the .pyx
    text = (project / "build.ninja").read_text()
    assert "regenerate | pyproject.toml setup.py " in text
    assert "-X language_level=3 -X boundscheck=False" in text  # cythonize's directives reach cython


@pytest.mark.slow
@needs_swig
def test_cython_and_swig_dependencies_are_tracked(sample):
    project = sample("legacy")
    configure(project)
    ninja(project)
    touch(project / "src" / "legacy" / "consts.pxi")  # included by _fast.pyx
    assert _kinds(project) == ["CC", "CYTHON", "LINK"]
    ninja(project)
    touch(project / "src" / "legacy" / "_fast.pxd")
    assert _kinds(project) == ["CC", "CYTHON", "LINK"]
    ninja(project)
    touch(project / "include" / "wrapped.h")  # %include'd by the SWIG interface and #included by the wrapper
    assert _kinds(project) == ["CC", "LINK", "SWIG"]


@pytest.mark.slow
@needs_swig
def test_editing_setup_py_regenerates(sample):
    project = sample("legacy")
    configure(project)
    ninja(project)
    setup_py = project / "setup.py"
    setup_py.write_text(setup_py.read_text().replace('("LEGACY_SCALE", "3")', '("LEGACY_SCALE", "4")'))
    out = ninja(project).stdout
    assert "Regenerating build.ninja" in out and "_native" in out
    assert run_python(project, "import sys; sys.path.insert(0, 'src'); from legacy import _native; "
                               "print(_native.scaled(2))").strip() == "108"


@pytest.mark.slow
def test_pyx_language_directive_makes_cpp(tmp_path):
    project = tmp_path / "p"
    write(project / "vec.pyx", textwrap.dedent("""\
        # distutils: language = c++
        from libcpp.vector cimport vector
        def three():
            cdef vector[int] v = [1, 2]
            v.push_back(3)
            return len(v)
        """))
    write(project / "pyproject.toml", '[[tool.ninjagen.ext-modules]]\nname = "vec"\nsources = ["vec.pyx"]\n')
    configure(project)
    text = (project / "build.ninja").read_text()
    assert "build build/cython/vec.cpp: cython vec.pyx" in text and ": link_so_cxx " in text
    ninja(project)
    assert run_python(project, "import vec; print(vec.three())").strip() == "3"


def _legacy_with(project, setup_text: str):
    (project / "setup.py").write_text(textwrap.dedent(setup_text))


SETUP_PY_CASES = {
    "raises": ("raise RuntimeError('no compiler configured')\n",
               "setup.py failed: RuntimeError: no compiler configured (setup.py line 1)"),
    "no setup call": ("x = 1\n", "setup.py finished without calling setup()"),
    "custom build_ext, no ext_modules": (
        """\
        from setuptools import setup
        from setuptools.command.build_ext import build_ext
        class Mine(build_ext):
            def build_extensions(self):
                pass
        setup(name="x", cmdclass={"build_ext": Mine})
        """,
        "setup.py builds no extension modules (setup() gets no ext_modules and its build_ext adds none): "
        "list them in ext_modules, or in [tool.ninjagen] ext-modules"),
}


@pytest.mark.parametrize("case", sorted(SETUP_PY_CASES))
def test_setup_py_problems_are_one_line(tmp_path, capsys, case):
    text, message = SETUP_PY_CASES[case]
    write(tmp_path / "setup.py", textwrap.dedent(text))
    assert main(["configure", "-C", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == f"ninjagen: error: {message}\n"
    assert not (tmp_path / "build.ninja").exists()


def test_a_custom_build_ext_runs_and_what_it_changes_is_built(tmp_path, capsys):
    """The project's own build_ext runs: a macro it adds, a flag it puts on the compiler, a folder it adds."""
    write(tmp_path / "gen" / "extra.h", "#define FROM_HEADER 5\n")
    write(tmp_path / "m.c", c_module("m", {"v": "PyLong_FromLong(EXTRA * 100 + FROM_COMPILER * 10 + FROM_HEADER)"},
                                     prelude='#include "extra.h"'))
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from setuptools.command.build_ext import build_ext
        class Mine(build_ext):
            def build_extensions(self):
                self.compiler.compiler_so.append("-DFROM_COMPILER=3")
                self.compiler.add_include_dir("gen")
                super().build_extensions()
            def build_extension(self, ext):
                ext.define_macros.append(("EXTRA", "1"))
                super().build_extension(ext)
        setup(name="x", ext_modules=[Extension("m", ["m.c"])], cmdclass={"build_ext": Mine})
        """))
    assert main(["configure", "-C", str(tmp_path)]) == 0
    assert "warning" not in capsys.readouterr().err
    ninja(tmp_path)
    assert run_python(tmp_path, "import m; print(m.v())").strip() == "135"


@pytest.mark.slow
@needs_swig
def test_drop_in_build_ext_builds_through_ninja_and_then_does_nothing(sample):
    project = sample("legacy")  # its setup.py uses ninjagen.setuptools.cmdclass() when ninjagen is importable
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    first = subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=project, env=env,
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "] LINK " in first.stdout and "] AR " in first.stdout  # ninja built it, build_clib's library too
    assert run_python(project, "check_sample.py").strip() == "ok legacy"
    (build_ninja,) = project.glob("build/temp.*/build.ninja")
    second = subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=project, env=env,
                            capture_output=True, text=True)
    assert second.returncode == 0 and "ninja: no work to do." in second.stdout, second.stdout + second.stderr
    assert build_ninja.exists()


def test_drop_in_subclass_that_changes_options_keeps_working(tmp_path):
    write(tmp_path / "m.c", c_module("m", {"v": "PyLong_FromLong(EXTRA)"}))
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from ninjagen.setuptools import build_ext
        class Mine(build_ext):
            def build_extension(self, ext):
                ext.define_macros.append(("EXTRA", "41"))
                super().build_extension(ext)
        setup(name="x", ext_modules=[Extension("m", ["m.c"])], cmdclass={"build_ext": Mine})
        """))
    proc = subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert run_python(tmp_path, "import m; print(m.v() + 1)").strip() == "42"


PLUGIN_PYPROJECT = ('[build-system]\nrequires = ["setuptools>=64", "ninjagen"]\nbuild-backend = "setuptools.build_meta"\n\n'
                    '[tool.ninjagen]\nsetuptools-build-ext = true\n')


def _plugin_venv(tmp_path):
    """A venv with current setuptools and this ninjagen, for pip installs without build isolation."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    setup = subprocess.run(pip + ["install", "-q", "setuptools>=70", "wheel", root], capture_output=True, text=True)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    return venv, pip


@pytest.mark.slow
def test_the_plugin_wraps_a_projects_own_build_ext(tmp_path):
    """Its subclass stays in charge (a macro, an include folder on self.compiler); a module in a subpackage;
    an integer macro value; pip install -e and pip wheel both build it through ninja."""
    project = tmp_path / "proj"
    write(project / "pkg" / "__init__.py", "")
    write(project / "pkg" / "low_level" / "__init__.py", "")
    write(project / "extra" / "extra.h", "#define FROM_HEADER 2\n")
    write(project / "pkg" / "low_level" / "x.c",
          c_module("pkg.low_level.x", {"v": "PyLong_FromLong(NUMBER * 10 + FROM_HEADER + OWN)"},
                   prelude='#include "extra.h"'))
    write(project / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from setuptools.command.build_ext import build_ext
        class Own(build_ext):
            def build_extensions(self):
                self.compiler.add_include_dir("extra")
                super().build_extensions()
            def build_extension(self, ext):
                ext.define_macros.append(("OWN", "1"))
                super().build_extension(ext)
        setup(name="wrapped", version="0.1", packages=["pkg", "pkg.low_level"], cmdclass={"build_ext": Own},
              ext_modules=[Extension("pkg.low_level.x", ["pkg/low_level/x.c"], define_macros=[("NUMBER", 4)])])
        """))
    write(project / "pyproject.toml", PLUGIN_PYPROJECT)
    venv, pip = _plugin_venv(tmp_path)
    proc = subprocess.run(pip + ["install", "-v", "--no-build-isolation", "-e", str(project)],
                          capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert "ninjagen: __main__.Own runs as the project's build_ext" in output and "] LINK " in output
    check = subprocess.run([str(venv / "bin" / "python"), "-c", "from pkg.low_level import x; print(x.v())"],
                           cwd=venv, capture_output=True, text=True)
    assert check.stdout.strip() == "43", check.stderr
    wheels = tmp_path / "wheels"
    proc = subprocess.run(pip + ["wheel", "-q", "--no-build-isolation", "--no-deps", "-w", str(wheels), str(project)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    (wheel,) = wheels.glob("wrapped-0.1-*.whl")
    assert any(n.startswith("pkg/low_level/x.") and n.endswith(".so") for n in zipfile.ZipFile(wheel).namelist())


@pytest.mark.slow
def test_pip_install_editable_through_the_plugin_rebuilds_only_what_changed(tmp_path, sample):
    """`pip install -e .` with `[tool.ninjagen] setuptools-build-ext = true`: no setup.py change needed.

    An editable build's build_temp is a new temporary folder each time: the build_clib archive made
    there, and the compiler state naming it, move into the lasting build folder, or every install
    would rebuild everything."""
    project = sample("hello")
    (project / "helper.c").write_text("int helper_value(void) { return 7; }\n")
    (project / "setup.py").write_text('from setuptools import Extension, setup\n'
                                      'setup(name="pe-hello", version="0.1", libraries=[("helper", {"sources": ["helper.c"]})],\n'
                                      '      ext_modules=[Extension("hello", ["hello.c"])])\n')
    (project / "pyproject.toml").write_text(PLUGIN_PYPROJECT)
    venv, pip = _plugin_venv(tmp_path)

    def install() -> str:
        proc = subprocess.run(pip + ["install", "-v", "--no-build-isolation", "-e", str(project)],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        return proc.stdout + proc.stderr  # pip -v shows the build's output on either

    first = install()
    assert "] CC " in first and "] LINK " in first and "] AR " in first
    check = subprocess.run([str(venv / "bin" / "python"), "-c", "import hello; print(hello.add(2, 3))"],
                           cwd=venv, capture_output=True, text=True)  # not beside the project's folder
    assert check.stdout.strip() == "5", check.stderr
    assert "ninja: no work to do." in install()
    with open(project / "hello.c", "a") as f:
        f.write("/* an edit */\n")
    third = install()
    assert third.count("] CC ") == 1 and third.count("] LINK ") == 1


def test_build_clib_libraries_link_into_every_extension(tmp_path):
    """As setuptools' build_ext: a build_clib library is linked even where no Extension lists it (marisa-trie)."""
    write(tmp_path / "lib" / "base.c", "int base_value(void) { return 41; }\n")
    write(tmp_path / "m.c", c_module("m", {"v": "PyLong_FromLong(base_value() + 1)"}, prelude="int base_value(void);"))
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        setup(name="x", libraries=[("lib-base", {"sources": ["lib/base.c"]})],
              ext_modules=[Extension("m", ["m.c"], libraries=["m"])])
        """))
    assert main(["configure", "-C", str(tmp_path), "--setup-py"]) == 0
    ninja(tmp_path)
    assert run_python(tmp_path, "import m; print(m.v())").strip() == "42"
    link = next(ln for ln in (tmp_path / "build.ninja").read_text().splitlines() if ln.startswith("build m."))
    assert "| build/temp." in link and "/liblib-base.a" in link  # where build_clib puts it; relinks when it changes


@pytest.mark.slow
def test_cython_directive_defaults_changed_by_setup_py_reach_cython(tmp_path):
    """cytoolz's setup.py sets Options.get_directive_defaults()['embedsignature'] before cythonize()."""
    write(tmp_path / "sig.pyx", 'def add(a, b=2):\n    "Adds."\n    return a + b\n')
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from Cython.Build import cythonize
        from Cython.Compiler.Options import get_directive_defaults
        get_directive_defaults()["embedsignature"] = True
        setup(name="x", ext_modules=cythonize([Extension("sig", ["sig.pyx"])]))
        """))
    assert main(["configure", "-C", str(tmp_path), "--setup-py"]) == 0
    ninja(tmp_path)
    assert run_python(tmp_path, "import sig; print(sig.add(1), sig.add.__doc__.splitlines()[0])").strip() == \
        "3 add(a, b=2)"


def test_setup_py_macro_values_that_are_not_strings(tmp_path):
    """psutil passes ("PSUTIL_VERSION", 610): distutils formats it as -DPSUTIL_VERSION=610."""
    write(tmp_path / "m.c", c_module("m", {"v": "PyLong_FromLong(VAL + 1)"}))
    write(tmp_path / "setup.py", 'from setuptools import setup, Extension\n'
                                 'setup(name="x", ext_modules=[Extension("m", ["m.c"], define_macros=[("VAL", 41)])])\n')
    assert main(["configure", "-C", str(tmp_path), "--setup-py"]) == 0
    ninja(tmp_path)
    assert run_python(tmp_path, "import m; print(m.v())").strip() == "42"


@pytest.mark.slow  # builds a venv
def test_an_editable_install_of_generated_sources_and_configure_checks_through_the_plugin(tmp_path):
    """pynacl's and bottleneck's shapes through pip install -e and the plugin: cffi-style C generated into
    build_ext's build_temp (a temporary folder outside the project for an editable build) is built, and
    the config command's try_compile, whose answer the build_ext reads at once, runs for real."""
    project = tmp_path / "p"
    write(project / "pyproject.toml", PLUGIN_PYPROJECT)
    write(project / "setup.py", textwrap.dedent(f"""\
        import os
        from setuptools import setup, Extension
        from setuptools.command.build_ext import build_ext

        MODULE = {c_module("gen", {"v": "PyLong_FromLong(CONFIGURED)"})!r}

        class Generating(build_ext):
            def build_extensions(self):
                config = self.distribution.get_command_obj("config")
                config.ensure_finalized()
                config.compiler = self.compiler  # bottleneck's way: the checks on build_ext's compiler
                value = 10 * config.try_compile("int x;\\n") + config.try_compile("#error no\\n")
                os.makedirs(self.build_temp, exist_ok=True)
                generated = os.path.join(self.build_temp, "gen.c")
                with open(generated, "w") as f:
                    f.write(MODULE)
                for ext in self.extensions:
                    ext.sources = [generated]
                    ext.define_macros.append(("CONFIGURED", str(value)))
                super().build_extensions()

        setup(name="gen", version="0.1", cmdclass={{"build_ext": Generating}},
              ext_modules=[Extension("gen", ["placeholder.c"])])
        """))
    venv, pip = _plugin_venv(tmp_path)
    proc = subprocess.run(pip + ["install", "-v", "--no-build-isolation", "-e", str(project)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    check = subprocess.run([str(venv / "bin" / "python"), "-c", "import gen; print(gen.v())"], cwd=venv,
                           capture_output=True, text=True)
    assert check.stdout.strip() == "10", check.stderr
