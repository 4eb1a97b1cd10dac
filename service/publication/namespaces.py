"""The release's namespaces: the canonical base every IRI of the sources is written under, the named graphs and
the prefixes every serialisation binds."""

from __future__ import annotations

from rdflib import Graph, URIRef

from service.publication.layout import graph_iri, ontology_namespace, shapes_namespace

# The one place the canonical base is written in Python; everything else derives from it.
CANONICAL_BASE = "https://cper-hdf.example/"

CPER = ontology_namespace(CANONICAL_BASE)
CPERSH = shapes_namespace(CANONICAL_BASE)

GRAPH_DATA = URIRef(graph_iri(CANONICAL_BASE, "data"))
GRAPH_ONTOLOGY = URIRef(graph_iri(CANONICAL_BASE, "ontology"))
GRAPH_SHAPES = URIRef(graph_iri(CANONICAL_BASE, "shapes"))

# The prefixes of ontology/MODEL.md, used for every serialisation and for the JSON-LD context.
PREFIXES: dict[str, str] = {
    "cper": CPER,
    "cpersh": CPERSH,
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
}


def new_graph() -> Graph:
    """An empty graph bound to the project's prefixes only (not rdflib's long default list)."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
