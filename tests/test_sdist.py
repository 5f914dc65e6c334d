"""The sdist's files and tarball: real git repositories and real trees in tmp_path, no mocks.

In a git checkout the sdist carries git's tracked files less export-ignore; elsewhere
everything but build outputs and caches; include/exclude globs adjust either; the
tarball is the same bytes for the same tree and SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from conftest import write

from ninjagen.errors import ConfigError, ProbeError
from ninjagen.sdist import sdist_files, write_sdist

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\n'
PKG_INFO = "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n"
EPOCH = 1_700_000_000


@pytest.fixture(autouse=True)
def quiet_git(monkeypatch, tmp_path):
    """git as a fresh machine has it: no user or system config, no repository chosen by the environment."""
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("HOME", str(tmp_path))


def need_git() -> None:
    if shutil.which("git") is None:
        if os.environ.get("CI"):
            pytest.fail("git is not installed")
        pytest.skip("git is not installed")


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-c", "user.name=Sdist Test", "-c", "user.email=sdist@example.invalid",
                           "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", *args],
                          cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stdout}{proc.stderr}"
    return proc.stdout


def checkout(repo: Path) -> Path:
    """A git checkout with a bit of everything an sdist must carry or leave out."""
    need_git()
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    write(repo / "pyproject.toml", PYPROJECT)
    write(repo / "README.md", "# demo\n")
    write(repo / "src/demo/__init__.py", "")
    write(repo / "src/demo/m.c", "int x;\n")
    write(repo / "src/demo/données é.txt", "non-ASCII and a space\n")
    write(repo / "tools/run.sh", "#!/bin/sh\n").chmod(0o755)
    write(repo / "tests/test_demo.py", "")  # export-ignore on the folder
    write(repo / "notes.txt", "")  # export-ignore on the file
    write(repo / "gone.c", "")  # tracked, then deleted
    write(repo / ".gitattributes", "tests export-ignore\nnotes.txt export-ignore\n")
    write(repo / ".gitignore", "build/\n*.so\n")
    (repo / "link.c").symlink_to("src/demo/m.c")
    (repo / "srclink").symlink_to("src", target_is_directory=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo")
    (repo / "gone.c").unlink()
    write(repo / "scratch.txt", "untracked\n")
    write(repo / "build/gen/extra.c", "")  # ignored by .gitignore
    write(repo / "src/demo/m.cpython-311-x86_64-linux-gnu.so", "ELF")  # an in-place build's output
    return repo


IN_GIT = [".gitattributes", ".gitignore", "README.md", "link.c", "pyproject.toml", "src/demo/__init__.py",
          "src/demo/données é.txt", "src/demo/m.c", "tools/run.sh"]


def test_a_checkout_gives_its_tracked_files_on_disk_less_export_ignore(tmp_path):
    assert sdist_files(str(checkout(tmp_path / "demo"))) == IN_GIT


def test_staged_but_uncommitted_files_count_and_submodules_do_not(tmp_path):
    repo = checkout(tmp_path / "demo")
    write(repo / "new.c", "")
    inner = tmp_path / "inner"
    inner.mkdir()
    git(inner, "init", "-q")
    write(inner / "lib.c", "")
    git(inner, "add", "lib.c")
    git(inner, "commit", "-q", "-m", "inner")
    git(repo, "submodule", "add", "-q", str(inner), "vendor/inner")
    git(repo, "add", "new.c")
    assert "vendor/inner" in git(repo, "ls-files", "-s")  # the submodule really is in the index
    assert sdist_files(str(repo)) == sorted(IN_GIT + [".gitmodules", "new.c"])


def test_a_project_in_a_folder_of_a_checkout_gives_paths_relative_to_it(tmp_path):
    need_git()
    repo = tmp_path / "repo"
    project = repo / "python" / "demo"
    write(project / "pyproject.toml", PYPROJECT)
    write(project / "demo/m.c", "")
    write(project / "docs/guide.md", "")
    write(repo / "other/x.c", "")
    write(repo / ".gitattributes", "python/demo/docs export-ignore\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    assert sdist_files(str(project)) == ["demo/m.c", "pyproject.toml"]


def test_export_ignore_holds_however_many_files_git_is_asked_about(tmp_path):
    repo = checkout(tmp_path / "demo")
    names = [f"src/demo/generated/a_long_file_name_of_a_generated_source_{i:04}.c" for i in range(600)]
    for name in names:  # about 40 000 characters of paths: more than one check-attr command line
        write(repo / name, "")
    write(repo / ".gitattributes", "tests export-ignore\nnotes.txt export-ignore\n*_0599.c export-ignore\n")
    git(repo, "add", ".gitattributes", "src/demo/generated")
    assert sdist_files(str(repo)) == sorted(IN_GIT + names[:-1])


def test_a_checkout_git_cannot_read_is_an_error_not_a_walk(tmp_path):
    project = tmp_path / "demo"
    write(project / "pyproject.toml", PYPROJECT)
    write(project / ".git", "gitdir: /nonexistent/worktree\n")
    need_git()
    with pytest.raises(ProbeError, match=r"is in a git checkout, but git cannot list its files: fatal: "):
        sdist_files(str(project))


def walked_tree(root: Path) -> Path:
    """A tree outside git after an in-place build, a test run and a packaging run."""
    for path in ["pyproject.toml", "src/demo/__init__.py", "src/demo/m.c", ".clang-format", "PKG-INFO",
                 "build/temp/m.o", "build/lib/demo/m.so", "src/build/x.c", "dist/demo-0.9.tar.gz",
                 "src/demo/__pycache__/m.cpython-311.pyc", "src/demo.egg-info/PKG-INFO", ".venv/pyvenv.cfg",
                 "venv/pyvenv.cfg", ".tox/log", ".nox/log", ".pytest_cache/v", ".mypy_cache/v", ".hg/store",
                 ".svn/entries", "build.ninja", "compile_commands.json", ".ninja_log", ".ninja_deps",
                 "src/demo/m.cpython-311-x86_64-linux-gnu.so", "src/demo/m.pyd", "src/demo/m.o", "m.obj",
                 "libm.a", "m.lib", "m.dll", "libm.dylib", "old.pyc", "old.pyo"]:
        write(root / path, "")
    (root / "link.c").symlink_to("src/demo/m.c")
    (root / "srclink").symlink_to("src", target_is_directory=True)
    (root / "dangling.c").symlink_to("nowhere.c")
    return root


WALKED = [".clang-format", "link.c", "pyproject.toml", "src/demo/__init__.py", "src/demo/m.c"]


def test_outside_git_every_file_but_build_outputs_and_caches(tmp_path, monkeypatch):
    root = walked_tree(tmp_path / "demo")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert sdist_files(str(root)) == WALKED


def test_without_git_installed_a_checkout_is_walked(tmp_path, monkeypatch):
    repo = checkout(tmp_path / "demo")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    assert sdist_files(str(repo)) == sorted(set(IN_GIT) | {"notes.txt", "scratch.txt", "tests/test_demo.py"})


def test_include_adds_untracked_and_ignored_files_and_exclude_removes_and_wins(tmp_path):
    repo = checkout(tmp_path / "demo")
    write(repo / "data/a/b/x.dat", "")
    write(repo / "data/y.dat", "")
    files = sdist_files(str(repo), include=["build/gen/*.c", "data/**/*.dat", "scratch.txt", "notes.txt"],
                        exclude=["src/**/*.c", "scratch.txt", "tools/*"])
    assert files == sorted(set(IN_GIT) - {"src/demo/m.c", "tools/run.sh"}
                           | {"build/gen/extra.c", "data/a/b/x.dat", "data/y.dat", "notes.txt"})


def test_globs_do_not_match_hidden_names_unless_named_nor_go_through_symlinked_folders(tmp_path):
    repo = checkout(tmp_path / "demo")
    write(repo / ".github/workflows/ci.yml", "")
    write(repo / "conf/ci.yml", "")
    files = sdist_files(str(repo), include=["**/*.yml"])
    assert "conf/ci.yml" in files and ".github/workflows/ci.yml" not in files
    assert ".github/workflows/ci.yml" in sdist_files(str(repo), include=[".github/**"])
    assert sdist_files(str(repo), exclude=["srclink/**"]) == IN_GIT
    with pytest.raises(ConfigError, match="'srclink/demo/m.c' matches no file"):
        sdist_files(str(repo), include=["srclink/demo/m.c"])


ABSOLUTE = "is absolute; globs are relative to the project folder"
DOTDOT = "has '..'; globs stay inside the project folder"


@pytest.mark.parametrize("key, pattern, message", [
    ("include", "x/*.dat", "[tool.ninjagen] sdist-include: 'x/*.dat' matches no file"),
    ("include", "src", "[tool.ninjagen] sdist-include: 'src' matches no file"),  # a folder is not a file
    ("include", "/etc/*", f"[tool.ninjagen] sdist-include: '/etc/*' {ABSOLUTE}"),
    ("exclude", "C:/x/*", f"[tool.ninjagen] sdist-exclude: 'C:/x/*' {ABSOLUTE}"),
    ("exclude", r"\\host\x", rf"[tool.ninjagen] sdist-exclude: '\\\\host\\x' {ABSOLUTE}"),
    ("include", "../*", f"[tool.ninjagen] sdist-include: '../*' {DOTDOT}"),
    ("exclude", "src/../../x", f"[tool.ninjagen] sdist-exclude: 'src/../../x' {DOTDOT}"),
    ("exclude", "*.toml", "[tool.ninjagen] sdist-exclude: '*.toml' leaves out pyproject.toml, which an sdist must "
                          "carry"),
])
def test_bad_globs_are_one_line_config_errors(tmp_path, monkeypatch, key, pattern, message):
    root = tmp_path / "demo"
    write(root / "pyproject.toml", PYPROJECT)
    write(root / "src/m.c", "")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(ConfigError) as caught:
        sdist_files(str(root), **{key: [pattern]})
    assert str(caught.value) == message


def test_pyproject_toml_left_out_by_git_is_an_error_saying_why(tmp_path, monkeypatch):
    repo = checkout(tmp_path / "demo")
    write(repo / ".gitattributes", "pyproject.toml export-ignore\n")
    with pytest.raises(ConfigError) as caught:
        sdist_files(str(repo))
    assert str(caught.value) == ("pyproject.toml has the export-ignore attribute in .gitattributes, "
                                 "and an sdist must carry it")
    (repo / ".gitattributes").unlink()
    git(repo, "rm", "-q", "--cached", "pyproject.toml")
    with pytest.raises(ConfigError) as caught:
        sdist_files(str(repo))
    assert str(caught.value) == ("pyproject.toml is not tracked by git, and an sdist must carry it: "
                                 "git add pyproject.toml")
    assert "pyproject.toml" in sdist_files(str(repo), include=["pyproject.toml"])
    (repo / "pyproject.toml").unlink()
    with pytest.raises(ConfigError, match=r"^no pyproject.toml in .*demo, and an sdist must carry one$"):
        sdist_files(str(repo))


def members(path: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(path) as tar:
        return tar.getmembers()


def read(path: Path, name: str) -> bytes:
    with tarfile.open(path) as tar:
        return tar.extractfile(name).read()


def test_the_tarball_has_the_prefix_pkg_info_and_the_files_sorted_and_plain(tmp_path, monkeypatch):
    repo = checkout(tmp_path / "demo")
    write(repo / "PKG-INFO", "Name: stale\n")
    git(repo, "add", "PKG-INFO")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    name = write_sdist(str(repo), str(tmp_path / "out"), name="Demo.Project", version="1.0.0-RC1", pkg_info=PKG_INFO)
    assert name == "demo_project-1.0.0rc1.tar.gz"
    tarball = tmp_path / "out" / name
    entries = members(tarball)
    names = [m.name for m in entries]
    assert names == sorted(["demo_project-1.0.0rc1/" + f for f in IN_GIT + ["PKG-INFO"]])
    assert all(m.isreg() and m.uid == 0 and m.gid == 0 and m.uname == "" and m.gname == "" and m.mtime == EPOCH
               for m in entries)
    modes = {m.name.split("/", 1)[1]: m.mode for m in entries}
    assert modes["tools/run.sh"] == 0o755 and set(modes.values()) == {0o644, 0o755}
    assert list(modes.values()).count(0o755) == 1
    assert read(tarball, "demo_project-1.0.0rc1/PKG-INFO").decode() == PKG_INFO  # ours, not the tree's
    assert read(tarball, "demo_project-1.0.0rc1/pyproject.toml").decode() == PYPROJECT
    assert read(tarball, "demo_project-1.0.0rc1/link.c") == b"int x;\n"  # a symlink is stored as its file
    header = tarball.read_bytes()[:10]
    assert header[3] & 0x08 == 0, "no file name in the gzip header"
    assert int.from_bytes(header[4:8], "little") == EPOCH
    assert os.listdir(tmp_path / "out") == [name], "no temporary left behind"


def test_two_runs_with_source_date_epoch_give_the_same_bytes(tmp_path, monkeypatch):
    repo = checkout(tmp_path / "demo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first = write_sdist(str(repo), str(tmp_path / "one"), name="demo", version="1.0", pkg_info=PKG_INFO)
    os.utime(repo / "src/demo/m.c", (EPOCH + 99, EPOCH + 99))
    second = write_sdist(str(repo), str(tmp_path / "two"), name="demo", version="1.0", pkg_info=PKG_INFO)
    assert (tmp_path / "one" / first).read_bytes() == (tmp_path / "two" / second).read_bytes()


def test_without_source_date_epoch_files_keep_their_mtime_and_the_same_tree_the_same_bytes(tmp_path, monkeypatch):
    root = walked_tree(tmp_path / "demo")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    os.utime(root / "src/demo/m.c", (EPOCH, EPOCH))
    os.utime(root / "pyproject.toml", (EPOCH + 10, EPOCH + 10))
    out = root / "out"  # inside the walked tree: the first tarball must not end up in the second
    name = write_sdist(str(root), str(out), name="demo", version="1.0", pkg_info=PKG_INFO)
    first = (out / name).read_bytes()
    assert write_sdist(str(root), str(out), name="demo", version="1.0", pkg_info=PKG_INFO) == name
    assert (out / name).read_bytes() == first
    mtimes = {m.name: m.mtime for m in members(out / name)}
    assert mtimes["demo-1.0/src/demo/m.c"] == EPOCH and mtimes["demo-1.0/pyproject.toml"] == EPOCH + 10
    assert first[4:8] == b"\0\0\0\0"
    assert sorted(m.split("/", 1)[1] for m in mtimes) == sorted(WALKED + ["PKG-INFO"])


def test_the_sdist_of_an_unpacked_sdist_carries_the_same_files(tmp_path, monkeypatch):
    repo = checkout(tmp_path / "demo")
    name = write_sdist(str(repo), str(tmp_path / "out"), name="demo", version="1.0", pkg_info=PKG_INFO)
    with tarfile.open(tmp_path / "out" / name) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(tmp_path / "unpacked", filter="data")  # only plain files, inside the folder
        else:
            tar.extractall(tmp_path / "unpacked")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    unpacked = tmp_path / "unpacked" / "demo-1.0"
    assert (unpacked / "PKG-INFO").read_text() == PKG_INFO
    assert os.access(unpacked / "tools/run.sh", os.X_OK)
    assert sdist_files(str(unpacked)) == IN_GIT


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999"])
def test_a_bad_source_date_epoch_is_a_config_error_naming_it(tmp_path, monkeypatch, value):
    repo = checkout(tmp_path / "demo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(ConfigError, match=r"^SOURCE_DATE_EPOCH=.* is not a whole number of seconds"):
        write_sdist(str(repo), str(tmp_path / "out"), name="demo", version="1.0", pkg_info=PKG_INFO)
    assert not (tmp_path / "out").exists() or os.listdir(tmp_path / "out") == []


def test_a_failed_sdist_leaves_no_file_and_keeps_the_previous_one(tmp_path):
    repo = checkout(tmp_path / "demo")
    out = tmp_path / "out"
    name = write_sdist(str(repo), str(out), name="demo", version="1.0", pkg_info=PKG_INFO)
    before = (out / name).read_bytes()
    with pytest.raises(ConfigError, match="matches no file"):
        write_sdist(str(repo), str(out), name="demo", version="1.0", pkg_info=PKG_INFO, include=["nope/*"])
    assert os.listdir(out) == [name] and (out / name).read_bytes() == before
    with gzip.open(io.BytesIO(before)) as gz:
        assert gz.read(1)  # a whole gzip stream
