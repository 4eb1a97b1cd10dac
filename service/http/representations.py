"""Writing a graph in each RDF format the service serves, under the public base, without fetching anything.

Turtle, N-Triples and RDF/XML go through rdflib with the project's prefixes (rebased to the public base);
JSON-LD is compacted with the release's own context and refers to it by URL ({base}context.jsonld), except
when embedded in an HTML page, where the context travels inline so that no reader has to fetch it.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph

from service.http.state import current
from service.publication import layout
from service.publication.formats import JSONLD, QUAD_FORMATS, Format
from service.publication.jsonld import to_jsonld
from service.publication.namespaces import prefixes
from service.publication.serialisation import turtle


def public_prefixes() -> dict[str, str]:
    """The project's prefixes under the public base (cper:, cpersh:)."""
    return prefixes(current().settings.base_url)


def context() -> dict[str, Any]:
    """The release's JSON-LD context document (``{"@context": …}``), already under the public base.

    :raises LookupError: the release has no context.jsonld (the build always writes one).
    """
    artefact = current().published.artefact(layout.CONTEXT_NAME)
    if artefact is None:
        raise LookupError(f"the release has no {layout.CONTEXT_NAME}")
    document: dict[str, Any] = json.loads(artefact.data)
    return document


def context_url() -> str:
    return layout.context_url(current().settings.base_url)


def serialise(graph: Graph, fmt: Format, graph_name: str | None = None) -> bytes:
    """`graph` written in `fmt` (an RDF row of the document tables).

    In TriG and N-Quads its triples sit in the graph `graph_name`, or in the default graph when None.
    """
    if fmt in QUAD_FORMATS:
        return as_quads(_with_prefixes(graph), fmt, graph_name)
    if fmt == JSONLD:
        document = json.loads(to_jsonld(graph, context()))
        document["@context"] = context_url()
        return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt.rdflib is None:
        raise ValueError(f"{fmt.media_type} is not an RDF format")
    if fmt.rdflib == "turtle":
        # The dumps' writer: rdflib's own Turtle shorthand turns "19"^^xsd:decimal into 19.0, another term.
        return turtle(_with_prefixes(graph))
    return _with_prefixes(graph).serialize(format=fmt.rdflib, encoding="utf-8")


def as_quads(graph: Graph, fmt: Format, graph_name: str | None = None) -> bytes:
    """`graph` in TriG or N-Quads, its triples in the named graph `graph_name` (None: the default graph).

    Written from rdflib's Turtle and N-Triples (rdflib's own quad writers go through APIs it deprecates): a
    Turtle document is a TriG document of the default graph, and an N-Triples line plus a graph term is N-Quads.
    """
    if fmt.key == "nq":
        lines = graph.serialize(format="nt", encoding="utf-8").splitlines()
        if graph_name:
            lines = [line[: -len(b" .")] + f" <{graph_name}> .".encode() for line in lines if line.strip()]
        return b"".join(sorted(line + b"\n" for line in lines if line.strip()))
    turtle = graph.serialize(format="turtle", encoding="utf-8")
    if not graph_name:
        return turtle
    lines = turtle.splitlines(keepends=True)
    prefixes = [line for line in lines if line.startswith((b"@prefix", b"@base", b"PREFIX", b"BASE"))]
    body = [b"    " + line if line.strip() else line for line in lines if line not in prefixes]
    return b"".join([*prefixes, b"\n", f"<{graph_name}> {{\n".encode(), *body, b"}\n"])


def embeddable_jsonld(graph: Graph) -> str:
    """JSON-LD with the context inline, safe inside an HTML <script> element (no "<" left to end it)."""
    return to_jsonld(graph, context()).replace("<", "\\u003c")


def _with_prefixes(graph: Graph) -> Graph:
    """A copy of `graph` binding only the project's prefixes (rdflib's defaults would add unrelated ones)."""
    copy = Graph(bind_namespaces="core")
    for prefix, namespace in public_prefixes().items():
        copy.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        copy.add(triple)
    return copy
