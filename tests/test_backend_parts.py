"""The build backend's parts, each on its own: tags, config-settings, metadata, discovery, the wheel file.

(The frontends -- pip, build, uv -- driving the whole backend are in test_backend.py.)
"""

from __future__ import annotations

import hashlib
import os
import zipfile

import pytest

from conftest import write

from ninjagen.backend_settings import parse_settings
from ninjagen.discovery import wheel_sources
from ninjagen.errors import ConfigError
from ninjagen.extension import Extension
from ninjagen.metadata import read_metadata
from ninjagen.target import Target
from ninjagen.wheel_tags import wheel_tag
from ninjagen.wheelfile import WheelWriter


def target(version=(3, 11), platform="linux-x86_64", os_name="posix", **config) -> Target:
    return Target(python="/x/python", version=version, platform=platform, sys_platform="linux", os_name=os_name,
                  include_dirs=(), config=config)


FULL = Extension("a", ["a.c"])
LIMITED = Extension("b", ["b.c"], py_limited_api=True)
LIMITED_310 = Extension("c", ["c.c"], py_limited_api="cp310")


@pytest.mark.parametrize("tgt, extensions, tag", [
    (target(SOABI="cpython-311-x86_64-linux-gnu"), [FULL], "cp311-cp311-linux_x86_64"),
    (target((3, 13), SOABI="cpython-313t-x86_64-linux-gnu", Py_GIL_DISABLED=1), [FULL], "cp313-cp313t-linux_x86_64"),
    (target((3, 12), SOABI="cpython-312d-x86_64-linux-gnu"), [FULL], "cp312-cp312d-linux_x86_64"),
    (target(SOABI="cpython-311-x86_64-linux-gnu"), [LIMITED], "cp39-abi3-linux_x86_64"),
    (target((3, 12), SOABI="cpython-312-x86_64-linux-gnu"), [LIMITED, LIMITED_310], "cp39-abi3-linux_x86_64"),
    (target((3, 12), SOABI="cpython-312-x86_64-linux-gnu"), [LIMITED_310], "cp310-abi3-linux_x86_64"),
    (target(SOABI="cpython-311-x86_64-linux-gnu"), [LIMITED, FULL], "cp311-cp311-linux_x86_64"),
    (target((3, 12), "win-amd64", "nt"), [FULL], "cp312-cp312-win_amd64"),
    (target((3, 13), "win-amd64", "nt", Py_GIL_DISABLED=1), [FULL], "cp313-cp313t-win_amd64"),
    (target((3, 12), "macosx-11.0-arm64", SOABI="cpython-312-darwin"), [FULL], "cp312-cp312-macosx_11_0_arm64"),
    (target(), [], "py3-none-any"),
])
def test_the_tag_comes_from_the_target_python(tgt, extensions, tag):
    assert wheel_tag(tgt, extensions) == tag


def test_a_python_that_is_not_cpython_is_refused_by_name():
    with pytest.raises(ConfigError, match="is not CPython .*pypy39-pp73"):
        wheel_tag(target(SOABI="pypy39-pp73"), [FULL])


def test_config_settings_are_checked_and_typed():
    settings = parse_settings({"jobs": "3", "verbose": "true", "editable-rebuild": "false", "build-dir": ["a", "b"]})
    assert (settings.jobs, settings.verbose, settings.editable_rebuild, settings.build_dir) == (3, True, False, "b")
    for bad, message in [({"job": "2"}, "did you mean 'jobs'"), ({"jobs": "0"}, "at least 1"),
                         ({"verbose": "maybe"}, "true or false"), ({"compiler": ""}, "expected a value"),
                         ({"zzz": "1"}, "known: build-dir")]:
        with pytest.raises(ConfigError, match=message):
            parse_settings(bad)


