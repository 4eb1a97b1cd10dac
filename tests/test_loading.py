"""Loading a release into a remote store over the Graph Store Protocol (store/loading.py), against a real HTTP
server on 127.0.0.1 that drops connections the way a busy store does: an upload that breaks off is sent again,
whole, once; a refusal is not retried; a store that keeps dropping fails the load with a clear message."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from service.store.loading import LoadFailed, load_over_http, split_graphs


@dataclass
class Behaviour:
    """What the fake store does: drop the first `drops` uploads, or refuse every one with `refuse`; what it kept."""

    drops: int = 0
    refuse: int = 0
    challenge: str = ""  # a WWW-Authenticate value: every request without Authorization is answered 401 with it
    attempts: list[str] = field(default_factory=list)  # graph IRI of every PUT received, in order
    stored: dict[str, bytes] = field(default_factory=dict)  # graph IRI -> body of the upload it kept
    credentials: list[str] = field(default_factory=list)  # the Authorization header of every PUT, "" if none


class GraphStore(BaseHTTPRequestHandler):
    behaviour: Behaviour  # set on the subclass each test serves

    def do_HEAD(self) -> None:
        self.challenged() or self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def challenged(self) -> bool:
        """Answer 401 with the challenge (the connection then closed, as Virtuoso does) to a request without it."""
        if not self.behaviour.challenge or self.headers.get("Authorization"):
            return False
        self.send_response(401)
        self.send_header("WWW-Authenticate", self.behaviour.challenge)
        self.close_connection = True
        return True

    def do_PUT(self) -> None:
        graph = parse_qs(urlsplit(self.path).query)["graph"][0]
        self.behaviour.credentials.append(self.headers.get("Authorization", ""))
        if self.challenged():
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.behaviour.attempts.append(graph)
        if len(self.behaviour.attempts) <= self.behaviour.drops:
            # Gone in mid-upload, the body unread and no answer: the client sees a reset or a broken pipe.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.behaviour.refuse:
            self.send_response(self.behaviour.refuse)
            message = b"Graph Store refuses the upload"
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)
            return
        self.behaviour.stored[graph] = body
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read what the store received, not its log."""


@pytest.fixture()
def store() -> Iterator[tuple[str, Behaviour]]:
    """A Graph Store Protocol endpoint on a free port of 127.0.0.1, and the behaviour it follows."""
    behaviour = Behaviour()
    handler = type("Handler", (GraphStore,), {"behaviour": behaviour})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store", behaviour
    server.shutdown()
    server.server_close()
    thread.join()


def published(app: Any) -> Any:
    return app.extensions["cper"].published


def test_an_upload_dropped_midway_is_sent_again_whole_once(app: Any, store: tuple[str, Behaviour]) -> None:
    url, behaviour = store
    behaviour.drops = 1
    graphs = split_graphs(published(app))
    sent = load_over_http(published(app), url, retry_pause=0.01)
    first = sorted(graphs)[0]
    assert behaviour.attempts == [first, *sorted(graphs)]  # the dropped graph twice, every other once
    assert behaviour.stored == graphs  # each graph whole, as the release has it: nothing lost, nothing doubled
    assert sent == {iri: body.count(b"\n") for iri, body in graphs.items()}
    assert all(count > 0 for count in sent.values())


def test_a_store_that_drops_the_upload_twice_fails_the_load_naming_it(app: Any, store: tuple[str, Behaviour]) -> None:
    url, behaviour = store
    behaviour.drops = 2
    with pytest.raises(LoadFailed, match=rf"^{url} could not be reached: \S"):
        load_over_http(published(app), url, retry_pause=0.01)
    assert len(behaviour.attempts) == 2 and len(set(behaviour.attempts)) == 1  # one graph, tried twice, then stop
    assert behaviour.stored == {}


def test_a_refused_upload_is_not_retried(app: Any, store: tuple[str, Behaviour]) -> None:
    url, behaviour = store
    behaviour.refuse = 400
    with pytest.raises(LoadFailed, match=r"refused graph <[^>]+>: 400 Graph Store refuses the upload"):
        load_over_http(published(app), url, retry_pause=0.01)
    assert len(behaviour.attempts) == 1


@pytest.mark.parametrize(
    ("challenge", "scheme"),
    [('Digest realm="SPARQL", nonce="9b6f2a", qop="auth"', "Digest"), ('Basic realm="SPARQL"', "Basic")],
)
def test_every_upload_carries_the_credentials_from_its_first_byte(
    app: Any, store: tuple[str, Behaviour], challenge: str, scheme: str
) -> None:
    # A store that answers 401 and closes while the body is still coming breaks off an upload sent without them.
    url, behaviour = store
    behaviour.challenge = challenge
    graphs = split_graphs(published(app))
    load_over_http(published(app), url, user="dba", password="secret", retry_pause=0.01)
    assert behaviour.stored == graphs
    assert len(behaviour.credentials) == len(graphs)  # no upload was answered 401 and sent again
    assert all(header.startswith(f"{scheme} ") for header in behaviour.credentials)
    if scheme == "Digest":
        assert all('username="dba"' in header and 'realm="SPARQL"' in header for header in behaviour.credentials)
    else:
        assert set(behaviour.credentials) == {"Basic ZGJhOnNlY3JldA=="}
