"""Atomic releases (service/build/switch.py): a build is written whole beside the served one and switched to
with one rename, so a build killed at any moment leaves a complete, verified release to serve."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

from service.build.switch import TEMPORARY, publish, releases_of
from service.config import Settings
from service.publication.published import load


def _copy_of(release: Path):  # type: ignore[no-untyped-def]
    """A writer that fills a directory with the files of `release` (a real, complete release)."""

    def write(directory: Path) -> None:
        for path in release.resolve().iterdir():
            shutil.copyfile(path, directory / path.name)

    return write


def _served_version(out: Path) -> str:
    return load(Settings(release_dir=out, base_url="http://localhost/")).version


def test_publishing_points_the_link_at_a_complete_release_and_keeps_the_previous_one(
    tmp_path: Path, release_dir: Path
) -> None:
    out = tmp_path / "build"
    first = publish(out, "one", _copy_of(release_dir))
    assert out.is_symlink() and out.resolve() == first and _served_version(out) == "test"
    second = publish(out, "two", _copy_of(release_dir))
    third = publish(out, "two", _copy_of(release_dir))  # same name: a fresh directory beside, never in place
    assert third.name == "two-1" and out.resolve() == third
    assert sorted(p.name for p in releases_of(out).iterdir()) == ["two", "two-1"]  # the current and the previous
    assert not first.exists() and second.exists()


def test_a_build_that_fails_while_writing_leaves_the_served_release_untouched(
    tmp_path: Path, release_dir: Path
) -> None:
    out = tmp_path / "build"
    publish(out, "good", _copy_of(release_dir))

    def broken(directory: Path) -> None:
        (directory / "manifest.json").write_text("{")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        publish(out, "bad", broken)
    assert out.resolve().name == "good" and _served_version(out) == "test"
    publish(out, "next", _copy_of(release_dir))  # the next build clears what the failed one left
    assert not [p for p in releases_of(out).iterdir() if p.name.startswith(TEMPORARY)]


def test_a_plain_directory_from_an_older_build_is_adopted_as_the_previous_release(
    tmp_path: Path, release_dir: Path
) -> None:
    out = tmp_path / "build"
    shutil.copytree(release_dir.resolve(), out)
    publish(out, "new", _copy_of(release_dir))
    assert out.is_symlink() and [p.name for p in releases_of(out).iterdir() if p.name.startswith("adopted-")]


def test_a_relative_link_keeps_the_previous_release_too(
    tmp_path: Path, release_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path("build")
    publish(out, "one", _copy_of(release_dir))
    publish(out, "two", _copy_of(release_dir))
    assert sorted(p.name for p in releases_of(out).iterdir()) == ["one", "two"]
    assert os.readlink(out) == "build.releases/two" and _served_version(out) == "test"


def _build(out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "service", "build", "--out", str(out), "--version", "next", "--date", "2026-02-02"]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_when(build: subprocess.Popen[bytes], out: Path, delay_after_writing_starts: float | None) -> None:
    """SIGKILL the build: after 1 s (validating), or `delay` seconds after its partial directory appears."""
    if delay_after_writing_starts is None:
        time.sleep(1.0)
    else:
        deadline = time.monotonic() + 600
        while not any(p.name.startswith(TEMPORARY) for p in releases_of(out).iterdir()):
            assert build.poll() is None, "the build ended before it started writing"
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(delay_after_writing_starts)
    build.send_signal(signal.SIGKILL)
    build.wait()


@pytest.mark.parametrize("moment", [None, 0.0], ids=["validating", "writing"])
def test_a_build_killed_at_any_moment_leaves_a_servable_release(
    tmp_path: Path, release_dir: Path, moment: float | None
) -> None:
    out = tmp_path / "build"
    publish(out, "previous", _copy_of(release_dir))
    _kill_when(_build(out), out, moment)
    version = _served_version(out)  # verified: every file matches the manifest
    if moment == 0.0:  # the kill came while the new release was being written
        assert [p for p in releases_of(out).iterdir() if p.name.startswith(TEMPORARY)]
    assert version == "test"  # killed before the switch: the previous release, complete
    assert os.path.isdir(out)
