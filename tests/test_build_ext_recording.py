"""setup.py projects through their own build_ext: what setuptools applies and what the project's
build_ext does at build time reach the ninja build.

Each test writes a small setup.py project, runs `ninjagen configure` (which runs
`setup.py build_clib build_ext --inplace` with a recording compiler), builds with
the real ninja and imports the module.
"""

from __future__ import annotations

import re
import textwrap

from cmodule import c_module
from conftest import configure, ninja, planned, run_python, write

from ninjagen.cli import main

def module(name: str, value: str, prelude: str = "") -> str:
    """A module *name* whose v() returns the C long *value*."""
    return c_module(name, {"v": f"PyLong_FromLong({value})"}, prelude=prelude)


def test_setup_include_dirs_ext_package_and_setup_cfg_are_applied_by_setuptools(tmp_path):
    write(tmp_path / "inc" / "answer.h", "#define ANSWER 41\n#ifdef TWICE\n#define MORE 1\n#else\n#define MORE 0\n#endif\n")
    write(tmp_path / "fast.c", module("fast", "ANSWER + FROM_CFG + MORE", '#include "answer.h"'))
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "setup.cfg", "[build_ext]\ndefine = FROM_CFG\n")  # distutils: FROM_CFG=1
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        setup(name="x", packages=["pkg"], ext_package="pkg", include_dirs=["inc"],
              ext_modules=[Extension("fast", ["fast.c"])])
        """))
    configure(tmp_path)
    ninja(tmp_path)
    assert list((tmp_path / "pkg").glob("fast.*.so"))  # ext_package: inside its package, not at the top
    assert run_python(tmp_path, "from pkg import fast; print(fast.v())").strip() == "42"
    # setup.cfg is an input of the regeneration: a change there rebuilds with the new value
    (tmp_path / "setup.cfg").write_text("[build_ext]\ndefine = FROM_CFG,TWICE\n")
    assert "Regenerating build.ninja" in ninja(tmp_path).stdout
    assert run_python(tmp_path, "from pkg import fast; print(fast.v())").strip() == "43"


def test_sources_a_build_ext_generates_and_probes_it_runs_happen_at_configure_time(tmp_path, capsys):
    write(tmp_path / "setup.py", textwrap.dedent("""\
        import os
        from setuptools import setup, Extension
        from setuptools.command.build_ext import build_ext

        MODULE = %r

        class Generating(build_ext):
            def build_extensions(self):
                has_getpid = self.compiler.has_function("getpid")
                has_nothing = self.compiler.has_function("no_such_function_anywhere")
                os.makedirs("gen", exist_ok=True)
                with open("gen/made.c", "w") as f:
                    f.write(MODULE.replace("VALUE", str(10 * has_getpid + has_nothing)))
                for ext in self.extensions:
                    ext.sources = ["gen/made.c"]
                super().build_extensions()

        setup(name="x", ext_modules=[Extension("made", ["placeholder.c"])], cmdclass={"build_ext": Generating})
        """ % module("made", "VALUE")))
    configure(tmp_path)
    assert (tmp_path / "gen" / "made.c").is_file()
    assert not list(tmp_path.glob("made.*.so"))  # nothing is built at configure time
    ninja(tmp_path)
    assert run_python(tmp_path, "import made; print(made.v())").strip() == "10"


def test_cythonize_language_level_2_is_honoured(tmp_path):
    write(tmp_path / "old.pyx", "def v():\n    return 7 / 2\n")  # 3 under language level 2, 3.5 under 3
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from Cython.Build import cythonize
        setup(name="x", ext_modules=cythonize([Extension("old", ["old.pyx"])], language_level=2))
        """))
    configure(tmp_path)
    ninja(tmp_path)
    assert run_python(tmp_path, "import old; print(old.v())").strip() == "3"


def test_modules_that_share_sources_compiled_the_same_way_compile_them_once(tmp_path):
    write(tmp_path / "common.c", "int common(void) { return 20; }\n")
    for name in ("one", "two"):
        write(tmp_path / f"{name}.c", module(name, "common() + 1", "int common(void);"))
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        setup(name="x", ext_modules=[Extension("one", ["one.c", "common.c"]),
                                     Extension("two", ["two.c", "common.c"])])
        """))
    configure(tmp_path)
    steps = planned(tmp_path)
    assert sum(1 for s in steps if re.fullmatch(r"CC build/common\.[0-9a-f]{6}\.o", s)) == 1
    ninja(tmp_path)
    assert run_python(tmp_path, "import one, two; print(one.v() + two.v())").strip() == "42"


def test_cythonize_compile_time_env_and_directives_reach_cython(tmp_path):
    write(tmp_path / "env.pyx", "def v():\n    return SIZE * 10 + (1 if FAST else 0)\n")
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from Cython.Build import cythonize
        setup(name="x", ext_modules=cythonize([Extension("env", ["env.pyx"])], language_level=3,
                                              compile_time_env={"SIZE": 4, "FAST": True}))
        """))
    configure(tmp_path)
    ninja(tmp_path)
    assert run_python(tmp_path, "import env; print(env.v())").strip() == "41"


