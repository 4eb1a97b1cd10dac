"""The remote-store adapter: bindings, answers and errors, and the service in front of another SPARQL 1.1 endpoint
(here, a real embedded instance; tests/test_stores_oxigraph.py and tests/test_stores_virtuoso.py run it in front of
Oxigraph server and Virtuoso)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from conftest import LiveServer
from flask import Flask
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from service import create_app, queries
from service.config import Settings, SettingsError
from service.store.interface import QueryError
from service.store.remote import RemoteStore, StoreUnavailable, _boolean, _portable_blank_nodes, bind, sparql_term

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


def test_an_unreachable_endpoint_is_a_503_with_retry_after_not_a_crash() -> None:
    store = RemoteStore("http://127.0.0.1:9/sparql", timeout=2)
    with pytest.raises(StoreUnavailable, match=r"could not be reached") as raised:
        store.ask("ASK WHERE { ?s ?p ?o }")
    assert raised.value.status == 503
    assert raised.value.headers["Retry-After"] == "2"


def test_bindings_open_the_where_group_as_values_with_checked_terms() -> None:
    text = '# WHERE { in a comment\nSELECT ?x WHERE { ?x ?p "WHERE {" }'
    bound = bind(text, {"x": URIRef("http://example.org/a"), "y": Literal('say "hi"\n', lang="en")})
    assert bound == (
        '# WHERE { in a comment\nSELECT ?x WHERE { VALUES (?x ?y) { (<http://example.org/a> "say \\"hi\\"\\n"@en) }'
        ' ?x ?p "WHERE {" }'
    )
    assert bind(text, None) == text


@pytest.mark.parametrize("iri", ["http://example.org/a> } ; DROP ALL #", "relative/path", "http://ex.org/a b", ""])
def test_an_iri_that_could_break_out_of_its_term_is_refused(iri: str) -> None:
    with pytest.raises(QueryError, match="cannot bind"):
        sparql_term(URIRef(iri))


def test_a_query_with_bindings_needs_an_explicit_where() -> None:
    with pytest.raises(ValueError, match="WHERE"):
        bind("ASK { ?s ?p ?o }", {"s": URIRef("http://example.org/a")})


def test_every_service_query_with_bindings_accepts_them() -> None:
    for name in ("describe", "exists", "graph", "home-label", "dcat-period", "void-literal-codes"):
        text = bind(queries.load(name), {"resource": URIRef("http://example.org/a")})
        assert "VALUES (?resource) { (<http://example.org/a>) }" in text, name


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"head": {}, "boolean": true}', True),
        (b'{"head": {}, "boolean": false}', False),
        # Virtuoso 7 answers ASK with a one-column table: one row of 1 for true, no row for false.
        (b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": {"type": "typed-literal",'
         b' "value": "1"}}]}}', True),
        (b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}', False),
    ],
)  # fmt: skip
def test_ask_answers_are_read_in_both_shapes(body: bytes, expected: bool) -> None:
    assert _boolean(body) is expected


def test_virtuoso_blank_node_labels_become_portable() -> None:
    body = b'{"head": {"vars": ["b"]}, "results": {"bindings": [{"b": {"type": "bnode", "value": "nodeID://b10051"}}]}}'
    assert json.loads(_portable_blank_nodes(body))["results"]["bindings"][0]["b"]["value"] == "nodeID___b10051"


def test_in_remote_mode_a_worker_serves_the_dumps_from_files(remote_app: Flask, live_server: LiveServer) -> None:
    published = remote_app.extensions["cper"].published
    dump = published.artefacts["dataset.nq"]
    assert isinstance(dump.content, Path) and dump.content.is_file()
    served = remote_app.test_client().get("/dumps/dataset.nq")
    assert served.status_code == 200 and served.data == dump.content.read_bytes()
    assert live_server.base_url.encode() in served.data and b"https://cper-hdf.example/" not in served.data
    assert served.headers["Content-Length"] == str(dump.size)


def test_remote_settings_are_validated() -> None:
    with pytest.raises(SettingsError, match="REMOTE_DIALECT"):
        Settings.from_env({"REMOTE_DIALECT": "graphdb"})
    with pytest.raises(SettingsError, match="REMOTE_GRAPH_STORE"):
        Settings.from_env({"REMOTE_GRAPH_STORE": "ftp://store"})
    settings = Settings.from_env({"REMOTE_DIALECT": "virtuoso", "REMOTE_GRAPH_STORE": "http://127.0.0.1:1/gsp"})
    assert (settings.remote_dialect, settings.remote_graph_store) == ("virtuoso", "http://127.0.0.1:1/gsp")


def test_a_query_stating_its_own_base_is_not_given_a_second_one() -> None:
    from service.store.remote import _declares_base

    assert _declares_base("# what it asks\nBASE <http://example.org/>\nSELECT * WHERE { ?s <p> ?o }")
    assert not _declares_base("PREFIX base: <http://example.org/>\nSELECT ?base WHERE { ?base base:p 'BASE' }")
