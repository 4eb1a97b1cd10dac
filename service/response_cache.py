"""Whole responses to repeated GET requests, replayed in front of Flask: the release never changes while served.

A response is kept only when the application marked it `Cache-Control: public` (documents, dumps, descriptions)
with status 200, and only for requests without a query string (routes normalise their parameters and cache what
they mean). The key is what such a response varies on (path, Accept, Accept-Language, Accept-Encoding), and the
store is the service's one byte-bounded cache (`CACHE_BYTES`), so distinct keys cost evictions, never memory.
Conditional and range requests always go to the application, which answers them (304, 206).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .cache import ByteBudgetCache

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
VARYING = ("PATH_INFO", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_ENCODING")
BYPASS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_AUTHORIZATION")
MAX_KEY_CHARS = 4096  # longer keys (huge query strings, padded headers) are not worth a slot


class ResponseCache:
    """WSGI middleware replaying kept responses; everything else passes through untouched."""

    def __init__(self, app: WSGIApp, cache: ByteBudgetCache) -> None:
        self.app, self.cache = app, cache
        self.max_item = cache.budget // 8  # one large dump must not flush every page

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")  # parameters are normalised by the routes, which cache what they mean
            or self.cache.budget == 0
            or any(h in environ for h in BYPASS)
        ):
            return self.app(environ, start_response)
        key = ("response", *(environ.get(name, "") for name in VARYING))
        if sum(map(len, key)) > MAX_KEY_CHARS:
            return self.app(environ, start_response)
        kept = self.cache.get(key)
        if kept is not None:
            status, headers, body = kept
            start_response(status, headers)
            return [body]
        captured: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        if not captured or not _keepable(captured[0], captured[1], self.max_item):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if len(body) <= self.max_item:
            self.cache.put(key, (captured[0], list(captured[1]), body), len(body) + 512)
        return [body]


def _keepable(status: str, headers: list[tuple[str, str]], max_item: int) -> bool:
    if not status.startswith("200"):
        return False
    named = {name.lower(): value for name, value in headers}
    if "public" not in named.get("cache-control", "") or "set-cookie" in named:
        return False
    length = named.get("content-length")
    return length is None or (length.isdigit() and int(length) <= max_item)
