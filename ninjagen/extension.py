"""``Extension``: the distutils description of one extension module, validated.

Field names and meanings are those of ``distutils.extension.Extension`` (and
setuptools'), so existing ``ext_modules`` lists carry over.  Every bad value
raises :class:`~ninjagen.errors.ConfigError` naming the extension and field.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence, Tuple, Union

from .errors import ConfigError

__all__ = ["Extension", "CompiledSources", "Macro", "LANGUAGES", "SOURCE_LANGUAGES", "check_strings", "check_macros", "check_undef"]

Macro = Tuple[str, Optional[str]]

#: source suffix -> language, as distutils' ``CCompiler.language_map``
SOURCE_LANGUAGES = {
    ".c": "c",
    ".cc": "c++",
    ".cpp": "c++",
    ".cxx": "c++",
    ".c++": "c++",
    ".C": "c++",
    ".m": "objc",
    ".mm": "objc",
}
#: languages in order of precedence for linking (``CCompiler.language_order``)
LANGUAGES = ("c++", "objc", "c")

_DOTTED_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_MACRO_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LIMITED_API = re.compile(r"cp3([2-9]|[1-9][0-9])")  # the minor version must fit a byte of the hex


def _reject_line_break(where: str, text: str) -> None:
    if "\n" in text or "\r" in text:
        raise ConfigError(f"{where} contains a line break, which a ninja file cannot hold: {text!r}")


def check_strings(owner: str, fname: str, value: Any) -> list[str]:
    """Validate a list-of-strings field; *owner* is "extension 'x'" or "library 'y'"."""
    if type(value) is list and not value:
        return []  # most of an extension's dozen list fields
    if type(value) is list and all(type(item) is str and item for item in value):
        joined = "".join(value)  # the usual list, every item a string: its line breaks in one look
        if "\n" not in joined and "\r" not in joined:
            return list(value)
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ConfigError(f"{owner}: {fname} must be a list of strings, got {value!r}")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, os.PathLike):
            item = os.fspath(item)
        if not isinstance(item, str):
            raise ConfigError(f"{owner}: {fname}[{i}] must be a string, got {item!r}")
        if not item:
            raise ConfigError(f"{owner}: {fname}[{i}] is an empty string")
        _reject_line_break(f"{owner}: {fname}[{i}]", item)
        out.append(item)
    return out


def _macro(owner: str, index: int, item: Any) -> Macro:
    where = f"{owner}: define_macros[{index}]"
    if isinstance(item, str):
        item = (item,)
    if isinstance(item, (list, tuple)) and len(item) in (1, 2):
        name = item[0]
        value = item[1] if len(item) == 2 else None
        if not isinstance(name, str) or not _MACRO_NAME.fullmatch(name):
            raise ConfigError(f"{where}: {name!r} is not a valid macro name")
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{where}: the value of {name} must be a string or None, got {value!r}")
        if value is not None:
            _reject_line_break(f"{where}: the value of {name}", value)
        return (name, value)
    raise ConfigError(f"{where} must be a (name, value) pair or a name, got {item!r}")


def check_macros(owner: str, macros: Any) -> list[Macro]:
    """Validate a define_macros list; *owner* is "extension 'x'" or "library 'y'"."""
    if isinstance(macros, (str, bytes)) or not isinstance(macros, Sequence):
        raise ConfigError(f"{owner}: define_macros must be a list of (name, value) pairs, got {macros!r}")
    return [_macro(owner, i, m) for i, m in enumerate(macros)]


def check_undef(owner: str, names: Any) -> list[str]:
    names = check_strings(owner, "undef_macros", names)
    for i, name in enumerate(names):
        if not _MACRO_NAME.fullmatch(name):
            raise ConfigError(f"{owner}: undef_macros[{i}]: {name!r} is not a valid macro name")
    return names


@dataclass
class CompiledSources:
    """What an extension module and a helper library share: sources and how to compile them.

    These are distutils' first five Extension fields, in its order, so that
    positional arguments keep their distutils meaning; each subclass declares
    its other fields (``extra_compile_args`` and ``depends`` among them, where
    distutils puts them) and validates its name.
    """

    name: str
    sources: list[str]
    include_dirs: list[str] = field(default_factory=list)
    define_macros: list[Macro] = field(default_factory=list)
    undef_macros: list[str] = field(default_factory=list)

    def _check_sources(self, owner: str, *list_fields: str) -> None:
        """Validate the shared fields and the subclass's list-of-strings *list_fields*, for *owner*."""
        self.sources = check_strings(owner, "sources", self.sources)
        if not self.sources:
            raise ConfigError(f"{owner}: sources is empty")
        for fname in ("include_dirs", *list_fields):
            setattr(self, fname, check_strings(owner, fname, getattr(self, fname)))
        self.define_macros = check_macros(owner, self.define_macros)
        self.undef_macros = check_undef(owner, self.undef_macros)


