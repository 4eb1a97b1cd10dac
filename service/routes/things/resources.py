"""Dereferencing: things ({base}id/…) answer 303 See Other to the documents about them ({base}doc/…), retired
ones 301 to their successors (retired.py); documents, the ontology ({base}def/cper and its version IRI) and the
shapes ({base}def/shapes) answer in the format the client negotiates (Turtle by default, HTML for browsers).
Canonical IRIs always come from settings.base_url."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from rdflib import DCTERMS, OWL, Graph, URIRef

from service.errors import NotFound
from service.http.documents import alternate_links, answer, split_suffix
from service.http.language import reader_language
from service.http.negotiation import by_key
from service.http.representations import embeddable_jsonld, serialise
from service.http.responses import redirect
from service.http.state import current
from service.publication import layout
from service.publication.formats import DOCUMENT_FORMATS, HTML, Format
from service.routes.things import descriptions, graphs, retired
from service.routes.things.charts import all_charts
from service.routes.things.pages import resource_page
from service.routes.things.vocabulary import VocabularyPage, ontology_page, shapes_page
from service.store.wellformed import iri_problem

blueprint = Blueprint("resources", __name__)
blueprint.register_blueprint(graphs.blueprint)


@blueprint.get(layout.rule(layout.THING_SPACE, "<path:path>"))
def thing(path: str) -> Response:
    """303 See Other to the document about the thing, keeping the client's query (`?format=`, `?lang=`)."""
    moved = retired.moved_thing(path)
    if moved is not None:
        return moved
    base = current().settings.base_url
    iri = _well_formed(layout.thing_iri(base, path))
    if not descriptions.exists(iri):
        raise NotFound(f"Nothing is described at {iri}.")
    return redirect(layout.document_url(base, path), 303)


@blueprint.get(layout.rule(layout.DOCUMENT_SPACE, "<path:path>"))
def document(path: str) -> Response:
    """The description of a thing, in every document format (suffix, `?format=` or Accept)."""
    base = current().settings.base_url
    stem, suffix = split_suffix(path)
    moved = retired.moved_document(stem, suffix)
    if moved is not None:
        return moved
    topic, document_url = _well_formed(layout.thing_iri(base, stem)), layout.document_url(base, stem)
    if not descriptions.exists(topic):
        raise NotFound(f"Nothing is described at {topic}, so there is no document {document_url}.")

    def render(fmt: Format) -> bytes | str:
        description = descriptions.describe(topic)
        content = description + descriptions.about_document(document_url, topic)
        if fmt != HTML:
            return serialise(content, fmt)
        page = resource_page(description, topic, reader_language(), embeddable_jsonld(content))
        alternates = alternate_links(document_url, DOCUMENT_FORMATS, HTML)
        charts = all_charts(reader_language()) if topic == current().published.profile.root else []
        return render_template("resource.html", page=page, alternates=alternates, charts=charts)

    return answer(document_url, suffix, DOCUMENT_FORMATS, render)


@blueprint.get(layout.rule(layout.VOCABULARY_SPACE, "<name>"))
def vocabulary(name: str) -> Response:
    """The ontology ({base}def/cper) or the shapes ({base}def/shapes): HTML documentation or RDF."""
    stem, suffix = split_suffix(name)
    base = current().settings.base_url
    if layout.VOCABULARY_SPACE + stem == layout.ONTOLOGY_PATH:
        return _ontology(layout.ontology_iri(base), suffix)
    if layout.VOCABULARY_SPACE + stem == layout.SHAPES_PATH:
        return _shapes(suffix)
    raise NotFound(f"There is no vocabulary named {stem!r} here; see {layout.ontology_iri(base)}.")


