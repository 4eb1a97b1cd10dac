"""Content-Encoding: brotli and gzip for compressible answers, never twice, with their own validators."""

from __future__ import annotations

import gzip
import http.client
from typing import Any

import brotli
import pytest
from conftest import LiveServer

from service.http.compression import accepted_encoding, compressible


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("identity", None),
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("*", "br"),
        ("*;q=0, gzip;q=0", None),
        ("x-gzip", "gzip"),
        ("br;q=bad", None),
    ],
)
def test_the_encoding_follows_accept_encoding(header: str | None, expected: str | None) -> None:
    assert accepted_encoding(header) == expected


def test_only_text_like_media_types_are_compressed() -> None:
    assert compressible("text/html; charset=utf-8") and compressible("application/sparql-results+json")
    assert compressible("application/n-triples") and compressible("image/svg+xml")
    assert not compressible("application/gzip") and not compressible("image/png") and not compressible(None)


@pytest.mark.parametrize("path", ["/dumps/dataset.nt", "/def/shapes?format=html", "/doc/axis/axe-1.ttl"])
def test_answers_are_compressed_as_asked_and_decode_to_the_same_bytes(client: Any, path: str) -> None:
    plain = client.get(path)
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        packed = client.get(path, headers={"Accept-Encoding": encoding})
        assert packed.status_code == 200 and packed.headers["Content-Encoding"] == encoding
        assert decode(packed.data) == plain.data
        assert len(packed.data) < len(plain.data) / 3
        assert int(packed.headers["Content-Length"]) == len(packed.data)
        assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + f'-{encoding}"'
        assert "Accept-Encoding" in packed.headers["Vary"]


def test_a_compressed_answer_revalidates_to_304(client: Any) -> None:
    first = client.get("/dumps/dataset.ttl", headers={"Accept-Encoding": "br"})
    again = client.get("/dumps/dataset.ttl", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"] and not again.data


def test_nothing_is_compressed_twice_and_ranges_stay_identity(client: Any) -> None:
    packed = client.get("/dumps/dataset.nt.gz", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data).startswith(b"<")  # one layer of gzip, then N-Triples
    part = client.get("/dumps/dataset.nt", headers={"Accept-Encoding": "br", "Range": "bytes=0-9"})
    assert part.status_code == 206 and "Content-Encoding" not in part.headers and len(part.data) == 10


@pytest.mark.server
def test_a_large_sparql_answer_is_compressed_over_http(live_server: LiveServer) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"
    connection = http.client.HTTPConnection(live_server.host, live_server.port, timeout=30)
    try:
        connection.request("GET", "/sparql?query=" + query.replace(" ", "%20"), headers={"Accept-Encoding": "br"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 200 and response.getheader("Content-Encoding") == "br"
    decoded = brotli.decompress(body)
    assert decoded.startswith(b'{"head":{"vars":[') and len(body) < len(decoded) / 5
