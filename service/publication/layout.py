"""The IRI layout of a release under a base: where things, documents, definitions, graphs and files live."""

from __future__ import annotations

from rdflib import URIRef


def dataset_iri(base_url: str) -> URIRef:
    return URIRef(base_url + "catalog#dataset")


def dump_url(base_url: str, name: str) -> str:
    return f"{base_url}dumps/{name}"
