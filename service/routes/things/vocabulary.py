"""The HTML documentation of the ontology ({base}def/cper) and of the shapes ({base}def/shapes): one entry per
term or shape, anchored at its fragment so that `…#Term` lands on it, with names and definitions in both
languages, its links (sub-class, domain, range, targets, property shapes…) and its messages."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import DCTERMS, OWL, RDF, RDFS, SH, SKOS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from service.http import display
from service.http.display import Code, Link, Nested, Row, Text, Value
from service.http.representations import public_prefixes
from service.http.state import current
from service.routes.things.naming import STANDARD_LABELS, href, label

NAMES = (RDFS.label, SKOS.prefLabel, SH.name)
DEFINITIONS = (SKOS.definition, DCTERMS.description, SH.description)
HIDDEN = (*NAMES, *DEFINITIONS, RDFS.isDefinedBy, DCTERMS.title)
CODE = (SH.select, SH.pattern, SH.prefix, SH.namespace)  # shown verbatim
# Facts shown first, in this order (what a term is, how it relates to others, what a shape targets and checks);
# the others follow alphabetically by their name.
FIRST = (RDF.type, RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith, RDFS.subPropertyOf, RDFS.domain,
         RDFS.range, OWL.inverseOf, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
         SH.target, SH.path, SH.property, SH.sparql, SH.message)  # fmt: skip
ONE_OF = {"fr": "l'un de", "en": "one of"}  # owl:unionOf (classes) and owl:oneOf (individuals)
INVERSE_LABELS = {
    RDFS.subClassOf: {"fr": "sous-classes", "en": "subclasses"},
    RDFS.subPropertyOf: {"fr": "sous-propriétés", "en": "subproperties"},
    SH.property: {"fr": "utilisée par", "en": "used by"},
    SH.sparql: {"fr": "utilisée par", "en": "used by"},
}
TERM_LABELS: Mapping[URIRef, Mapping[str, str]] = {
    RDFS.subClassOf: {"fr": "sous-classe de", "en": "subclass of"},
    RDFS.subPropertyOf: {"fr": "sous-propriété de", "en": "subproperty of"},
    RDFS.domain: {"fr": "domaine", "en": "domain"},
    RDFS.range: {"fr": "co-domaine", "en": "range"},
    OWL.equivalentClass: {"fr": "classe équivalente", "en": "equivalent class"},
    OWL.disjointWith: {"fr": "disjointe de", "en": "disjoint with"},
    OWL.inverseOf: {"fr": "inverse de", "en": "inverse of"},
    OWL.versionIRI: {"fr": "IRI de version", "en": "version IRI"},
    OWL.versionInfo: {"fr": "version", "en": "version"},
    SH.targetClass: {"fr": "cible : les instances de", "en": "target: instances of"},
    SH.targetNode: {"fr": "cible : le nœud", "en": "target: the node"},
    SH.targetSubjectsOf: {"fr": "cible : les sujets de", "en": "target: subjects of"},
    SH.targetObjectsOf: {"fr": "cible : les objets de", "en": "target: objects of"},
    SH.target: {"fr": "cible (SPARQL)", "en": "target (SPARQL)"},
    SH.message: {"fr": "message", "en": "message"},
    SH.path: {"fr": "chemin", "en": "path"},
    SH.property: {"fr": "formes de propriété", "en": "property shapes"},
    SH.sparql: {"fr": "contraintes SPARQL", "en": "SPARQL constraints"},
    SH.severity: {"fr": "gravité", "en": "severity"},
    SH.select: {"fr": "requête", "en": "query"},
}


@dataclass(frozen=True)
class Term:
    """One term or shape: its anchor (the IRI's fragment), names and definitions in every language, and facts."""

    anchor: str
    iri: str
    title: str
    title_lang: str | None
    names: list[Text]
    definitions: list[Text]
    rows: list[Row]


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    terms: list[Term]


@dataclass(frozen=True)
class VocabularyPage:
    """Everything vocabulary.html shows."""

    iri: str
    title: str
    title_lang: str | None
    definitions: list[Text]
    rows: list[Row]
    sections: list[Section]
    jsonld: str


# A section of a page: its anchor, its title by language, and the rdf:types of the terms it lists.
SectionSpec = tuple[str, Mapping[str, str], tuple[URIRef, ...]]

ONTOLOGY_SECTIONS: tuple[SectionSpec, ...] = (
    ("classes", {"fr": "Classes", "en": "Classes"}, (OWL.Class, RDFS.Class)),
    ("properties", {"fr": "Propriétés", "en": "Properties"},
     (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)),
    ("individuals", {"fr": "Individus", "en": "Individuals"}, (OWL.NamedIndividual, SKOS.ConceptScheme, SKOS.Concept)),
)  # fmt: skip
SHAPES_SECTIONS: tuple[SectionSpec, ...] = (
    ("node-shapes", {"fr": "Formes de nœud", "en": "Node shapes"}, (SH.NodeShape,)),
    ("property-shapes", {"fr": "Formes de propriété", "en": "Property shapes"}, (SH.PropertyShape,)),
    ("sparql-constraints", {"fr": "Contraintes SPARQL", "en": "SPARQL constraints"}, (SH.SPARQLConstraint,)),
)


def ontology_page(graph: Graph, document_iri: str, lang: str, jsonld: str) -> VocabularyPage:
    """The documentation of the ontology whose IRI is `document_iri`: classes, properties, individuals."""
    return _page(graph, document_iri, lang, jsonld, ONTOLOGY_SECTIONS)


def shapes_page(graph: Graph, document_iri: str, lang: str, jsonld: str) -> VocabularyPage:
    """The documentation of the shapes graph: node shapes with their targets, property shapes, constraints."""
    return _page(graph, document_iri, lang, jsonld, SHAPES_SECTIONS)


def _page(graph: Graph, iri: str, lang: str, jsonld: str, sections: tuple[SectionSpec, ...]) -> VocabularyPage:
    view = _TermView(graph, iri, lang)
    document = URIRef(iri)
    title, title_lang = view.title(document)
    terms = {s for s in graph.subjects() if isinstance(s, URIRef) and view.in_document(s)}
    placed: set[URIRef] = set()
    built = []
    for anchor, titles, kinds in sections:
        members = sorted({t for t in terms if any((t, RDF.type, kind) in graph for kind in kinds)} - placed)
        placed.update(members)
        built.append(Section(anchor, titles[lang], [view.term(t) for t in members]))
    others = sorted(terms - placed)
    if others:
        built.append(Section("other", "Autres" if lang == "fr" else "Others", [view.term(t) for t in others]))
    return VocabularyPage(
        iri=iri,
        title=title,
        title_lang=title_lang,
        definitions=view.texts(document, DEFINITIONS),
        rows=view.rows(document),
        sections=[s for s in built if s.terms],
        jsonld=jsonld,
    )


class _TermView:
    """Turns the statements about one term into display rows, for one reader language."""

    def __init__(self, graph: Graph, document_iri: str, lang: str) -> None:
        self.graph, self.document, self.lang = graph, document_iri, lang
        self.base_url = current().settings.base_url
        self.prefixes = public_prefixes()
        self.inverse: dict[Node, dict[URIRef, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for predicate in INVERSE_LABELS:
            for subject, obj in graph.subject_objects(predicate):
                self.inverse[obj][predicate].append(subject)

    def in_document(self, node: Node) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(self.document + "#")

    def title(self, node: URIRef) -> tuple[str, str | None]:
        return label(self.graph, node, self.lang, self.prefixes, naming=(DCTERMS.title, *NAMES))

    def term(self, iri: URIRef) -> Term:
        title, title_lang = self.title(iri)
        rows = self.rows(iri)
        for predicate, subjects in sorted(self.inverse[iri].items()):
            links: list[Value] = [self.link(s) for s in sorted(s for s in subjects if isinstance(s, URIRef))]
            if links:
                rows.append(Row(Text(INVERSE_LABELS[predicate][self.lang]), links))
        return Term(
            anchor=str(iri).split("#", 1)[1],
            iri=str(iri),
            title=title,
            title_lang=title_lang,
            names=self.texts(iri, NAMES),
            definitions=self.texts(iri, DEFINITIONS),
            rows=rows,
        )

    def texts(self, node: Node, predicates: tuple[URIRef, ...]) -> list[Text]:
        """Every value of `predicates`, the reader's language first, each keeping its language tag."""
        values = [v for p in predicates for v in self.graph.objects(node, p) if isinstance(v, Literal)]
        values.sort(key=lambda v: (v.language != self.lang, v.language or "", str(v)))
        return [Text(str(v), lang=v.language) for v in values]

    def rows(self, node: Node, hidden: tuple[URIRef, ...] = HIDDEN) -> list[Row]:
        """The node's facts; names and definitions are `hidden` where the page shows them on their own."""
        by_property: dict[URIRef, list[Node]] = defaultdict(list)
        for predicate, value in self.graph.predicate_objects(node):
            if isinstance(predicate, URIRef) and predicate not in hidden:
                by_property[predicate].append(value)
        return [
            Row(self.property_label(p), [v for value in sorted(vs, key=self._order) for v in self.values(p, value)])
            for p, vs in sorted(by_property.items(), key=lambda item: self._property_order(item[0]))
        ]

    def _property_order(self, predicate: URIRef) -> tuple[int, str]:
        rank = FIRST.index(predicate) if predicate in FIRST else len(FIRST)
        return rank, self.property_label(predicate).label.casefold()

    def property_label(self, predicate: URIRef) -> Link:
        known = TERM_LABELS.get(predicate) or STANDARD_LABELS.get(predicate)
        if known and not self.graph.value(predicate, RDFS.label):
            return Link(self.href(predicate), known[self.lang], iri=str(predicate))
        return self.link(predicate)

    def values(self, predicate: URIRef, value: Node) -> list[Value]:
        if isinstance(value, Literal):
            if predicate in CODE:
                text = textwrap.dedent(str(value)).strip("\n")
                return [Code(text, block="\n" in text)]
            return [display.literal(value, self.lang)]
        if isinstance(value, URIRef):
            return [self.link(value)]
        if (value, RDF.first, None) in self.graph:
            return [v for member in Collection(self.graph, value) for v in self.values(predicate, member)]
        members = self.graph.value(value, OWL.unionOf) or self.graph.value(value, OWL.oneOf)
        if members is not None:
            return [Nested([Row(Text(ONE_OF[self.lang]), self.values(predicate, members))])]
        return [Nested(self.rows(value, hidden=()))]

    def link(self, node: URIRef) -> Link:
        text, text_lang = self.title(node)
        return Link(self.href(node), text, text_lang, iri=str(node))

    def href(self, node: Node) -> str:
        """Terms of this document link to their entry on this page; our other IRIs keep `?lang=`."""
        iri = str(node)
        if self.in_document(node):
            return "#" + iri.split("#", 1)[1]
        return href(iri) if iri.startswith(self.base_url) else iri

    def _order(self, value: Node) -> tuple[int, str]:
        if isinstance(value, Literal):
            return (0 if value.language in (self.lang, None) else 1), str(value)
        return (2, str(value)) if isinstance(value, URIRef) else (3, "")
