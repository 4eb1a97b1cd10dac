"""The DCAT-AP 3 catalogue of the release (served at /catalog): the dataset, one distribution per file, the endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath

from rdflib import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from service.http.state import AppState
from service.publication import layout
from service.publication.formats import GZIP, by_media_type
from service.publication.layout import dump_url
from service.publication.namespaces import prefixes
from service.publication.profile import DatasetProfile
from service.publication.published import Artefact

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
TIME = Namespace("http://www.w3.org/2006/time#")
EU = Namespace("http://publications.europa.eu/resource/authority/")
IANA = "http://www.iana.org/assignments/media-types/"

DCAT_PREFIXES = {
    "dcat": str(DCAT), "dcatap": str(DCATAP), "dct": str(DCTERMS), "foaf": str(FOAF), "spdx": str(SPDX),
    "vcard": str(VCARD), "skos": str(SKOS), "rdfs": str(RDFS), "xsd": str(XSD), "time": str(TIME),
}  # fmt: skip

# What each released file holds, by the stem of its name: (fr, en) titles and descriptions.
ROLES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "dataset": (
        ("Jeu de données complet", "Full dataset"),
        ("Les données, l'ontologie et les formes SHACL.", "The data, the ontology and the SHACL shapes."),
    ),
    "ontology": (
        ("Ontologie cper", "The cper ontology"),
        ("Les classes et propriétés du vocabulaire cper.", "The classes and properties of the cper vocabulary."),
    ),
    "shapes": (
        ("Formes SHACL", "SHACL shapes"),
        ("Les contraintes que les données respectent.", "The constraints the data meets."),
    ),
    "context": (
        ("Contexte JSON-LD", "JSON-LD context"),
        ("Le contexte des documents JSON-LD du service.", "The context of the service's JSON-LD documents."),
    ),
    "shacl-report": (
        ("Rapport de validation SHACL", "SHACL validation report"),
        ("Le résultat de la validation de cette version.", "The outcome of this release's validation."),
    ),
}
# What a file of the whole dataset keeps of the named graphs: all three (N-Quads, TriG) or their union.
GRAPH_LAYOUT = {
    True: ("Les trois graphes nommés.", "The three named graphs."),
    False: ("L'union des trois graphes, en un seul graphe.", "The union of the three graphs, as one graph."),
}
LANGUAGES = (EU["language/FRA"], EU["language/ENG"])  # every label of the data is in French and English
THEME_SCHEME = EU["data-theme"]
THEMES = {
    EU["data-theme/GOVE"]: ("Gouvernement et secteur public", "Government and public sector"),
    EU["data-theme/REGI"]: ("Régions et villes", "Regions and cities"),
}


def new_graph(state: AppState, extra: dict[str, str]) -> Graph:
    """An empty graph binding the project's prefixes (under the public base), DCAT's and `extra`."""
    graph = Graph(bind_namespaces="core")
    public = prefixes(state.settings.base_url)
    for prefix, namespace in {**public, **DCAT_PREFIXES, **extra}.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def describe_file(artefact: Artefact, language: str) -> tuple[str, str]:
    """A file's (title, description) in `language`, e.g. ("Full dataset — N-Quads, gzip-compressed", "The …")."""
    index = 0 if language == "fr" else 1
    stem = PurePosixPath(artefact.name).name.split(".")[0]
    (titles, descriptions) = ROLES.get(stem, ((artefact.name, artefact.name), ("", "")))
    media = artefact.media_type  # the content's type, also for a .gz file
    content = by_media_type(media)
    format_name = content.title if content is not None and content.title else media
    if artefact.name.endswith(".gz"):
        format_name += ", compressé (gzip)" if language == "fr" else ", gzip-compressed"
    description = descriptions[index]
    if stem == "dataset":
        description += " " + GRAPH_LAYOUT[media in ("application/n-quads", "application/trig")][index]
    return f"{titles[index]} — {format_name}", description.strip()


