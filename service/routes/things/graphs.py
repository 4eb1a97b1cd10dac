"""Named graphs on the web: each graph IRI ({base}graph/{name}) answers with its triples (direct graph
identification), and {base}graph-store is the read side of the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from rdflib import Graph

from service.errors import BadRequest, NotFound
from service.http.documents import alternate_links, answer, chosen_format, split_suffix
from service.http.language import reader_language
from service.http.representations import serialise
from service.http.responses import negotiated
from service.http.state import current
from service.publication import layout
from service.publication.formats import DOCUMENT_FORMATS, GRAPH_FORMATS, HTML, Format
from service.routes.things import descriptions

GRAPH_TITLES = {
    "data": {"fr": "Graphe des données", "en": "Data graph"},
    "ontology": {"fr": "Graphe de l'ontologie", "en": "Ontology graph"},
    "shapes": {"fr": "Graphe des formes SHACL", "en": "SHACL shapes graph"},
}

blueprint = Blueprint("graphs", __name__)


@blueprint.get(layout.rule(layout.GRAPH_SPACE, "<name>"))
def named_graph(name: str) -> Response:
    """A graph IRI: its triples in RDF, or for browsers a short page pointing to the dumps and the endpoint."""
    stem, suffix = split_suffix(name)
    iri = layout.graph_iri(current().settings.base_url, stem)
    if iri not in descriptions.graph_names():
        raise NotFound(f"There is no graph {iri} here.")

    def render(fmt: Format) -> bytes | str:
        if fmt != HTML:
            return serialised(iri, fmt)
        return _page(stem, iri)

    return answer(iri, suffix, DOCUMENT_FORMATS, render)


@blueprint.get(layout.rule(layout.GRAPH_STORE_PATH))
def graph_store() -> Response:
    """GET/HEAD `?graph=IRI` (one named graph) or `?default` (the default graph: the union of the named graphs).

    The endpoint is read-only: for any other method, routing itself answers 405 with Allow: GET, HEAD, OPTIONS.

    :raises BadRequest: both parameters, neither, or more than one graph.
    :raises NotFound: the store holds no graph with that IRI.
    """
    named = request.args.getlist("graph")
    default = "default" in request.args
    if bool(named) == default or len(named) > 1:
        raise BadRequest("Name exactly one graph: ?graph=IRI for a named graph, or ?default for the default graph.")
    if named and named[0] not in descriptions.graph_names():
        known = ", ".join(descriptions.graph_names())
        raise NotFound(f"There is no graph {named[0]} here; the named graphs are: {known}.")
    fmt, explicit = chosen_format(None, GRAPH_FORMATS)
    return negotiated(serialised(named[0] if named else None, fmt), fmt, vary=not explicit)


def serialised(name: str | None, fmt: Format) -> bytes:
    """The whole graph `name` (None: the default graph) serialised in `fmt`, written once per app."""
    cache = current().cache
    key = ("graph", name, fmt.key)
    body: bytes | None = cache.get(key)
    if body is None:
        graph: Graph = descriptions.named_graph(name)
        body = serialise(graph, fmt, name)
        cache.put(key, body)
    return body


def _page(name: str, iri: str) -> str:
    lang = reader_language()
    state = current()
    titles = GRAPH_TITLES.get(name, {"fr": f"Graphe {name}", "en": f"Graph {name}"})
    dumps = [
        {
            "name": entry.name,
            "media_type": entry.media_type,
            "href": layout.dump_url(state.settings.base_url, entry.name),
        }
        for entry in state.published.manifest.files
        if entry.name.startswith(("dataset.", f"{name}."))
    ]
    return render_template(
        "graph.html",
        title=titles[lang],
        iri=iri,
        triples=len(descriptions.named_graph(iri)),
        dumps=dumps,
        sparql_url=layout.sparql_url(state.settings.base_url),
        graph_store_url=layout.graph_store_url(state.settings.base_url),
        alternates=alternate_links(iri, DOCUMENT_FORMATS, HTML),
    )
