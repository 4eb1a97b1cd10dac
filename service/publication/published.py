"""The release as this instance serves it: read once at start-up, every artefact rewritten to the public base."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

from service.config import Settings
from service.publication.manifest import FileEntry, Manifest, ManifestInvalid
from service.publication.profile import DatasetProfile


class ReleaseMissing(RuntimeError):
    """No usable release in the release directory: the operator must run the build first."""


class ReleaseDamaged(ReleaseMissing):
    """The release fails verification (manifest unreadable, a file altered or truncated, no statements)."""


REBUILD = "rebuild it with `make build` (or `python -m service build`)"


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

    manifest: Manifest
    artefacts: MappingProxyType[str, Artefact]
    etag: str
    last_modified: datetime
    profile: DatasetProfile  # what names the dataset, under this instance's public base

    @property
    def canonical_base(self) -> str:
        """The base the release was written under (replaced by this instance's public base when served)."""
        return self.manifest.base

    @property
    def version(self) -> str:
        return self.manifest.version

    def artefact(self, name: str) -> Artefact | None:
        return self.artefacts.get(name)


def load(settings: Settings) -> Published:
    """Read and verify the release, and rewrite the canonical base to the public one in every artefact.

    The release directory is resolved once (`build` is a link a new build may switch meanwhile), every file is
    checked against the size and SHA-256 its manifest gives, and a release without statements is refused.

    :raises ReleaseMissing: the directory has no manifest.json or names a file it lacks.
    :raises ReleaseDamaged: the manifest is unreadable, a file does not match it, or the dataset is empty.
    """
    directory = settings.release_dir.resolve()
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise ReleaseMissing(
            f"no release in {settings.release_dir}: run `make build` (or `python -m service build`) first"
        )
    manifest = _manifest(manifest_path)
    fingerprint = hashlib.sha256(manifest_path.read_bytes() + settings.base_url.encode()).hexdigest()[:32]
    # In front of a remote store a worker keeps no dump in memory: each is read from a file when served.
    files = None
    if settings.store == "remote":
        files = _served_files(fingerprint, manifest.base, settings.base_url)
    artefacts = {}
    empty = False
    for entry in manifest.files:
        name = entry.name
        path = directory / name
        if not path.is_file():
            raise ReleaseMissing(f"the release manifest names {name}, which is missing from {directory}")
        raw = _verified(path, entry)
        empty |= name == "dataset.nq" and not raw.strip()
        if files is None:
            content: bytes | Path = _rebase(raw, path.suffix == ".gz", manifest.base, settings.base_url)
        else:
            content = files(path, raw)
        artefacts[name] = Artefact.of(name, entry.media_type, content)
    if manifest.triples["total"] <= 0 or empty:
        raise ReleaseDamaged(f"the release in {directory} holds no statements; {REBUILD}")
    released = datetime.fromisoformat(manifest.date).replace(tzinfo=UTC)
    profile = manifest.profile.rebased(settings.base_url)
    return Published(manifest, MappingProxyType(artefacts), f'"{fingerprint}"', released, profile)


def _manifest(path: Path) -> Manifest:
    """:raises ReleaseDamaged: manifest.json is not a release's manifest; the message says why."""
    try:
        return Manifest.read(path)
    except ManifestInvalid as problem:
        raise ReleaseDamaged(f"{path} is damaged: {problem}; {REBUILD}") from None


def _verified(path: Path, entry: FileEntry) -> bytes:
    """The file's bytes, when their size and SHA-256 are those of the manifest.

    :raises ReleaseDamaged: the file is truncated, extended or altered.
    """
    raw = path.read_bytes()
    if len(raw) != entry.byte_size:
        raise ReleaseDamaged(f"{path} has {len(raw)} bytes where the manifest says {entry.byte_size} "
                             f"(truncated or altered); {REBUILD}")  # fmt: skip
    if hashlib.sha256(raw).hexdigest() != entry.sha256:
        raise ReleaseDamaged(f"{path} does not match the SHA-256 of the manifest (altered); {REBUILD}")
    return raw


def _rebase(raw: bytes, gzipped: bool, canonical: str, public: str) -> bytes:
    """The file's bytes with the canonical base replaced by the public base (gzip files stay gzip, deterministic)."""
    if canonical == public:
        return raw
    if gzipped:
        text = gzip.decompress(raw).replace(canonical.encode(), public.encode())
        return gzip.compress(text, mtime=0)
    return raw.replace(canonical.encode(), public.encode())


def _served_files(fingerprint: str, canonical: str, public: str) -> Callable[[Path, bytes], Path]:
    """Where each release file is read from when served: the release's own file under the canonical base, else
    a rebased copy written once to a cache folder (atomically: the workers of one instance share it)."""
    cache = Path(tempfile.gettempdir()) / f"cper-release-{fingerprint}"

    def served(path: Path, raw: bytes) -> Path:
        if canonical == public:
            return path
        target = cache / path.name
        if not target.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=cache, delete=False) as partial:
                partial.write(_rebase(raw, path.suffix == ".gz", canonical, public))
            os.replace(partial.name, target)
        return target

    return served
