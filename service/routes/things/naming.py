"""Naming nodes for people: a label in the reader's language, else a compact IRI, and links that keep `?lang=`."""

from __future__ import annotations

from collections.abc import Mapping

from flask import request
from rdflib import DCTERMS, FOAF, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from service.http.display import Link
from service.http.language import LANGUAGES

NAMING = (RDFS.label, SKOS.prefLabel)
ADMS_IDENTIFIER = URIRef("http://www.w3.org/ns/adms#identifier")
TIME = "http://www.w3.org/2006/time#"  # rdflib's TIME namespace lacks inXSDGYear and warns

# Standard properties the store has no label for, named the way a reader of either language expects.
STANDARD_LABELS: Mapping[URIRef, Mapping[str, str]] = {
    RDF.type: {"fr": "type", "en": "type"},
    RDFS.label: {"fr": "libellé", "en": "label"},
    RDFS.comment: {"fr": "commentaire", "en": "comment"},
    RDFS.seeAlso: {"fr": "voir aussi", "en": "see also"},
    SKOS.prefLabel: {"fr": "libellé préféré", "en": "preferred label"},
    SKOS.altLabel: {"fr": "autre libellé", "en": "alternative label"},
    SKOS.notation: {"fr": "notation", "en": "notation"},
    SKOS.note: {"fr": "note", "en": "note"},
    SKOS.definition: {"fr": "définition", "en": "definition"},
    SKOS.exactMatch: {"fr": "correspondance exacte", "en": "exact match"},
    SKOS.broader: {"fr": "concept plus large", "en": "broader concept"},
    SKOS.inScheme: {"fr": "dans le schéma", "en": "in scheme"},
    DCTERMS.source: {"fr": "source", "en": "source"},
    DCTERMS.description: {"fr": "description", "en": "description"},
    DCTERMS.title: {"fr": "titre", "en": "title"},
    DCTERMS.spatial: {"fr": "couverture spatiale", "en": "spatial coverage"},
    DCTERMS.conformsTo: {"fr": "conforme à", "en": "conforms to"},
    DCTERMS.license: {"fr": "licence", "en": "licence"},
    DCTERMS.issued: {"fr": "date de publication", "en": "date issued"},
    DCTERMS.created: {"fr": "date de création", "en": "date created"},
    DCTERMS.modified: {"fr": "date de modification", "en": "date modified"},
    DCTERMS.publisher: {"fr": "éditeur", "en": "publisher"},
    DCTERMS.contributor: {"fr": "contributeur", "en": "contributor"},
    DCTERMS.isReplacedBy: {"fr": "remplacé par", "en": "is replaced by"},
    URIRef(TIME + "hasBeginning"): {"fr": "début", "en": "beginning"},
    URIRef(TIME + "hasEnd"): {"fr": "fin", "en": "end"},
    URIRef(TIME + "inXSDGYear"): {"fr": "année", "en": "year"},
    URIRef(TIME + "inXSDDate"): {"fr": "date", "en": "date"},
    FOAF.page: {"fr": "page", "en": "page"},
    FOAF.primaryTopic: {"fr": "sujet principal", "en": "primary topic"},
    ADMS_IDENTIFIER: {"fr": "identifiant", "en": "identifier"},
    URIRef("http://www.w3.org/ns/adms#schemaAgency"): {"fr": "organisme d'attribution", "en": "schema agency"},
    URIRef("http://rdf.insee.fr/def/geo#codeINSEE"): {"fr": "code INSEE", "en": "INSEE code"},
}


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """`prefix:local` for the longest namespace that covers `iri`, else the IRI itself."""
    best = max((ns for ns in prefixes.values() if iri.startswith(ns) and len(iri) > len(ns)), key=len, default="")
    if not best:
        return iri
    prefix = min(name for name, ns in prefixes.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


def label(
    graph: Graph, node: Node, lang: str, prefixes: Mapping[str, str], naming: tuple[URIRef, ...] = NAMING
) -> tuple[str, str | None]:
    """The node's name for a reader of `lang`, and the name's language when it is not `lang` (else None).

    Preference: a name (a value of `naming`) in `lang`, an untagged one, one in another language
    (alphabetical tag), a standard property's usual name, then the compact IRI.
    """
    names = [o for p in naming for o in graph.objects(node, p) if isinstance(o, Literal)]
    for wanted in (lang, None):
        for name in sorted(names, key=str):
            if name.language == wanted:
                return str(name), None
    for name in sorted(names, key=lambda n: (n.language or "", str(n))):
        return str(name), name.language
    if isinstance(node, URIRef) and node in STANDARD_LABELS:
        return STANDARD_LABELS[node][lang], None
    return compact(str(node), prefixes), None


def href(iri: str) -> str:
    """Where a link to one of our IRIs goes: the IRI itself, keeping the reader's explicit `?lang=` choice."""
    chosen = request.args.get("lang")
    if chosen not in LANGUAGES:
        return iri
    address, hash_, fragment = iri.partition("#")
    separator = "&" if "?" in address else "?"
    return f"{address}{separator}lang={chosen}{hash_}{fragment}"


def link(graph: Graph, node: URIRef, lang: str, prefixes: Mapping[str, str], base_url: str) -> Link:
    """A link to `node` shown by its label; IRIs under the public base keep the reader's language choice."""
    text, text_lang = label(graph, node, lang, prefixes)
    iri = str(node)
    return Link(href(iri) if iri.startswith(base_url) else iri, text, text_lang, iri=iri)
