"""Every RDF media type a client may ask a document or a graph for, and the JSON-LD forms (negotiation.py)."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from service.http.negotiation import jsonld_form
from service.publication.formats import JSONLD, JSONLD_PROFILES

DOC = "/doc/organisation/departement-du-nord"
THING = URIRef("http://localhost/id/organisation/departement-du-nord")


def read(data: bytes, rdflib_format: str) -> Graph:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's quad and JSON-LD parsers
        if rdflib_format in ("trig", "nquads"):
            dataset = Dataset()
            dataset.parse(data=data, format=rdflib_format)
            union = Graph()
            for s, p, o, _ in dataset.quads():
                union.add((s, p, o))
            return union
        return Graph().parse(data=data, format=rdflib_format)


@pytest.mark.parametrize(
    ("accept", "served", "parser"),
    [
        ("text/n3", "text/turtle", "turtle"),
        ("text/rdf+n3", "text/turtle", "turtle"),
        ("application/xml", "application/rdf+xml", "xml"),
        ("text/plain", "application/n-triples", "nt"),
        ("application/trig", "application/trig", "trig"),
        ("application/n-quads", "application/n-quads", "nquads"),
    ],
)
def test_documents_answer_every_rdf_media_type(client: Any, accept: str, served: str, parser: str) -> None:
    reference = read(client.get(DOC + ".nt").data, "nt")
    response = client.get(DOC, headers={"Accept": accept})
    assert response.status_code == 200 and response.content_type == f"{served}; charset=utf-8"
    assert isomorphic(read(response.data, parser), reference)
    assert (THING, None, None) in reference


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_a_named_graph_in_trig_and_n_quads_names_itself(client: Any, suffix: str) -> None:
    body = client.get("/graph/ontology" + suffix).data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = Dataset()
        dataset.parse(data=body, format="trig" if suffix == ".trig" else "nquads")
        names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {"http://localhost/graph/ontology"}
    assert len(dataset.graph(URIRef("http://localhost/graph/ontology"))) > 500


def test_json_ld_profiles_choose_the_form(client: Any) -> None:
    compacted = client.get(DOC, headers={"Accept": "application/ld+json"})
    assert json.loads(compacted.data)["@context"] == "http://localhost/context.jsonld"
    for name in ("expanded", "flattened"):
        profile = f"http://www.w3.org/ns/json-ld#{name}"
        response = client.get(DOC, headers={"Accept": f'application/ld+json; profile="{profile}"'})
        assert response.content_type == f'application/ld+json; profile="{profile}"; charset=utf-8'
        document = json.loads(response.data)
        assert isinstance(document, list) and all("@id" in node for node in document)
        assert "@context" not in response.get_data(as_text=True)
        assert response.headers["ETag"] != compacted.headers["ETag"]
        assert isomorphic(read(response.data, "json-ld"), read(client.get(DOC + ".nt").data, "nt"))
    by_parameter = client.get(DOC + ".jsonld?profile=expanded")
    assert isinstance(json.loads(by_parameter.data), list)


def test_the_profile_parameter_is_read_from_accept() -> None:
    assert jsonld_form(None, None) == JSONLD
    assert jsonld_form('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', None) == JSONLD
    flattened = 'text/html;q=0.1, application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"'
    assert jsonld_form(flattened, None) == JSONLD_PROFILES["flattened"]
    assert jsonld_form(None, "expanded") == JSONLD_PROFILES["expanded"]
    assert jsonld_form('application/ld+json;profile="http://example.org/other"', None) == JSONLD


def test_nothing_acceptable_still_names_every_offered_type(client: Any) -> None:
    response = client.get(DOC, headers={"Accept": "image/png"})
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    assert "application/trig" in text and "application/n-quads" in text and "text/html" in text
