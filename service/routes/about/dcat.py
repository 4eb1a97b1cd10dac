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
from service.publication.layout import dataset_iri, dump_url, root_iri
from service.publication.namespaces import PREFIXES
from service.publication.published import Artefact
from service.queries import load as query

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

# Licence Ouverte / Open Licence 2.0 (identifiers.md): data.gouv.fr reads it on every distribution.
LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
ATTRIBUTION = URIRef("http://purl.org/adms/licencetype/Attribution")
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
KEYWORDS = {
    "fr": ("contrat de plan État-Région", "CPER", "Hauts-de-France", "aménagement du territoire", "données liées"),
    "en": ("State-Region plan contract", "CPER", "Hauts-de-France", "regional planning", "linked open data"),
}
TITLES = {
    "fr": "CPER Hauts-de-France 2021-2027 en données liées ouvertes",
    "en": "The Hauts-de-France 2021-2027 CPER as linked open data",
}
PUBLISHER = {
    "fr": "Projet « CPER Hauts-de-France 2021-2027 en données liées »",
    "en": "The “Hauts-de-France 2021-2027 CPER as linked data” project",
}
SPATIAL = URIRef("http://data.europa.eu/nuts/code/FRE")  # NUTS 2021 Hauts-de-France (identifiers.md)
LANGUAGES = (EU["language/FRA"], EU["language/ENG"])  # every label of the data is in French and English
THEME_SCHEME = EU["data-theme"]
THEMES = {
    EU["data-theme/GOVE"]: ("Gouvernement et secteur public", "Government and public sector"),
    EU["data-theme/REGI"]: ("Régions et villes", "Regions and cities"),
}


def new_graph(state: AppState, extra: dict[str, str]) -> Graph:
    """An empty graph binding the project's prefixes (under the public base), DCAT's and `extra`."""
    graph = Graph(bind_namespaces="core")
    canonical, base = state.published.canonical_base, state.settings.base_url
    public = {prefix: ns.replace(canonical, base, 1) for prefix, ns in PREFIXES.items()}
    for prefix, namespace in {**public, **DCAT_PREFIXES, **extra}.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def title(language: str) -> str:
    return TITLES[language]


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

    @classmethod
    def under(cls, base: str) -> _Nodes:
        node = partial(layout.catalog_node, base)
        return cls(base, URIRef(layout.catalog_url(base)), dataset_iri(base), node("sparql-service"),
                   node("publisher"), node("contact"), URIRef(base))  # fmt: skip


def build_catalog(state: AppState) -> Graph:
    """The catalogue: every object typed as the DCAT-AP 3.0.1 range shapes require."""
    graph = new_graph(state, {})
    nodes = _Nodes.under(state.settings.base_url)
    released = Literal(state.published.manifest["date"], datatype=XSD.date)
    _add_shared(graph, nodes)
    _add_catalog(graph, nodes, released)
    _add_dataset(graph, nodes, state, released)
    _add_service(graph, nodes, layout.sparql_url(nodes.base))
    return graph


def _add_shared(graph: Graph, nodes: _Nodes) -> None:
    """What several parts point to: publisher, contact, licence, languages, place and themes, each typed."""
    _typed(graph, nodes.publisher, FOAF.Agent, FOAF.name, PUBLISHER)
    graph.add((nodes.publisher, FOAF.homepage, nodes.home))
    _typed(graph, nodes.contact, VCARD.Kind, VCARD.fn, PUBLISHER)
    graph.add((nodes.contact, VCARD.hasURL, nodes.home))  # the project's pages; no e-mail address is invented
    _typed(graph, nodes.home, FOAF.Document, DCTERMS.title, TITLES)
    _typed(graph, LICENCE, DCTERMS.LicenseDocument, DCTERMS.title, {"fr": "Licence Ouverte / Open Licence 2.0"})
    graph.add((LICENCE, DCTERMS.identifier, Literal("etalab-2.0")))
    graph.add((LICENCE, DCTERMS.type, ATTRIBUTION))
    _typed(graph, ATTRIBUTION, SKOS.Concept, SKOS.prefLabel, {"en": "Attribution"})
    for language, names in zip(LANGUAGES, ({"fr": "français", "en": "French"},
                                                 {"fr": "anglais", "en": "English"}), strict=True):  # fmt: skip
        _typed(graph, language, DCTERMS.LinguisticSystem, RDFS.label, names)
    _typed(graph, SPATIAL, DCTERMS.Location, RDFS.label, {"fr": "Hauts-de-France (NUTS FRE)"})
    _typed(graph, THEME_SCHEME, SKOS.ConceptScheme, DCTERMS.title, {"en": "Data theme"})
    for theme, (fr, en) in THEMES.items():
        _typed(graph, theme, SKOS.Concept, SKOS.prefLabel, {"fr": fr, "en": en})
        graph.add((theme, SKOS.inScheme, THEME_SCHEME))


