"""The JSON-LD @context generated from the ontology: MODEL.md's prefixes and one term per cper: term."""

from __future__ import annotations

from conftest import CANONICAL_BASE
from rdflib import Graph

from service.build.context import jsonld_context
from service.publication.namespaces import prefixes

PREFIXES = prefixes(CANONICAL_BASE)

ONTOLOGY = """
@prefix cper: <https://cper-hdf.example/def/cper#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<https://cper-hdf.example/def/cper> a owl:Ontology .
cper:PlanContract a owl:Class .
cper:exact a skos:Concept .
cper:committedBy a owl:ObjectProperty .
cper:amount a owl:DatatypeProperty ; rdfs:range xsd:decimal .
cper:signatureDate a owl:DatatypeProperty ; rdfs:range xsd:date .
cper:romanNumeral a owl:DatatypeProperty ; rdfs:range xsd:string .
cper:scopeNote a owl:DatatypeProperty ; rdfs:range rdf:langString .
cper:date a owl:DatatypeProperty ; rdfs:range [ owl:unionOf ( xsd:date xsd:gYearMonth ) ] .
cper:unknownProperty a rdf:Property ; rdfs:range rdf:Property .
cper:time a owl:ObjectProperty .
skos:notation a owl:DatatypeProperty .
"""


def test_prefixes_and_version() -> None:
    context = jsonld_context(Graph().parse(data=ONTOLOGY, format="turtle"), CANONICAL_BASE)["@context"]

    assert context["@version"] == 1.1
    assert {prefix: context[prefix] for prefix in PREFIXES} == PREFIXES
    assert context["cper"] == "https://cper-hdf.example/def/cper#"


def test_one_term_per_cper_term_with_its_coercion() -> None:
    context = jsonld_context(Graph().parse(data=ONTOLOGY, format="turtle"), CANONICAL_BASE)["@context"]

    terms = {name: value for name, value in context.items() if name not in PREFIXES and name != "@version"}
    assert terms == {
        "PlanContract": "cper:PlanContract",
        "exact": "cper:exact",
        "committedBy": {"@id": "cper:committedBy", "@type": "@id"},
        "amount": {"@id": "cper:amount", "@type": "xsd:decimal"},
        "signatureDate": {"@id": "cper:signatureDate", "@type": "xsd:date"},
        "romanNumeral": "cper:romanNumeral",  # plain strings need no coercion
        "scopeNote": "cper:scopeNote",  # language-tagged: coercion would drop the tag
        "date": "cper:date",  # two possible datatypes: each value says its own
        "unknownProperty": {"@id": "cper:unknownProperty", "@type": "@id"},
        # cper:time is left out: "time" is a prefix, and cper:time still compacts to "cper:time".
    }
