"""Building negotiated responses: conditional GET, Vary, Content-Location and Link headers to alternates."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, request

from .negotiation import Format
from .state import current


def link_header(alternates: Iterable[tuple[Format, str]]) -> str:
    """`Link: <href>; rel="alternate"; type="…"` for each alternate representation."""
    return ", ".join(f'<{href}>; rel="alternate"; type="{fmt.media_type}"' for fmt, href in alternates)


def negotiated(
    body: bytes | str,
    fmt: Format,
    *,
    content_location: str | None = None,
    alternates: Iterable[tuple[Format, str]] = (),
    vary: bool = True,
) -> Response:
    """A 200 response in `fmt`, or 304 when the client's validators match this release.

    Validators (ETag, Last-Modified) come from the release: nothing served changes between releases.
    """
    published = current().published
    response = Response(body, status=200, content_type=fmt.content_type)
    response.headers["ETag"] = f'{published.etag[:-1]}-{fmt.key}"'
    response.last_modified = published.last_modified
    response.headers["Cache-Control"] = "public, max-age=3600"
    if vary:
        response.headers["Vary"] = "Accept"
    if content_location:
        response.headers["Content-Location"] = content_location
    links = link_header(alternates)
    if links:
        response.headers["Link"] = links
    response.make_conditional(request)
    return response
