"""Whole responses replayed for repeated GETs: what is kept, what varies, what always reaches the application."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import Client

from service.http.cache import ByteBudgetCache
from service.http.response_cache import ResponseCache


class CountingApp:
    """A WSGI application that answers with its call count, cacheable or not as asked."""

    def __init__(self, cache_control: str = "public, max-age=60", status: str = "200 OK") -> None:
        self.calls, self.cache_control, self.status = 0, cache_control, status

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.calls += 1
        body = f"call {self.calls} for {environ.get('HTTP_ACCEPT', '')}".encode()
        start_response(self.status, [("Cache-Control", self.cache_control), ("Content-Length", str(len(body)))])
        return [body]


def _client(app: CountingApp, budget: int = 1 << 20) -> tuple[Client, ResponseCache]:
    middleware = ResponseCache(app, ByteBudgetCache(budget))
    return Client(middleware), middleware


def test_a_repeated_get_is_replayed_without_the_application() -> None:
    app = CountingApp()
    client, _ = _client(app)
    first = client.get("/doc/x", headers={"Accept": "text/turtle"})
    again = client.get("/doc/x", headers={"Accept": "text/turtle"})
    assert first.data == again.data == b"call 1 for text/turtle" and app.calls == 1
    assert again.headers["Cache-Control"] == "public, max-age=60"


def test_what_a_response_varies_on_is_part_of_the_key() -> None:
    app = CountingApp()
    client, _ = _client(app)
    answers = {
        client.get("/doc/x", headers={"Accept": "text/turtle"}).data,
        client.get("/doc/x", headers={"Accept": "text/html"}).data,
        client.get("/doc/x", headers={"Accept": "text/html", "Accept-Language": "en"}).data,
        client.get("/doc/x", headers={"Accept": "text/html", "Accept-Encoding": "gzip"}).data,
        client.get("/doc/y", headers={"Accept": "text/html"}).data,
    }
    assert len(answers) == 5 and app.calls == 5


def test_requests_with_parameters_reach_the_application() -> None:
    app = CountingApp()
    client, _ = _client(app)
    for _ in range(2):
        client.get("/doc/x?lang=en")
    assert app.calls == 2


def test_sparql_answers_are_keyed_by_their_protocol_parameters_only() -> None:
    app = CountingApp()
    client, _ = _client(app)
    first = client.get("/sparql?query=ASK%7B%7D&utm=1").data
    assert client.get("/sparql?query=ASK%7B%7D&utm=2").data == first and app.calls == 1
    client.get("/sparql?query=ASK%7B%7D&format=xml")
    client.get("/sparql?query=ASK%7B%7D&default-graph-uri=urn%3Ag")
    client.get("/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D")
    client.get("/sparql?query=%FF")  # not UTF-8: the endpoint says what is wrong, every time
    client.get("/sparql?query=%FF")
    assert app.calls == 6
    client.get("/sparql")  # the service description, kept
    client.get("/sparql?update=CLEAR%20ALL")  # refused by the endpoint: never the description replayed
    assert app.calls == 8


def test_the_query_page_is_kept_per_named_language_and_no_other_value() -> None:
    app = CountingApp()
    client, _ = _client(app)
    french, english = (
        client.get(f"/sparql?lang={lang}", headers={"Accept": "text/html"}).data for lang in ["fr", "en"]
    )
    assert french != english and app.calls == 2  # ?lang=en never replays the French page
    for junk in ("xx", "zz", "en-GB"):  # not a language of the pages: the page falls back, one key for all
        client.get(f"/sparql?lang={junk}", headers={"Accept": "text/html"})
    assert app.calls == 3


def test_conditional_range_and_non_get_requests_reach_the_application() -> None:
    app = CountingApp()
    client, _ = _client(app)
    client.get("/doc/x")
    client.get("/doc/x", headers={"If-None-Match": '"e"'})
    client.get("/doc/x", headers={"Range": "bytes=0-1"})
    client.head("/doc/x")
    client.post("/doc/x")
    assert app.calls == 5


def test_only_public_200_answers_are_kept() -> None:
    for app in (CountingApp(cache_control="no-store"), CountingApp(status="503 Service Unavailable")):
        client, _ = _client(app)
        client.get("/x")
        client.get("/x")
        assert app.calls == 2


def test_thousands_of_distinct_keys_stay_within_the_byte_budget() -> None:
    app = CountingApp()
    client, middleware = _client(app, budget=20_000)
    for n in range(3000):
        client.get(f"/doc/x{n}", headers={"Accept": f"text/x-{n}"})
    assert middleware.cache.bytes <= 20_000 and len(middleware.cache) < 3000


def test_the_service_replays_documents_byte_for_byte(client: FlaskClient) -> None:
    headers = {"Accept": "text/turtle"}
    first = client.get("/doc/organisation/departement-du-nord", headers=headers)
    again = client.get("/doc/organisation/departement-du-nord", headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.data == again.data and dict(first.headers) == dict(again.headers)
    assert again.headers["Vary"].startswith("Accept") and again.headers["ETag"]
