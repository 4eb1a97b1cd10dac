"""Request bodies received whole before any route reads them: within a deadline, and only a few at a time.

granian bounds the time a client takes to send its headers, but not its body: a WSGI app reading `wsgi.input`
blocks its thread until the bytes come, so a few clients sending one byte every few seconds would hold every
thread of a worker. Here a body is read on a helper thread while the request's thread waits at most
`BODY_READ_TIMEOUT` seconds (then 408, and the connection is closed, which ends the helper's read). A body that
has not arrived within 50 ms waits in one of `MAX_BODY_READS` slots per worker, or is refused at once (503 with
Retry-After) when all are taken, so slow senders can hold only those few threads and every other request,
including bodies sent at once, keeps its own.
"""

from __future__ import annotations

import io
import threading
from typing import BinaryIO

from flask import Flask, current_app, request

from service.errors import Overloaded, RequestTimeout
from service.http.state import current

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CHUNK = 64 * 1024
RETRY_AFTER = 2  # seconds: a body slot frees as soon as a body arrives or times out
PROMPT = 0.05  # seconds within which a body sent at once has arrived: such a body needs no slot
CLOSE = {"Connection": "close"}  # the unread rest of the body must not be taken for the next request


def register(app: Flask) -> None:
    """Receive every request body under the deadline and the cap of `app`'s settings, before its route runs."""
    slots = threading.BoundedSemaphore(app.extensions["cper"].settings.max_body_reads)
    app.extensions["cper.body-slots"] = slots
    app.before_request(_receive)


def _receive() -> None:
    if request.method not in BODY_METHODS:
        return
    settings = current().settings
    length = request.content_length
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if not (length or chunked) or (length is not None and length > settings.max_body_bytes):
        return  # nothing to wait for, or a body the route refuses unread (413)
    reader = _Reader(request.environ["wsgi.input"], length if length is not None else settings.max_body_bytes + 1)
    if not reader.done_within(PROMPT):
        # A body still arriving: it may keep waiting only in one of the few receiving slots.
        slots: threading.BoundedSemaphore = current_app.extensions["cper.body-slots"]
        if not slots.acquire(blocking=False):
            raise Overloaded(
                f"This server is receiving {settings.max_body_reads} slow request bodies already; "
                "send the body at once, or retry in a moment.",
                RETRY_AFTER,
                CLOSE,
            )
        try:
            if not reader.done_within(max(0.0, settings.body_read_timeout - PROMPT)):
                raise RequestTimeout(
                    f"The request body did not arrive within {settings.body_read_timeout:g} s; "
                    "send it at once, or a shorter one.",
                    CLOSE,
                )
        finally:
            slots.release()
    body = reader.body()
    request.environ["wsgi.input"] = io.BytesIO(body)
    if length is None:
        request.environ["CONTENT_LENGTH"] = str(len(body))  # a chunked body, now whole and measured


class _Reader:
    """Reads up to `limit` bytes of `stream` on a daemon thread, so that the request's thread can stop waiting.

    A reader given up on ends when the connection is closed after the error answer (its read then returns).
    """

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self.stream, self.limit = stream, limit
        self.chunks: list[bytes] = []
        self.failure: Exception | None = None
        self.thread = threading.Thread(target=self._read, name="body-reader", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        received = 0
        try:
            while received < self.limit and (chunk := self.stream.read(min(CHUNK, self.limit - received))):
                self.chunks.append(chunk)
                received += len(chunk)
        except Exception as error:  # a connection reset while reading: reported as an incomplete body
            self.failure = error

    def done_within(self, seconds: float) -> bool:
        self.thread.join(seconds)
        return not self.thread.is_alive()

    def body(self) -> bytes:
        """The body read.

        :raises RequestTimeout: the connection failed before the body's end.
        """
        if self.failure is not None:
            raise RequestTimeout("The request body was cut off before its end.", CLOSE)
        return b"".join(self.chunks)
