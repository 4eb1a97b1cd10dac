"""The headers of every answer built from the release, in one place: validators (ETag, Last-Modified) and
Cache-Control with conditional GET (304, and ranges for files), and for negotiated answers Vary,
Content-Language, Content-Location and Link headers to the alternates; redirects keeping the client's query."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, request

from service.http.state import current
from service.publication.formats import Format

CACHE_CONTROL = "public, max-age=3600"  # nothing served changes while a release is served


def link_header(alternates: Iterable[tuple[Format, str]], rel: str = "alternate") -> str:
    """`Link: <href>; rel="alternate"; type="…"` for each alternate representation (or another `rel`)."""
    return ", ".join(f'<{href}>; rel="{rel}"; type="{fmt.media_type}"' for fmt, href in alternates)


def release_etag(variant: str) -> str:
    """An entity tag for one representation of this release (unquoted): the release's own, then `variant`."""
    return current().published.etag.strip('"') + "-" + variant


def from_release(response: Response, etag: str, *, ranges: bool = False) -> Response:
    """`response` with the release's validators and caching, answered 304 when the client's validators match.

    `etag` (unquoted) names this representation; with `ranges`, a satisfiable Range gives 206 (`If-Range`
    honoured) and any other 416, with `Accept-Ranges: bytes`.
    """
    response.set_etag(etag)
    response.last_modified = current().published.last_modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    if ranges:
        response.make_conditional(request, accept_ranges=True, complete_length=len(response.get_data()))
    else:
        response.make_conditional(request)
    return response


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
    response = Response(body, status=200, content_type=fmt.content_type)
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
    return from_release(response, release_etag(fmt.key if language is None else f"{fmt.key}-{language}"))


def redirect(location: str, status: int, link: str | None = None) -> Response:
    """A redirect (301, 303) to `location`, keeping the client's query (`?format=`, `?lang=`) byte for byte."""
    query = request.query_string.decode("latin-1")  # the bytes as sent, back into the header unchanged
    response = Response(status=status)
    response.headers["Location"] = location + (f"?{query}" if query else "")
    if link is not None:
        response.headers["Link"] = link
    return response
