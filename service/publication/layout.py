"""The IRI layout of a release under a base: where things, documents, definitions, graphs and files live.

Every IRI or URL the service writes or routes is built here from the public base (`settings.base_url`, ending
in `/`, or the release's canonical base); no other module spells a path. The *_PATH and *_SPACE names are the
paths under the base, so that Flask rules are built from the same names as the IRIs (see `rule`).
"""

from __future__ import annotations

from rdflib import URIRef

THING_SPACE = "id/"  # things: {base}id/{type}/{slug}, answering 303 to their document
DOCUMENT_SPACE = "doc/"  # the document about each thing: {base}doc/{type}/{slug}
ONTOLOGY_PATH = "def/cper"  # the ontology; its terms are {base}def/cper#Term, its versions {base}def/cper/1.1.0
SHAPES_PATH = "def/shapes"  # the SHACL shapes; their nodes are {base}def/shapes#Shape
VOCABULARY_SPACE = "def/"  # where the two vocabularies live
GRAPH_SPACE = "graph/"  # named graphs: {base}graph/data, …/ontology, …/shapes
GRAPH_STORE_PATH = "graph-store"  # the read side of the SPARQL 1.1 Graph Store Protocol
DUMPS_SPACE = "dumps/"  # the release's files, and their index at {base}dumps/
CONTEXT_NAME = "context.jsonld"  # the JSON-LD context: a file of the release, also served at {base}context.jsonld
SPARQL_PATH = "sparql"  # the SPARQL endpoint
SEARCH_PATH = "search"  # finding a thing by its name
CATALOG_PATH = "catalog"  # the DCAT-AP catalogue; its nodes are {base}catalog#fragment
VOID_PATH = ".well-known/void"  # the VoID description
OPENAPI_PATH = "openapi.json"  # the OpenAPI description, also at {base}.well-known/openapi.json
WELL_KNOWN_OPENAPI_PATH = ".well-known/openapi.json"


def rule(path: str, variable: str = "") -> str:
    """The Flask rule for `path` under the base, with a trailing variable: `rule(THING_SPACE, "<path:path>")`."""
    return "/" + path + variable


def thing_iri(base: str, path: str) -> str:
    """The thing `{base}id/{path}` (path: `type/slug`)."""
    return base + THING_SPACE + path


def document_url(base: str, path: str) -> str:
    """The document `{base}doc/{path}` about the thing `{base}id/{path}`."""
    return base + DOCUMENT_SPACE + path


def thing_of(base: str, document: str) -> str | None:
    """The thing a document is about (`{base}doc/x/y` -> `{base}id/x/y`); None for any other URL."""
    prefix = base + DOCUMENT_SPACE
    return thing_iri(base, document[len(prefix) :]) if document.startswith(prefix) else None


def document_of(base: str, thing: str) -> str:
    """The page to link for `thing`: its document when it is a thing of this base, else the IRI itself."""
    path = thing_path(base, thing)
    return document_url(base, path) if path is not None else thing


def thing_path(base: str, iri: str) -> str | None:
    """`type/slug` (or deeper) of a thing of this base; None when `iri` is not under `{base}id/`."""
    space = base + THING_SPACE
    return iri[len(space) :] if iri.startswith(space) else None


def ontology_iri(base: str) -> str:
    return base + ONTOLOGY_PATH


def ontology_namespace(base: str) -> str:
    """The namespace of the ontology's terms (`{base}def/cper#`)."""
    return base + ONTOLOGY_PATH + "#"


def ontology_version_iri(base: str, version: str) -> str:
    return base + ONTOLOGY_PATH + "/" + version


def shapes_iri(base: str) -> str:
    return base + SHAPES_PATH


def shapes_namespace(base: str) -> str:
    return base + SHAPES_PATH + "#"


def graph_iri(base: str, name: str) -> str:
    """The named graph `name` (`data`, `ontology`, `shapes`)."""
    return base + GRAPH_SPACE + name


def graph_store_url(base: str) -> str:
    return base + GRAPH_STORE_PATH


def dumps_url(base: str) -> str:
    """The index of the release's files."""
    return base + DUMPS_SPACE


def dump_url(base_url: str, name: str) -> str:
    return base_url + DUMPS_SPACE + name


def context_url(base: str) -> str:
    return base + CONTEXT_NAME


def sparql_url(base: str) -> str:
    return base + SPARQL_PATH


def search_url(base: str) -> str:
    return base + SEARCH_PATH


def catalog_url(base: str) -> str:
    return base + CATALOG_PATH


def catalog_node(base: str, fragment: str) -> URIRef:
    """A node of the catalogue: `{base}catalog#{fragment}` (dataset, publisher, distribution-…)."""
    return URIRef(f"{base}{CATALOG_PATH}#{fragment}")


def void_url(base: str) -> str:
    return base + VOID_PATH


def openapi_url(base: str) -> str:
    return base + OPENAPI_PATH


def dataset_iri(base_url: str) -> URIRef:
    return catalog_node(base_url, "dataset")
