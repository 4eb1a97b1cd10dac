"""Serving the release's files: the manifest, the index of /dumps/, ranges, and the .gz dumps read by URL."""

from __future__ import annotations

import gzip
import hashlib
import json
import warnings
from typing import Any

import pytest
from conftest import LiveServer
from rdflib import Dataset, Graph


def test_the_manifest_describes_the_served_bytes(client: Any, app: Any) -> None:
    response = client.get("/dumps/manifest.json")
    assert response.status_code == 200 and response.content_type == "application/json; charset=utf-8"
    manifest = json.loads(response.data)
    assert manifest["base"] == "http://localhost/" and manifest["version"] == "test"
    assert manifest["graphs"]["data"] == "http://localhost/graph/data"
    names = {entry["name"] for entry in manifest["files"]}
    assert {"dataset.nt", "dataset.nt.gz", "dataset.nq.gz", "context.jsonld"} <= names
    for entry in manifest["files"]:
        packed = {"Accept-Encoding": "gzip"} if entry["name"].endswith(".gz") else {}  # the .gz bytes as they are
        served = client.get(entry["url"].removeprefix("http://localhost"), headers=packed)
        assert hashlib.sha256(served.data).hexdigest() == entry["sha256"], entry["name"]
        assert len(served.data) == entry["byte_size"]


def test_the_dumps_index_lists_every_file_for_people_and_scripts(client: Any, app: Any) -> None:
    page = client.get("/dumps/?lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    artefacts = app.extensions["cper"].published.artefacts
    for name, artefact in artefacts.items():
        assert f'<a href="http://localhost/dumps/{name}">{name}</a>' in html
        assert artefact.sha256 in html
    assert f"<caption>{len(artefacts)} files</caption>" in html
    assert 'href="http://localhost/dumps/manifest.json"' in html
    as_json = client.get("/dumps/", headers={"Accept": "application/json"})
    assert json.loads(as_json.data)["files"] and client.get("/dumps").status_code == 200


def test_ranges_give_206_and_the_right_bytes(client: Any, app: Any) -> None:
    data = app.extensions["cper"].published.artefacts["dataset.ttl"].data
    full = client.get("/dumps/dataset.ttl")
    assert full.headers["Accept-Ranges"] == "bytes"
    part = client.get("/dumps/dataset.ttl", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    tail = client.get("/dumps/dataset.ttl", headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.data == data[-50:]
    stale = client.get("/dumps/dataset.ttl", headers={"Range": "bytes=0-9", "If-Range": '"not-this-one"'})
    assert stale.status_code == 200 and stale.data == data  # the file changed: the whole of it
    fresh = client.get("/dumps/dataset.ttl", headers={"Range": "bytes=0-9", "If-Range": full.headers["ETag"]})
    assert fresh.status_code == 206 and fresh.data == data[:10]
    beyond = client.get("/dumps/dataset.ttl", headers={"Range": f"bytes={len(data) + 10}-"})
    assert beyond.status_code == 416


def test_a_range_of_a_gz_dump_is_a_range_of_the_gzip_bytes(client: Any, app: Any) -> None:
    packed = app.extensions["cper"].published.artefacts["dataset.nq.gz"].data
    part = client.get("/dumps/dataset.nq.gz", headers={"Range": "bytes=0-1", "Accept-Encoding": "gzip"})
    assert part.status_code == 206 and part.data == packed[:2] == b"\x1f\x8b"


@pytest.mark.server
@pytest.mark.parametrize(("name", "quads"), [("dataset.nt.gz", False), ("dataset.nq.gz", True)])
def test_rdflib_reads_the_gz_dumps_by_url(live_server: LiveServer, release_dir: Any, name: str, quads: bool) -> None:
    url = f"{live_server.base_url}dumps/{name}"
    expected = gzip.decompress((release_dir / name).read_bytes()).count(b"\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's quad parser uses APIs rdflib deprecates
        graph: Graph = Dataset() if quads else Graph()
        graph.parse(url)  # the format comes from the Content-Type: no hint given
    assert len(graph) == expected > 1000