def test_metadata_from_project_with_licence_files_scripts_and_entry_points(tmp_path):
    write(tmp_path / "LICENSE", "MIT\n")
    write(tmp_path / "README.md", "# x\n")
    meta = read_metadata(str(tmp_path), {"project": {
        "name": "My.Pkg", "version": "1.0.0", "readme": "README.md", "license": "MIT", "license-files": ["LICEN*"],
        "requires-python": ">=3.9", "dependencies": ["numpy>=1"], "optional-dependencies": {"fast": ["ujson"]},
        "scripts": {"tool": "pkg.cli:main"}, "gui-scripts": {"win": "pkg.gui:main"},
        "entry-points": {"pkg.plugins": {"a": "pkg.a:A"}}, "urls": {"Home": "https://example.org"},
        "classifiers": ["Programming Language :: C"]}})
    assert (meta.distribution, meta.version, meta.license_files) == ("my_pkg", "1.0.0", ("LICENSE",))
    text = meta.core_metadata
    for line in ["Name: My.Pkg", "Version: 1.0.0", "License-Expression: MIT", "License-File: LICENSE",
                 "Requires-Python: >=3.9", "Requires-Dist: numpy>=1", 'Requires-Dist: ujson; extra == "fast"',
                 "Provides-Extra: fast", "Project-URL: Home, https://example.org",
                 "Classifier: Programming Language :: C", "Description-Content-Type: text/markdown"]:
        assert line in text.splitlines(), line
    assert "ninjagen" not in text  # exactly what [project] says: no requirement of the backend's own
    assert meta.entry_points == ("[console_scripts]\ntool = pkg.cli:main\n\n[gui_scripts]\nwin = pkg.gui:main\n\n"
                                 "[pkg.plugins]\na = pkg.a:A\n")


def _tree(root, files):
    for name in files:
        write(root / name, "")


def test_flat_layout_ships_packages_and_their_files_not_tests_sources_or_builds(tmp_path):
    _tree(tmp_path, ["pkg/__init__.py", "pkg/py.typed", "pkg/mod.pyi", "pkg/data/table.csv", "pkg/sub/__init__.py",
                     "pkg/_fast.c", "pkg/_fast.cpython-311-x86_64-linux-gnu.so", "pkg/__pycache__/x.cpython-311.pyc",
                     "tests/__init__.py", "tests/test_x.py", "docs/conf.py", "setup.py", "check.py", "build/x/y.py",
                     "other/__init__.py"])
    files = wheel_sources(str(tmp_path), package_dir={}, extension_packages=["pkg"], excluded_files=["pkg/_fast.c"],
                          exclude=["pkg/data/*.csv"])
    assert sorted(files) == ["other/__init__.py", "pkg/__init__.py", "pkg/mod.pyi", "pkg/py.typed",
                             "pkg/sub/__init__.py"]
    assert files["pkg/py.typed"] == str(tmp_path / "pkg" / "py.typed")


def test_src_layout_ships_everything_under_src(tmp_path):
    _tree(tmp_path, ["src/pkg/__init__.py", "src/pkg/ns/part.py", "src/pkg/sub/__init__.py", "src/single.py",
                     "tests/test_x.py"])
    assert sorted(wheel_sources(str(tmp_path), package_dir={})) == ["pkg/__init__.py", "pkg/ns/part.py",
                                                                    "pkg/sub/__init__.py", "single.py"]
    # named packages: a folder without __init__.py is the package's data, a subpackage not named is left out
    assert sorted(wheel_sources(str(tmp_path), package_dir={"": "src"}, packages=["pkg"])) == ["pkg/__init__.py",
                                                                                              "pkg/ns/part.py"]


def test_named_modules_and_packages_must_exist(tmp_path):
    _tree(tmp_path, ["pkg/__init__.py", "tool.py"])
    assert sorted(wheel_sources(str(tmp_path), package_dir={}, packages=[], py_modules=["tool"])) == ["tool.py"]
    with pytest.raises(ConfigError, match="py-modules: module 'gone' has no file gone.py"):
        wheel_sources(str(tmp_path), package_dir={}, py_modules=["gone"])


