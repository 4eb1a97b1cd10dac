"""Expands the data's compact provenance into one reified statement (rdf:Statement) per fact-bearing triple.

Authors write provenance once per node (``dct:source`` and ``cper:confidence``: the pages that state the node's
facts by default) and, where one property's values come from other pages, a claim on the node::

    <node> cper:attribution [ cper:onProperty cper:siren ; dct:source <register page> ;
                              cper:confidence cper:highConfidence ] .

(``cper:onValue`` narrows a claim to some values of the property.) The expansion writes, for every fact-bearing
triple ``s p o`` of a node that has sources, a blank node ``[ a rdf:Statement ; rdf:subject s ; rdf:predicate p ;
rdf:object o ; dct:source … ; cper:confidence … ]`` — plain RDF reification, which SPARQL 1.1 queries on any
store — and removes the claims. A claim's sources are added to the node's own ``dct:source``, which then lists
every page that states something about the node.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.term import Node

from service.publication.namespaces import VOCABULARIES, prefixes

DCT = Namespace(VOCABULARIES["dct"])
SKOS = Namespace(VOCABULARIES["skos"])

# The publisher's own wording and structure, and the provenance itself: not facts a source states (the cper:
# terms by local name: their namespace lies under the release's base).
EDITORIAL_TERMS = frozenset(
    {
        RDF.type,
        RDFS.label,
        RDFS.comment,
        SKOS.prefLabel,
        SKOS.altLabel,
        SKOS.note,
        SKOS.definition,
        SKOS.inScheme,
        SKOS.topConceptOf,
        SKOS.hasTopConcept,
        DCT.source,
    }
)
EDITORIAL_NAMES = ("confidence", "unknown", "attribution")

# Links from a whole to one of its parts: the page that states the part states that it belongs to the whole,
# so such a link is attributed to the part's own sources and confidence, not to the whole's.
CONTAINMENT_NAMES = (
    "commitment",
    "step",
    "signature",
    "signing",
    "priority",
    "axis",
    "objective",
    "measure",
    "theme",
    "version",
    "protocol",
    "amendment",
    "otherStatement",
)


@dataclass(frozen=True)
class Terms:
    """The terms the expansion looks for, under a base: the cper: namespace, what is editorial, what contains."""

    cper: Namespace
    editorial: frozenset[Node]
    containment: frozenset[Node]

    @classmethod
    def under(cls, base: str) -> Terms:
        cper = Namespace(prefixes(base)["cper"])
        return cls(cper, EDITORIAL_TERMS | {cper[name] for name in EDITORIAL_NAMES},
                   frozenset({cper[name] for name in CONTAINMENT_NAMES} | {DCT.hasPart}))  # fmt: skip


@dataclass(frozen=True)
class Claim:
    """Which of a node's triples a claim covers, and the pages and confidence it gives them."""

    properties: frozenset[Node]
    values: frozenset[Node]
    sources: frozenset[Node]
    confidence: Node | None

    def covers(self, predicate: Node, value: Node) -> bool:
        return predicate in self.properties and (
            not self.values or value in self.values
        )


def expand(data: Graph, base: str) -> Graph:
    """``data`` (written under ``base``) with its claims replaced by one rdf:Statement per fact-bearing triple
    (a new graph)."""
    terms = Terms.under(base)
    CPER = terms.cper
    claims = _claims(data, CPER)
    expanded = Graph(bind_namespaces="core")
    for prefix, namespace in data.namespaces():
        expanded.bind(prefix, namespace, override=True, replace=True)
    claim_nodes = {node for node in data.objects(None, CPER.attribution)}
    for triple in data:
        if triple[0] not in claim_nodes and triple[1] != CPER.attribution:
            expanded.add(triple)
    for subject, subject_claims in claims.items():
        for claim in subject_claims:
            for source in claim.sources:
                expanded.add((subject, DCT.source, source))
    for subject in {
        s for s in data.subjects(DCT.source, None) if isinstance(s, URIRef)
    }:
        for predicate, value in data.predicate_objects(subject):
            if predicate in terms.editorial:
                continue
            sources, confidence = _attribution(
                data, terms, claims, subject, predicate, value
            )
            statement = BNode()
            expanded.add((statement, RDF.type, RDF.Statement))
            expanded.add((statement, RDF.subject, subject))
            expanded.add((statement, RDF.predicate, predicate))
            expanded.add((statement, RDF.object, value))
            for source in sources:
                expanded.add((statement, DCT.source, source))
            if confidence is not None:
                expanded.add((statement, CPER.confidence, confidence))
    return expanded


def _claims(data: Graph, CPER: Namespace) -> dict[Node, list[Claim]]:
    found: dict[Node, list[Claim]] = {}
    for subject, node in data.subject_objects(CPER.attribution):
        found.setdefault(subject, []).append(
            Claim(
                properties=frozenset(data.objects(node, CPER.onProperty)),
                values=frozenset(data.objects(node, CPER.onValue)),
                sources=frozenset(data.objects(node, DCT.source)),
                confidence=data.value(node, CPER.confidence),
            )
        )
    return found


def _attribution(
    data: Graph,
    terms: Terms,
    claims: dict[Node, list[Claim]],
    subject: Node,
    predicate: Node,
    value: Node,
) -> tuple[frozenset[Node], Node | None]:
    """The pages and confidence of one triple: a claim on it, else the part's (containment), else the node's."""
    narrow = [
        c for c in claims.get(subject, []) if c.covers(predicate, value) and c.values
    ]
    broad = [
        c
        for c in claims.get(subject, [])
        if c.covers(predicate, value) and not c.values
    ]
    for claim in (*narrow, *broad):
        return claim.sources, claim.confidence
    confidence = terms.cper.confidence
    if predicate in terms.containment and (value, DCT.source, None) in data:
        return frozenset(data.objects(value, DCT.source)), data.value(value, confidence)
    return frozenset(data.objects(subject, DCT.source)), data.value(subject, confidence)
