"""The IRI layout of a release under a base: where things, documents, definitions, graphs and files live."""

from __future__ import annotations

from rdflib import URIRef

ROOT_PATH = "id/contract/cper-hauts-de-france-2021-2027"  # the contract, the dataset's root resource


def dataset_iri(base_url: str) -> URIRef:
    return URIRef(base_url + "catalog#dataset")


def root_iri(base_url: str) -> URIRef:
    return URIRef(base_url + ROOT_PATH)


def dump_url(base_url: str, name: str) -> str:
    return f"{base_url}dumps/{name}"
