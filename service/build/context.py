"""Generates the project's JSON-LD 1.1 @context from the ontology: MODEL.md's prefixes plus one term per cper: term."""

from __future__ import annotations

from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from service.publication.namespaces import VOCABULARIES, prefixes

# Ranges whose values are plain JSON strings already: no coercion, so language tags survive.
_UNCOERCED_RANGES = {XSD.string, RDF.langString, RDFS.Literal, RDF.PlainLiteral}
_PROPERTY_TYPES = {RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


def jsonld_context(ontology: Graph, base: str) -> dict[str, Any]:
    """The ``{"@context": …}`` document: prefixes, then every declared ``cper:`` term under its local name.

    Object properties are coerced to ``@id``; datatype properties with one XSD range (decimal, date…) to
    that datatype. A local name equal to a prefix is left out (the compact IRI still works).
    """
    namespaces = prefixes(base)
    cper = namespaces["cper"]
    context: dict[str, Any] = {"@version": 1.1, **namespaces}
    declared = {term for term in ontology.subjects(RDF.type, None) if isinstance(term, URIRef)}
    for term in sorted(declared):
        if not term.startswith(cper) or term == URIRef(cper):
            continue
        name = term[len(cper) :]
        if name not in context:
            context[name] = _definition(ontology, term, name)
    return {"@context": context}


def _definition(ontology: Graph, term: URIRef, name: str) -> str | dict[str, str]:
    compact = f"cper:{name}"
    types = set(ontology.objects(term, RDF.type))
    if not types & _PROPERTY_TYPES:
        return compact
    ranges = set(ontology.objects(term, RDFS.range))
    if OWL.ObjectProperty in types:
        return {"@id": compact, "@type": "@id"}
    if len(ranges) != 1:
        return compact
    (range_,) = ranges
    if not isinstance(range_, URIRef) or range_ in _UNCOERCED_RANGES:
        return compact
    if range_.startswith(VOCABULARIES["xsd"]):
        return {"@id": compact, "@type": f"xsd:{range_[len(VOCABULARIES['xsd']) :]}"}
    if OWL.DatatypeProperty in types or (range_, RDF.type, RDFS.Datatype) in ontology:
        return compact
    return {"@id": compact, "@type": "@id"}
