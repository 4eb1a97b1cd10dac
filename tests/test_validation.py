"""Validation: SHACL findings with both messages, warnings that do not fail, and the checks beside SHACL."""

from __future__ import annotations

from conftest import CANONICAL_BASE
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from service.build.sources import Sources
from service.build.validation import STANDARD_NAMESPACES, validate

CPER = Namespace(CANONICAL_BASE + "def/cper#")
SH = Namespace("http://www.w3.org/ns/shacl#")
CONTRACT = URIRef(CANONICAL_BASE + "id/contract/c1")
OTHER = URIRef(CANONICAL_BASE + "id/contract/c2")

PREFIXES = """
@prefix cper: <https://cper-hdf.example/def/cper#> .
@prefix cpersh: <https://cper-hdf.example/def/shapes#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix contract_: <https://cper-hdf.example/id/contract/> .
"""
ONTOLOGY = """
cper:PlanContract a owl:Class .
cper:amount a owl:DatatypeProperty ; rdfs:range xsd:decimal .
"""
AMOUNT_SHAPE = """
cpersh:ContractShape a sh:NodeShape ; sh:targetClass cper:PlanContract ;
    sh:property [ sh:path cper:amount ; sh:minInclusive 0 ;
        sh:message "Le montant est positif ou nul."@fr, "The amount is zero or more."@en ] .
"""
LABEL_WARNING = """
cpersh:LabelShape a sh:NodeShape ; sh:targetClass cper:PlanContract ; sh:severity sh:Warning ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:severity sh:Warning ;
        sh:message "Un contrat a un libellé."@fr, "A contract has a label."@en ] .
"""


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def sources(data: str, shapes: str = AMOUNT_SHAPE, ontology: str = ONTOLOGY) -> Sources:
    return Sources(data=turtle(data), ontology=turtle(ontology), shapes=turtle(shapes), base=CANONICAL_BASE)


def test_conforming_sources_give_no_finding() -> None:
    report = validate(sources("contract_:c1 a cper:PlanContract ; rdfs:label 'C1' ; cper:amount 10.0 ."))

    assert report.conforms
    assert report.findings == ()
    assert (None, SH.conforms, Literal(True)) in report.graph
    assert report.as_text().startswith("Conforms: 0 violation(s), 0 warning(s), 0 info(s).")


def test_a_violation_is_a_finding_with_focus_path_value_and_both_messages() -> None:
    checked = sources("contract_:c1 a cper:PlanContract ; cper:amount -5.0 .")

    report = validate(checked)

    assert not report.conforms
    (finding,) = report.findings
    assert (finding.focus, finding.path, finding.value) == (
        CONTRACT,
        CPER.amount,
        Literal("-5.0", datatype=XSD.decimal),
    )
    assert (finding.message_fr, finding.message_en) == ("Le montant est positif ou nul.", "The amount is zero or more.")
    assert finding.severity == SH.Violation
    assert (URIRef(CANONICAL_BASE + "def/shapes#ContractShape"), SH.property, finding.source_shape) in checked.shapes
    assert (None, SH.conforms, Literal(False)) in report.graph


def test_the_text_report_groups_findings_by_message() -> None:
    data = "contract_:c1 a cper:PlanContract ; cper:amount -5.0 . contract_:c2 a cper:PlanContract ; cper:amount -1.0 ."

    text = validate(sources(data)).as_text()

    assert text.startswith("Does not conform: 2 violation(s), 0 warning(s), 0 info(s).")
    group = "Violation (2): Le montant est positif ou nul. / The amount is zero or more."
    assert text.count(group) == 1
    assert f'  focus <{CONTRACT}>  path cper:amount  value "-5.0"^^xsd:decimal' in text
    assert f'  focus <{OTHER}>  path cper:amount  value "-1.0"^^xsd:decimal' in text


def test_warnings_are_reported_but_do_not_fail() -> None:
    report = validate(sources("contract_:c1 a cper:PlanContract ; cper:amount 1.0 .", AMOUNT_SHAPE + LABEL_WARNING))

    assert report.conforms
    (warning,) = report.findings
    assert (warning.focus, warning.path, warning.severity) == (CONTRACT, RDFS.label, SH.Warning)
    assert "Warning (1): Un contrat a un libellé. / A contract has a label." in report.as_text()


def test_the_shapes_themselves_are_checked_against_shacl() -> None:
    broken = 'cpersh:S a sh:NodeShape ; sh:property [ sh:path cper:amount ; sh:minCount "many" ] .'

    report = validate(sources("contract_:c1 a cper:PlanContract .", broken))

    assert not report.conforms
    assert [(f.path, f.value) for f in report.findings] == [(SH.minCount, Literal("many"))]


def test_sparql_messages_keep_their_language() -> None:
    # pyshacl drops the language tag of a SPARQL constraint's filled-in message; the finding gets it back.
    shape = """cpersh:S a sh:NodeShape ; sh:targetClass cper:PlanContract ; sh:sparql [
        sh:select "SELECT $this ?value WHERE { $this ?p ?value . FILTER(isNumeric(?value) && ?value < 0) }" ;
        sh:message "Montant négatif : {?value}"@fr, "Negative amount: {?value}"@en ] ."""

    (finding,) = validate(sources("contract_:c1 a cper:PlanContract ; cper:amount -5.0 .", shape)).findings

    assert (finding.message_fr, finding.message_en) == ("Montant négatif : -5.0", "Negative amount: -5.0")


def test_an_undeclared_cper_property_fails() -> None:
    report = validate(sources("contract_:c1 a cper:PlanContract ; cper:amount 1.0 ; cper:amuont 2.0 ."))

    assert not report.conforms
    (finding,) = report.findings
    assert (finding.focus, finding.path, finding.value) == (CONTRACT, CPER.amuont, Literal("2.0", datatype=XSD.decimal))
    assert f"<{CPER.amuont}>" in finding.message_en and f"<{CPER.amuont}>" in finding.message_fr
    assert (None, SH.focusNode, CONTRACT) in report.graph and (None, SH.resultPath, CPER.amuont) in report.graph


def test_an_undeclared_class_fails() -> None:
    (finding,) = validate(sources("contract_:c1 a cper:PlanContract, cper:Contract .")).findings

    assert (finding.focus, finding.path, finding.value) == (CONTRACT, RDF.type, CPER.Contract)


def test_standard_vocabularies_need_no_declaration_but_others_do() -> None:
    data = """contract_:c1 a cper:PlanContract, <https://schema.org/CreativeWork> ;
        <http://www.w3.org/ns/dcat#keyword> "k" ; <http://rdfs.org/ns/void#triples> 3 ;
        <http://data.europa.eu/m8g/sector> "s" ; <http://example.org/made-up> "x" ."""

    findings = validate(sources(data)).findings

    assert [finding.path for finding in findings] == [URIRef("http://example.org/made-up")]
    assert "http://data.europa.eu/m8g/" in STANDARD_NAMESPACES and "https://schema.org/" in STANDARD_NAMESPACES


def test_the_canonical_base_inside_a_literal_fails_unless_it_is_an_iri() -> None:
    data = f"""contract_:c1 a cper:PlanContract ; rdfs:comment "see {CANONICAL_BASE}id/contract/c1" ;
        rdfs:seeAlso "{CANONICAL_BASE}def/cper#"^^xsd:anyURI ."""

    (finding,) = validate(sources(data)).findings

    assert (finding.focus, finding.path) == (CONTRACT, RDFS.comment)
    assert CANONICAL_BASE in finding.message_en
