"""The editable loader as :func:`ninjagen.develop.loader_files` makes it: what ``ninjagen develop``
writes and an editable wheel carries.

The fast tests read the files it returns and the loader's knowledge of the state
file.  The slow ones put those files into the site-packages of real virtual
environments that have ninjagen installed (from a wheel of this checkout), and
import the sample from another folder, as an editable wheel's install would:
its options, and its way back when the Python that configured the project has
been deleted (pip's isolated build environment, uv's temporary venv).
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import configure
from devloop import Venv
from test_environments import BIN, Env

from ninjagen import _editable
from ninjagen.develop import MODULE_PREFIX, develop, installed, loader_files, uninstall
from ninjagen.regenerate import regeneration_command
from ninjagen.runner import ninja_binary
from ninjagen.state import STATE_MARKER, read_state

EDITABLE = Path(_editable.__file__)
GREET = "import hello; print(hello.greet('env'))"
STEM = MODULE_PREFIX + "ninjagen_sample_hello"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def _site(python: str) -> Path:
    """The site-packages of *python*'s environment, where an installer puts an editable wheel's files."""
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    return Path(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip())


def _install(site: Path, project: Path, **options) -> dict[str, str]:
    """The loader of the configured *project*, written into *site* as an editable wheel installs it."""
    state = read_state(str(project))
    assert state is not None
    files = loader_files(str(project), state, **options)
    for name, text in files.items():
        (site / name).write_text(text, encoding="utf-8")
    return files


def _greets(env: Env, folder: Path, **extra: str):
    return env.run(env.python, "-c", GREET, cwd=folder, check=False, **extra)


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def shared_env(ninjagen_wheel, tmp_path_factory) -> Env:
    """One environment with ninjagen (and so ninja) installed, for the tests of this module."""
    return Env(tmp_path_factory.mktemp("loader") / "env", str(ninjagen_wheel))


@pytest.fixture
def env(shared_env):
    """The shared environment, emptied of editable loaders after each test."""
    yield shared_env
    site = _site(shared_env.python)
    for path in site.glob(MODULE_PREFIX + "*"):
        path.unlink()


# ------------------------------------------------------------ the files, read
def test_loader_files_are_the_finder_with_its_install_call_and_the_pth(sample):
    project = sample("hello")
    configure(project)
    state = read_state(str(project))
    files = loader_files(str(project), state)
    assert sorted(files) == [STEM + ".pth", STEM + ".py"]
    assert files[STEM + ".pth"] == f"import {STEM}\n"
    source = files[STEM + ".py"]
    call = (f"install({str(project)!r}, 'build', {ninja_binary()!r}, {{'hello': [{str(project)!r}]}}, "
            "rebuild=True, verbose=False, support=None)\n")
    assert source == EDITABLE.read_text().rstrip("\n") + "\n\n\n" + call  # ninjagen/_editable.py, copied
    ast.parse(source)

    options = loader_files(str(project), state, rebuild=False, verbose=True, ninja="/opt/ninja",
                           packages={"tools": ["scripts"], "hello": [str(project)]})[STEM + ".py"]
    assert options.endswith(f"install({str(project)!r}, 'build', '/opt/ninja', {{'hello': [{str(project)!r}], "
                            f"'tools': [{str(project / 'scripts')!r}]}}, rebuild=False, verbose=True, support=None)\n")


def test_develop_writes_what_loader_files_returns(sample, tmp_path):
    project = sample("hello")
    site = tmp_path / "site"
    result = develop(str(project), str(site), rebuild=False, verbose=True)
    files = loader_files(str(project), read_state(str(project)), rebuild=False, verbose=True)
    assert (result.module, result.pth) == (str(site / (STEM + ".py")), str(site / (STEM + ".pth")))
    assert {name: (site / name).read_text() for name in files} == files
    assert sorted(p.name for p in site.iterdir()) == ["__pycache__", STEM + ".pth", STEM + ".py"]
    assert result.packages == {"hello": [str(project)]}
    assert uninstall(str(project), str(site)) == [result.module] and installed(str(site)) == {}


def test_installed_reads_the_install_call_with_and_without_its_options(sample, tmp_path):
    project = sample("hello")
    configure(project)
    site = tmp_path / "site"
    site.mkdir()
    _install(site, project, verbose=True)
    old = site / (MODULE_PREFIX + "older.py")  # as ninjagen develop wrote it before the options
    old.write_text("import sys\n\n\ninstall('/old/project', 'build', '/old/ninja', {'old': ['/old/project']})\n")
    (site / (MODULE_PREFIX + "damaged.py")).write_text("install(\n")
    assert installed(str(site)) == {str(site / (STEM + ".py")): (str(project), {"hello": [str(project)]}),
                                    str(old): ("/old/project", {"old": ["/old/project"]})}


def test_the_loader_knows_how_state_and_regeneration_say_that_the_configuring_python_is_gone(sample):
    """The loader cannot import ninjagen: it repeats what it reads, and this holds the two in step."""
    assert _editable.STATE_MARKER == STATE_MARKER
    command = regeneration_command("/gone/bin/python", [])
    assert f"ninjagen: error: /gone/bin/python{_editable._GONE}:" in command

    project = sample("hello")
    configure(project)
    assert _editable._unusable_configurer([], str(project)) is None  # the test's Python is here
    state_file = project / "build" / "ninjagen-state.json"
    data = json.loads(state_file.read_text())
    state_file.write_text(json.dumps({**data, "configured_by": "/gone/bin/python"}))
    assert _editable._unusable_configurer([], str(project)) == \
        f"/gone/bin/python, the Python that configured {project}, is gone"
    line = f"ninjagen: error: /other/python{_editable._GONE}: run ...\n"
    assert _editable._unusable_configurer(["[0/1] Regenerating build.ninja\n", line], str(project)) == \
        f"/other/python, the Python that configured {project}, is gone"


# ------------------------------------------------------------ the files, installed
@pytest.mark.slow
def test_the_installed_loader_rebuilds_after_an_edit_and_is_silent_on_a_noop(sample, env, elsewhere):
    project = sample("hello")
    env.run(env.python, "-m", "ninjagen", "configure", "-C", str(project), cwd=elsewhere)
    _install(_site(env.python), project)
    first = _greets(env, elsewhere)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "Hello, env!"
    assert "CC " in first.stderr and "LINK " in first.stderr

    unchanged = _greets(env, elsewhere)
    assert unchanged.returncode == 0 and unchanged.stderr == ""

    _edit(project / "hello.c", '"Hello, %s!"', '"Howdy, %s!"')
    edited = _greets(env, elsewhere)
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.strip() == "Howdy, env!"
    assert edited.stderr.count("CC ") == 1 and "LINK " in edited.stderr


@pytest.mark.slow
def test_rebuild_false_never_runs_ninja(sample, env, elsewhere):
    project = sample("hello")
    env.run(env.tool("ninjagen"), "build", "-C", str(project), cwd=elsewhere)
    _install(_site(env.python), project, rebuild=False)
    _edit(project / "hello.c", '"Hello, %s!"', '"Howdy, %s!"')
    proc = _greets(env, elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Hello, env!" and proc.stderr == ""  # what is built, as it is
    assert not (project / "build" / _editable.LOCK_NAME).exists()  # not even the lock was taken


@pytest.mark.slow
def test_verbose_shows_ninjas_output_on_a_noop(sample, env, elsewhere):
    project = sample("hello")
    env.run(env.tool("ninjagen"), "build", "-C", str(project), cwd=elsewhere)
    _install(_site(env.python), project, verbose=True)
    proc = _greets(env, elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Hello, env!"
    assert proc.stderr.splitlines() == [f"ninja: Entering directory `{project}'", "ninja: no work to do."]
    off = _greets(env, elsewhere, NINJAGEN_NO_REBUILD="1")  # still turned off at run time
    assert off.returncode == 0 and off.stderr == ""


def _configured_by_a_deleted_env(ninjagen_wheel, project: Path, tmp_path: Path) -> str:
    """Configure and build *project* from a fresh environment with ninjagen, then delete it."""
    first = Env(tmp_path / "first", str(ninjagen_wheel))
    first.run(first.python, "-m", "ninjagen", "configure", "-C", str(project), cwd=tmp_path)
    first.run(first.tool("ninja"), cwd=project)
    shutil.rmtree(first.path)  # its python, its ninjagen, its templates, its ninja: all gone
    return str(first.path / BIN / "python")


@pytest.mark.slow
def test_a_deleted_configuring_python_is_replaced_through_ninjagen_build(ninjagen_wheel, sample, env, tmp_path,
                                                                         elsewhere):
    project = sample("hello")
    gone = _configured_by_a_deleted_env(ninjagen_wheel, project, tmp_path)
    _install(_site(env.python), project)
    _edit(project / "hello.c", '"Hello, %s!"', '"Howdy, %s!"')

    proc = _greets(env, elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Howdy, env!"
    err = proc.stderr
    assert "ninjagen: error:" not in err  # the regeneration's failure was the cue, not news for the user
    assert f"ninjagen: the Python that configured it, {gone}, is gone; reconfiguring" in err
    assert err.count("CC ") == 1 and err.count("LINK ") == 1  # the edited file, not everything
    assert read_state(str(project)).configured_by == env.python  # configured again from this environment
    assert gone not in (project / "build.ninja").read_text()

    again = _greets(env, elsewhere)
    assert again.returncode == 0 and again.stdout.strip() == "Howdy, env!"
    assert again.stderr == ""


@pytest.mark.slow
def test_without_ninjagen_here_the_import_error_says_what_to_install(ninjagen_wheel, sample, tmp_path, elsewhere):
    project = sample("hello")
    gone = _configured_by_a_deleted_env(ninjagen_wheel, project, tmp_path)
    bare = Venv(tmp_path / "bare")  # no pip, no ninjagen; ninja is the recorded one
    _install(Path(bare.site), project)
    proc = bare.run(GREET, elsewhere)
    assert proc.returncode == 1
    assert proc.stderr.rstrip().splitlines()[-1] == (
        f"ImportError: ninjagen: cannot rebuild hello: {gone}, the Python that configured {project}, is gone, "
        f"and this environment ({bare.python}) has no ninjagen to configure it again: run "
        f"'{bare.python} -m pip install ninjagen', or reinstall the project (pip install -e {project})")
    assert "ninjagen: error:" not in proc.stderr  # the one line above says it all
