"""The release manifest: what a build produced (counts, validation outcome, and each file's type, size and hash)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from service.publication.profile import DatasetProfile

# Media type by file suffix; a ".gz" file keeps its content's media type and says it is gzip-compressed.
MEDIA_TYPES = {
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".trig": "application/trig",
    ".rdf": "application/rdf+xml",
    ".jsonld": "application/ld+json",
}
GZIP = "application/gzip"


@dataclass(frozen=True)
class FileEntry:
    """One released file, as written to disk."""

    name: str
    media_type: str
    byte_size: int
    sha256: str
    compress_format: str | None = None

    @classmethod
    def of(cls, name: str, content: bytes) -> FileEntry:
        suffixes = Path(name).suffixes
        compressed = suffixes[-1] == ".gz"
        return cls(
            name=name,
            media_type=MEDIA_TYPES[suffixes[-2] if compressed else suffixes[-1]],
            byte_size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            compress_format=GZIP if compressed else None,
        )


@dataclass(frozen=True)
class Manifest:
    """Everything a reader needs to trust and describe a release (written as manifest.json)."""

    version: str
    date: str
    base: str
    graphs: dict[str, str]  # short name -> named-graph IRI
    triples: dict[str, int]  # "total" and one count per short name
    entities: dict[str, int]  # class (compact IRI) -> number of instances in the data graph
    sources: int  # distinct dct:source documents cited by the data
    validation: dict[str, Any]  # conforms, violations, warnings, infos
    files: tuple[FileEntry, ...]
    profile: DatasetProfile  # what names the dataset, from its own DCAT/VoID description

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Load a manifest.json written by :meth:`to_json`."""
        fields = json.loads(path.read_text(encoding="utf-8"))
        fields["files"] = tuple(FileEntry(**entry) for entry in fields["files"])
        fields["profile"] = DatasetProfile.from_json(fields["profile"])
        return cls(**fields)
