"""Answering for one document, the one way every negotiated document is answered (things' documents, the
vocabularies, the named graphs, the home page, VoID and the catalogue): the format the client chose (suffix,
`?format=`, Accept), the body written once, and the 200 that says where that format lives (Content-Location) and
where the others are (Link rel=alternate), its headers from responses.negotiated."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, request

from service.http.language import explicit_language, reader_language
from service.http.negotiation import by_key, choose, jsonld_form
from service.http.responses import negotiated
from service.http.state import current
from service.publication.formats import HTML, JSONLD, Format

Locate = Callable[[Format], str]  # where a document's representation in a format lives


def at_suffixes(document_url: str) -> Locate:
    """Representations at `{document}.ttl`, `{document}.html`… (things' documents, vocabularies, graphs)."""
    return lambda fmt: document_url + fmt.suffix


def at_parameters(page_url: str, rdf_url: str | None = None) -> Locate:
    """Representations at `{url}?format=ttl` (the service's own pages, whose paths take no suffix); the RDF ones
    at `rdf_url` when they are another document's (the home page's RDF is the VoID description)."""
    return lambda fmt: f"{page_url if fmt == HTML or rdf_url is None else rdf_url}?format={fmt.key}"


def split_suffix(name: str) -> tuple[str, str | None]:
    """`("doc/x/y", ".ttl")` for `"doc/x/y.ttl"`; no suffix when the last path segment has no dot.

    Slugs never contain dots (ontology/MODEL.md), so any dot in the last segment starts a format suffix.
    """
    head, _, last = name.rpartition("/")
    stem, dot, extension = last.rpartition(".")
    if not dot:
        return name, None
    return (f"{head}/{stem}" if head else stem), "." + extension


def chosen_format(suffix: str | None, table: tuple[Format, ...]) -> tuple[Format, bool]:
    """The row to answer with, and whether the client named it explicitly (suffix or `?format=`).

    A suffix names a representation outright; `?format=` overrides Accept; both go through the same table.

    :raises NoAcceptableFormat: the suffix, `?format=` or Accept matches no row (rendered as 406).
    """
    if suffix is not None:
        return _form(by_key(suffix, table)), True
    key = request.args.get("format")
    if key:
        return _form(by_key(key, table)), True
    return _form(choose(request.headers.get("Accept"), table)), False


def _form(fmt: Format) -> Format:
    """JSON-LD in the form the client's `profile` asks for (expanded, flattened; compacted by default)."""
    if fmt != JSONLD:
        return fmt
    return jsonld_form(request.headers.get("Accept"), request.args.get("profile"))


def alternate_links(
    document_url: str, table: tuple[Format, ...], but: Format | None = None, locate: Locate | None = None
) -> list[dict[str, str]]:
    """`{media_type, href, key}` of every representation except `but`, for templates (base.html)."""
    where = locate or at_suffixes(document_url)
    return [{"media_type": f.media_type, "href": where(f), "key": f.key} for f in table if f != but]


def answer(
    document_url: str,
    suffix: str | None,
    table: tuple[Format, ...],
    render: Callable[[Format], bytes | str],
    *,
    locate: Locate | None = None,
    choice: tuple[Format, bool] | None = None,
) -> Response:
    """A negotiated 200 (or 304) for the document at `document_url`, its body written by `render(fmt)`.

    Its representations live where `locate` says (default: at suffixes, `at_suffixes`). A suffix in the URL
    already names one, so no Content-Location then; a format the client named (suffix, `?format=`) does not
    vary with Accept. `choice` is (format, named explicitly) when the route reads the request its own way (the
    SPARQL endpoint's `format=`/`output=` names); by default, `chosen_format`.

    :raises NoAcceptableFormat: nothing in `table` suits the request (rendered as 406 naming the offer).
    """
    where = locate or at_suffixes(document_url)
    fmt, explicit = choice or chosen_format(suffix, table)
    return negotiated(
        _body(document_url, fmt, render),
        fmt,
        content_location=None if suffix else where(fmt),
        alternates=[(f, where(f)) for f in table if f != fmt],
        vary=not explicit,
        language=reader_language() if fmt == HTML else None,
    )


def _body(document_url: str, fmt: Format, render: Callable[[Format], bytes | str]) -> bytes | str:
    """`render(fmt)`, written once per document, format and language: the release never changes while we run.

    The key holds only what changes the body: HTML depends on the reader's language and on whether it was
    named (links keep a valid `?lang=`, naming.href); any other parameter or `?lang=` value leaves it unchanged,
    so no request can make the cache hold more than one body per document, format and language.
    """
    cache = current().cache
    key = ("document", document_url, fmt.key) + ((reader_language(), explicit_language() or "") if fmt == HTML else ())
    body: bytes | str | None = cache.get(key)
    if body is None:
        body = render(fmt)
        cache.put(key, body)
    return body