@dataclass(frozen=True)
class _Nodes:
    """The IRIs the catalogue's parts refer to one another by."""

    base: str
    catalog: URIRef
    dataset: URIRef
    service: URIRef
    publisher: URIRef
    contact: URIRef
    home: URIRef

    licence: URIRef
    spatial: URIRef

    @classmethod
    def of(cls, base: str, profile: DatasetProfile) -> _Nodes:
        node = partial(layout.catalog_node, base)
        return cls(base, URIRef(layout.catalog_url(base)), URIRef(profile.dataset), node("sparql-service"),
                   URIRef(profile.publisher.iri), URIRef(profile.contact.iri), URIRef(base),
                   URIRef(profile.licence.iri), URIRef(profile.spatial.iri))  # fmt: skip


def build_catalog(state: AppState) -> Graph:
    """The catalogue: every object typed as the DCAT-AP 3.0.1 range shapes require."""
    graph = new_graph(state, {})
    profile = state.published.profile  # what names the dataset, under this instance's base
    nodes = _Nodes.of(state.settings.base_url, profile)
    released = Literal(state.published.manifest.date, datatype=XSD.date)
    _add_shared(graph, nodes, profile)
    _add_catalog(graph, nodes, profile, released)
    _add_dataset(graph, nodes, state, released)
    _add_service(graph, nodes, profile, layout.sparql_url(nodes.base))
    return graph


def _add_shared(graph: Graph, nodes: _Nodes, profile: DatasetProfile) -> None:
    """What several parts point to: publisher, contact, licence, languages, place and themes, each typed."""
    _typed(graph, nodes.publisher, FOAF.Agent, FOAF.name, profile.publisher.name)
    graph.add((nodes.publisher, FOAF.homepage, URIRef(profile.publisher.page)))
    _typed(graph, nodes.contact, VCARD.Kind, VCARD.fn, profile.contact.name)
    graph.add((nodes.contact, VCARD.hasURL, URIRef(profile.contact.page)))  # no e-mail address is invented
    _typed(graph, nodes.home, FOAF.Document, DCTERMS.title, profile.title)
    licence = profile.licence
    _typed(graph, nodes.licence, DCTERMS.LicenseDocument, DCTERMS.title, licence.title)
    graph.add((nodes.licence, DCTERMS.identifier, Literal(licence.identifier)))
    graph.add((nodes.licence, DCTERMS.type, URIRef(licence.kind)))
    _typed(graph, URIRef(licence.kind), SKOS.Concept, SKOS.prefLabel, {"en": licence.kind.rsplit("/", 1)[-1]})
    for language, names in zip(LANGUAGES, ({"fr": "français", "en": "French"},
                                                 {"fr": "anglais", "en": "English"}), strict=True):  # fmt: skip
        _typed(graph, language, DCTERMS.LinguisticSystem, RDFS.label, names)
    _typed(graph, nodes.spatial, DCTERMS.Location, RDFS.label, profile.spatial.label)
    _typed(graph, THEME_SCHEME, SKOS.ConceptScheme, DCTERMS.title, {"en": "Data theme"})
    for theme, (fr, en) in THEMES.items():
        _typed(graph, theme, SKOS.Concept, SKOS.prefLabel, {"fr": fr, "en": en})
        graph.add((theme, SKOS.inScheme, THEME_SCHEME))


def _add_catalog(graph: Graph, nodes: _Nodes, profile: DatasetProfile, released: Literal) -> None:
    _typed(graph, nodes.catalog, DCAT.Catalog, DCTERMS.title,
           {language: f"Catalogue — {title}" for language, title in profile.title.items()})  # fmt: skip
    _describe(graph, nodes.catalog, DCTERMS.description, {
        "fr": "Le jeu de données, ses fichiers téléchargeables et son point d'accès SPARQL.",
        "en": "The dataset, its downloadable files and its SPARQL endpoint.",
    })  # fmt: skip
    for predicate, value in (
        (DCTERMS.publisher, nodes.publisher), (FOAF.homepage, nodes.home), (DCTERMS.license, nodes.licence),
        (DCTERMS.spatial, nodes.spatial), (DCTERMS.issued, released), (DCTERMS.modified, released),
        (DCAT.themeTaxonomy, THEME_SCHEME), (DCAT.dataset, nodes.dataset), (DCAT.service, nodes.service),
    ):  # fmt: skip
        graph.add((nodes.catalog, predicate, value))
    for language in LANGUAGES:
        graph.add((nodes.catalog, DCTERMS.language, language))


