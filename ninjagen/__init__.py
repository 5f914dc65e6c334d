"""ninjagen: build Python C/C++ extension modules with Ninja.

The API is distutils' compiler interface (``new_compiler``, ``CCompiler``,
``Extension``, ...), except that compiling and linking record Ninja build
statements instead of running the compiler; ``configure()`` turns a project
into ``build.ninja`` and ``compile_commands.json``.
"""

from ._version import __version__
from .compilers import (  # noqa: E402
    CCompiler,
    customize_compiler,
    gen_lib_options,
    gen_preprocess_options,
    get_default_compiler,
    new_compiler,
    set_compiler,
    show_compilers,
)
from .project import SharedLibrary, StaticLibrary  # noqa: E402
from .configure import ConfigureResult, configure  # noqa: E402
from .errors import (  # noqa: E402
    BuildError,
    CompileError,
    ConfigError,
    LibError,
    LinkError,
    NinjagenError,
    PlatformError,
    ProbeError,
)
from .extension import Extension  # noqa: E402
from .graph import BuildGraph, Edge  # noqa: E402
from .target import Target  # noqa: E402

__all__ = [
    "__version__",
    "BuildError",
    "BuildGraph",
    "CCompiler",
    "CompileError",
    "ConfigError",
    "ConfigureResult",
    "Edge",
    "Extension",
    "LibError",
    "LinkError",
    "NinjagenError",
    "PlatformError",
    "ProbeError",
    "SharedLibrary",
    "StaticLibrary",
    "Target",
    "configure",
    "customize_compiler",
    "gen_lib_options",
    "gen_preprocess_options",
    "get_default_compiler",
    "new_compiler",
    "set_compiler",
    "show_compilers",
]
