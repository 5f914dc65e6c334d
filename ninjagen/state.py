"""A project's build folder and what configure recorded in it.

configure writes ``<build folder>/ninjagen-state.json`` and names that file in
a header comment of build.ninja (``# ninjagen state: build/ninjagen-state.json``).
The comment is ours, not ninja syntax, so it is read back without undoing
ninja's escaping.  ``ninjagen build``, ``develop`` and ``watch`` learn from here
where the build folder is, how the project was configured, and whether
build.ninja must be generated again before ninja can be trusted with it.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping, Optional

from ._version import __version__

__all__ = ["BUILD_NINJA", "COMPILE_COMMANDS", "STATE_NAME", "DEFAULT_BUILD_DIR", "STATE_MARKER",
           "ConfigureOptions", "BuildState", "read_state", "state_file_of"]

BUILD_NINJA = "build.ninja"
COMPILE_COMMANDS = "compile_commands.json"
STATE_NAME = "ninjagen-state.json"
DEFAULT_BUILD_DIR = "build"
STATE_MARKER = "ninjagen state: "
"""Starts build.ninja's header comment line that names the state file."""
#: bumped when the state file's fields change: an older file means "configure again"
STATE_FORMAT = 2


@dataclass(frozen=True)
class ConfigureOptions:
    """What ``ninjagen configure`` was asked on its command line, so that it can be asked again."""

    build_dir: Optional[str] = None
    python: Optional[str] = None
    """The target Python as given (absolute), or None for the Python that runs configure."""
    compiler: Optional[str] = None
    cross_prefix: Optional[str] = None
    link_jobs: Optional[int] = None
    setup_py: Optional[str] = None
    launcher: Optional[str] = None
    map_prefix: bool = False
    """Compiles map the project folder to ``.`` (``-ffile-prefix-map``): no folder name in objects."""

    def argv(self) -> list[str]:
        """The ``ninjagen configure`` options that say the same (the regeneration command's)."""
        args: list[str] = []
        for option, value in (("-B", self.build_dir), ("--python", self.python), ("--compiler", self.compiler),
                              ("--cross-prefix", self.cross_prefix), ("--link-jobs", self.link_jobs),
                              ("--setup-py", self.setup_py), ("--launcher", self.launcher)):
            if value:
                args += [option, str(value)]
        if self.map_prefix:
            args.append("--map-prefix")
        return args

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ConfigureOptions":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class BuildState:
    """What configure recorded about one build.ninja."""

    project_dir: str
    """The project folder (absolute): where build.ninja is read from and ninja runs."""
    build_dir: str
    """The build folder, relative to the project folder."""
    version: str = ""
    """The ninjagen version that wrote it."""
    python: str = ""
    """The target Python."""
    configured_by: str = ""
    """The interpreter that ran configure, and so the regeneration command."""
    prefix: str = ""
    """``sys.prefix`` of that interpreter: which environment configured the project."""
    options: Optional[ConfigureOptions] = None
    """The configure options, or None for a script's own extension list (no regeneration)."""
    environment: dict[str, Optional[str]] = field(default_factory=dict)
    """The compiler environment variables configure saw."""
    extensions: list[dict] = field(default_factory=list)
    """Per extension: ``name``, ``output`` (relative to the project), ``optional``."""
    inputs: list[str] = field(default_factory=list)
    """What build.ninja was generated from (relative to the project, or absolute)."""
    launcher: list[str] = field(default_factory=list)
    """The words in front of compile commands (``["sccache"]``): whose cache counters a build summary reads."""
    format: int = 0

    def to_json(self) -> str:
        """The state as JSON, a line a field (json's C encoder: with indent= it would use its Python one,
        which took longer than anything else configure writes for ten thousand sources)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("project_dir", "build_dir")}
        if self.options is not None:  # where the file is says project_dir and build_dir
            data["options"] = asdict(self.options)
        return "{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in data.items()) + "\n}\n"

    @property
    def build_ninja(self) -> str:
        return os.path.join(self.project_dir, BUILD_NINJA)

    def stale_reason(self, environ: Mapping[str, str] = os.environ) -> Optional[str]:
        """Why build.ninja should be generated again before a build, or None when it can be trusted.

        A regeneration that ninja would run itself is done here instead, by the
        running ninjagen: the interpreter named in build.ninja's regeneration
        command may be gone, or may have lost its ninjagen.
        """
        if self.options is None:
            return None  # a script's own extension list: nothing to generate it from again
        if self.format != STATE_FORMAT:
            return "build.ninja was written by another ninjagen"
        if self.version != __version__:
            return f"build.ninja was written by ninjagen {self.version}, this is {__version__}"
        if not os.path.exists(self.configured_by):
            return f"the Python that configured it, {self.configured_by}, is gone"
        if any(environ.get(k) != v for k, v in self.environment.items()):
            return "the compiler environment changed"
        try:
            generated = os.stat(self.build_ninja).st_mtime_ns
        except OSError:
            return "build.ninja is missing"
        for path in self.inputs:
            try:
                if os.stat(os.path.join(self.project_dir, path)).st_mtime_ns > generated:
                    return f"{path} changed"
            except OSError:
                return f"{path} is gone"
        return None

    def reconfigure_options(self) -> ConfigureOptions:
        """The options to configure with again: the same, for the same target Python when it is still there."""
        options = self.options or ConfigureOptions()
        if options.python is None and self.python and os.path.isfile(self.python) \
                and os.path.normcase(self.prefix) != os.path.normcase(sys.prefix):
            options = replace(options, python=self.python)
        return options


def state_file_of(project_dir: str, build_ninja: str = BUILD_NINJA) -> Optional[str]:
    """The state file that *build_ninja* names in its header, relative to the project; None if none."""
    try:
        with open(os.path.join(project_dir, build_ninja), encoding="utf-8") as f:
            for _ in range(3):
                line = f.readline()
                if line.startswith("# " + STATE_MARKER):
                    return line[len(STATE_MARKER) + 2:].rstrip("\n")
    except (OSError, UnicodeDecodeError):
        pass
    return None


def read_state(project_dir: str, build_ninja: str = BUILD_NINJA) -> Optional[BuildState]:
    """What configure recorded for the project's *build_ninja*; None when there is no readable record."""
    root = os.path.abspath(project_dir)
    relative = state_file_of(root, build_ninja)
    if relative is None:
        return None
    try:
        with open(os.path.join(root, relative), encoding="utf-8") as f:
            data = json.load(f)
        options = data.get("options")
        return BuildState(
            project_dir=root, build_dir=os.path.dirname(relative) or ".",
            version=str(data.get("version", "")), python=str(data.get("python", "")),
            configured_by=str(data.get("configured_by", "")), prefix=str(data.get("prefix", "")),
            options=None if options is None else ConfigureOptions.from_dict(options),
            environment=dict(data.get("environment") or {}), extensions=list(data.get("extensions") or []),
            inputs=list(data.get("inputs") or []), launcher=[str(w) for w in data.get("launcher") or []],
            format=int(data.get("format", 0)),
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return None
