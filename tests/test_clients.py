"""Requests in progress per client (service/http/clients.py): beyond its limit one address gets 429 with
Retry-After at once, while every other address keeps being answered; an address that is done is forgotten."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LiveServer, start_server, stop_server

from service.http.clients import InProgress

GREEDY, OTHER = "127.0.0.2", "127.0.0.3"  # two clients: Linux routes all of 127.0.0.0/8 to the loopback


def test_an_address_is_refused_beyond_its_limit_and_forgotten_when_done() -> None:
    counts = InProgress(limit=2)
    assert counts.enter("a") and counts.enter("a")
    assert not counts.enter("a")
    assert counts.enter("b")  # another address has its own allowance
    counts.leave("a")
    assert counts.enter("a")
    for address in ("a", "a", "b"):
        counts.leave(address)
    assert counts.addresses() == 0  # nothing is kept for addresses with no request in progress


@pytest.fixture(scope="module")
def limited(release_dir: Path) -> Iterator[LiveServer]:
    # One worker, three requests per client; slow bodies are waited for long enough to hold their threads.
    env = {"MAX_REQUESTS_PER_CLIENT": "3", "MAX_BODY_READS": "8", "BODY_READ_TIMEOUT": "20"}
    server = start_server(release_dir, env, workers=1)
    yield server
    stop_server(server)


def _hold(port: int) -> socket.socket:
    """A POST from GREEDY whose declared body never comes: it holds one thread of the worker while open."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(GREEDY, 0))
    sock.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\n"
    )
    return sock


def _get(port: int, source: str, path: str = "/sparql?query=ASK%7B%7D") -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Accept": "text/plain, application/sparql-results+json"})
        response = connection.getresponse()
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read().decode("utf-8", "replace"),
        )
    finally:
        connection.close()


def test_a_greedy_client_gets_429_while_others_are_answered(limited: LiveServer) -> None:
    held = [_hold(limited.port) for _ in range(3)]
    try:
        time.sleep(1)  # the three requests are in progress, each waiting for its body
        started = time.monotonic()
        status, headers, body = _get(limited.port, GREEDY)
        assert status == 429 and time.monotonic() - started < 2  # at once, not after a wait
        assert headers["retry-after"] == "1"
        assert "3 requests in progress" in body and body.startswith("429 Too Many Requests")
        status, _, body = _get(limited.port, OTHER)
        assert status == 200 and '"boolean"' in body
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 10
    while (status := _get(limited.port, GREEDY)[0]) == 429 and time.monotonic() < deadline:
        time.sleep(0.2)  # the server notices the closed connections when it tries to read their bodies
    assert status == 200
