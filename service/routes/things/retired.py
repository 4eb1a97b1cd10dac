"""Retired IRIs: a thing an earlier release minted and a later one replaced answers 301 Moved Permanently to its
successor, and its document to the successor's document in the same format (ontology/MODEL.md, "Retired IRIs").

Which IRIs are retired is the release's data (`dct:isReplacedBy` in data/dataset.ttl), carried by the manifest's
profile and read once when the app starts, under this instance's public base; no module names a retired IRI.
"""

from __future__ import annotations

from flask import Response, request

from service.http.negotiation import by_key
from service.http.state import current
from service.publication import layout
from service.publication.formats import DOCUMENT_FORMATS


def moved_thing(path: str) -> Response | None:
    """301 to the successor of the thing `{base}id/{path}` when the release retires it, else None."""
    base = current().settings.base_url
    successor = current().published.profile.replaced_by.get(layout.thing_iri(base, path))
    return None if successor is None else _moved(successor)


def moved_document(stem: str, suffix: str | None) -> Response | None:
    """301 to the successor's document (keeping the suffix) when the release retires `{base}id/{stem}`, else None.

    :raises NoAcceptableFormat: the suffix names no format (406 naming the formats, as the successor would answer).
    """
    base = current().settings.base_url
    successor = current().published.profile.replaced_by.get(layout.thing_iri(base, stem))
    if successor is None:
        return None
    if suffix is not None:
        by_key(suffix, DOCUMENT_FORMATS)
    path = layout.thing_path(base, successor)
    return _moved(successor if path is None else layout.document_url(base, path) + (suffix or ""))


def _moved(location: str) -> Response:
    """301 (permanent: clients and caches may rewrite their links) keeping the client's query (`?lang=`, `?format=`)."""
    query = request.query_string.decode("latin-1")  # the bytes as sent, back into the header unchanged
    response = Response(status=301)
    response.headers["Location"] = location + (f"?{query}" if query else "")
    return response