def _add_dataset(graph: Graph, nodes: _Nodes, state: AppState, released: Literal) -> None:
    published, dataset, base, profile = state.published, nodes.dataset, nodes.base, state.published.profile
    counts, sources = published.manifest.triples, published.manifest.sources
    total, data, ontology, shapes = (counts.get(key, 0) for key in ("total", "data", "ontology", "shapes"))
    _typed(graph, dataset, DCAT.Dataset, DCTERMS.title, profile.title)
    _describe(graph, dataset, DCTERMS.description, {
        "fr": f"{profile.description.get('fr', '')} Cette version compte {total} triples (données {data}, "
              f"ontologie {ontology}, formes {shapes}) et cite {sources} documents sources.",
        "en": f"{profile.description.get('en', '')} This release holds {total} triples (data {data}, "
              f"ontology {ontology}, shapes {shapes}) and cites {sources} source documents.",
    })  # fmt: skip
    void = URIRef(layout.void_url(base))
    _typed(graph, void, FOAF.Document, DCTERMS.title, {"en": "VoID description"})
    for predicate, value in (
        (DCTERMS.publisher, nodes.publisher), (DCAT.contactPoint, nodes.contact), (DCAT.landingPage, nodes.home),
        (DCTERMS.spatial, nodes.spatial), (DCTERMS.issued, released), (DCTERMS.modified, released),
        (DCTERMS.identifier, Literal(str(dataset))), (DCAT.version, Literal(published.version)), (FOAF.page, void),
    ):  # fmt: skip
        graph.add((dataset, predicate, value))
    for language in LANGUAGES:
        graph.add((dataset, DCTERMS.language, language))
    for theme in THEMES:
        graph.add((dataset, DCAT.theme, theme))
    for tag, words in profile.keywords.items():
        for word in words:
            graph.add((dataset, DCAT.keyword, Literal(word, lang=tag)))
    for iri, names in ((layout.ontology_iri(base), ("Ontologie cper", "The cper ontology")),
                       (layout.shapes_iri(base), ("Formes SHACL cper", "The cper SHACL shapes"))):  # fmt: skip
        standard = URIRef(iri)
        _typed(graph, standard, DCTERMS.Standard, DCTERMS.title, dict(zip(("fr", "en"), names, strict=True)))
        graph.add((dataset, DCTERMS.conformsTo, standard))
    provenance = layout.catalog_node(base, "provenance")
    _typed(graph, provenance, DCTERMS.ProvenanceStatement, RDFS.label, {
        "fr": "Chaque fait porte sa source publique (dct:source) et un niveau de confiance (cper:confidence) ; "
              "les valeurs inconnues sont déclarées comme telles, jamais inventées.",
        "en": "Every fact carries its public source (dct:source) and a confidence level (cper:confidence); "
              "unknown values are stated as unknown, never made up.",
    })  # fmt: skip
    graph.add((dataset, DCTERMS.provenance, provenance))
    _add_period(graph, profile, dataset)
    for name in sorted(published.artefacts):
        graph.add((dataset, DCAT.distribution, _add_distribution(graph, nodes, published.artefacts[name], released)))


def _add_service(graph: Graph, nodes: _Nodes, profile: DatasetProfile, sparql_url: str) -> None:
    """The SPARQL endpoint as a dcat:DataService; GET on it without a query returns its service description."""
    service, endpoint = nodes.service, URIRef(sparql_url)
    _typed(graph, service, DCAT.DataService, DCTERMS.title, {
        language: ("Point d'accès SPARQL — " if language == "fr" else "SPARQL endpoint — ") + title
        for language, title in profile.title.items()
    })  # fmt: skip
    _describe(graph, service, DCTERMS.description, {
        "fr": "Requêtes SPARQL 1.1 (GET et POST) sur l'union des graphes ; sa description de service est servie "
              "par GET sans requête.",
        "en": "SPARQL 1.1 queries (GET and POST) over the union of the graphs; a GET without a query returns its "
              "service description.",
    })  # fmt: skip
    protocol = URIRef("https://www.w3.org/TR/sparql11-protocol/")
    _typed(graph, protocol, DCTERMS.Standard, DCTERMS.title, {"en": "SPARQL 1.1 Protocol"})
    _typed(graph, endpoint, FOAF.Document, DCTERMS.title, {"fr": "Page de requête SPARQL", "en": "SPARQL query page"})
    for predicate, value in (
        (DCAT.endpointURL, endpoint), (DCAT.endpointDescription, endpoint), (DCAT.servesDataset, nodes.dataset),
        (DCAT.landingPage, endpoint), (DCTERMS.conformsTo, protocol), (DCTERMS.publisher, nodes.publisher),
        (DCAT.contactPoint, nodes.contact), (DCTERMS.license, nodes.licence),
    ):  # fmt: skip
        graph.add((service, predicate, value))
    for theme in THEMES:
        graph.add((service, DCAT.theme, theme))
    for tag in profile.keywords:
        graph.add((service, DCAT.keyword, Literal("SPARQL", lang=tag)))