def _add_catalog(graph: Graph, nodes: _Nodes, released: Literal) -> None:
    _typed(graph, nodes.catalog, DCAT.Catalog, DCTERMS.title, {
        "fr": "Catalogue du " + TITLES["fr"], "en": "Catalogue of the " + TITLES["en"][4:],
    })  # fmt: skip
    _describe(graph, nodes.catalog, DCTERMS.description, {
        "fr": "Le jeu de données, ses fichiers téléchargeables et son point d'accès SPARQL.",
        "en": "The dataset, its downloadable files and its SPARQL endpoint.",
    })  # fmt: skip
    for predicate, value in (
        (DCTERMS.publisher, nodes.publisher), (FOAF.homepage, nodes.home), (DCTERMS.license, LICENCE),
        (DCTERMS.spatial, SPATIAL), (DCTERMS.issued, released), (DCTERMS.modified, released),
        (DCAT.themeTaxonomy, THEME_SCHEME), (DCAT.dataset, nodes.dataset), (DCAT.service, nodes.service),
    ):  # fmt: skip
        graph.add((nodes.catalog, predicate, value))
    for language in LANGUAGES:
        graph.add((nodes.catalog, DCTERMS.language, language))


def _add_dataset(graph: Graph, nodes: _Nodes, state: AppState, released: Literal) -> None:
    published, dataset, base = state.published, nodes.dataset, nodes.base
    counts, sources = published.manifest["triples"], published.manifest["sources"]
    total, data, ontology, shapes = (counts.get(key, 0) for key in ("total", "data", "ontology", "shapes"))
    _typed(graph, dataset, DCAT.Dataset, DCTERMS.title, TITLES)
    _describe(graph, dataset, DCTERMS.description, {
        "fr": f"Le contrat de plan État-Région Hauts-de-France 2021-2027 en données liées, chaque fait avec sa "
              f"source : {total} triples (données {data}, ontologie {ontology}, formes {shapes}), {sources} "
              f"documents sources cités.",
        "en": f"The Hauts-de-France 2021-2027 State-Region plan contract as linked data, every fact with its "
              f"source: {total} triples (data {data}, ontology {ontology}, shapes {shapes}), {sources} source "
              f"documents cited.",
    })  # fmt: skip
    void = URIRef(layout.void_url(base))
    _typed(graph, void, FOAF.Document, DCTERMS.title, {"en": "VoID description"})
    for predicate, value in (
        (DCTERMS.publisher, nodes.publisher), (DCAT.contactPoint, nodes.contact), (DCAT.landingPage, nodes.home),
        (DCTERMS.spatial, SPATIAL), (DCTERMS.issued, released), (DCTERMS.modified, released),
        (DCTERMS.identifier, Literal(str(dataset))), (DCAT.version, Literal(published.version)), (FOAF.page, void),
    ):  # fmt: skip
        graph.add((dataset, predicate, value))
    for language in LANGUAGES:
        graph.add((dataset, DCTERMS.language, language))
    for theme in THEMES:
        graph.add((dataset, DCAT.theme, theme))
    for tag, words in KEYWORDS.items():
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
    _add_period(graph, state, dataset)
    for name in sorted(published.artefacts):
        graph.add((dataset, DCAT.distribution, _add_distribution(graph, base, published.artefacts[name], released)))


def _add_service(graph: Graph, nodes: _Nodes, sparql_url: str) -> None:
    """The SPARQL endpoint as a dcat:DataService; GET on it without a query returns its service description."""
    service, endpoint = nodes.service, URIRef(sparql_url)
    _typed(graph, service, DCAT.DataService, DCTERMS.title, {
        "fr": "Point d'accès SPARQL du " + TITLES["fr"], "en": "SPARQL endpoint of the " + TITLES["en"][4:],
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
        (DCAT.contactPoint, nodes.contact), (DCTERMS.license, LICENCE),
    ):  # fmt: skip
        graph.add((service, predicate, value))
    for theme in THEMES:
        graph.add((service, DCAT.theme, theme))
    for tag in KEYWORDS:
        graph.add((service, DCAT.keyword, Literal("SPARQL", lang=tag)))


def _add_distribution(graph: Graph, base: str, artefact: Artefact, released: Literal) -> URIRef:
    """One file as a dcat:Distribution: where it is, its type, size and SHA-256 as this instance serves it."""
    add = graph.add
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
        (DCTERMS.license, LICENCE), (DCATAP.availability, EU["planned-availability/STABLE"]),
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


def _add_period(graph: Graph, state: AppState, dataset: URIRef) -> None:
    """dct:temporal from the contract's own period in the data (nothing is stated when the data has none)."""
    base = state.settings.base_url
    bindings = {"contract": root_iri(base), "periodProperty": URIRef(layout.ontology_namespace(base) + "period")}
    rows = state.store.rows(query("dcat-period"), bindings)
    if not rows:
        return  # the contract states no period: say nothing rather than guess
    period = BNode()
    graph.add((dataset, DCTERMS.temporal, period))
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((period, DCAT.startDate, rows[0]["start"]))
    graph.add((period, DCAT.endDate, rows[0]["end"]))


def _typed(graph: Graph, node: URIRef, cls: URIRef, predicate: URIRef, texts: dict[str, str]) -> None:
    """`node a cls`, with `predicate` giving its name in each language."""
    graph.add((node, RDF.type, cls))
    _describe(graph, node, predicate, texts)


def _describe(graph: Graph, node: Node, predicate: URIRef, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        graph.add((node, predicate, Literal(text, lang=language)))
