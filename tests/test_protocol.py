"""Reading SPARQL 1.1 Protocol requests: where the query and dataset come from, and every refusal, with its reason."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request
from werkzeug.test import EnvironBuilder

from service.errors import BadRequest, PayloadTooLarge, ServiceError, UnsupportedMediaType
from service.http.negotiation import NoAcceptableFormat
from service.publication.formats import GRAPH_FORMATS, RESULT_FORMATS
from service.routes.sparql.protocol import Operation, choose_format, read
from service.store.interface import QueryDataset

G1, G2 = "http://example.org/g1", "http://example.org/g2"
LIMIT = 2048


def _read(path: str = "/sparql", allowlist: tuple[str, ...] = (), **options: Any) -> Operation | None:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = LIMIT
    with app.test_request_context(path, **options):
        return read(request, LIMIT, allowlist)


def _refusal(error: type[ServiceError], path: str = "/sparql", **options: Any) -> str:
    with pytest.raises(error) as raised:
        _read(path, **options)
    return raised.value.message


def test_get_reads_query_dataset_and_format_names() -> None:
    path = f"/sparql?query=ASK%20%7B%7D&default-graph-uri={G1}&named-graph-uri={G2}&format=xml&output=json"
    assert _read(path) == Operation("ASK {}", "ASK", QueryDataset((G1,), (G2,)), ("xml", "json"))


def test_get_without_query_asks_for_the_description() -> None:
    assert _read("/sparql") is None
    assert _read("/sparql?format=ttl") is None


def test_form_post_reads_the_body_and_the_url() -> None:
    body = f"query=SELECT+*+%7B%7D&named-graph-uri={G2}"
    operation = _read(f"/sparql?default-graph-uri={G1}", method="POST", data=body,
                      content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert operation == Operation("SELECT * {}", "SELECT", QueryDataset((G1,), (G2,)), (), star_order=())


def test_direct_post_takes_the_body_as_utf8_and_the_dataset_from_the_url() -> None:
    text = "DESCRIBE <http://example.org/é>"
    operation = _read(f"/sparql?named-graph-uri={G1}", method="POST", data=text.encode(),
                      content_type="application/sparql-query; charset=utf-8")  # fmt: skip
    assert operation == Operation(text, "DESCRIBE", QueryDataset((), (G1,)), ())


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"path": "/sparql?update=CLEAR%20ALL"}, "SPARQL Update is not accepted here"),
        ({"path": "/sparql?query=ASK%7B%7D&update=CLEAR%20ALL"}, "either query or update, not both"),
        ({"method": "POST", "data": "update=CLEAR+ALL", "content_type": "application/x-www-form-urlencoded"},
         "SPARQL Update is not accepted here"),
        ({"method": "POST", "data": "CLEAR ALL", "content_type": "application/sparql-update"},
         "SPARQL Update is not accepted here"),
        ({"method": "POST", "data": "INSERT DATA { <a> <b> <c> }", "content_type": "application/sparql-query"},
         "The request's query is an update operation"),
        ({"path": "/sparql?query=LOAD%20%3Chttp%3A%2F%2Fexample.org%2F%3E"}, "SPARQL Update is not accepted here"),
        ({"path": "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"}, "The query parameter is given 2 times"),
        ({"path": "/sparql?query=%20%20"}, "The query is empty"),
        ({"path": "/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri"}, "default-graph-uri must be absolute"),
        ({"path": "/sparql?query=ASK%7B%7D&named-graph-uri=relative/path"}, "named-graph-uri must be absolute"),
        ({"path": "/sparql?query=%FF"}, "URL query string is not UTF-8"),
        ({"method": "POST", "data": b"query=%C3%28", "content_type": "application/x-www-form-urlencoded"},
         "form body is not UTF-8"),
        ({"method": "POST", "data": "ASK {}".encode("utf-16"), "content_type": "application/sparql-query"},
         "The query body is not UTF-8"),
        ({"method": "POST", "data": "ASK {}".encode("utf-16"),
          "content_type": "application/sparql-query; charset=UTF-16"}, "declares charset=UTF-16"),
        ({"method": "POST", "path": "/sparql?query=ASK%7B%7D", "data": "ASK {}",
          "content_type": "application/sparql-query"}, "remove query= from the URL"),
        ({"method": "POST", "data": "default-graph-uri=http%3A%2F%2Fg%2F",
          "content_type": "application/x-www-form-urlencoded"}, "needs a query parameter in its body"),
        ({"path": "/sparql?query=SELECT%20*%20%7B%20SERVICE%20%3Chttp%3A%2F%2Fe%2F%3E%20%7B%7D%20%7D"},
         "SERVICE http://e/ is refused"),
    ],
)  # fmt: skip
def test_bad_requests_say_why(options: dict[str, Any], expected: str) -> None:
    assert expected in _refusal(BadRequest, **options)


@pytest.mark.parametrize(
    ("content_type", "given"),
    [(None, "no Content-Type"), ("text/plain", "Content-Type text/plain"), ("application/json", "application/json")],
)
def test_post_bodies_other_than_form_or_query_are_unsupported(content_type: str | None, given: str) -> None:
    options: dict[str, Any] = {"method": "POST", "data": "query=ASK%20%7B%7D"}
    if content_type:
        options["content_type"] = content_type
    message = _refusal(UnsupportedMediaType, **options)
    assert given in message
    assert "application/x-www-form-urlencoded" in message and "application/sparql-query" in message


@pytest.mark.parametrize("content_type", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_bodies_over_the_limit_are_refused(content_type: str) -> None:
    body = "query=ASK+%7B%7D" + "+" * LIMIT
    message = _refusal(PayloadTooLarge, method="POST", data=body, content_type=content_type)
    assert f"over this endpoint's limit of {LIMIT} bytes" in message
    assert f"({len(body)} bytes)" in message


def test_a_chunked_body_over_the_limit_is_refused_not_cut() -> None:
    # Servers that de-chunk (granian) give no Content-Length; werkzeug alone would silently cut the body.
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = LIMIT
    for body, expected in ((b"ASK {}" + b" " * LIMIT, None), (b"ASK {}", "ASK {}")):
        environ = EnvironBuilder("/sparql", method="POST", content_type="application/sparql-query").get_environ()
        environ.pop("CONTENT_LENGTH", None)
        environ.update({"wsgi.input": _Stream(body), "wsgi.input_terminated": True,
                        "HTTP_TRANSFER_ENCODING": "chunked"})  # fmt: skip
        with app.request_context(environ):
            if expected is None:
                with pytest.raises(PayloadTooLarge, match="chunked"):
                    read(request, LIMIT, ())
            else:
                operation = read(request, LIMIT, ())
                assert operation is not None and operation.query == expected


class _Stream:
    """A body stream that returns at most 100 bytes per read, as a network stream may."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        size = 100 if size < 0 else min(size, 100)
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk


def test_the_allowlist_opens_exactly_the_listed_endpoints() -> None:
    query = "SELECT%20*%20%7B%20SERVICE%20%3Chttp%3A%2F%2Fe%2Fsparql%3E%20%7B%7D%20%7D"
    operation = _read(f"/sparql?query={query}", allowlist=("http://e/sparql",))
    assert operation is not None and operation.form == "SELECT"
    with pytest.raises(BadRequest, match=r"allowed: http://e/other"):
        _read(f"/sparql?query={query}", allowlist=("http://e/other",))


@pytest.mark.parametrize(
    ("names", "accept", "table", "media_type"),
    [
        ((), None, RESULT_FORMATS, "application/sparql-results+json"),
        ((), "text/csv", RESULT_FORMATS, "text/csv"),
        (("xml",), "text/csv", RESULT_FORMATS, "application/sparql-results+xml"),
        (("tsv", "text/tab-separated-values"), None, RESULT_FORMATS, "text/tab-separated-values"),
        (("srj",), None, RESULT_FORMATS, "application/sparql-results+json"),
        (("",), "text/csv", RESULT_FORMATS, "text/csv"),
        (("text/csv",), None, RESULT_FORMATS, "text/csv"),
        # Names SPARQLWrapper sends for graphs: "turtle", "xml" (RDF/XML), "json-ld" then the media type.
        (("turtle",), None, GRAPH_FORMATS, "text/turtle"),
        (("xml",), None, GRAPH_FORMATS, "application/rdf+xml"),
        (("rdf+xml", "application/rdf+xml"), None, GRAPH_FORMATS, "application/rdf+xml"),
        (("json-ld", "application/ld+json"), None, GRAPH_FORMATS, "application/ld+json"),
        (("nope", "nt"), None, GRAPH_FORMATS, "application/n-triples"),
    ],
)
def test_format_names_override_accept(
    names: tuple[str, ...], accept: str | None, table: tuple[Any, ...], media_type: str
) -> None:
    assert choose_format(names, accept, table).media_type == media_type


def test_unknown_format_names_list_what_is_offered() -> None:
    with pytest.raises(NoAcceptableFormat) as raised:
        choose_format(("csv",), None, GRAPH_FORMATS)
    assert raised.value.offered == ("ttl (text/turtle)", "nt (application/n-triples)",
                                    "rdf (application/rdf+xml)", "jsonld (application/ld+json)")  # fmt: skip
