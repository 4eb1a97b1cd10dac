"""One way to answer a negotiated document (http/documents.py, headers from http/responses.py): every document
route, whatever it serves, answers with the same headers built the same way."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from service.http.documents import alternate_links, at_parameters, at_suffixes
from service.publication.formats import DOCUMENT_FORMATS, HTML, JSONLD, TURTLE, Format

BASE = "http://localhost/"
# path -> where its representations live: suffixed documents, and the service's own pages at `?format=`
SUFFIXED = ("doc/organisation/departement-du-nord", "def/cper", "def/shapes", "graph/data")
PAGES = {"catalog": "catalog", "": ".well-known/void", ".well-known/void": ".well-known/void", "sparql": "sparql"}


def locations(path: str) -> dict[Format, str]:
    if path in SUFFIXED:
        return {fmt: BASE + path + fmt.suffix for fmt in DOCUMENT_FORMATS}
    rdf = PAGES[path]
    return {fmt: f"{BASE}{path if fmt == HTML else rdf}?format={fmt.key}" for fmt in DOCUMENT_FORMATS}


def test_representations_are_located_at_suffixes_or_parameters() -> None:
    assert at_suffixes(BASE + "def/cper")(TURTLE) == BASE + "def/cper.ttl"
    home = at_parameters(BASE, BASE + ".well-known/void")
    assert (home(HTML), home(JSONLD)) == (BASE + "?format=html", BASE + ".well-known/void?format=jsonld")
    assert at_parameters(BASE + "catalog")(TURTLE) == BASE + "catalog?format=ttl"
    links = alternate_links(BASE + "catalog", DOCUMENT_FORMATS, HTML, at_parameters(BASE + "catalog"))
    assert [link["href"] for link in links] == [f"{BASE}catalog?format={f.key}" for f in DOCUMENT_FORMATS[:-1]]


@pytest.mark.parametrize("path", [*SUFFIXED, *PAGES])
@pytest.mark.parametrize("accept", ["text/turtle", "text/html", "application/ld+json"])
def test_every_document_route_answers_with_the_same_headers(app: Flask, path: str, accept: str) -> None:
    client: Any = app.test_client()
    response = client.get("/" + path, headers={"Accept": accept})
    assert response.status_code == 200, response.get_data(as_text=True)
    fmt = next(f for f in DOCUMENT_FORMATS if f.media_type == accept)
    assert response.headers["Content-Type"] == fmt.content_type
    where = locations(path)
    assert response.headers["Content-Location"] == where[fmt]
    expected = {f'<{where[other]}>; rel="alternate"; type="{other.media_type}"' for other in DOCUMENT_FORMATS}
    expected.discard(f'<{where[fmt]}>; rel="alternate"; type="{fmt.media_type}"')
    assert set(response.headers["Link"].split(", ")) == expected
    varies = [name.strip() for name in response.headers["Vary"].split(",")]
    assert "Accept" in varies and ("Accept-Language" in varies) == (fmt == HTML)
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    release = app.extensions["cper"].published
    assert response.headers["ETag"].startswith(release.etag[:-1] + "-" + fmt.key)
    assert response.last_modified == release.last_modified.replace(microsecond=0)
    again = client.get("/" + path, headers={"Accept": accept, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    if fmt == HTML and path != "sparql":  # the page's own <link rel="alternate"> are the Link header's
        body = response.get_data(as_text=True)
        assert all(f'href="{where[other]}"' in body for other in DOCUMENT_FORMATS if other != HTML)


@pytest.mark.parametrize("path", ["doc/organisation/departement-du-nord", "catalog"])
def test_a_named_format_does_not_vary_with_accept(app: Flask, path: str) -> None:
    response = app.test_client().get(f"/{path}?format=nt", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "application/n-triples"
    assert "Accept" not in [name.strip() for name in response.headers.get("Vary", "").split(",")]
    assert response.headers["Content-Location"] == locations(path)[DOCUMENT_FORMATS[1]]


def test_a_document_body_is_written_once(app: Flask) -> None:
    client: Any = app.test_client()
    cache = app.extensions["cper"].cache
    first = client.get("/catalog", headers={"Accept": "text/turtle"})
    entries = len(cache)
    second = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert first.get_data() == second.get_data() and len(cache) == entries