@dataclass
class Extension(CompiledSources):
    """One extension module, as ``distutils.extension.Extension``.

    ``py_limited_api`` is False, True (the lowest version the target Python
    supports, 3.9 at least), or a tag such as ``"cp310"``.
    """

    library_dirs: list[str] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)
    runtime_library_dirs: list[str] = field(default_factory=list)
    extra_objects: list[str] = field(default_factory=list)
    extra_compile_args: list[str] = field(default_factory=list)
    extra_link_args: list[str] = field(default_factory=list)
    export_symbols: list[str] = field(default_factory=list)
    swig_opts: list[str] = field(default_factory=list)
    cython_directives: dict[str, Any] = field(default_factory=dict)
    """Cython compiler directives (``-X name=value``), as Cython's own Extension has them."""
    cython_include_dirs: list[str] = field(default_factory=list)
    """Where Cython looks for ``.pxd`` files besides the source's package."""
    cython_compile_time_env: dict[str, Any] = field(default_factory=dict)
    """Cython's ``DEF`` constants (``-E name=value``), as ``cythonize(compile_time_env=...)`` gives them."""
    depends: list[str] = field(default_factory=list)
    language: Optional[str] = None
    optional: bool = False
    py_limited_api: Union[bool, str] = False
    heavy: bool = False
    """Its compiles run in the ``heavy_pool`` (``heavy-jobs`` at once): C++ templates, LTO."""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _DOTTED_NAME.fullmatch(self.name):
            raise ConfigError(f"extension name {self.name!r} is not a dotted Python identifier")
        name = self.name
        owner = f"extension {name!r}"
        self._check_sources(owner, "library_dirs", "libraries", "runtime_library_dirs", "extra_objects",
                            "extra_compile_args", "extra_link_args", "export_symbols", "swig_opts",
                            "cython_include_dirs", "depends")
        if self.language is not None and self.language not in LANGUAGES:
            raise ConfigError(
                f"extension {name!r}: language {self.language!r} is not one of {', '.join(LANGUAGES)}"
            )
        for fname in ("cython_directives", "cython_compile_time_env"):
            table = getattr(self, fname)
            if not isinstance(table, dict) or not all(
                    isinstance(k, str) and isinstance(v, (str, int, float, bool)) for k, v in table.items()):
                raise ConfigError(f"{owner}: {fname} must be a table of name = value, got {table!r}")
        for name, value in self.cython_compile_time_env.items():
            if "," in str(value) or "=" in name or "," in name:
                raise ConfigError(f"{owner}: cython_compile_time_env {name} = {value!r}: Cython's -E option "
                                  "cannot carry a ',' (or a '=' in the name)")
        if not isinstance(self.optional, bool):
            raise ConfigError(f"extension {name!r}: optional must be true or false, got {self.optional!r}")
        if not isinstance(self.heavy, bool):
            raise ConfigError(f"extension {name!r}: heavy must be true or false, got {self.heavy!r}")
        lim = self.py_limited_api
        if not isinstance(lim, bool) and not (isinstance(lim, str) and _LIMITED_API.fullmatch(lim)):
            raise ConfigError(
                f"extension {name!r}: py_limited_api must be true, false or a tag like 'cp39', got {lim!r}"
            )

    @property
    def module_name(self) -> str:
        """The last part of the dotted name: what ``PyInit_`` is followed by."""
        return self.name.rpartition(".")[2]

    def limited_api_hex(self, target_version: tuple[int, int]) -> Optional[str]:
        """The ``Py_LIMITED_API`` value this extension asks for, or None."""
        if self.py_limited_api is False:
            return None
        if self.py_limited_api is True:
            minor = min(9, target_version[1])
        else:
            minor = int(_LIMITED_API.fullmatch(self.py_limited_api).group(1))  # type: ignore[union-attr]
        return f"0x03{minor:02X}0000"
