"""No network on a client's behalf: queries naming a local listener (SERVICE, FROM, dataset parameters, LOAD,
DESCRIBE, ASK) get their answer from the live server, and the listener never sees a connection."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from conftest import LiveServer
from rdflib import Graph

from service.publication.formats import GRAPH_FORMATS, RESULT_FORMATS
from service.store.embedded import EmbeddedStore
from service.store.interface import QueryError

pytestmark = pytest.mark.server
QUIET_SECONDS = 0.5  # how long the listener waits, after each request, for a connection that must not come


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    query: str  # "{target}" stands for the listener's URL, http://127.0.0.1:{port}/
    params: tuple[tuple[str, str], ...] = ()
    content_type: str | None = None  # POST bodies: a form (the params) or the query itself
    status: int = 200
    check: Callable[[str, bytes], bool] = lambda content_type, body: True
    message: str = ""


def _count(expected: int) -> Callable[[str, bytes], bool]:
    return lambda content_type, body: json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(expected)


def _boolean(expected: bool) -> Callable[[str, bytes], bool]:
    return lambda content_type, body: json.loads(body)["boolean"] is expected


def _empty_turtle(content_type: str, body: bytes) -> bool:
    return content_type.startswith("text/turtle") and len(Graph().parse(data=body, format="turtle")) == 0


REFUSED_SERVICE = "is refused: this endpoint does not call other services on a client's behalf"
READ_ONLY = "SPARQL Update is not accepted here"
FORM, DIRECT, UPDATE = "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"
CASES = [
    Case("service", "GET", "SELECT * WHERE { SERVICE <{target}> { ?s ?p ?o } }", status=400,
         message="SERVICE {target} " + REFUSED_SERVICE),
    Case("service_silent", "GET", "SELECT * WHERE { SERVICE SILENT <{target}> { ?s ?p ?o } }", status=400,
         message=REFUSED_SERVICE),
    Case("service_prefixed_name", "GET", "PREFIX : <{target}> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
         status=400, message="SERVICE:x " + REFUSED_SERVICE),
    Case("service_escaped_iri", "GET", "SELECT * WHERE { SERVICE <\\u0068ttp{rest}> { ?s ?p ?o } }", status=400,
         message="SERVICE {target} " + REFUSED_SERVICE),
    Case("service_direct_post", "POST", "ASK { SERVICE <{target}> { } }", content_type=DIRECT, status=400,
         message=REFUSED_SERVICE),
    # Keywords glued to a literal: the engine reads `trueSERVICE` as `true SERVICE`; no lexical check sees it, and
    # the query process's sandbox (no network sockets) refuses it all the same.
    Case("service_glued_to_true", "GET", "SELECT * WHERE { ?s ?p trueSERVICE <{target}> { ?a ?b ?c } }",
         status=400, message=REFUSED_SERVICE),
    Case("service_glued_to_false", "GET", "SELECT * WHERE { ?s ?p falseSERVICE <{target}> { ?a ?b ?c } }",
         status=400, message=REFUSED_SERVICE),
    Case("service_glued_in_optional", "GET",
         "SELECT * WHERE { ?s a ?c OPTIONAL { ?s ?p trueSERVICE <{target}> { ?x ?y ?z } } } LIMIT 1",
         status=400, message=REFUSED_SERVICE),
    Case("service_glued_in_union", "POST",
         "SELECT * WHERE { { ?s ?p trueSERVICE <{target}> { ?x ?y ?z } } UNION { BIND(1 AS ?q) } }",
         content_type=DIRECT, status=400, message=REFUSED_SERVICE),
    Case("service_glued_to_number", "GET", "SELECT * WHERE { ?s ?p 1SERVICE <{target}> { ?a ?b ?c } }",
         status=400, message=REFUSED_SERVICE),
    Case("from", "GET", "SELECT (COUNT(*) AS ?n) FROM <{target}> WHERE { ?s ?p ?o }", check=_count(0)),
    Case("from_named", "GET", "SELECT (COUNT(*) AS ?n) FROM NAMED <{target}> WHERE { GRAPH ?g { ?s ?p ?o } }",
         check=_count(0)),
    Case("default_graph_uri", "GET", "ASK { ?s ?p ?o }", (("default-graph-uri", "{target}"),),
         check=_boolean(False)),
    Case("named_graph_uri", "POST", "ASK { GRAPH ?g { ?s ?p ?o } }", (("named-graph-uri", "{target}"),),
         content_type=FORM, check=_boolean(False)),
    Case("load_as_query", "GET", "LOAD <{target}>", status=400, message=READ_ONLY),
    Case("load_form", "POST", "", (("update", "LOAD <{target}>"),), content_type=FORM, status=400, message=READ_ONLY),
    Case("load_direct", "POST", "LOAD <{target}> INTO GRAPH <{target}g>", content_type=UPDATE, status=400,
         message=READ_ONLY),
    Case("describe", "GET", "DESCRIBE <{target}x>", check=_empty_turtle),
    Case("ask", "GET", "ASK { <{target}x> ?p ?o }", check=_boolean(False)),
]  # fmt: skip


@pytest.fixture(scope="module")
def listener() -> Iterator[socket.socket]:
    """A socket listening on a free local port: any connection to it is a request made on a client's behalf."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock


def _target(listener: socket.socket) -> str:
    return f"http://127.0.0.1:{listener.getsockname()[1]}/"


def _fill(text: str, listener: socket.socket) -> str:
    target = _target(listener)
    return text.replace("{target}", target).replace("{rest}", target.removeprefix("http"))


def _assert_no_connection(listener: socket.socket) -> None:
    listener.settimeout(QUIET_SECONDS)
    try:
        connection, _ = listener.accept()
    except TimeoutError:
        return
    connection.close()
    pytest.fail("the server connected to the listener")


def _send(server: LiveServer, case: Case, listener: socket.socket) -> tuple[int, str, bytes]:
    query = _fill(case.query, listener)
    params = [(name, _fill(value, listener)) for name, value in case.params]
    path, body, headers = "/sparql", None, {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    if case.content_type == FORM:
        body = urlencode(([("query", query)] if query else []) + params).encode()
    elif case.content_type is not None:
        body, path = query.encode(), f"/sparql?{urlencode(params)}"
    else:
        path = f"/sparql?{urlencode([('query', query), *params])}"
    if case.content_type:
        headers["Content-Type"] = case.content_type
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request(case.method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_answered_without_calling_out(live_server: LiveServer, listener: socket.socket, case: Case) -> None:
    status, content_type, body = _send(live_server, case, listener)
    assert status == case.status, body
    assert _fill(case.message, listener).encode() in body
    assert case.check(content_type, body), body
    _assert_no_connection(listener)


def test_the_listener_would_see_the_store_call_out(listener: socket.socket) -> None:
    """The control: unguarded, the store does evaluate SERVICE over HTTP, and the listener sees it."""
    store = EmbeddedStore(b"")
    errors: list[Exception] = []

    def run() -> None:
        try:
            store.query(f"ASK {{ SERVICE <{_target(listener)}> {{ }} }}", None, RESULT_FORMATS[0], GRAPH_FORMATS[0])
        except QueryError as error:
            errors.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    listener.settimeout(10)
    connection, _ = listener.accept()
    assert connection.recv(4).startswith(b"POST")
    connection.close()
    worker.join(10)
    assert errors, "the store should fail once its SERVICE call is cut"
