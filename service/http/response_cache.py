"""Whole responses to repeated GET requests, replayed in front of Flask: the release never changes while served.

A response is kept only when the application marked it `Cache-Control: public` (documents, dumps, descriptions,
query answers) with status 200, for requests without a query string, or to the SPARQL endpoint, whose answer
depends on its protocol parameters only: those enter the key, anything else is ignored (other routes normalise
their own parameters and cache what they mean). The key is also what such a response varies on (path, Accept,
Accept-Language, Accept-Encoding), and the store is the service's one byte-bounded cache (`CACHE_BYTES`), so
distinct keys cost evictions, never memory. Conditional and range requests always reach the application.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from service.http.cache import ByteBudgetCache
from service.http.language import LANGUAGES
from service.publication import layout

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
VARYING = ("PATH_INFO", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_ENCODING")
BYPASS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_AUTHORIZATION")
# The SPARQL endpoint's answer depends on these parameters only (SPARQL 1.1 Protocol; `format`/`output` overrides;
# `lang` for its HTML page, kept only when it names a language the pages are written in; the update parameters,
# which it refuses: keyed, so that such a request never replays the service description kept for a bare /sparql).
_PROTOCOL = frozenset({"query", "default-graph-uri", "named-graph-uri", "format", "output", "lang",
                       "update", "using-graph-uri", "using-named-graph-uri"})  # fmt: skip
KEYED_PARAMETERS = {layout.rule(layout.SPARQL_PATH): _PROTOCOL, layout.rule(layout.SPARQL_PATH, "/"): _PROTOCOL}
MAX_KEY_CHARS = 4096  # longer keys (huge query strings, padded headers) are not worth a slot


class ResponseCache:
    """WSGI middleware replaying kept responses; everything else passes through untouched."""

    def __init__(self, app: WSGIApp, cache: ByteBudgetCache) -> None:
        self.app, self.cache = app, cache
        self.max_item = cache.max_item

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or self.cache.budget == 0 or any(h in environ for h in BYPASS):
            return self.app(environ, start_response)
        parameters = _parameters(environ)
        if parameters is None:
            return self.app(environ, start_response)
        key = ("response", parameters, *(environ.get(name, "") for name in VARYING))
        if len(environ.get("QUERY_STRING", "")) + sum(map(len, key[2:])) > MAX_KEY_CHARS:
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


def _parameters(environ: dict[str, Any]) -> tuple[tuple[str, str], ...] | None:
    """The parameters a response depends on, in order; None when the request's may not be keyed here."""
    raw = environ.get("QUERY_STRING", "")
    if not raw:
        return ()
    names = KEYED_PARAMETERS.get(environ.get("PATH_INFO", ""))
    if names is None:
        return None
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return None  # the route answers what is wrong with it
    return tuple(pair for pair in pairs if pair[0] in names and (pair[0] != "lang" or pair[1] in LANGUAGES))


def _keepable(status: str, headers: list[tuple[str, str]], max_item: int) -> bool:
    if not status.startswith("200"):
        return False
    named = {name.lower(): value for name, value in headers}
    if "public" not in named.get("cache-control", "") or "set-cookie" in named:
        return False
    length = named.get("content-length")
    return length is None or (length.isdigit() and int(length) <= max_item)