def test_an_edited_pxd_reached_by_a_relative_cimport_retranslates(tmp_path):
    """Cython's depfile leaves out `from . cimport b`: the .pxd is an input all the same."""
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "b.pxd", "cdef inline int twice(int x):\n    return 2 * x\n")
    write(tmp_path / "pkg" / "a.pyx", "from . cimport b\ndef v():\n    return b.twice(3)\n")
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from Cython.Build import cythonize
        setup(name="x", packages=["pkg"], ext_modules=cythonize([Extension("pkg.a", ["pkg/a.pyx"])]))
        """))
    configure(tmp_path)
    ninja(tmp_path)
    assert run_python(tmp_path, "from pkg import a; print(a.v())").strip() == "6"
    (tmp_path / "pkg" / "b.pxd").write_text("cdef inline int twice(int x):\n    return 3 * x\n")
    assert any(step.startswith("CYTHON ") for step in planned(tmp_path))
    ninja(tmp_path)
    assert run_python(tmp_path, "from pkg import a; print(a.v())").strip() == "9"


def test_a_program_the_build_ext_runs_itself_runs_at_configure_time_and_is_named(tmp_path, capsys):
    """A bundled library made by its own build system: it runs as under setuptools, and a note says so."""
    write(tmp_path / "vendor" / "make_lib.py", textwrap.dedent("""\
        import os
        os.makedirs("vendor/out", exist_ok=True)
        with open("vendor/out/made.h", "w") as f:
            f.write("#define MADE 6\\n")
        """))
    write(tmp_path / "m.c", module("m", "MADE * 7", '#include "made.h"'))
    write(tmp_path / "setup.py", textwrap.dedent("""\
        import subprocess, sys
        from setuptools import setup, Extension
        from setuptools.command.build_ext import build_ext
        class Bundled(build_ext):
            def run(self):
                subprocess.check_call([sys.executable, "vendor/make_lib.py"])
                super().run()
        setup(name="x", cmdclass={"build_ext": Bundled},
              ext_modules=[Extension("m", ["m.c"], include_dirs=["vendor/out"])])
        """))
    assert main(["configure", "-C", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if line.startswith("ninjagen: note: ")]
    assert len(notes) == 1 and "setup.py line 6, in run" in notes[0] and "vendor/make_lib.py" in notes[0], err
    ninja(tmp_path)
    assert run_python(tmp_path, "import m; print(m.v())").strip() == "42"


def test_a_build_ext_derived_from_distutils_own_is_recorded(tmp_path):
    # simplejson's: its build_ext subclasses distutils.command.build_ext.build_ext, not setuptools'
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "_fast.c", module("_fast", "42"))
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from distutils.command.build_ext import build_ext

        class Tolerant(build_ext):
            def build_extension(self, ext):
                build_ext.build_extension(self, ext)

        setup(name="x", packages=["pkg"], ext_modules=[Extension("pkg._fast", ["pkg/_fast.c"])],
              cmdclass={"build_ext": Tolerant})
        """))
    configure(tmp_path)
    ninja(tmp_path)
    assert list((tmp_path / "pkg").glob("_fast.*.so"))
    assert run_python(tmp_path, "from pkg import _fast; print(_fast.v())").strip() == "42"


