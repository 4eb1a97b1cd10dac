"""The release's files for operators and harvesters: `/dumps/manifest.json` and the index of `/dumps/`.

The manifest is the build's own (version, date, counts, checksums), with every file's size and SHA-256 those of
the bytes this instance serves (IRIs rewritten under its public base) and its download URL.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from typing import Any

from flask import Response, render_template, request

from service.http.display import group
from service.http.language import reader_language
from service.http.negotiation import choose
from service.http.responses import negotiated
from service.http.state import current
from service.publication.formats import HTML, JSON
from service.publication.layout import dump_url
from service.publication.manifest import FileEntry
from service.routes.about.dcat import describe_file

MANIFEST = JSON
INDEX_FORMATS = (HTML, MANIFEST)


def manifest_document() -> dict[str, Any]:
    """The served release's manifest, under the public base."""
    state = current()
    settings, published = state.settings, state.published
    manifest = published.manifest
    served = replace(
        manifest,
        base=settings.base_url,
        graphs={name: iri.replace(manifest.base, settings.base_url, 1) for name, iri in manifest.graphs.items()},
        files=tuple(_served_entry(entry) for entry in manifest.files),
    )
    document = asdict(served)
    for entry in document["files"]:
        entry["url"] = dump_url(settings.base_url, entry["name"])
    return document


def _served_entry(entry: FileEntry) -> FileEntry:
    """The entry with the size and SHA-256 of the bytes served (rewritten under the public base)."""
    artefact = current().published.artefact(entry.name)
    return entry if artefact is None else replace(entry, byte_size=artefact.size, sha256=artefact.sha256)


def manifest() -> Response:
    body = json.dumps(manifest_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return negotiated(body, MANIFEST, vary=False)


def index() -> Response:
    """HTML for browsers, the manifest as JSON for scripts (`?format=json` or Accept)."""
    key = request.args.get("format")
    fmt = next((row for row in INDEX_FORMATS if row.key == key), None) or choose(
        request.headers.get("Accept"), INDEX_FORMATS, strict=False
    )
    if fmt == MANIFEST:
        return manifest()
    language = reader_language()
    state = current()
    files = [
        {
            "name": name,
            "url": dump_url(state.settings.base_url, name),
            "title": describe_file(artefact, language)[0],
            "media_type": artefact.media_type,
            "encoding": "gzip" if name.endswith(".gz") else "",
            "size": group(artefact.size, language),
            "bytes": artefact.size,
            "sha256": artefact.sha256,
        }
        for name, artefact in sorted(state.published.artefacts.items())
    ]
    manifest_url = dump_url(state.settings.base_url, "manifest.json")
    body = render_template("dumps.html", files=files, manifest_url=manifest_url, version=state.published.version)
    return negotiated(body, HTML, language=language)
