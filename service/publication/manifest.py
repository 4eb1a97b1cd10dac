"""The release manifest: what a build produced (counts, validation outcome, and each file's type, size and hash)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from service.publication.formats import GZIP, by_suffix


@dataclass(frozen=True)
class FileEntry:
    """One released file, as written to disk; a ".gz" file keeps its content's media type and says it is
    gzip-compressed (compress_format)."""

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
            media_type=by_suffix(suffixes[-2] if compressed else suffixes[-1]).media_type,
            byte_size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            compress_format=GZIP.media_type if compressed else None,
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

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Load a manifest.json written by :meth:`to_json`."""
        fields = json.loads(path.read_text(encoding="utf-8"))
        fields["files"] = tuple(FileEntry(**entry) for entry in fields["files"])
        return cls(**fields)