def test_cythons_old_build_ext_leaves_the_pyx_to_ninja(tmp_path):
    """Cython's old_build_ext would translate at configure time: an edited .pyx would then go unseen."""
    write(tmp_path / "old.pyx", "def v():\n    return 5\n")
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from Cython.Distutils.old_build_ext import old_build_ext
        setup(name="x", cmdclass={"build_ext": old_build_ext},
              ext_modules=[Extension("old", ["old.pyx"], cython_directives={"language_level": 3})])
        """))
    configure(tmp_path)
    ninja(tmp_path)
    assert run_python(tmp_path, "import old; print(old.v())").strip() == "5"
    (tmp_path / "old.pyx").write_text("def v():\n    return 6\n")
    assert any(step.startswith("CYTHON ") for step in planned(tmp_path))
    ninja(tmp_path)
    assert run_python(tmp_path, "import old; print(old.v())").strip() == "6"


def test_a_pyx_named_unlike_its_extension_gives_the_extensions_module_name(tmp_path):
    """Cython names the module after the Extension (PyInit__fast), not after the .pyx file (vam.whittaker's)."""
    write(tmp_path / "pkg" / "__init__.py", "from ._fast import v\n")
    write(tmp_path / "pkg" / "fastimpl.pyx", "def v():\n    return 7\n")
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from Cython.Distutils import build_ext
        setup(name="x", packages=["pkg"], cmdclass={"build_ext": build_ext},
              ext_modules=[Extension("pkg._fast", ["pkg/fastimpl.pyx"])])
        """))
    configure(tmp_path)
    ninja(tmp_path)
    assert list((tmp_path / "pkg").glob("_fast.*.so"))
    assert run_python(tmp_path, "import pkg; print(pkg.v(), pkg._fast.__name__)").strip() == "7 pkg._fast"


def test_compiles_whose_result_the_build_ext_reads_at_once_run_for_real(tmp_path):
    """pybind11's has_flag (a compile in a temporary folder it changes into) and distutils' config
    command (try_compile) read a failed compile as "no": they run, and are not build steps."""
    write(tmp_path / "fast.c", module("fast", "CONFIGURED"))
    write(tmp_path / "setup.py", textwrap.dedent("""\
        import os, tempfile
        from setuptools import setup, Extension
        from setuptools.command.build_ext import build_ext
        from distutils.errors import CompileError

        def has_flag(compiler, flag):  # as pybind11.setup_helpers.has_flag does it
            here = os.getcwd()
            with tempfile.TemporaryDirectory() as tmp:
                os.chdir(tmp)
                try:
                    with open("flagcheck.c", "w") as f:
                        f.write("int main(void) { return 0; }\\n")
                    compiler.compile(["flagcheck.c"], extra_postargs=[flag])
                    return True
                except CompileError:
                    return False
                finally:
                    os.chdir(here)

        class Probing(build_ext):
            def build_extensions(self):
                config = self.distribution.get_command_obj("config")
                config.ensure_finalized()
                broken = config.try_compile("#error this does not compile\\n")
                works = config.try_compile("int x;\\n")
                value = 10 * works + broken
                flags = [f for f in ("-fno-such-flag-for-ninjagen", "-O1") if has_flag(self.compiler, f)]
                for ext in self.extensions:
                    ext.define_macros.append(("CONFIGURED", str(value)))
                    ext.extra_compile_args += flags
                super().build_extensions()

        setup(name="x", cmdclass={"build_ext": Probing}, ext_modules=[Extension("fast", ["fast.c"])])
        """))
    configure(tmp_path)
    ninja(tmp_path)
    assert run_python(tmp_path, "import fast; print(fast.v())").strip() == "10"
    text = (tmp_path / "build.ninja").read_text()
    assert "-O1" in text and "-fno-such-flag-for-ninjagen" not in text
    assert "flagcheck" not in text and "_configtest" not in text


def test_words_a_compile_wrapper_puts_after_dash_c_are_kept_and_said(tmp_path, capsys):
    """python-crfsuite's build_ext wraps the compiler's _compile to add -std=c99 to the C sources only:
    distutils then spawns ``-c -std=c99 src``; ninja's rule has ``-c $in``, so the word moves before -c."""
    write(tmp_path / "fast.c", module("fast", "__STDC_VERSION__ == 199901L"))
    write(tmp_path / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from setuptools.command.build_ext import build_ext

        class Wrapping(build_ext):
            def build_extensions(self):
                original = self.compiler._compile
                def _compile(obj, src, ext, cc_args, extra_postargs, pp_opts):
                    if src.endswith(".c"):
                        cc_args = cc_args + ["-std=c99"]
                    return original(obj, src, ext, cc_args, extra_postargs, pp_opts)
                self.compiler._compile = _compile
                super().build_extensions()

        setup(name="x", cmdclass={"build_ext": Wrapping}, ext_modules=[Extension("fast", ["fast.c"])])
        """))
    assert main(["configure", "-C", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "1 of the build_ext's commands differ from setuptools': -std=c99 before -c" in err
    ninja(tmp_path)
    assert run_python(tmp_path, "import fast; print(fast.v())").strip() == "1"


def test_a_parallel_build_ext_records_each_extensions_calls_as_its_own(tmp_path):
    """build_ext's parallel (Pillow turns it on) builds extensions in threads: each call still belongs to
    the extension its thread is building."""
    names = [f"m{i}" for i in range(6)]
    for i, name in enumerate(names):
        write(tmp_path / f"{name}.c", module(name, "VALUE"))
    write(tmp_path / "setup.py", textwrap.dedent(f"""\
        from setuptools import setup, Extension
        setup(name="x", options={{"build_ext": {{"parallel": 3}}}},
              ext_modules=[Extension(n, [n + ".c"], define_macros=[("VALUE", str(i))]) for i, n in enumerate({names!r})])
        """))
    configure(tmp_path)
    ninja(tmp_path)
    code = "; ".join(f"import {n}" for n in names) + "; print(" + ", ".join(f"{n}.v()" for n in names) + ")"
    assert run_python(tmp_path, code).split() == [str(i) for i in range(6)]
