"""The dataset's VoID description (served at /.well-known/void): counts, partitions and linksets from the store."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import DCTERMS, FOAF, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Identifier

from service.http.state import AppState
from service.publication import layout
from service.publication.layout import dump_url
from service.queries import load as query
from service.routes.about.dcat import new_graph

VOID = Namespace("http://rdfs.org/ns/void#")
IGEO = Namespace("http://rdf.insee.fr/def/geo#")

# How the INSEE codes, published as literals, join with INSEE's own data.
CODE_JOIN = {
    "fr": "Ces liens sont des codes, pas des IRI : un territoire porte son code INSEE en littéral "
    "(igeo:codeINSEE, par exemple « 59 » pour le Nord). La jointure avec les données de l'INSEE "
    "(http://rdf.insee.fr/def/geo#) se fait sur la valeur de igeo:codeINSEE et le type du territoire "
    "(région, département, commune), quelle que soit la version de l'IRI de l'INSEE.",
    "en": "These links are codes, not IRIs: a territory carries its INSEE code as a literal (igeo:codeINSEE, "
    "e.g. “59” for Nord). Joining with INSEE's data (http://rdf.insee.fr/def/geo#) matches the value of "
    "igeo:codeINSEE and the kind of territory (région, département, commune), whatever the version of "
    "INSEE's IRI.",
}


@dataclass(frozen=True)
class Target:
    """Another dataset the data links to: its IRIs start with `namespace`; `code` is a literal-code join."""

    key: str
    name: str
    namespace: str
    code: URIRef | None = None


TARGETS = (
    Target("wikidata", "Wikidata", "http://www.wikidata.org/entity/"),
    Target("insee", "INSEE (Code officiel géographique)", "http://id.insee.fr/", IGEO.codeINSEE),
    Target("nuts", "NUTS 2021 (Eurostat)", "http://data.europa.eu/nuts/code/"),
)


def void_document(base_url: str) -> URIRef:
    return URIRef(layout.void_url(base_url))


def build_void(state: AppState) -> Graph:
    """The VoID description of the served release; every count is computed from the store."""
    settings, store, published = state.settings, state.store, state.published
    base, profile = settings.base_url, published.profile  # what names the dataset, under this instance's base
    graph = new_graph(state, {"void": str(VOID)})
    document, dataset, root = void_document(base), URIRef(profile.dataset), URIRef(profile.root)
    space = Literal(profile.uri_space)

    graph.add((document, RDF.type, VOID.DatasetDescription))
    graph.add((document, DCTERMS.title, Literal("Description VoID du jeu de données", lang="fr")))
    graph.add((document, DCTERMS.title, Literal("VoID description of the dataset", lang="en")))
    graph.add((document, FOAF.primaryTopic, dataset))
    # The home page, whose RDF is this description and which the dataset's own description names as its homepage.
    graph.add((URIRef(base), RDF.type, FOAF.Document))
    graph.add((URIRef(base), FOAF.primaryTopic, dataset))

    graph.add((dataset, RDF.type, VOID.Dataset))
    for language, title in profile.title.items():
        graph.add((dataset, DCTERMS.title, Literal(title, lang=language)))
    graph.add((dataset, DCTERMS.license, URIRef(profile.licence.iri)))
    graph.add((dataset, DCTERMS.modified, Literal(published.manifest.date, datatype=XSD.date)))
    graph.add((dataset, FOAF.homepage, URIRef(base)))
    graph.add((dataset, RDFS.seeAlso, URIRef(layout.catalog_url(base))))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(layout.sparql_url(base))))
    graph.add((dataset, VOID.uriSpace, space))
    graph.add((dataset, VOID.rootResource, root))
    graph.add((dataset, VOID.exampleResource, root))
    for name in sorted(published.artefacts):
        if name.startswith("dataset."):
            graph.add((dataset, VOID.dataDump, URIRef(dump_url(base, name))))

    (totals,) = store.rows(query("void-totals"))
    spaces = store.rows(query("void-spaces"))
    entities = sum(int(row["entities"]) for row in spaces if str(row["space"]).startswith(str(space)))
    graph.add((dataset, VOID.triples, _count(totals["triples"])))
    graph.add((dataset, VOID.distinctSubjects, _count(totals["subjects"])))
    graph.add((dataset, VOID.distinctObjects, _count(totals["objects"])))
    graph.add((dataset, VOID.entities, _count(entities)))

    classes = store.rows(query("void-classes"))
    properties = store.rows(query("void-properties"))
    graph.add((dataset, VOID.classes, _count(len(classes))))
    graph.add((dataset, VOID.properties, _count(len(properties))))
    for row in classes:
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], row["class"]))
        graph.add((partition, VOID.entities, _count(row["entities"])))
    for row in properties:
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, row["property"]))
        graph.add((partition, VOID.triples, _count(row["triples"])))
    terms = [URIRef(row["class"]) for row in classes] + [URIRef(row["property"]) for row in properties]
    for vocabulary in sorted({vocabulary_of(term) for term in terms}):
        graph.add((dataset, VOID.vocabulary, URIRef(vocabulary)))

    # One example of each class of the cper ontology, among the dataset's own entities.
    for row in store.rows(query("void-examples")):
        if str(row["class"]).startswith(layout.ontology_namespace(base)) and str(row["example"]).startswith(str(space)):
            graph.add((dataset, VOID.exampleResource, URIRef(str(row["example"]))))

    links = store.rows(query("void-links"))
    for target in TARGETS:
        _add_linksets(graph, state, dataset, target, links)
    return graph


def vocabulary_of(term: URIRef) -> str:
    """The vocabulary a term belongs to: its namespace, without the `#` of a hash namespace."""
    text = str(term)
    if "#" in text:
        return text.rsplit("#", 1)[0]
    return text.rsplit("/", 1)[0] + "/"


def _add_linksets(
    graph: Graph, state: AppState, dataset: URIRef, target: Target, links: list[dict[str, Identifier]]
) -> None:
    """One void:Linkset per predicate linking to the target's IRIs (from void-links rows), and one per code join."""
    document = str(void_document(state.settings.base_url))
    other = URIRef(f"{document}#{target.key}")
    graph.add((other, RDF.type, VOID.Dataset))
    graph.add((other, DCTERMS.title, Literal(target.name)))
    graph.add((other, VOID.uriSpace, Literal(target.namespace)))

    def linkset(key: str, predicate: URIRef, triples: Literal) -> URIRef:
        node = URIRef(f"{document}#linkset-{target.key}-{key}")
        graph.add((dataset, VOID.subset, node))
        graph.add((node, RDF.type, VOID.Linkset))
        for role, end in ((VOID.subjectsTarget, dataset), (VOID.objectsTarget, other)):
            graph.add((node, role, end))
            graph.add((node, VOID.target, end))  # the super-property, for clients that do not infer it
        graph.add((node, VOID.linkPredicate, predicate))
        graph.add((node, VOID.triples, triples))
        return node

    by_predicate: dict[URIRef, int] = {}
    for row in links:
        if str(row["space"]).startswith(target.namespace):
            predicate = URIRef(row["predicate"])
            by_predicate[predicate] = by_predicate.get(predicate, 0) + int(row["triples"])
    for predicate, triples in sorted(by_predicate.items()):
        linkset(_local_name(predicate), predicate, _count(triples))
    if target.code is not None:
        rows = state.store.rows(query("void-literal-codes"), {"property": target.code})
        node = linkset("codes", target.code, _count(rows[0]["triples"] if rows else 0))
        for language, text in CODE_JOIN.items():
            graph.add((node, DCTERMS.description, Literal(text, lang=language)))


def _local_name(term: URIRef) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _count(value: object) -> Literal:
    return Literal(int(str(value)), datatype=XSD.integer)
