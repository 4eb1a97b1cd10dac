"""The manifest as one typed object (publication/manifest.py): read back as written, and every malformed field
refused by the one parser with a message naming it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.publication.manifest import FileEntry, Manifest, ManifestInvalid, Validation


def _written(release_dir: Path) -> dict[str, Any]:
    fields: dict[str, Any] = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    return fields


def test_the_release_manifest_reads_back_as_written(release_dir: Path) -> None:
    manifest = Manifest.read(release_dir / "manifest.json")

    assert manifest.to_json() == (release_dir / "manifest.json").read_text(encoding="utf-8")
    assert isinstance(manifest.validation, Validation) and manifest.validation.conforms is True
    assert all(isinstance(entry, FileEntry) for entry in manifest.files)
    assert manifest.files[0].name == "context.jsonld" and manifest.version == "test"
    assert manifest.released.isoformat() == manifest.date == "2026-01-01"


def _set(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def damage(fields: dict[str, Any]) -> None:
        fields[key] = value

    return damage


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    def damage(fields: dict[str, Any]) -> None:
        del fields[key]

    return damage


def _uncount_the_data_graph(fields: dict[str, Any]) -> None:
    del fields["triples"]["data"]


def _boolean_size(fields: dict[str, Any]) -> None:
    fields["files"][0]["byte_size"] = True


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("no-version", _drop("version"), "version is missing or not text"),
    ("date", _set("date", "30/06/2026"), "date '30/06/2026' is not an ISO date"),
    ("base", _set("base", "ftp://example.org"), "base is missing or not an http(s) IRI ending with /"),
    ("graphs", _set("graphs", ["data"]), "graphs is missing or not an object of str values"),
    ("no-total", _set("triples", {"data": 1}), "triples.total is missing"),
    ("uncounted-graph", _uncount_the_data_graph, "triples has no count for the graph data"),
    ("entities", _set("entities", {"cper:Axis": "6"}), "entities is missing or not an object of int values"),
    ("sources", _set("sources", 2.5), "sources is missing or not an integer"),
    ("validation", _set("validation", {"conforms": "yes"}), "validation lacks conforms, violations"),
    ("no-files", _set("files", []), "it lists no files"),
    ("boolean-size", _boolean_size, "lacks a plain name, media_type, byte_size or sha256"),
]


@pytest.mark.parametrize(("damage", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_a_malformed_field_is_named(release_dir: Path, damage: Callable[[dict[str, Any]], None], expected: str) -> None:
    fields = _written(release_dir)
    damage(fields)

    with pytest.raises(ManifestInvalid) as refused:
        Manifest.parse(fields)
    assert expected in str(refused.value)


def test_not_json_or_not_an_object_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    for content, expected in [
        (b'{"version": ', "Expecting value at line 1"),
        (b"\xff\xfe", "it is not UTF-8 text"),
        (b"[]", "it is not a JSON object"),
    ]:
        path.write_bytes(content)
        with pytest.raises(ManifestInvalid, match=expected):
            Manifest.read(path)
