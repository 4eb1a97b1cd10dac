"""What the store says about one resource or one named graph, through the .rq files in service/queries/."""

from __future__ import annotations

import re

from flask import current_app
from rdflib import DCTERMS, FOAF, Graph, URIRef

from service.http.state import current
from service.queries import load as query

LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
# Characters RFC 3987 never allows in an IRI (U+FFFD stands for bytes of a path that were not UTF-8).
NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|^`\\\ufffd]')


def exists(iri: str) -> bool:
    """Whether the store has at least one statement about `iri` (nothing is said about a string that is no IRI)."""
    if NOT_IN_IRIS.search(iri):
        return False
    return current().store.ask(query("exists"), {"resource": URIRef(iri)})


def describe(iri: str) -> Graph:
    """The description of `iri`: its statements, its blank nodes', statements pointing at it, and names."""
    return current().store.graph(query("describe"), {"resource": URIRef(iri)})


def about_document(document_url: str, topic: str) -> Graph:
    """What a document says about itself: the thing it is about, and the licence it is published under."""
    graph = Graph()
    document = URIRef(document_url)
    graph.add((document, FOAF.primaryTopic, URIRef(topic)))
    graph.add((document, DCTERMS.license, LICENCE))
    return graph


def named_graph(name: str | None) -> Graph:
    """The statements of the named graph `name` (all named graphs when None), read once per app.

    The release never changes while the app runs, so whole graphs (the ontology page, graph IRIs, the
    Graph Store Protocol) are fetched from the store once and kept.
    """
    graphs: dict[str | None, Graph] = current_app.extensions.setdefault("cper.graphs", {})
    if name not in graphs:
        bindings = {"graph": URIRef(name)} if name is not None else None
        graphs[name] = current().store.graph(query("graph"), bindings)
    return graphs[name]


def graph_names() -> list[str]:
    """The IRIs of the named graphs the store holds, sorted."""
    names: list[str] = current_app.extensions.setdefault("cper.graph-names", [])
    if not names:
        names.extend(str(row["graph"]) for row in current().store.rows(query("graph-names")))
    return names
