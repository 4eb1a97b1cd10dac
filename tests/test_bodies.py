"""Request bodies (service/http/bodies.py): read whole within BODY_READ_TIMEOUT, only MAX_BODY_READS at once per worker,
so that slow senders cannot hold the server; request headers are bounded by granian (HEADER_READ_TIMEOUT)."""

from __future__ import annotations

import http.client
import io
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, start_server, stop_server

from service import create_app

ASK = "ASK { ?s ?p ?o }"


class SlowStream(io.RawIOBase):
    """A request body that gives `data` one byte per `delay` seconds, as a slow client would."""

    def __init__(self, data: bytes, delay: float) -> None:
        self.data, self.delay = data, delay

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        time.sleep(self.delay)
        byte, self.data = self.data[:1], self.data[1:]
        return byte


@pytest.fixture()
def app(release_dir: Path) -> Any:
    return create_app(
        environ={"RELEASE_DIR": str(release_dir), "BASE_URL": "http://localhost/", "BODY_READ_TIMEOUT": "1"}
    )


def test_a_body_that_arrives_in_time_is_answered(app: Any) -> None:
    response = app.test_client().post("/sparql", data=ASK, content_type="application/sparql-query")
    assert response.status_code == 200 and response.get_json()["boolean"] is True


def test_a_body_slower_than_the_deadline_is_a_408_that_closes_the_connection(app: Any) -> None:
    body = ASK.encode()
    environ = {"wsgi.input": SlowStream(body, 0.2), "CONTENT_LENGTH": str(len(body))}
    started = time.monotonic()
    response = app.test_client().post(
        "/sparql", content_type="application/sparql-query", environ_overrides=environ, headers={"Accept": "text/plain"}
    )
    assert time.monotonic() - started < 3
    assert response.status_code == 408 and response.headers["Connection"] == "close"
    assert "did not arrive within 1 s" in response.get_data(as_text=True)


def test_beyond_the_receiving_slots_a_slow_body_is_a_503_at_once_and_a_prompt_one_passes(app: Any) -> None:
    slots = app.extensions["cper.body-slots"]
    held = [slots.acquire(blocking=False) for _ in range(app.extensions["cper"].settings.max_body_reads)]
    try:
        body = ASK.encode()
        environ = {"wsgi.input": SlowStream(body, 0.2), "CONTENT_LENGTH": str(len(body))}
        started = time.monotonic()
        response = app.test_client().post("/sparql", content_type="application/sparql-query", environ_overrides=environ)
        assert time.monotonic() - started < 0.5
        assert response.status_code == 503 and response.headers["Retry-After"] == "2"
        assert response.headers["Connection"] == "close"
        assert "slow request bodies already" in response.get_data(as_text=True)
        prompt = app.test_client().post("/sparql", data=ASK, content_type="application/sparql-query")
        assert prompt.status_code == 200  # a body sent at once needs no slot
        assert app.test_client().get("/sparql", query_string={"query": ASK}).status_code == 200
    finally:
        for _ in held:
            slots.release()


def test_a_declared_body_over_the_limit_is_refused_unread(app: Any) -> None:
    environ = {"wsgi.input": SlowStream(b"x" * 10, 5.0), "CONTENT_LENGTH": str(10 * 1024 * 1024)}
    started = time.monotonic()
    response = app.test_client().post("/sparql", content_type="application/sparql-query", environ_overrides=environ)
    assert response.status_code == 413 and time.monotonic() - started < 2


# --- A real server under a slow-body attack ----------------------------------------------------------------------


@pytest.fixture()
def guarded(release_dir: Path) -> Iterator[LiveServer]:
    env = {"BODY_READ_TIMEOUT": "3", "HEADER_READ_TIMEOUT": "2", "MAX_BODY_READS": "2"}
    server = start_server(release_dir, env, workers=2)
    yield server
    stop_server(server)


def _slow_sender(port: int, stop: threading.Event, outcomes: Counter[str]) -> None:
    """POSTs a declared 256 KB body one byte every 2 s; on each answer or close, counts it and starts again."""
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                             b"Content-Length: 256000\r\n\r\n")  # fmt: skip
                sock.settimeout(2.0)
                while not stop.is_set():
                    sock.sendall(b"A")
                    try:
                        answer = sock.recv(200)
                    except TimeoutError:
                        continue
                    outcomes[answer.split(b" ", 2)[1].decode() if answer else "closed"] += 1
                    break
        except OSError:
            outcomes["error"] += 1
        stop.wait(0.2)


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return response.status if body else 0
    except OSError:
        return -1
    finally:
        connection.close()


def test_forty_slow_bodies_leave_every_route_answering(guarded: LiveServer) -> None:
    stop, outcomes = threading.Event(), Counter[str]()
    senders = [threading.Thread(target=_slow_sender, args=(guarded.port, stop, outcomes)) for _ in range(40)]
    for sender in senders:
        sender.start()
    probes: Counter[tuple[str, int]] = Counter()
    try:
        time.sleep(2)  # every sender connected and sending
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            for path in ("/", "/doc/territory/nord", "/sparql?query=ASK%7B%7D"):
                probes[(path, _get(guarded.port, path))] += 1
            time.sleep(0.2)
    finally:
        stop.set()
        for sender in senders:
            sender.join(timeout=10)
    failed = {key: n for key, n in probes.items() if key[1] != 200}
    assert not failed, f"probes that did not get 200: {failed} (all: {dict(probes)})"
    assert sum(probes.values()) >= 45
    assert outcomes["503"] > 0 and outcomes["408"] > 0, dict(outcomes)  # refused at once, or cut at the deadline


def test_headers_sent_too_slowly_are_cut_off(guarded: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\n")
        sock.settimeout(0.5)
        answer = b"timeout"
        for header in (b"Host: x\r\n", b"Accept: */*\r\n") * 10:
            try:
                sock.sendall(header)
                answer = sock.recv(100)
                break
            except TimeoutError:
                time.sleep(0.5)
            except OSError:
                answer = b""
                break
    elapsed = time.monotonic() - started
    assert answer in (b"",) or answer.startswith(b"HTTP/1.1 408"), answer
    assert elapsed < 5, f"the connection stayed open {elapsed:.1f} s"
