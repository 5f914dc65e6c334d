"""A classic setuptools project: C, build_clib, Cython (through cythonize) and SWIG.

ninjagen builds it unchanged: `ninjagen configure --setup-py && ninja` reads what
setup() is given; `cmdclass=ninjagen.setuptools.cmdclass()` (see pyproject.toml's
comment) makes `pip install` build through ninja too.
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

try:  # the drop-in, when ninjagen is installed where setup.py runs
    from ninjagen.setuptools import cmdclass
except ImportError:
    def cmdclass():
        return {}

extensions = [
    Extension("legacy._native", ["src/legacy/_native.c"], include_dirs=["include"],
              define_macros=[("LEGACY_SCALE", "3")], libraries=["helpers"]),
    Extension("legacy._wrapped", ["src/legacy/wrapped.i"], include_dirs=["include"], swig_opts=["-Iinclude"],
              libraries=["helpers"]),
]
extensions += cythonize(
    [Extension("legacy._fast", ["src/legacy/_fast.pyx"], include_dirs=["include"], libraries=["helpers"])],
    compiler_directives={"language_level": 3, "boundscheck": False},
)

setup(
    name="ninjagen-sample-legacy",
    version="0.1.0",
    package_dir={"": "src"},
    packages=["legacy"],
    ext_modules=extensions,
    libraries=[("helpers", {"sources": ["lib/helpers.c"], "include_dirs": ["include"],
                            "macros": [("HELPERS_BASE", "100")]})],
    cmdclass=cmdclass(),
)