def _add_distribution(graph: Graph, nodes: _Nodes, artefact: Artefact, released: Literal) -> URIRef:
    """One file as a dcat:Distribution: where it is, its type, size and SHA-256 as this instance serves it."""
    add, base = graph.add, nodes.base
    node = layout.catalog_node(base, f"distribution-{artefact.name}")
    url = URIRef(dump_url(base, artefact.name))
    media = artefact.media_type  # the content's type; a .gz file also gets dcat:compressFormat
    content = by_media_type(media)
    file_type = content.eu_file_type_iri if content is not None else None
    media_iri, format_iri = URIRef(IANA + media), URIRef(file_type or EU["file-type/BIN"])
    add((node, RDF.type, DCAT.Distribution))
    for language in ("fr", "en"):
        name, description = describe_file(artefact, language)
        add((node, DCTERMS.title, Literal(name, lang=language)))
        if description:  # a file the table does not know keeps its title only
            add((node, DCTERMS.description, Literal(description, lang=language)))
    checksum = BNode()
    for predicate, value in (
        (DCAT.downloadURL, url), (DCAT.accessURL, url), (DCAT.mediaType, media_iri), (DCTERMS.format, format_iri),
        (DCAT.byteSize, Literal(artefact.size, datatype=XSD.nonNegativeInteger)), (SPDX.checksum, checksum),
        (DCTERMS.license, nodes.licence), (DCATAP.availability, EU["planned-availability/STABLE"]),
        (DCTERMS.issued, released), (DCTERMS.modified, released),
    ):  # fmt: skip
        add((node, predicate, value))
    add((checksum, RDF.type, SPDX.Checksum))
    add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    add((checksum, SPDX.checksumValue, Literal(artefact.sha256, datatype=XSD.hexBinary)))
    add((media_iri, RDF.type, DCTERMS.MediaType))
    add((format_iri, RDF.type, DCTERMS.MediaTypeOrExtent))
    _typed(graph, EU["planned-availability/STABLE"], SKOS.Concept, SKOS.prefLabel, {"en": "stable"})
    if artefact.name.endswith(".gz"):
        add((node, DCAT.compressFormat, URIRef(IANA + GZIP.media_type)))
        add((URIRef(IANA + GZIP.media_type), RDF.type, DCTERMS.MediaType))
    return node


def _add_period(graph: Graph, profile: DatasetProfile, dataset: URIRef) -> None:
    """dct:temporal as the profile states it (nothing is stated when it states none)."""
    if profile.temporal is None:
        return
    period, datatype = BNode(), URIRef(profile.temporal.datatype) if profile.temporal.datatype else None
    graph.add((dataset, DCTERMS.temporal, period))
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((period, DCAT.startDate, Literal(profile.temporal.start, datatype=datatype)))
    graph.add((period, DCAT.endDate, Literal(profile.temporal.end, datatype=datatype)))


def _typed(graph: Graph, node: URIRef, cls: URIRef, predicate: URIRef, texts: dict[str, str]) -> None:
    """`node a cls`, with `predicate` giving its name in each language."""
    graph.add((node, RDF.type, cls))
    _describe(graph, node, predicate, texts)


def _describe(graph: Graph, node: Node, predicate: URIRef, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        graph.add((node, predicate, Literal(text, lang=language)))
