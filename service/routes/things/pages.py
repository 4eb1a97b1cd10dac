"""The HTML view of one resource's description: names in the reader's language, values formatted for people,
external identifiers linked, and where each fact comes from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.http import display
from service.http.display import Link, Nested, Row, Text, Value
from service.http.representations import public_prefixes
from service.http.state import current
from service.publication import layout
from service.routes.things import identifiers
from service.routes.things.naming import label, link

IGEO_CODE = URIRef("http://rdf.insee.fr/def/geo#codeINSEE")
# Properties shown first, in this order; the others follow alphabetically by their name.
LEADING = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.description, RDFS.comment, SKOS.note)
MATCHES = (SKOS.exactMatch, OWL.sameAs)
NESTING_LIMIT = 6  # blank nodes inside blank nodes; the description query itself stops at four hops


@dataclass(frozen=True)
class ResourcePage:
    """Everything resource.html shows."""

    iri: str
    title: str
    title_lang: str | None
    types: list[Link]
    rows: list[Row]
    sources: list[Link]
    confidence: list[Link]
    referenced_by: list[Row]
    jsonld: str


def resource_page(description: Graph, iri: str, lang: str, jsonld: str) -> ResourcePage:
    """The page for `iri` from its description (describe.rq), for a reader of `lang`."""
    view = _View(description, lang)
    subject = URIRef(iri)
    title, title_lang = label(description, subject, lang, view.prefixes)
    return ResourcePage(
        iri=iri,
        title=title,
        title_lang=title_lang,
        types=[view.link(t) for t in _sorted_iris(description.objects(subject, RDF.type))],
        rows=view.rows(subject, leave_out=(RDF.type, DCTERMS.source, view.cper("confidence"))),
        sources=[view.link(s) for s in _sorted_iris(description.objects(subject, DCTERMS.source))],
        confidence=[view.link(c) for c in _sorted_iris(description.objects(subject, view.cper("confidence")))],
        referenced_by=view.referenced_by(subject),
        jsonld=jsonld,
    )


class _View:
    """Turns the nodes of one description into display values for one reader language."""

    def __init__(self, graph: Graph, lang: str) -> None:
        settings = current().settings
        self.graph, self.lang = graph, lang
        self.base_url = settings.base_url
        self.prefixes = public_prefixes()
        self.namespace = layout.ontology_namespace(settings.base_url)

    def cper(self, name: str) -> URIRef:
        return URIRef(self.namespace + name)

    def link(self, node: URIRef) -> Link:
        return link(self.graph, node, self.lang, self.prefixes, self.base_url)

    def rows(self, node: Node, leave_out: tuple[URIRef, ...] = (), depth: int = 0) -> list[Row]:
        by_property: dict[URIRef, list[Node]] = defaultdict(list)
        for predicate, value in self.graph.predicate_objects(node):
            if predicate not in leave_out and isinstance(predicate, URIRef):
                by_property[predicate].append(value)
        rows = []
        for predicate in sorted(by_property, key=self._property_order):
            values = [v for value in self._sorted_values(by_property[predicate])
                      for v in self.values(node, predicate, value, depth)]  # fmt: skip
            rows.append(Row(self.link(predicate), values))
        return rows

    def values(self, node: Node, predicate: URIRef, value: Node, depth: int) -> list[Value]:
        """How one object of (node, predicate) is shown: formatted, linked to a registry, or nested."""
        if isinstance(value, Literal):
            return self._literal(node, predicate, value)
        if isinstance(value, BNode):
            if depth >= NESTING_LIMIT:
                return [Text("…")]
            return [Nested(self.rows(value, depth=depth + 1))]
        assert isinstance(value, URIRef)
        external = identifiers.external_iri(value) if not self.graph.value(value, RDFS.label) else None
        return [external or self.link(value)]

    def referenced_by(self, node: URIRef) -> list[Row]:
        """The resources that point at `node`, grouped by the property they use."""
        by_property: dict[URIRef, list[URIRef]] = defaultdict(list)
        for subject, predicate in self.graph.subject_predicates(node):
            if isinstance(subject, URIRef) and subject != node and isinstance(predicate, URIRef):
                by_property[predicate].append(subject)
        return [
            Row(self.link(predicate), [self.link(s) for s in _sorted_iris(subjects, self._name)])
            for predicate, subjects in sorted(by_property.items(), key=lambda item: self._property_order(item[0]))
        ]

    def _literal(self, node: Node, predicate: URIRef, value: Literal) -> list[Value]:
        if predicate in (self.cper("amount"), self.cper("roundingUnit")):
            number = display.decimal_of(value)
            if number is not None:
                return [display.amount(number, self.lang)]
        if predicate == self.cper("sharePercent"):
            number = display.decimal_of(value)
            if number is not None:
                return [display.percent(number, self.lang)]
        if predicate == self.cper("siren"):
            return [identifiers.siren(value) or display.literal(value, self.lang)]
        if predicate == self.cper("nutsCode"):
            return [identifiers.nuts_code(value) or display.literal(value, self.lang)]
        if predicate == IGEO_CODE:
            matches = [m for p in MATCHES for m in self.graph.objects(node, p) if isinstance(m, URIRef)]
            return identifiers.insee_code(value, sorted(matches))
        return [display.literal(value, self.lang)]

    def _name(self, node: Node) -> str:
        return label(self.graph, node, self.lang, self.prefixes)[0].casefold()

    def _property_order(self, predicate: URIRef) -> tuple[int, str]:
        rank = LEADING.index(predicate) if predicate in LEADING else len(LEADING)
        return rank, self._name(predicate)

    def _sorted_values(self, values: list[Node]) -> list[Node]:
        """The reader's language first, then the other literals, IRIs by name, blank nodes last."""

        def key(value: Node) -> tuple[int, str]:
            if isinstance(value, Literal):
                return (0 if value.language in (self.lang, None) else 1), str(value)
            if isinstance(value, URIRef):
                return 2, self._name(value)
            return 3, ""

        return sorted(values, key=key)


def _sorted_iris(nodes: Iterable[Node], name: Callable[[Node], str] = str) -> list[URIRef]:
    return sorted((n for n in nodes if isinstance(n, URIRef)), key=name)
