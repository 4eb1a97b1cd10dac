"""Requests in progress per client: one address may hold only a few of a worker's threads at once.

Every other bound of the service is per request (time, memory, body, answer size); this one is per client, so
that one address opening many connections at once (a crawler too eager, or an attack) cannot take every thread
of a worker from everyone else. Beyond `MAX_REQUESTS_PER_CLIENT` requests in progress from one address, a worker
answers 429 with Retry-After at once, before reading any body. Answers replayed by the response cache, in front
of Flask, cost no thread and are not counted. Behind a reverse proxy every client has the proxy's address: set
the limit there instead, and this one high.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app, g, request

from service.errors import TooManyRequests
from service.http.state import current

RETRY_AFTER = 1  # seconds: a client's own requests end quickly (every other budget is seconds)
EXTENSION = "cper.clients"


class InProgress:
    """How many requests each address has in progress in this worker; an address leaves when it has none."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def enter(self, address: str) -> bool:
        with self._lock:
            count = self._counts.get(address, 0)
            if count >= self.limit:
                return False
            self._counts[address] = count + 1
            return True

    def leave(self, address: str) -> None:
        with self._lock:
            count = self._counts.pop(address, 0) - 1
            if count > 0:
                self._counts[address] = count

    def addresses(self) -> int:
        with self._lock:
            return len(self._counts)


def register(app: Flask) -> None:
    """Count every request of `app` against its client's limit; call before any hook that may wait (bodies)."""
    app.extensions[EXTENSION] = InProgress(app.extensions["cper"].settings.max_requests_per_client)
    app.before_request(_enter)
    app.teardown_request(_leave)


def _enter() -> None:
    address = request.remote_addr or ""
    if not current_app.extensions[EXTENSION].enter(address):
        limit = current().settings.max_requests_per_client
        raise TooManyRequests(
            f"This address has {limit} requests in progress already; wait for their answers, then retry.",
            RETRY_AFTER,
        )
    g.client_address = address


def _leave(_error: BaseException | None) -> None:
    address = g.pop("client_address", None)
    if address is not None:
        current_app.extensions[EXTENSION].leave(address)
