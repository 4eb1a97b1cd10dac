"""The remote-store backend: the service in front of another SPARQL 1.1 endpoint (here, a real embedded instance)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from conftest import LiveServer
from flask import Flask
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from service import create_app
from service.remote import RemoteStore
from service.store import QueryError

NORD = "organisation/departement-du-nord"
CPER = "def/cper#"


@pytest.fixture(scope="module")
def remote_app(live_server: LiveServer, release_dir: Path) -> Flask:
    """An app whose store is the live server's endpoint; both share the public base, as a deployment would."""
    return create_app(
        environ={
            "RELEASE_DIR": str(release_dir),
            "BASE_URL": live_server.base_url,
            "STORE": "remote",
            "REMOTE_ENDPOINT": live_server.base_url + "sparql",
        }
    )


def test_documents_through_the_remote_store_equal_the_embedded_ones(remote_app: Flask, live_server: LiveServer) -> None:
    response = remote_app.test_client().get(f"/doc/{NORD}", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.data
    through_remote = Graph().parse(data=response.data, format="nt")
    request = urllib.request.Request(live_server.base_url + f"doc/{NORD}", headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=30) as direct:
        embedded = Graph().parse(data=direct.read(), format="nt")
    assert (
        URIRef(live_server.base_url + "id/" + NORD),
        URIRef(live_server.base_url + CPER + "siren"),
        Literal("225900018"),
    ) in through_remote
    assert isomorphic(through_remote, embedded)


def test_protocol_queries_pass_through_with_their_dataset(remote_app: Flask, live_server: LiveServer) -> None:
    query = f"SELECT ?siren WHERE {{ <{live_server.base_url}id/{NORD}> <{live_server.base_url}{CPER}siren> ?siren }}"
    response = remote_app.test_client().get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    rows = json.loads(response.data)["results"]["bindings"]
    assert [row["siren"]["value"] for row in rows] == ["225900018"]
    empty = remote_app.test_client().get(
        "/sparql",
        query_string={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://example.org/absent"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert json.loads(empty.data) == {"head": {}, "boolean": False}


def test_unknown_things_are_404_through_the_remote_store(remote_app: Flask) -> None:
    response = remote_app.test_client().get("/doc/organisation/no-such-body", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert b"no-such-body" in response.data or b"Not Found" in response.data


def test_an_unreachable_endpoint_is_a_query_error_not_a_crash() -> None:
    store = RemoteStore("http://127.0.0.1:9/sparql", timeout=2)
    with pytest.raises(QueryError, match=r"could not be reached|refused"):
        store.ask("ASK { ?s ?p ?o }")
