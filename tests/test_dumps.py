"""Reproducible serialisations: content-derived blank-node labels, literals kept as written, sorted output."""

from __future__ import annotations

import gzip

import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from service.publication.serialisation import (
    canonical,
    content_names,
    gzipped,
    nquads,
    ntriples,
    ordered_graph,
    trig,
    turtle,
)

TURTLE = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:c ex:period [ ex:begins [ ex:year "2021"^^xsd:gYear ] ; ex:ends [ ex:year "2027"^^xsd:gYear ] ] ;
    ex:list ( ex:a ex:b ) ;
    ex:amount "994000000"^^xsd:decimal, "1.50"^^xsd:decimal, "+7"^^xsd:integer, "x"^^xsd:string, "x" .
"""
G1, G2 = URIRef("http://example.org/graph/one"), URIRef("http://example.org/graph/two")


def parse(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def test_blank_node_labels_depend_on_content_only() -> None:
    first, second = canonical(parse(TURTLE), "data"), canonical(parse(TURTLE), "data")

    assert ntriples(first) == ntriples(second)
    assert isomorphic(first, parse(TURTLE))
    labels = {word for line in ntriples(first).decode().splitlines() for word in line.split() if word.startswith("_:")}
    assert len(labels) == 5 and all(label.startswith("_:data_cb") for label in labels)


def test_ntriples_lines_are_sorted_and_end_with_a_newline() -> None:
    text = ntriples(canonical(parse(TURTLE), "data")).decode()

    lines = text.splitlines()
    assert lines == sorted(lines) and text.endswith(" .\n")
    assert (
        '<http://example.org/c> <http://example.org/amount> "994000000"^^<http://www.w3.org/2001/XMLSchema#decimal> .'
        in lines
    )


def test_turtle_keeps_every_literal_as_written() -> None:
    # rdflib's shorthand writes "994000000"^^xsd:decimal as 994000000.0: another RDF term.
    graph = canonical(parse(TURTLE), "data")

    text = turtle(graph).decode()

    assert '"994000000"^^xsd:decimal' in text and " 1.50" in text
    assert isomorphic(parse(text), graph)


def test_the_order_triples_arrive_in_does_not_change_the_bytes() -> None:
    graph = canonical(parse(TURTLE), "data")

    forwards, backwards = ordered_graph(list(graph), {}), ordered_graph(reversed(list(graph)), {})

    assert turtle(forwards) == turtle(backwards)


def test_nquads_name_the_graph_of_each_line() -> None:
    graphs = {G2: canonical(parse(TURTLE), "two"), G1: canonical(parse("<http://e/s> <http://e/p> 1 ."), "one")}

    lines = nquads(graphs).decode().splitlines()

    assert lines == sorted(lines)
    assert (
        '<http://e/s> <http://e/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <http://example.org/graph/one> .'
        in lines
    )
    assert sum(line.endswith(f" {G2.n3()} .") for line in lines) == len(graphs[G2])


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_trig_holds_each_graph_in_name_order() -> None:
    graphs = {G2: canonical(parse(TURTLE), "two"), G1: canonical(parse("<http://e/s> <http://e/p> 1 ."), "one")}

    text = trig(graphs).decode()

    assert text.index(f"{G1.n3()} {{") < text.index(f"{G2.n3()} {{")
    dataset = Dataset()
    dataset.parse(data=text, format="trig")
    for name, graph in graphs.items():
        parsed = Graph()
        for triple in dataset.graph(name):
            parsed.add(triple)
        assert len(parsed) == len(graph) and isomorphic(parsed, graph), name


def test_gzip_output_has_no_timestamp() -> None:
    compressed = gzipped(b"content\n")

    assert compressed == gzipped(b"content\n")
    assert gzip.decompress(compressed) == b"content\n" and compressed[4:8] == b"\0\0\0\0"


def test_blank_nodes_refinement_cannot_tell_apart_get_rdflib_canonical_labels() -> None:
    # Two blank nodes pointing at each other look alike from every side: colour refinement leaves them one colour.
    symmetric = "_:a <http://e/p> _:b . _:b <http://e/p> _:a . _:a <http://e/q> 1 . _:b <http://e/q> 1 ."
    assert content_names(parse(symmetric)) is None

    first, second = canonical(parse(symmetric), "sym"), canonical(parse(symmetric), "sym")

    assert ntriples(first) == ntriples(second) and isomorphic(first, parse(symmetric))
    assert len({term for triple in first for term in triple if isinstance(term, BNode)}) == 2


def test_blank_nodes_named_by_content_do_not_depend_on_their_labels_or_order() -> None:
    graph = parse(TURTLE)
    names = content_names(graph)
    assert names is not None and len(set(names.values())) == len(names) == 5
    relabelled = Graph()
    renamed = {node: BNode() for node in names}
    for triple in reversed(sorted(graph)):
        relabelled.add(tuple(renamed.get(term, term) for term in triple))

    assert ntriples(canonical(relabelled, "data")) == ntriples(canonical(graph, "data"))