def _wheel(folder, epoch, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    write(folder / "pkg" / "__init__.py", "x = 1\n")
    script = write(folder / "pkg" / "run.sh", "#!/bin/sh\n")
    script.chmod(0o755)
    writer = WheelWriter("pkg", "1.0", "py3-none-any")
    writer.add_file("pkg/__init__.py", str(folder / "pkg" / "__init__.py"))
    writer.add_file("pkg/run.sh", str(script))
    writer.add_metadata("METADATA", b"Metadata-Version: 2.4\nName: pkg\nVersion: 1.0\n")
    return folder / "dist" / writer.write(str(folder / "dist"))


def test_the_wheel_file_is_the_same_bytes_from_another_folder_and_its_record_holds(tmp_path, monkeypatch):
    one, two = _wheel(tmp_path / "a", 1700000000, monkeypatch), _wheel(tmp_path / "b", 1700000000, monkeypatch)
    assert hashlib.sha256(one.read_bytes()).digest() == hashlib.sha256(two.read_bytes()).digest()
    assert _wheel(tmp_path / "c", 1800000000, monkeypatch).read_bytes() != one.read_bytes()
    with zipfile.ZipFile(one) as zf:
        names = zf.namelist()
        assert names[-1] == "pkg-1.0.dist-info/RECORD" and names[0] == "pkg/__init__.py"
        assert zf.getinfo("pkg/run.sh").external_attr >> 16 & 0o777 == 0o755
        assert zf.getinfo("pkg/__init__.py").date_time == (2023, 11, 14, 22, 13, 20)
        import base64
        for line in zf.read("pkg-1.0.dist-info/RECORD").decode().splitlines()[:-1]:
            name, digest, size = line.split(",")
            data = zf.read(name)
            assert int(size) == len(data)
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert not [p for p in os.listdir(tmp_path / "a" / "dist") if p.endswith(".tmp")]


def _kept_wheel(folder, keep, text="x = 1\n", epoch=None):
    write(folder / "pkg" / "__init__.py", text)
    writer = WheelWriter("pkg", "1.0", "py3-none-any")
    writer.add_file("pkg/__init__.py", str(folder / "pkg" / "__init__.py"))
    writer.add_metadata("METADATA", b"Metadata-Version: 2.4\nName: pkg\nVersion: 1.0\n")
    dist = folder / f"dist-{len(list(folder.glob('dist-*')))}"
    return dist / writer.write(str(dist), keep_in=str(keep))


def test_a_wheel_of_the_same_files_is_the_copy_the_build_folder_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    keep = tmp_path / "build"
    keep.mkdir()
    first = _kept_wheel(tmp_path, keep)
    kept = keep / first.name
    assert kept.read_bytes() == first.read_bytes() and (keep / (first.name + ".digest")).is_file()
    os.utime(kept, (1, 1))  # so that a copy shows: the kept file is not written again
    second = _kept_wheel(tmp_path, keep)
    assert second.read_bytes() == first.read_bytes() and kept.stat().st_mtime == 1
    changed = _kept_wheel(tmp_path, keep, "x = 2\n")  # the same size, other bytes
    with zipfile.ZipFile(changed) as zf:
        assert zf.read("pkg/__init__.py") == b"x = 2\n"
    assert kept.read_bytes() == changed.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # the timestamps are part of the bytes
    later = _kept_wheel(tmp_path, keep, "x = 2\n")
    assert later.read_bytes() != changed.read_bytes()
    (keep / (later.name + ".digest")).write_text("damaged")
    os.utime(kept, (1, 1))
    again = _kept_wheel(tmp_path, keep, "x = 2\n")
    assert again.read_bytes() == later.read_bytes() and kept.stat().st_mtime != 1  # written again, the same bytes


def test_a_bad_source_date_epoch_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    writer = WheelWriter("pkg", "1.0", "py3-none-any")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds"):
        writer.write(str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_the_build_asks_for_cython_only_when_an_extension_has_pyx_sources(tmp_path, monkeypatch):
    import ninjagen.backend as backend

    project = '[project]\nname = "x"\nversion = "1"\n[[tool.ninjagen.ext-modules]]\nname = "m"\nsources = ["{}"]\n'
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pyproject.toml", project.format("m.c"))
    assert backend.get_requires_for_build_wheel() == [] == backend.get_requires_for_build_sdist()
    write(tmp_path / "pyproject.toml", project.format("m.pyx"))
    assert backend.get_requires_for_build_wheel() == ["cython>=3"] == backend.get_requires_for_build_editable()
