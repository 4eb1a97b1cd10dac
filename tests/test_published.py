"""The served release (publication/published.py): verified against its manifest at start-up, and refused with one
line and exit code 2 when a file is altered or truncated, the dataset is empty or the manifest is damaged."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, free_port


def _flip_a_byte(release: Path) -> None:
    path = release / "dataset.ttl"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


def _truncate(release: Path) -> None:
    path = release / "dataset.nq"
    path.write_bytes(path.read_bytes()[:1000])


def _empty_dataset_with_a_consistent_manifest(release: Path) -> None:
    (release / "dataset.nq").write_bytes(b"")
    manifest = json.loads((release / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["name"] == "dataset.nq":
            entry["byte_size"], entry["sha256"] = 0, hashlib.sha256(b"").hexdigest()
    (release / "manifest.json").write_text(json.dumps(manifest))


def _cut_manifest(release: Path) -> None:
    path = release / "manifest.json"
    path.write_bytes(path.read_bytes()[:300])


def _manifest_escaping_the_directory(release: Path) -> None:
    manifest = json.loads((release / "manifest.json").read_text())
    manifest["files"][0]["name"] = "../../etc/passwd"
    (release / "manifest.json").write_text(json.dumps(manifest))


def _manifest_without_files(release: Path) -> None:
    manifest = json.loads((release / "manifest.json").read_text())
    del manifest["files"]
    (release / "manifest.json").write_text(json.dumps(manifest))


def _no_manifest(release: Path) -> None:
    (release / "manifest.json").unlink()


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("altered", _flip_a_byte, "dataset.ttl does not match the SHA-256 of the manifest (altered)"),
    ("truncated", _truncate, "dataset.nq has 1000 bytes where the manifest says"),
    ("empty", _empty_dataset_with_a_consistent_manifest, "holds no statements"),
    ("manifest-cut", _cut_manifest, "manifest.json is damaged: "),
    ("manifest-escape", _manifest_escaping_the_directory, "lacks a plain name"),
    ("manifest-no-files", _manifest_without_files, "manifest.json is damaged: it lists no files"),
    ("no-manifest", _no_manifest, "no release in "),
]


@pytest.mark.parametrize(("damage", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_a_damaged_release_is_refused_at_start_with_one_line(
    tmp_path: Path, release_dir: Path, damage: Callable[[Path], None], expected: str
) -> None:
    release = tmp_path / "release"
    shutil.copytree(release_dir.resolve(), release)
    damage(release)
    env = {**os.environ, "RELEASE_DIR": str(release), "HOST": "127.0.0.1", "PORT": str(free_port())}
    run = subprocess.run(
        [sys.executable, "-m", "service", "serve", "--workers", "1"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert run.stdout == "" and run.stderr.count("\n") == 1, run.stderr  # one line, no traceback
    assert run.stderr.startswith("error: ") and expected in run.stderr, run.stderr
    if expected != "no release in ":
        assert "rebuild it with `make build`" in run.stderr


def test_an_intact_release_loads_through_the_build_link(release_dir: Path) -> None:
    from service.config import Settings
    from service.publication.published import load

    published = load(Settings(release_dir=release_dir, base_url="http://localhost/"))
    assert published.version == "test" and published.artefact("dataset.nq") is not None
    assert release_dir.is_symlink()  # the session's release is published as a link to its directory
