"""Malformed input is a 4xx with a message, never a 500 (store/wellformed.py, routes/things/resources.py,
routes/sparql/protocol.py): the issue's cases, then a fuzz of odd paths, parameters and headers over every route."""

from __future__ import annotations

import http.client
import random
from typing import Any

import pytest
from conftest import LiveServer

from service.store.wellformed import iri_problem

ISSUE_CASES = [
    ("/doc/%ZZ", "Invalid IRI percent encoding", 404),
    ("/id/a%5Bb%5D", "Invalid IRI code point '['", 404),
    ("/doc/a[b]", "Invalid IRI code point '['", 404),
    (
        "/sparql?query=ASK%7B%7D&default-graph-uri=http://a/%25ZZ",
        "default-graph-uri 'http://a/%ZZ' is not a well-formed",
        400,
    ),
    ("/sparql?query=ASK%7B%7D&named-graph-uri=http://a/b%5Bc%5D", "named-graph-uri 'http://a/b[c]' is not a", 400),
]


def test_iri_problems_are_the_parsers_words() -> None:
    assert iri_problem("http://example.org/a") is None
    assert "percent encoding" in (iri_problem("http://a/%ZZ") or "")
    assert iri_problem("no scheme") is not None


@pytest.mark.parametrize(("path", "message", "status"), ISSUE_CASES)
def test_the_issues_malformed_iris_are_4xx_with_the_reason(client: Any, path: str, message: str, status: int) -> None:
    """A path that is no IRI names nothing (404, as any unknown path); a malformed dataset IRI is a bad request."""
    response = client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code == status, response.get_data(as_text=True)
    assert message in response.get_data(as_text=True)


ROUTES = [
    "/",
    "/id/",
    "/doc/",
    "/def/",
    "/def/cper/",
    "/graph/",
    "/graph-store",
    "/sparql",
    "/dumps/",
    "/catalog",
    "/.well-known/void",
    "/context.jsonld",
    "/robots.txt",
    "/sitemap.xml",
    "/static/",
    "/doc/territory/",
]
SEGMENTS = [
    "%ZZ",
    "%",
    "%%41",
    "a%5Bb%5D",
    "a[b]",
    "%00",
    "%FF",
    "%C0%AF",
    "..",
    "../../etc/passwd",
    "%2e%2e%2f",
    "a%2Fb",
    "é",
    "%E2%80%AE",
    "a%20b",
    "%3Cx%3E",
    "'\"",
    "{}|^`",
    "%5C",
    "a" * 3000,
    "x.ttl.html",
    ".ttl",
    "a.",
    "%3F",
    ";x=1",
    "@",
    "a:b",
    "//",
    "nord.%FF",
    "nord.ttl/",
    "nord%00.ttl",
    "cper.",
    "cper%23x",
    "1.0.0.xyz",
    "data.",
    "%F0%9F%98%80",
    "\u202e",
    "+",
    "~",
    "*",
    "nord.TTL",
]
PARAMETERS = ["format", "lang", "graph", "default", "query", "default-graph-uri", "named-graph-uri", "output", "x"]
VALUES = [
    "",
    "%ZZ",
    "%FF",
    "ttl",
    "html",
    "xx",
    "fr",
    "http://a/%25ZZ",
    "http://a/b[c]",
    "relative",
    "ASK{}",
    "SELECT * WHERE {",
    "%00",
    "a" * 2000,
    "http://localhost/graph/data",
    "SERVICE <http://127.0.0.1:1/> {}",
    "é",
    "*/*",
    "text/html",
]
ACCEPTS = [
    "text/html",
    "*/*",
    "",
    "text/html;q=abc",
    "*/*;q=2",
    "application/",
    "text/turtle;q=0",
    ";;;",
    "x/y,*/*;q=0",
    "application/sparql-results+json",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
]
LANGUAGES = ["", "en", "de", "*", "fr;q=abc", "zz-ZZ,;q=", "en;q=0"]


def _requests(count: int) -> list[tuple[str, str, dict[str, str]]]:
    rng = random.Random(20261130)
    requests = []
    for route in ROUTES:
        for segment in SEGMENTS:
            requests.append((route + segment if route.endswith("/") else route, "", {}))
    for _ in range(count):
        route = rng.choice(ROUTES)
        path = route + rng.choice(SEGMENTS) if route.endswith("/") and rng.random() < 0.7 else route
        query = "&".join(f"{rng.choice(PARAMETERS)}={rng.choice(VALUES)}" for _ in range(rng.randint(0, 3)))
        headers = {"Accept": rng.choice(ACCEPTS), "Accept-Language": rng.choice(LANGUAGES)}
        requests.append((path, query, headers))
    return requests


def test_no_odd_request_on_any_route_is_a_500(client: Any) -> None:
    seen: dict[int, int] = {}
    for path, query, headers in _requests(1500):
        for method in ("GET", "POST") if path.startswith("/sparql") else ("GET",):
            response = client.open(path, method=method, query_string=query, headers=headers)
            body = response.get_data(as_text=True)
            seen[response.status_code] = seen.get(response.status_code, 0) + 1
            where = f"{method} {path}?{query} {headers}: {response.status_code} {body[:200]!r}"
            assert response.status_code < 500, where
            assert "Traceback" not in body, where
            assert response.headers["X-Content-Type-Options"] == "nosniff", where
            if response.status_code >= 400:
                assert len(body) > 20, where  # an error always says what is wrong
    assert seen.get(200, 0) > 100 and seen.get(400, 0) > 50 and seen.get(404, 0) > 50, seen


RAW_PATHS = [
    "/doc/%ZZ",
    "/doc/%FF",
    "/id/a%5Bb%5D",
    "/doc/a[b]",
    "/doc/%C0%AF",
    "/doc/a%00b",
    "/def/%FF",
    "/graph/%ZZ",
    "/sparql?query=%FF",
    "/sparql?query=ASK%7B%7D&default-graph-uri=http://a/%25ZZ",
    "/%",
    "/doc/%E2%80%AE",
]


@pytest.mark.parametrize("path", RAW_PATHS)
def test_raw_odd_paths_on_the_real_server_are_4xx(live_server: LiveServer, path: str) -> None:
    connection = http.client.HTTPConnection(live_server.host, live_server.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.putheader("Accept", "text/plain")
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    assert 400 <= response.status < 500, (response.status, body)
    assert response.getheader("X-Content-Type-Options") == "nosniff"
