"""Retired IRIs: a thing an earlier release minted and a later one replaced answers 301 Moved Permanently to its
successor, and its document to the successor's document in the same format (ontology/MODEL.md, "Retired IRIs").

Which IRIs are retired is the release's data (`dct:isReplacedBy` in data/dataset.ttl), carried by the manifest's
profile and read once when the app starts, under this instance's public base; no module names a retired IRI.
"""

from __future__ import annotations

from flask import Response

from service.http.negotiation import by_key
from service.http.responses import redirect
from service.http.state import current
from service.publication import layout
from service.publication.formats import DOCUMENT_FORMATS


def moved_thing(path: str) -> Response | None:
    """301 to the successor of the thing `{base}id/{path}` when the release retires it, else None."""
    successor = _successor(path)
    return None if successor is None else redirect(successor, 301)


def moved_document(stem: str, suffix: str | None) -> Response | None:
    """301 to the successor's document (keeping the suffix) when the release retires `{base}id/{stem}`, else None.

    :raises NoAcceptableFormat: the suffix names no format (406 naming the formats, as the successor would answer).
    """
    successor = _successor(stem)
    if successor is None:
        return None
    if suffix is not None:
        by_key(suffix, DOCUMENT_FORMATS)
    base = current().settings.base_url
    path = layout.thing_path(base, successor)
    # 301: permanent, clients and caches may rewrite their links.
    return redirect(successor if path is None else layout.document_url(base, path) + (suffix or ""), 301)


def _successor(path: str) -> str | None:
    """What replaces the thing `{base}id/{path}`, if the release retires it."""
    return current().published.profile.replaced_by.get(layout.thing_iri(current().settings.base_url, path))
