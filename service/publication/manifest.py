"""The release manifest: what a build produced (counts, validation outcome, and each file's type, size and hash).

The build writes it (:meth:`Manifest.to_json`); the service reads it back through :meth:`Manifest.read`, the one
parser, which checks every field so that no reader has to: a new field is one line in the class and one in
:meth:`Manifest.parse`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any, TypeVar

from service.publication.formats import GZIP, by_suffix
from service.publication.profile import DatasetProfile

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a file of the release directory, never a path out of it
SHA256 = re.compile(r"[0-9a-f]{64}")

Value = TypeVar("Value")


class ManifestInvalid(ValueError):
    """manifest.json does not describe a release; the message says which field is missing or malformed."""


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

    @classmethod
    def parse(cls, entry: object) -> FileEntry:
        """:raises ManifestInvalid: not a plain file name, or no media type, size or SHA-256."""
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and SAFE_NAME.fullmatch(entry["name"])
            and isinstance(entry.get("media_type"), str)
            and _integer(entry.get("byte_size"))
            and isinstance(entry.get("sha256"), str)
            and SHA256.fullmatch(entry["sha256"])
            and isinstance(entry.get("compress_format"), str | None)
        ):
            raise ManifestInvalid(
                f"file entry {json.dumps(entry)[:80]} lacks a plain name, media_type, byte_size or sha256"
            )
        return cls(
            entry["name"], entry["media_type"], entry["byte_size"], entry["sha256"], entry.get("compress_format")
        )


@dataclass(frozen=True)
class Validation:
    """The outcome of validating the release against its shapes."""

    conforms: bool
    violations: int
    warnings: int
    infos: int

    @classmethod
    def parse(cls, fields: object) -> Validation:
        """:raises ManifestInvalid: an outcome or a count is missing."""
        counts = ("violations", "warnings", "infos")
        if not (
            isinstance(fields, dict)
            and isinstance(fields.get("conforms"), bool)
            and all(_integer(fields.get(key)) for key in counts)
        ):
            raise ManifestInvalid("validation lacks conforms, violations, warnings or infos")
        return cls(fields["conforms"], *(fields[key] for key in counts))


@dataclass(frozen=True)
class Manifest:
    """Everything a reader needs to trust and describe a release (written as manifest.json)."""

    version: str
    date: str  # ISO YYYY-MM-DD
    base: str  # the canonical base the release is written under, ending with /
    graphs: dict[str, str]  # short name -> named-graph IRI
    triples: dict[str, int]  # "total" and one count per short name
    entities: dict[str, int]  # class (compact IRI) -> number of instances in the data graph
    sources: int  # distinct dct:source documents cited by the data
    validation: Validation
    files: tuple[FileEntry, ...]
    profile: DatasetProfile  # what names the dataset, from its own DCAT/VoID description

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @property
    def released(self) -> Date:
        return Date.fromisoformat(self.date)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """The manifest.json written by :meth:`to_json`.

        :raises ManifestInvalid: not UTF-8 JSON, or a field is missing or malformed.
        """
        try:
            fields = json.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            raise ManifestInvalid("it is not UTF-8 text") from None
        except json.JSONDecodeError as error:
            raise ManifestInvalid(f"{error.msg} at line {error.lineno}") from None
        return cls.parse(fields)

    @classmethod
    def parse(cls, fields: object) -> Manifest:
        """The manifest a decoded JSON document describes.

        :raises ManifestInvalid: a field is missing or malformed; the message says which.
        """
        if not isinstance(fields, dict):
            raise ManifestInvalid("it is not a JSON object")
        manifest = cls(
            version=_text(fields, "version"),
            date=_iso_date(fields),
            base=_base(fields),
            graphs=_mapping(fields, "graphs", str),
            triples=_triples(fields),
            entities=_mapping(fields, "entities", int),
            sources=_count(fields, "sources"),
            validation=Validation.parse(fields.get("validation")),
            files=_files(fields),
            profile=_profile(fields),
        )
        uncounted = sorted(set(manifest.graphs) - set(manifest.triples))
        if uncounted:
            raise ManifestInvalid(f"triples has no count for the graph {uncounted[0]}")
        return manifest


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(fields: dict[str, Any], key: str) -> str:
    value = fields.get(key)
    if not isinstance(value, str):
        raise ManifestInvalid(f"{key} is missing or not text")
    return value


def _count(fields: dict[str, Any], key: str) -> int:
    value = fields.get(key)
    if not _integer(value):
        raise ManifestInvalid(f"{key} is missing or not an integer")
    assert isinstance(value, int)
    return value


def _iso_date(fields: dict[str, Any]) -> str:
    value = _text(fields, "date")
    try:
        Date.fromisoformat(value)
    except ValueError:
        raise ManifestInvalid(f"date {value!r} is not an ISO date") from None
    return value


def _base(fields: dict[str, Any]) -> str:
    value = fields.get("base")
    if not isinstance(value, str) or not value.startswith(("http://", "https://")) or not value.endswith("/"):
        raise ManifestInvalid("base is missing or not an http(s) IRI ending with /")
    return value


def _mapping(fields: dict[str, Any], key: str, kind: type[Value]) -> dict[str, Value]:
    value = fields.get(key)
    valid = _integer if kind is int else lambda item: isinstance(item, kind)
    if not isinstance(value, dict) or not all(valid(item) for item in value.values()):
        raise ManifestInvalid(f"{key} is missing or not an object of {kind.__name__} values")
    return dict(value)


def _triples(fields: dict[str, Any]) -> dict[str, int]:
    triples = _mapping(fields, "triples", int)
    if "total" not in triples:
        raise ManifestInvalid("triples.total is missing")
    return triples


def _profile(fields: dict[str, Any]) -> DatasetProfile:
    value = fields.get("profile")
    try:
        assert isinstance(value, dict)
        return DatasetProfile.from_json(value)
    except (AssertionError, KeyError, TypeError) as error:
        raise ManifestInvalid(f"profile is missing or malformed ({error!r})") from None


def _files(fields: dict[str, Any]) -> tuple[FileEntry, ...]:
    files = fields.get("files")
    if not isinstance(files, list) or not files:
        raise ManifestInvalid("it lists no files")
    return tuple(FileEntry.parse(entry) for entry in files)
