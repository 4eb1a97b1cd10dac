"""Request bodies received whole before any route reads them: within a deadline, and only a few at a time.

granian bounds the time a client takes to send its headers, but not its body: a WSGI app reading `wsgi.input`
blocks its thread until the bytes come, so a few clients sending one byte every few seconds would hold every
thread of a worker. Here a body is read on a helper thread while the request's thread waits at most
`BODY_READ_TIMEOUT` seconds (then 408, and the connection is closed, which ends the helper's read); and at most
`MAX_BODY_READS` bodies per worker are being received at once (beyond, 503 with Retry-After at once), so slow
senders can hold only those few threads and every other request keeps its own.
"""

from __future__ import annotations

import io
import threading
from typing import BinaryIO

from flask import Flask, current_app, request

from .errors import Overloaded, RequestTimeout
from .state import current

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CHUNK = 64 * 1024
RETRY_AFTER = 2  # seconds: a body slot frees as soon as a body arrives or times out
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
    slots: threading.BoundedSemaphore = current_app.extensions["cper.body-slots"]
    if not slots.acquire(blocking=False):
        raise Overloaded(
            f"This server is receiving {settings.max_body_reads} request bodies already; retry in a moment.",
            RETRY_AFTER,
            CLOSE,
        )
    try:
        limit = length if length is not None else settings.max_body_bytes + 1
        body = _read_within(request.environ["wsgi.input"], limit, settings.body_read_timeout)
    finally:
        slots.release()
    request.environ["wsgi.input"] = io.BytesIO(body)
    if length is None:
        request.environ["CONTENT_LENGTH"] = str(len(body))  # a chunked body, now whole and measured


def _read_within(stream: BinaryIO, limit: int, timeout: float) -> bytes:
    """Up to `limit` bytes of `stream`, read on a helper thread; RequestTimeout when they take over `timeout` s."""
    chunks: list[bytes] = []
    failure: list[BaseException] = []

    def read() -> None:
        received = 0
        try:
            while received < limit and (chunk := stream.read(min(CHUNK, limit - received))):
                chunks.append(chunk)
                received += len(chunk)
        except Exception as error:  # a connection reset while reading: reported as an incomplete body
            failure.append(error)

    reader = threading.Thread(target=read, name="body-reader", daemon=True)
    reader.start()
    reader.join(timeout)
    if reader.is_alive():
        raise RequestTimeout(
            f"The request body did not arrive within {timeout:g} s; send it at once, or a shorter one.", CLOSE
        )
    if failure:
        raise RequestTimeout("The request body was cut off before its end.", CLOSE)
    return b"".join(chunks)
