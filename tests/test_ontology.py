"""Checks that ontology/cper.ttl declares, labels and defines every term of the model contract (MODEL.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "cper.ttl"
MODEL_FILE = ROOT / "ontology" / "MODEL.md"

CPER = Namespace("https://cper-hdf.example/def/cper#")
ONTOLOGY_IRI = URIRef("https://cper-hdf.example/def/cper")
VERSION_IRI = URIRef("https://cper-hdf.example/def/cper/1.1.0")
PRIOR_VERSION_IRI = URIRef("https://cper-hdf.example/def/cper/1.0.0")
VANN = Namespace("http://purl.org/vocab/vann/")
ETALAB_LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")

# Vocabularies the ontology may align to or range over (MODEL.md, "Standard vocabularies"), plus RDF/OWL/XSD.
STANDARD_NAMESPACES = (
    "http://www.w3.org/ns/org#",
    "http://data.europa.eu/m8g/",
    "http://www.w3.org/ns/legal#",
    "http://www.w3.org/ns/adms#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/2006/time#",
    "http://purl.org/linked-data/cube#",
    "https://schema.org/",
    "http://data.europa.eu/eli/ontology#",
    "http://rdf.insee.fr/def/geo#",
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)

TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
AXIOM_PREDICATES = (
    RDFS.domain,
    RDFS.range,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.disjointWith,
    OWL.inverseOf,
)

# Concept schemes and their members as MODEL.md lists them, with the class each member must have.
SCHEME_MEMBERS = {
    CPER.AmountPrecisionScheme: (
        CPER.AmountPrecision,
        {CPER.exact, CPER.rounded, CPER.lowerBound, CPER.approximate},
    ),
    CPER.ConfidenceScheme: (CPER.Confidence, {CPER.highConfidence, CPER.mediumConfidence}),
    CPER.AxisStatusScheme: (SKOS.Concept, {CPER.inContract, CPER.toBeAddedByAmendment}),
}


def model_terms() -> list[URIRef]:
    """Every `cper:` name written in code spans of MODEL.md's terms section (its tables and notes)."""
    text = MODEL_FILE.read_text(encoding="utf-8")
    section = text.split("## Terms of the", 1)[1].split("\n## ", 1)[0]
    names = {
        name
        for span in re.findall(r"`([^`]+)`", section)
        for name in re.findall(r"\bcper:([A-Za-z][A-Za-z0-9]*)", span)
    }
    return [CPER[name] for name in sorted(names)]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def cper_terms(graph: Graph) -> set[URIRef]:
    return {
        subject
        for kind in TERM_KINDS
        for subject in graph.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and subject.startswith(str(CPER))
    }


def languages(graph: Graph, subject: Node, predicate: URIRef) -> list[str | None]:
    return sorted(
        (value.language for value in graph.objects(subject, predicate) if isinstance(value, Literal)),
        key=str,
    )


def named_targets(graph: Graph, node: Node) -> Iterator[URIRef]:
    """The IRIs an axiom points to, looking inside anonymous unions, enumerations and restricted datatypes."""
    if isinstance(node, URIRef):
        yield node
        return
    for list_predicate in (OWL.unionOf, OWL.intersectionOf, OWL.oneOf):
        for head in graph.objects(node, list_predicate):
            for member in Collection(graph, head):
                yield from named_targets(graph, member)
    for base in graph.objects(node, OWL.onDatatype):
        yield from named_targets(graph, base)


def test_the_model_names_terms() -> None:
    terms = model_terms()
    assert CPER.PlanContract in terms
    assert CPER.unknownProperty in terms
    assert len(terms) > 80


def test_header_describes_the_ontology(ontology: Graph) -> None:
    header = ONTOLOGY_IRI
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert list(ontology.objects(header, OWL.versionIRI)) == [VERSION_IRI]
    assert list(ontology.objects(header, OWL.versionInfo)) == [Literal("1.1.0")]
    assert list(ontology.objects(header, OWL.priorVersion)) == [PRIOR_VERSION_IRI]
    assert languages(ontology, header, DCTERMS.title) == ["en", "fr"]
    assert languages(ontology, header, DCTERMS.description) == ["en", "fr"]
    assert list(ontology.objects(header, DCTERMS.license)) == [ETALAB_LICENCE]
    for date_predicate in (DCTERMS.created, DCTERMS.modified):
        (date,) = ontology.objects(header, date_predicate)
        assert isinstance(date, Literal)
        assert date.datatype == XSD.date
    assert list(ontology.objects(header, VANN.preferredNamespacePrefix)) == [Literal("cper")]
    (namespace,) = ontology.objects(header, VANN.preferredNamespaceUri)
    assert str(namespace) == str(CPER)


