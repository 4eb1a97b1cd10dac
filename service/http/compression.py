"""Content-Encoding for compressible answers: brotli or gzip as the client's Accept-Encoding prefers.

Every textual answer (HTML, RDF, SPARQL results, JSON, JavaScript…) is compressed when the client accepts an
encoding; answers already encoded (the `.gz` dumps), partial answers (206) and streams are left alone, so
nothing is ever compressed twice. A compressed answer carries its own ETag (`"…-br"`, `"…-gzip"`): a client
revalidating with it gets 304, because the suffix is taken off before the view compares validators.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict

import brotli
from flask import Flask, Response, request

ENCODINGS = ("br", "gzip")  # preferred first when the client weighs them equally
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml", "application/n-triples",
                "application/n-quads", "application/trig", "image/svg+xml")  # fmt: skip
COMPRESSIBLE_SUFFIXES = ("+json", "+xml")
BROTLI_QUALITY = 5  # on the fly: most of quality 11's gain at a small fraction of its time
GZIP_LEVEL = 6
CACHE_FROM_BYTES = 64 * 1024  # large bodies (dumps, big pages) are compressed once and kept
CACHE_ENTRIES = 64


class _Cache:
    """Compressed large bodies by (digest, encoding), the least recently used dropped first."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[bytes, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def compressed(self, body: bytes, encoding: str) -> bytes:
        if len(body) < CACHE_FROM_BYTES:
            return _compress(body, encoding)
        key = (hashlib.blake2b(body, digest_size=16).digest(), encoding)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        data = _compress(body, encoding)
        with self._lock:
            self._entries[key] = data
            while len(self._entries) > CACHE_ENTRIES:
                self._entries.popitem(last=False)
        return data


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(body, quality=BROTLI_QUALITY))
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def register(app: Flask) -> None:
    """Compress the app's answers (after_request) and read encoded ETags back (before_request)."""
    cache = _Cache()
    app.before_request(_plain_validators)
    app.after_request(lambda response: _encode(response, cache))


def accepts(header: str | None, encoding: str) -> bool:
    """Whether Accept-Encoding allows `encoding` (explicitly or through `*`) with a non-zero weight."""
    weights = _weights(header)
    return weights.get(encoding, weights.get("*", 0.0)) > 0


def accepted_encoding(header: str | None) -> str | None:
    """`br` or `gzip`, the best the Accept-Encoding header allows (None: send identity)."""
    weights = _weights(header)
    scored = [(weights.get(name, weights.get("*", 0.0)), -index, name) for index, name in enumerate(ENCODINGS)]
    q, _, best = max(scored)
    return best if q > 0 else None


def _weights(header: str | None) -> dict[str, float]:
    """Accept-Encoding as {coding: q}; `x-gzip` counts as gzip."""
    weights: dict[str, float] = {}
    if not header:
        return weights
    for item in header.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        name = name.lower()
        weights["gzip" if name == "x-gzip" else name] = q
    return weights


def compressible(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media.startswith(COMPRESSIBLE) or media.endswith(COMPRESSIBLE_SUFFIXES)


def _plain_validators() -> None:
    """Turn `"x-br"`/`"x-gzip"` in If-None-Match back into `"x"`, the validator the views know."""
    header = request.environ.get("HTTP_IF_NONE_MATCH")
    if header:
        for encoding in ENCODINGS:
            header = header.replace(f'-{encoding}"', '"')
        request.environ["HTTP_IF_NONE_MATCH"] = header


def _encode(response: Response, cache: _Cache) -> Response:
    if not compressible(response.content_type) or "Content-Encoding" in response.headers:
        return response
    if response.status_code not in (200, 304) or "Content-Range" in response.headers:
        return response
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if "Accept-Encoding" not in vary:
        response.headers["Vary"] = ", ".join([*vary, "Accept-Encoding"])
    encoding = accepted_encoding(request.headers.get("Accept-Encoding"))
    if encoding is None:
        return response
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}-{encoding}", weak=bool(weak))
    if response.status_code == 304 or response.is_streamed or response.direct_passthrough:
        return response
    response.set_data(cache.compressed(response.get_data(), encoding))
    response.headers["Content-Encoding"] = encoding
    return response