@blueprint.get(layout.rule(layout.ONTOLOGY_PATH + "/", "<version>"))
def ontology_version(version: str) -> Response:
    """The ontology's version IRI ({base}def/cper/1.1.0) dereferences to that version of the ontology; the IRI of
    an earlier version (`owl:priorVersion`), which this release no longer holds, answers 303 See Other to it."""
    base = current().settings.base_url
    ontology = descriptions.named_graph(layout.graph_iri(base, "ontology"))
    version_iri = ontology.value(URIRef(layout.ontology_iri(base)), OWL.versionIRI)
    versions = layout.ontology_version_iri(base, "")
    current_version = str(version_iri or "").removeprefix(versions)
    prior = sorted(str(iri).removeprefix(versions) for iri in ontology.objects(URIRef(layout.ontology_iri(base)),
                                                                                OWL.priorVersion))  # fmt: skip
    named = next((v for v in (current_version, *prior) if v and (version == v or version.startswith(v + "."))), None)
    if named is None:
        raise NotFound(f"This service publishes version {current_version or 'none'} of the ontology, not {version}.")
    suffix = version[len(named) :] or None
    if suffix is not None:
        by_key(suffix, DOCUMENT_FORMATS)  # an unknown suffix is a 406 naming the formats
    if named != current_version:
        return _see_current_version(str(version_iri), suffix)
    return _ontology(str(version_iri), suffix)


def _see_current_version(version_iri: str, suffix: str | None) -> Response:
    """303 to the current version (in the same format): not a move, the earlier version is another resource."""
    return redirect(version_iri + (suffix or ""), 303, link=f'<{version_iri}>; rel="successor-version"')  # RFC 5829


def _ontology(document_url: str, suffix: str | None) -> Response:
    base = current().settings.base_url
    graph_iri, ontology_iri = layout.graph_iri(base, "ontology"), layout.ontology_iri(base)
    graph = descriptions.named_graph(graph_iri)
    versioned = document_url != ontology_iri
    if versioned:
        # The version document says which ontology it is a version of, so its IRI is described too.
        graph = graph + _version_of(document_url, ontology_iri, graph)

    def render(fmt: Format) -> bytes | str:
        if fmt != HTML:
            return serialise(graph, fmt) if versioned else graphs.serialised(graph_iri, fmt)
        page = ontology_page(graph, ontology_iri, reader_language(), embeddable_jsonld(graph))
        return _vocabulary_html(page, document_url)

    return answer(document_url, suffix, DOCUMENT_FORMATS, render)


def _shapes(suffix: str | None) -> Response:
    base = current().settings.base_url
    graph_iri, document_url = layout.graph_iri(base, "shapes"), layout.shapes_iri(base)
    graph = descriptions.named_graph(graph_iri)

    def render(fmt: Format) -> bytes | str:
        if fmt != HTML:
            return graphs.serialised(graph_iri, fmt)
        page = shapes_page(graph, document_url, reader_language(), embeddable_jsonld(graph))
        return _vocabulary_html(page, document_url)

    return answer(document_url, suffix, DOCUMENT_FORMATS, render)


def _vocabulary_html(page: VocabularyPage, document_url: str) -> str:
    alternates = alternate_links(document_url, DOCUMENT_FORMATS, HTML)
    return render_template("vocabulary.html", page=page, document_url=document_url, alternates=alternates)


def _well_formed(iri: str) -> str:
    """`iri`, when the path made it a well-formed IRI (`/doc/a[b]`, `/doc/%ZZ` do not: nothing is described there).

    :raises NotFound: it is not one; the message quotes the IRI parser.
    """
    problem = iri_problem(iri)
    if problem is not None:
        raise NotFound(f"Nothing is described at {iri}: it is not a well-formed IRI ({problem}).")
    return iri


def _version_of(version_iri: str, ontology_iri: str, ontology: Graph) -> Graph:
    """The version IRI, and those of the earlier versions (which answer 303 to it), each a version of the ontology."""
    graph = Graph()
    for version in (URIRef(version_iri), *ontology.objects(URIRef(ontology_iri), OWL.priorVersion)):
        graph.add((version, DCTERMS.isVersionOf, URIRef(ontology_iri)))
    return graph
