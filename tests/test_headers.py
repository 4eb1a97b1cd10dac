"""Security headers (service/http/headers.py) on every kind of answer: pages, data, errors, redirects, preflights."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest
from conftest import LiveServer

from service.http.headers import HTML_POLICY, OTHER_POLICY

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

ANSWERS = [
    ("GET", "/", FIREFOX, 200, "text/html"),
    ("GET", "/doc/territory/nord", FIREFOX, 200, "text/html"),
    ("GET", "/doc/territory/nord", "text/turtle", 200, "text/turtle"),
    ("GET", "/sparql?query=ASK%7B%7D", "*/*", 200, "application/sparql-results+json"),
    ("GET", "/sparql", FIREFOX, 200, "text/html"),
    ("GET", "/dumps/dataset.nt", "*/*", 200, "application/n-triples"),
    ("GET", "/nowhere", FIREFOX, 404, "text/html"),
    ("GET", "/nowhere", "*/*", 404, "text/plain"),
    ("GET", "/doc/a[b]", "*/*", 404, "text/plain"),
    ("GET", "/sparql?query=ASK%7B%7D&default-graph-uri=http://a/%25ZZ", "*/*", 400, "text/plain"),
    ("GET", "/id/territory/nord", "*/*", 303, None),
    ("OPTIONS", "/sparql", "*/*", 200, None),
]


@pytest.mark.parametrize(("method", "path", "accept", "status", "media_type"), ANSWERS)
def test_every_answer_carries_the_security_headers(
    client: Any, method: str, path: str, accept: str, status: int, media_type: str | None
) -> None:
    response = client.open(path, method=method, headers={"Accept": accept})
    assert response.status_code == status
    if media_type:
        assert response.mimetype == media_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = response.headers["Content-Security-Policy"]
    assert policy == (HTML_POLICY if response.mimetype == "text/html" else OTHER_POLICY)
    assert "frame-ancestors 'none'" in policy


def test_html_may_load_scripts_only_from_this_server() -> None:
    directives = dict(part.strip().split(" ", 1) for part in HTML_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"] and "*" not in HTML_POLICY


def test_the_real_server_sends_them_too(live_server: LiveServer) -> None:
    request = urllib.request.Request(live_server.base_url + "doc/territory/nord", headers={"Accept": FIREFOX})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Security-Policy"] == HTML_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
