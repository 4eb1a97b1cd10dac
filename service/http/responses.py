"""Building negotiated responses: conditional GET, Vary, Content-Location and Link headers to alternates."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, request

from service.http.state import current
from service.publication.formats import Format


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
    language: str | None = None,
) -> Response:
    """A 200 response in `fmt`, or 304 when the client's validators match this release.

    Validators (ETag, Last-Modified) come from the release: nothing served changes between releases.
    A `language` marks a body written for one reader language (HTML pages): it enters the ETag, so a cache
    never answers 304 across languages, and `Vary` names Accept-Language.
    """
    published = current().published
    response = Response(body, status=200, content_type=fmt.content_type)
    variant = fmt.key if language is None else f"{fmt.key}-{language}"
    response.headers["ETag"] = f'{published.etag[:-1]}-{variant}"'
    response.last_modified = published.last_modified
    response.headers["Cache-Control"] = "public, max-age=3600"
    varies_on = [name for name, varies in (("Accept", vary), ("Accept-Language", language)) if varies]
    if varies_on:
        response.headers["Vary"] = ", ".join(varies_on)
    if language:
        response.headers["Content-Language"] = language
    if content_location:
        response.headers["Content-Location"] = content_location
    links = link_header(alternates)
    if links:
        response.headers["Link"] = links
    response.make_conditional(request)
    return response
