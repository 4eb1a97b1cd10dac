"""Answers as clients read them: `SELECT *` in query order, ASK tables, CONSTRUCT for table-only clients."""

from __future__ import annotations

import csv
import io
import json
import warnings
from typing import Any
from urllib.parse import urlencode

import pytest
from conftest import LiveServer
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, TSV, SPARQLWrapper

STAR = "SELECT * WHERE { ?zeta a ?alpha . ?zeta ?mid ?alpha FILTER(isIRI(?zeta)) } ORDER BY ?zeta ?mid LIMIT 2"
RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}  # fmt: skip


def _get(client: FlaskClient, query: str, accept: str | None = None, **params: str) -> Any:
    return client.get("/sparql?" + urlencode({"query": query, **params}), headers={"Accept": accept} if accept else {})


@pytest.mark.parametrize("key", list(RESULT_TYPES))
def test_select_star_lists_variables_in_query_order(client: FlaskClient, key: str) -> None:
    response = _get(client, STAR, RESULT_TYPES[key])
    assert response.status_code == 200
    parsed = Result.parse(io.BytesIO(response.data), format=key)
    assert parsed.vars == [Variable("zeta"), Variable("alpha"), Variable("mid")]
    assert len(parsed) == 2 and all(row["zeta"] is not None for row in parsed)  # type: ignore[index,call-overload]


def test_select_star_reordered_csv_keeps_every_cell(client: FlaskClient) -> None:
    original = _get(client, STAR.replace("SELECT *", "SELECT ?alpha ?mid ?zeta"), "text/csv")
    reordered = _get(client, STAR, "text/csv")
    by_name = [dict(zip(row[:1] and ["alpha", "mid", "zeta"], row, strict=True))
               for row in csv.reader(io.StringIO(original.data.decode()))][1:]  # fmt: skip
    rows = list(csv.reader(io.StringIO(reordered.data.decode())))
    assert rows[0] == ["zeta", "alpha", "mid"]
    assert [[r["zeta"], r["alpha"], r["mid"]] for r in by_name] == rows[1:]


def test_an_explicit_projection_keeps_its_order(client: FlaskClient) -> None:
    response = _get(client, "SELECT ?mid ?zeta WHERE { ?zeta ?mid ?alpha } LIMIT 1", "application/sparql-results+json")
    assert json.loads(response.data)["head"]["vars"] == ["mid", "zeta"]


@pytest.mark.parametrize(("key", "expected"), [("csv", b"_askResult\r\ntrue\r\n"), ("tsv", b"?_askResult\ntrue\n")])
def test_ask_as_a_table_has_a_header_and_a_row(client: FlaskClient, key: str, expected: bytes) -> None:
    assert _get(client, "ASK { ?s ?p ?o }", RESULT_TYPES[key]).data == expected
    assert _get(client, "ASK { <urn:none> ?p ?o }", RESULT_TYPES[key]).data == expected.replace(b"true", b"false")


@pytest.mark.parametrize("key", list(RESULT_TYPES))
def test_construct_for_a_table_only_client_is_a_table_of_triples(client: FlaskClient, key: str) -> None:
    query = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c FILTER(isIRI(?s)) } ORDER BY ?s LIMIT 3"
    response = _get(client, query, RESULT_TYPES[key])
    assert response.status_code == 200 and response.mimetype == RESULT_TYPES[key]
    parsed = Result.parse(io.BytesIO(response.data), format=key)
    assert parsed.vars == [Variable("subject"), Variable("predicate"), Variable("object")]
    graph = Graph().parse(data=_get(client, query, "application/n-triples").data, format="nt")
    assert {tuple(row) for row in parsed} == set(graph)  # type: ignore[arg-type]


def test_construct_with_format_json_is_json_ld(client: FlaskClient) -> None:
    response = _get(client, "CONSTRUCT { <urn:a> <urn:b> 1 } WHERE {}", format="json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert json.loads(response.data)[0]["@id"] == "urn:a"


def test_construct_with_nothing_acceptable_is_406_naming_graph_formats(client: FlaskClient) -> None:
    response = _get(client, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "image/png")
    assert response.status_code == 406 and b"text/turtle" in response.data


@pytest.mark.server
@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore_in_every_results_format(live_server: LiveServer, return_format: str) -> None:
    graph = Graph(SPARQLStore(live_server.base_url + "sparql", returnFormat=return_format))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        select = graph.query(STAR)
        construct = graph.query("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3")
        ask = graph.query("ASK { ?s ?p ?o }")
    assert select.vars == [Variable("zeta"), Variable("alpha"), Variable("mid")] and len(select) == 2
    assert len(construct) == 3
    if return_format in ("xml", "json"):
        assert ask.askAnswer is True
    else:  # a table: one column, one row, the answer in it
        assert [str(row[0]) for row in ask] == ["true"]  # type: ignore[index]


@pytest.mark.server
@pytest.mark.parametrize("return_format", [JSON, CSV, TSV])
def test_sparqlwrapper_construct_and_ask_in_table_formats(live_server: LiveServer, return_format: str) -> None:
    def run(query: str) -> Any:
        wrapper = SPARQLWrapper(live_server.base_url + "sparql")
        wrapper.setQuery(query)
        wrapper.setReturnFormat(return_format)
        with warnings.catch_warnings():  # SPARQLWrapper warns that it sends `*/*` (with format=…) for these
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("ignore", DeprecationWarning)  # its JSON-LD parsing goes through rdflib
            return wrapper.query().convert()

    construct = run("CONSTRUCT { <urn:a> <urn:b> 1 } WHERE {}")
    ask = run("ASK { ?s ?p ?o }")
    if return_format == JSON:  # JSON-LD, which SPARQLWrapper reads into a graph
        assert (URIRef("urn:a"), URIRef("urn:b"), Literal(1)) in construct and ask["boolean"] is True
    else:
        text = construct.decode()
        assert "urn:a" in text and "urn:b" in text
        assert ask.decode().splitlines()[1] == "true"
