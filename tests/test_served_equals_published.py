"""Served = published: the store the service loads holds exactly the dump's RDF terms, the graph read back from it
passes the shapes, and every /doc/ document, in every RDF format, states what the dump states about its resource."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from conftest import CANONICAL_BASE, parse_graph
from graphs import same_graph
from rdflib import DCTERMS, BNode, Graph, URIRef
from rdflib.term import Node

from service.build.sources import Sources
from service.build.validation import validate
from service.publication.namespaces import GRAPHS, graph_name, new_graph

GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_SHAPES = (graph_name(CANONICAL_BASE, name) for name in GRAPHS)

PUBLIC_BASE = "http://localhost/"  # the test app's BASE_URL (conftest.app)
FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}


def has_blank(*terms: Node) -> bool:
    return any(isinstance(term, BNode) for term in terms)


@functools.cache
def store_and_dump(release: Path) -> tuple[dict[Node, Graph], dict[Node, Graph]]:
    """Per named graph: the quads of a pyoxigraph store bulk-loaded from the N-Quads dump as the service does it,
    and the dump's own lines, both read with rdflib's N-Triples parser (which keeps every lexical form)."""
    nquads = (release / "dataset.nq").read_bytes()
    store = ox.Store()
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    stored_lines = [f"{quad.subject} {quad.predicate} {quad.object} {quad.graph_name} ." for quad in store]
    return by_graph(stored_lines), by_graph(nquads.decode("utf-8").splitlines())


def by_graph(lines: list[str]) -> dict[Node, Graph]:
    """N-Quads lines (one quad each, every quad in a named graph) as one rdflib graph per graph name."""
    triples: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.strip():
            statement, name, _ = line.rsplit(" ", 2)
            triples[name].append(statement + " .\n")
    graphs = {}
    for name, statements in triples.items():
        graph = Graph()
        graph.parse(data="".join(statements), format="nt")
        graphs[URIRef(name.strip("<>"))] = graph
    return graphs


def test_the_store_holds_exactly_the_dumps_terms(release_dir: Path) -> None:
    stored, dumped = store_and_dump(release_dir)
    assert set(stored) == set(dumped) == {GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_SHAPES}
    for name in dumped:
        # Without blank nodes, the very same terms (a normalised literal would differ here)...
        assert {t for t in stored[name] if not has_blank(*t)} == {t for t in dumped[name] if not has_blank(*t)}
        # ...and with them, the same graph (the store relabels blank nodes).
        assert same_graph(stored[name], dumped[name]), name


def test_the_graph_read_back_from_the_store_passes_the_shapes(release_dir: Path) -> None:
    graphs, _ = store_and_dump(release_dir)

    def copy(name: URIRef) -> Graph:
        graph = new_graph(CANONICAL_BASE)
        graph += graphs[name]
        return graph

    report = validate(
        Sources(data=copy(GRAPH_DATA), ontology=copy(GRAPH_ONTOLOGY), shapes=copy(GRAPH_SHAPES), base=CANONICAL_BASE)
    )
    assert report.conforms, report.as_text()


def rebased(term: Node) -> Node:
    if isinstance(term, URIRef) and str(term).startswith(CANONICAL_BASE):
        return URIRef(PUBLIC_BASE + str(term)[len(CANONICAL_BASE) :])
    return term


@functools.cache
def published(release: Path) -> Graph:
    """The dump's union graph under the test app's public base."""
    _, dumped = store_and_dump(release)
    graph = Graph()
    for named in dumped.values():
        for s, p, o in named:
            graph.add((rebased(s), rebased(p), rebased(o)))
    return graph


def documents(release: Path) -> list[URIRef]:
    """Every thing (``id/`` IRI) the data graph describes, but the retired IRIs (they answer 301: test_retired.py)."""
    _, dumped = store_and_dump(release)
    data = dumped[GRAPH_DATA]
    retired = set(data.subjects(DCTERMS.isReplacedBy, None))
    return sorted({s for s in data.subjects() if isinstance(s, URIRef) and str(s).startswith(CANONICAL_BASE + "id/")}
                  - retired)  # fmt: skip


def fetch(client: Any, path: str, suffix: str, context: Any = None) -> Graph:
    """A served document parsed as RDF; JSON-LD gets the service's own context inline (``context``, when already
    asked for), so nothing is fetched."""
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    if suffix != "jsonld":
        return parse_graph(answer.data, FORMATS[suffix])
    document = json.loads(answer.data)
    document["@context"] = context or served_context(client)
    return parse_graph(json.dumps(document), "json-ld")


def served_context(client: Any) -> Any:
    return json.loads(client.get("/context.jsonld").data)["@context"]


def test_every_document_in_every_format_states_what_the_dump_states(release_dir: Path, client: Any) -> None:
    everything = published(release_dir)
    # Looked up per document: a set of the whole dump, and the dump's statements by subject.
    dumped_statements = {t for t in everything if not has_blank(*t)}
    context = served_context(client)  # the one every JSON-LD document refers to
    things = documents(release_dir)
    assert len(things) > 150
    problems = []
    for thing in things:
        resource = rebased(thing)
        path = "/doc/" + str(thing)[len(CANONICAL_BASE + "id/") :]
        served = {}
        for suffix in FORMATS:
            served[suffix] = fetch(client, f"{path}.{suffix}", suffix, context)
        turtle = served["ttl"]
        for suffix, graph in served.items():
            if not same_graph(graph, turtle):
                problems.append(f"{path}: .{suffix} is not the same graph as .ttl")
        own = {t for t in turtle.triples((resource, None, None)) if not has_blank(*t)}
        expected = {t for t in everything.triples((resource, None, None)) if not has_blank(*t)}
        if own != expected:
            problems.append(f"{path}: its statements differ from the dump's: {sorted(own ^ expected)[:3]}")
        document = URIRef(PUBLIC_BASE + path.lstrip("/"))  # the page's own metadata (licence, topic) is not data
        foreign = {t for t in turtle if not has_blank(*t) and t[0] != document} - dumped_statements
        if foreign:
            problems.append(f"{path}: states what the dump does not: {sorted(foreign)[:3]}")
    assert problems == [], "\n".join(problems[:20])


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_a_decimal_share_keeps_its_term_in_every_format(client: Any, suffix: str) -> None:
    """Regression: "19"^^xsd:decimal was served as 19.0 in Turtle, another RDF term than the dump's."""
    graph = fetch(client, f"/doc/axis/axe-1.{suffix}", suffix)
    axis, share = URIRef(PUBLIC_BASE + "id/axis/axe-1"), URIRef(PUBLIC_BASE + "def/cper#sharePercent")
    shares = {str(value) for value in graph.objects(axis, share)}
    assert shares == {"19"}
