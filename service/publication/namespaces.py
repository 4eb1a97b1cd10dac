"""The release's namespaces under its canonical base (which the dataset's profile gives): the named graphs and
the prefixes every serialisation binds. No base is written here."""

from __future__ import annotations

from rdflib import Graph, URIRef

from service.publication.layout import graph_iri, ontology_namespace, shapes_namespace

GRAPHS = ("data", "ontology", "shapes")  # the named graphs (layout.graph_iri), in this order

# The standard vocabularies of ontology/MODEL.md; the project's own (cper:, cpersh:) live under the base.
VOCABULARIES: dict[str, str] = {
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "legal": "http://www.w3.org/ns/legal#",
    "adms": "http://www.w3.org/ns/adms#",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "qb": "http://purl.org/linked-data/cube#",
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "igeo": "http://rdf.insee.fr/def/geo#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vann": "http://purl.org/vocab/vann/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    # The dataset's profile (data/dataset.ttl): bound, so that no serialiser invents ns1, ns2… in varying order.
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}


def prefixes(base: str) -> dict[str, str]:
    """The prefixes of ontology/MODEL.md under ``base``, for every serialisation and the JSON-LD context."""
    return {"cper": ontology_namespace(base), "cpersh": shapes_namespace(base), **VOCABULARIES}


def graph_name(base: str, name: str) -> URIRef:
    """The IRI of the named graph ``name`` (one of GRAPHS) under ``base``."""
    return URIRef(graph_iri(base, name))


def new_graph(base: str) -> Graph:
    """An empty graph bound to the project's prefixes under ``base`` only (not rdflib's long default list)."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in prefixes(base).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
