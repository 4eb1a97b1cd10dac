"""The release as this instance serves it: read once at start-up, every artefact rewritten to the public base."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .config import Settings


class ReleaseMissing(RuntimeError):
    """No usable release in the release directory: the operator must run the build first."""


@dataclass(frozen=True)
class Artefact:
    """One file of the release, as served: bytes under the public base (in memory, or a file read when served),
    their size and SHA-256."""

    name: str
    media_type: str
    content: bytes | Path
    size: int
    sha256: str

    @classmethod
    def of(cls, name: str, media_type: str, content: bytes | Path) -> Artefact:
        data = content.read_bytes() if isinstance(content, Path) else content
        return cls(name, media_type, content, len(data), hashlib.sha256(data).hexdigest())

    @property
    def data(self) -> bytes:
        return self.content.read_bytes() if isinstance(self.content, Path) else self.content


@dataclass(frozen=True)
class Published:
    """The served release: its manifest, its artefacts by file name, and validators derived from it."""

    manifest: MappingProxyType[str, Any]
    artefacts: MappingProxyType[str, Artefact]
    etag: str
    last_modified: datetime

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", ""))

    def artefact(self, name: str) -> Artefact | None:
        return self.artefacts.get(name)


def load(settings: Settings) -> Published:
    """Read the release directory and rewrite the canonical base to the public one in every artefact.

    :raises ReleaseMissing: the directory has no manifest.json or names a file it lacks.
    """
    directory = settings.release_dir
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise ReleaseMissing(f"no release in {directory}: run `make build` (or `python -m service build`) first")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        path = directory / entry["name"]
        if not path.is_file():
            raise ReleaseMissing(f"the release manifest names {entry['name']}, which is missing from {directory}")
    artefacts = {}
    fingerprint = hashlib.sha256(manifest_path.read_bytes() + settings.base_url.encode()).hexdigest()[:32]
    # In front of a remote store a worker keeps no dump in memory: each is read from a file when served.
    files = None
    if settings.store == "remote":
        files = _served_files(fingerprint, settings.canonical_base, settings.base_url)
    for entry in manifest["files"]:
        path = directory / entry["name"]
        content = _rebase(path, settings.canonical_base, settings.base_url) if files is None else files(path)
        artefacts[entry["name"]] = Artefact.of(entry["name"], entry["media_type"], content)
    released = datetime.fromisoformat(str(manifest["date"])).replace(tzinfo=UTC)
    return Published(MappingProxyType(manifest), MappingProxyType(artefacts), f'"{fingerprint}"', released)


def _rebase(path: Path, canonical: str, public: str) -> bytes:
    """The file's bytes with the canonical base replaced by the public base (gzip files stay gzip, deterministic)."""
    raw = path.read_bytes()
    if canonical == public:
        return raw
    if path.suffix == ".gz":
        text = gzip.decompress(raw).replace(canonical.encode(), public.encode())
        return gzip.compress(text, mtime=0)
    return raw.replace(canonical.encode(), public.encode())


def _served_files(fingerprint: str, canonical: str, public: str) -> Callable[[Path], Path]:
    """Where each release file is read from when served: the release's own file under the canonical base, else
    a rebased copy written once to a cache folder (atomically: the workers of one instance share it)."""
    cache = Path(tempfile.gettempdir()) / f"cper-release-{fingerprint}"

    def served(path: Path) -> Path:
        if canonical == public:
            return path
        target = cache / path.name
        if not target.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=cache, delete=False) as partial:
                partial.write(_rebase(path, canonical, public))
            os.replace(partial.name, target)
        return target

    return served
