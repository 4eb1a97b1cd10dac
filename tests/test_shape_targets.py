"""The SPARQL targets of shapes/cper-shapes.ttl select exactly the focus nodes of their former, costlier wording.

rdflib evaluates every operand of a FILTER's `&&` for every row and joins MINUS row by row, so the targets were
reworded (cheap filters in an inner group, NOT EXISTS instead of MINUS, each subject once before its triples are
walked). The former wording is kept here as the reference, answered by Oxigraph; pyshacl's own focus-node
selection of each shape must give the same nodes on the real graph and on graphs changed so that every part of the
targets has work to do.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from conftest import CANONICAL_BASE, data_and_ontology
from conftest import PROJECT_ROOT as ROOT
from pyshacl.shape import Shape
from pyshacl.shapes_graph import ShapesGraph
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from service.build.sources import load_sources
from service.publication.namespaces import prefixes

SH = Namespace("http://www.w3.org/ns/shacl#")
CPERSH = Namespace(CANONICAL_BASE + "def/shapes#")
CPER = Namespace(CANONICAL_BASE + "def/cper#")
ID = Namespace(CANONICAL_BASE + "id/")
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")

# The targets as they were worded before they were made cheaper: the definition they must still meet.
FORMER_TARGETS = {
    CPERSH.LabelledResourceShape: """
        SELECT ?this WHERE {
            { SELECT DISTINCT ?this WHERE { ?this ?anyPredicate ?anyObject } }
            FILTER (isIRI(?this) && !STRSTARTS(STR(?this), STR(cperdef:)))
            MINUS {
                ?this a ?vocabularyKind .
                FILTER (?vocabularyKind IN (owl:Ontology, owl:Class, rdfs:Class, rdfs:Datatype, rdf:Property,
                                            owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty)
                        && !STRSTARTS(STR(?this), STR(cperdef:)))
            }
            MINUS { ?this dct:isReplacedBy ?successor }  # retired IRIs (release 1.1): cpersh:RetiredIriShape
        }""",
    CPERSH.FactBearingNodeShape: """
        SELECT ?this WHERE {
            { SELECT DISTINCT ?this WHERE { ?this rdfs:label ?label } }
            FILTER (isIRI(?this) && !STRSTARTS(STR(?this), STR(cperdef:))
                    && !STRSTARTS(STR(?this), CONCAT(STR(cperid:), "register/")))
            MINUS {
                ?this a ?notAFact .
                FILTER (?notAFact IN (owl:Ontology, owl:Class, rdfs:Class, rdfs:Datatype, rdf:Property,
                                      owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty,
                                      prov:Entity, adms:Identifier, cper:UnknownValue)
                        && !STRSTARTS(STR(?this), STR(cperdef:)))
            }
            MINUS { ?dataset a void:Dataset ; (dct:publisher|dcat:contactPoint|dct:license)? ?this . }  # the profile
        }""",
    CPERSH.UnattributedFactShape: """
        SELECT DISTINCT ?this WHERE {
            ?this dct:source ?anySource .
            FILTER (isIRI(?this) && !STRSTARTS(STR(?this), STR(cperdef:)))
            ?this ?path ?value .
            FILTER (?path NOT IN (rdf:type, rdfs:label, rdfs:comment, skos:prefLabel, skos:altLabel, skos:note,
                                  skos:definition, skos:inScheme, skos:topConceptOf, skos:hasTopConcept,
                                  dct:source, cper:confidence, cper:unknown))
            FILTER NOT EXISTS {
                ?statement rdf:subject ?this ; rdf:predicate ?path ; rdf:object ?value ;
                    dct:source ?statementSource ; cper:confidence ?anyConfidence .
            }
        }""",
}
NAMESPACES = {
    **prefixes(CANONICAL_BASE),
    "cperdef": CANONICAL_BASE + "def/",
    "cperid": CANONICAL_BASE + "id/",
}


@functools.cache
def shapes_by_node() -> dict[Node, Shape]:
    shapes = Graph()
    shapes += load_sources(ROOT).shapes
    return {shape.node: shape for shape in ShapesGraph(shapes).shapes}


def focus_nodes(shape: URIRef, graph: Graph) -> set[Node]:
    """The focus nodes pyshacl selects for ``shape`` in advanced mode, as validation does."""
    found = shapes_by_node()[shape]
    found.set_advanced(True)
    return set(found.focus_nodes(graph))


# --- Changes that give each part of the targets something to select or to leave out ----------------------------


def unattributed_facts(graph: Graph) -> None:
    """Every third attributed statement loses its confidence, and one loses its subject: facts without attribution."""
    statements = sorted(graph.subjects(RDF.type, RDF.Statement), key=str)
    for statement in statements[::3]:
        graph.remove((statement, CPER.confidence, None))
    graph.remove((statements[1], RDF.subject, None))


def odd_subjects(graph: Graph) -> None:
    """Subjects at every edge of the targets: vocabulary kinds inside and outside def/, registers, blank nodes,
    sources, identifiers, known unknowns, retired IRIs, labelled and unlabelled, sourced and not."""
    contract = ID["contract/cper-hauts-de-france-2021-2027"]
    source = URIRef("https://www.example.org/page")
    odd = {
        URIRef("https://www.example.org/vocabulary/Thing"): OWL.Class,
        URIRef("https://www.example.org/vocabulary/link"): OWL.ObjectProperty,
        URIRef("https://www.example.org/vocabulary"): OWL.Ontology,
        URIRef(CANONICAL_BASE + "def/cper#Extra"): OWL.Class,
        URIRef(CANONICAL_BASE + "def/other"): CPER.Contract,
        ID["register/extra"]: CPER.Contract,
        ID["thing/a-source"]: PROV.Entity,
        ID["thing/an-identifier"]: URIRef("http://www.w3.org/ns/adms#Identifier"),
        ID["thing/an-unknown"]: CPER.UnknownValue,
        ID["thing/a-fact"]: CPER.Contract,
    }
    for node, kind in odd.items():
        graph.add((node, RDF.type, kind))
        graph.add((node, RDFS.label, Literal("x", lang="fr")))
        graph.add((node, DCT.source, source))
        graph.add((node, CPER.predecessor, contract))
    graph.add((ID["thing/unlabelled"], CPER.predecessor, contract))
    graph.add((ID["thing/retired"], DCT.isReplacedBy, contract))
    graph.add((ID["thing/retired-and-labelled"], DCT.isReplacedBy, contract))
    graph.add((ID["thing/retired-and-labelled"], RDFS.label, Literal("x", lang="fr")))
    blank = BNode()
    graph.add((blank, RDFS.label, Literal("blank", lang="en")))
    graph.add((blank, DCT.source, source))
    graph.add((blank, CPER.predecessor, contract))
    graph.remove((contract, RDFS.label, None))


def unchanged(graph: Graph) -> None:
    """The real graph."""


CHANGES: list[Callable[[Graph], None]] = [unchanged, unattributed_facts, odd_subjects]


@functools.cache
def changed(change: Callable[[Graph], None]) -> Graph:
    graph = Graph()
    graph += data_and_ontology()
    change(graph)
    return graph


@functools.cache
def former_focus_nodes(shape: URIRef, change: Callable[[Graph], None]) -> frozenset[str]:
    """The former target's answer, from Oxigraph: another engine, and one that answers it in milliseconds."""
    store = ox.Store()
    store.load(changed(change).serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    prologue = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in NAMESPACES.items())
    solutions = store.query(prologue + FORMER_TARGETS[shape])
    assert isinstance(solutions, ox.QuerySolutions)
    return frozenset(str(solution["this"].value) for solution in solutions)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
@pytest.mark.parametrize("shape", sorted(FORMER_TARGETS), ids=lambda shape: shape.fragment)
def test_a_reworded_target_selects_the_same_focus_nodes(shape: URIRef, change: Callable[[Graph], None]) -> None:
    selected, expected = focus_nodes(shape, changed(change)), former_focus_nodes(shape, change)
    assert all(isinstance(node, URIRef) for node in selected)  # the targets select IRIs only
    assert {str(node) for node in selected} == expected, sorted({str(node) for node in selected} ^ expected)[:10]


@pytest.mark.parametrize("shape", sorted(FORMER_TARGETS), ids=lambda shape: shape.fragment)
def test_every_change_gives_the_target_something_to_select(shape: URIRef) -> None:
    """So that the comparison above is never between two empty sets: each target selects nodes after some change,
    and the changes move its selection."""
    selections = [former_focus_nodes(shape, change) for change in CHANGES]
    assert any(selections)
    assert len(set(selections)) > 1
