"""The JSON-LD writer: compacted with the project's context, lossless, and the same bytes for the same graph."""

from __future__ import annotations

import json

import pytest
from conftest import CANONICAL_BASE
from rdflib import Graph
from rdflib.compare import isomorphic

from service.build.context import jsonld_context
from service.publication.jsonld import to_jsonld

PREFIXES = """
@prefix cper: <https://cper-hdf.example/def/cper#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix c_: <https://cper-hdf.example/id/contract/> .
"""
ONTOLOGY = """
cper:PlanContract a owl:Class .
cper:period a owl:ObjectProperty ; rdfs:range time:Interval .
cper:amount a owl:DatatypeProperty ; rdfs:range xsd:decimal .
"""
DATA = """
c_:c1 a cper:PlanContract ; rdfs:label "Contrat"@fr, "Contract"@en ;
    cper:period [ a time:Interval ; time:hasBeginning [ time:inXSDGYear "2021"^^xsd:gYear ] ] ;
    cper:amount "994000000"^^xsd:decimal, 12 ;
    rdfs:comment "plain", "typed"^^xsd:string ;
    rdfs:seeAlso ( c_:c2 c_:c3 ) .
"""
# rdflib's JSON-LD parser calls its own deprecated ConjunctiveGraph.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


@pytest.fixture(scope="module")
def document() -> str:
    return to_jsonld(turtle(DATA), jsonld_context(turtle(ONTOLOGY), CANONICAL_BASE))


def test_the_document_is_the_same_graph(document: str) -> None:
    # rdflib's own serialiser loses the interval here: `period` is @id-coerced and the interval a blank node.
    assert isomorphic(Graph().parse(data=document, format="json-ld"), turtle(DATA))


def test_nodes_are_compacted_with_the_context(document: str) -> None:
    nodes = {node["@id"]: node for node in json.loads(document)["@graph"]}

    contract = nodes["https://cper-hdf.example/id/contract/c1"]
    assert contract["@type"] == "PlanContract"
    assert contract["amount"] == "994000000"  # the term's coercion says xsd:decimal
    assert contract["cper:amount"] == {"@type": "xsd:integer", "@value": "12"}  # not a decimal: no coercion
    interval = nodes[contract["period"]]
    assert interval["@type"] == "time:Interval" and contract["period"].startswith("_:")
    assert contract["rdfs:comment"] == ["plain", {"@type": "xsd:string", "@value": "typed"}]
    assert contract["rdfs:label"] == [
        {"@language": "en", "@value": "Contract"},
        {"@language": "fr", "@value": "Contrat"},
    ]


def test_the_same_graph_gives_the_same_bytes() -> None:
    context = jsonld_context(turtle(ONTOLOGY), CANONICAL_BASE)
    triples = list(turtle(DATA))
    forwards, backwards = Graph(), Graph()
    for triple in triples:
        forwards.add(triple)
    for triple in reversed(triples):
        backwards.add(triple)

    assert to_jsonld(forwards, context) == to_jsonld(backwards, context)