def test_publisher_is_a_labelled_node(ontology: Graph) -> None:
    (publisher,) = ontology.objects(ONTOLOGY_IRI, DCTERMS.publisher)
    assert languages(ontology, publisher, RDFS.label) == ["en", "fr"]
    assert Literal("CPER Hauts-de-France open data project", lang="en") in set(ontology.objects(publisher, RDFS.label))


@pytest.mark.parametrize("term", model_terms(), ids=lambda term: term.removeprefix(str(CPER)))
def test_model_term_is_declared(ontology: Graph, term: URIRef) -> None:
    kinds = set(ontology.objects(term, RDF.type)) & set(TERM_KINDS)
    assert kinds, f"{term} is named in MODEL.md but not declared"


def test_every_term_has_one_label_and_one_definition_per_language(ontology: Graph) -> None:
    terms = cper_terms(ontology)
    assert terms >= set(model_terms())
    problems = [
        f"{term} {predicate}: {found}"
        for term in sorted(terms)
        for predicate in (RDFS.label, SKOS.definition)
        if (found := languages(ontology, term, predicate)) != ["en", "fr"]
    ]
    assert problems == []


def test_every_term_is_defined_by_the_ontology(ontology: Graph) -> None:
    undefined = [
        term for term in sorted(cper_terms(ontology)) if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology
    ]
    assert undefined == []


def test_properties_have_exactly_one_owl_kind(ontology: Graph) -> None:
    object_properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    datatype_properties = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    assert object_properties & datatype_properties == set()


def test_axioms_point_to_declared_or_standard_terms(ontology: Graph) -> None:
    declared = cper_terms(ontology)
    strays = [
        f"{subject} {predicate} {target}"
        for predicate in AXIOM_PREDICATES
        for subject, obj in ontology.subject_objects(predicate)
        if isinstance(subject, URIRef) and subject.startswith(str(CPER))
        for target in named_targets(ontology, obj)
        if not (target in declared or str(target).startswith(STANDARD_NAMESPACES))
    ]
    assert strays == []


def test_anonymous_domains_and_ranges_are_resolved(ontology: Graph) -> None:
    # A blank-node domain or range that names nothing would slip past the axiom check above.
    empty = [
        f"{subject} {predicate}"
        for predicate in (RDFS.domain, RDFS.range)
        for subject, obj in ontology.subject_objects(predicate)
        if isinstance(obj, BNode) and not list(named_targets(ontology, obj))
    ]
    assert empty == []


def test_cper_classes_are_not_declared_equivalent_to_outside_terms(ontology: Graph) -> None:
    # No outside class matches a CPER class exactly (MODEL.md): alignments are subclass axioms.
    assert list(ontology.subject_objects(OWL.equivalentClass)) == []


@pytest.mark.parametrize("scheme", list(SCHEME_MEMBERS), ids=lambda scheme: scheme.removeprefix(str(CPER)))
def test_concept_scheme_holds_its_concepts(ontology: Graph, scheme: URIRef) -> None:
    concept_class, members = SCHEME_MEMBERS[scheme]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
    assert (scheme, RDF.type, OWL.NamedIndividual) in ontology
    assert set(ontology.subjects(SKOS.inScheme, scheme)) == members
    for concept in members:
        assert {OWL.NamedIndividual, SKOS.Concept, concept_class} <= set(ontology.objects(concept, RDF.type))
        assert languages(ontology, concept, SKOS.prefLabel) == ["en", "fr"]


def test_plan_contract_definition_cites_its_legal_basis(ontology: Graph) -> None:
    definitions = {
        value.language: str(value)
        for value in ontology.objects(CPER.PlanContract, SKOS.definition)
        if isinstance(value, Literal)
    }
    assert "multi-year agreement" in definitions["en"]
    assert "pluriannuel" in definitions["fr"]
    for definition in definitions.values():
        assert "82-653" in definition
        assert "83-32" in definition
        assert re.search(r"\b11\b.*\b12\b", definition)
    sources = {str(source) for source in ontology.objects(CPER.PlanContract, DCTERMS.source)}
    assert any("legifrance.gouv.fr" in source for source in sources)
    assert any("collectivites-locales.gouv.fr" in source for source in sources)
