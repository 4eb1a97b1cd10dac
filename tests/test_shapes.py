"""Checks shapes/cper-shapes.ttl: the real graph conforms, each kind of error trips its shape, no shape is dead."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pyshacl
import pytest
from conftest import CANONICAL_BASE
from pyshacl.entrypoints import meta_validate
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from service.build.sources import Sources, load_sources
from service.build.validation import validate

ROOT = Path(__file__).resolve().parent.parent

SH = Namespace("http://www.w3.org/ns/shacl#")
CPER = Namespace(CANONICAL_BASE + "def/cper#")
CPERSH = Namespace(CANONICAL_BASE + "def/shapes#")
ID = Namespace(CANONICAL_BASE + "id/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCT = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
TIME = Namespace("http://www.w3.org/2006/time#")
IGEO = Namespace("http://rdf.insee.fr/def/geo#")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
ORG = Namespace("http://www.w3.org/ns/org#")
USD = URIRef("http://publications.europa.eu/resource/authority/currency/USD")
HOME_PAGE = URIRef("https://www.prefectures-regions.gouv.fr/hauts-de-france")

# The parameters that make a shape check something (SHACL core constraint components, and SHACL-SPARQL).
CONSTRAINT_PARAMETERS = frozenset(
    SH[name]
    for name in (
        *("class", "datatype", "nodeKind", "minCount", "maxCount", "minLength", "maxLength", "pattern"),
        *("minExclusive", "minInclusive", "maxExclusive", "maxInclusive", "languageIn", "uniqueLang"),
        *("equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node"),
        *("hasValue", "in", "closed", "qualifiedValueShape", "sparql"),
    )
)

# Shapes no change to the data can trip, with the reason. Empty: every shape has a mutation below.
UNTRIPPABLE: dict[URIRef, str] = {}

# --- The resources the mutations change (slugs are stable: MODEL.md, "never renumbered") -----------------------

CONTRACT = ID["contract/cper-hauts-de-france-2021-2027"]
NPDC_CONTRACT = ID["contract/cper-nord-pas-de-calais-2015-2020"]
PROTOCOL = ID["protocol/volet-mobilites-2023-2027"]
AMENDMENT = ID["amendment/avenant-mobilites"]
SIGNATURE = ID["signature/cper-hauts-de-france-2021-2027"]
STATE_SIGNING = ID["signing/cper-hauts-de-france-2021-2027-etat"]
SOMME_SIGNING = ID["signing/cper-hauts-de-france-2021-2027-departement-de-la-somme"]
PROTOCOL_REGION_SIGNING = ID["signing/volet-mobilites-2023-2027-region-hauts-de-france"]
STATE = ID["organisation/etat"]
REGION = ID["organisation/region-hauts-de-france"]
NORD = ID["organisation/departement-du-nord"]
MEL = ID["organisation/metropole-europeenne-de-lille"]
NORD_SIREN = ID["identifier/siren-225900018"]
HDF_AREA = ID["territory/hauts-de-france"]
NORD_AREA = ID["territory/nord"]
SOMME_AREA = ID["territory/somme"]
MEL_AREA = ID["territory/metropole-europeenne-de-lille"]
AMIENS_METROPOLE_AREA = ID["territory/amiens-metropole"]
LILLE_AREA = ID["territory/lille"]
AMIENS_AREA = ID["territory/amiens"]
NPDC_AREA = ID["territory/nord-pas-de-calais"]
PICARDIE_AREA = ID["territory/picardie"]
STATE_SHARE = ID["commitment/cper-2021-2027-etat"]
OTHERS_SHARE = ID["commitment/cper-2021-2027-autres-signataires"]
MEL_SHARE = ID["commitment/cper-2021-2027-metropole-europeenne-de-lille"]
MEL_AXIS_1 = ID["commitment/cper-2021-2027-metropole-europeenne-de-lille-axe-1"]
MEL_AXIS_2 = ID["commitment/cper-2021-2027-metropole-europeenne-de-lille-axe-2"]
NORD_SHARE = ID["commitment/cper-2021-2027-departement-du-nord"]
PAS_DE_CALAIS_SHARE = ID["commitment/cper-2021-2027-departement-du-pas-de-calais"]
STATE_994_26 = ID["amount-statement/cper-2021-2027-etat-994-26-millions"]
STATE_MOBILITY = ID["commitment/volet-mobilites-etat"]
REGION_MOBILITY = ID["commitment/volet-mobilites-region-hauts-de-france"]
STATE_RAIL = ID["commitment/volet-mobilites-etat-ferroviaire"]
AXIS_1 = ID["axis/axe-1"]
AXIS_2 = ID["axis/axe-2"]
AXIS_3 = ID["axis/axe-3"]
AXIS_4 = ID["axis/axe-4"]
AXIS_6 = ID["axis/axe-6"]
PRIORITY_1 = ID["priority/priorite-1"]
PRIORITY_4 = ID["priority/priorite-4"]
OBJECTIVE_I_1 = ID["objective/i-1"]
OBJECTIVE_I_2 = ID["objective/i-2"]
MEASURE_I_1_1 = ID["measure/i-1-1"]
THEME_CULTURE = ID["theme/culture"]
GENERATION_6 = ID["generation/generation-6"]
GENERATION_7 = ID["generation/generation-7"]
LAW_1982 = ID["legal-resource/loi-82-653-du-29-juillet-1982"]
PREFECTURE_DU_NORD = ID["place/prefecture-du-nord"]
COMPIEGNE = ID["place/compiegne"]
XAVIER_BERTRAND = ID["person/xavier-bertrand"]
GEORGES_FRANCOIS_LECLERC = ID["person/georges-francois-leclerc"]
FIRST_STEP = ID["step/mandat-de-negociation-2019"]
SRADDET = ID["scheme/sraddet"]
SRADDET_2020 = ID["scheme-version/sraddet-2020"]
SRESRI_2022 = ID["scheme-version/sresri-2022-2028"]
FRANCE_RELANCE = ID["instrument/france-relance"]
RAIL = ID["mode/ferroviaire"]
BERTRAND_OFFICE = ID["membership/xavier-bertrand-region-hauts-de-france"]
GEST_OFFICE = ID["membership/alain-gest-amiens-metropole"]
PRESIDENT = ID["concept/president"]
# The 2015-2020 predecessors (sheet §6, §7v-§7x) and the EU programme (sheet §5, §7m)
PICARDIE_CONTRACT = ID["contract/cper-picardie-2015-2020"]
NPDC_SIGNATURE = ID["signature/cper-nord-pas-de-calais-2015-2020"]
NPDC_AMENDMENT = ID["amendment/avenant-cper-nord-pas-de-calais-2015-2020"]
NPDC_STATE_SHARE = ID["commitment/cper-nord-pas-de-calais-2015-2020-etat"]
NPDC_REGION = ID["organisation/region-nord-pas-de-calais"]
NPDC_REGION_SHARE = ID["commitment/cper-nord-pas-de-calais-2015-2020-region-nord-pas-de-calais"]
NPDC_PAS_DE_CALAIS_SHARE = ID["commitment/cper-nord-pas-de-calais-2015-2020-departement-du-pas-de-calais"]
NPDC_MEL_SHARE = ID["commitment/cper-nord-pas-de-calais-2015-2020-metropole-europeenne-de-lille"]
NPDC_VALORISED = ID["commitment/cper-nord-pas-de-calais-2015-2020-credits-valorises"]
PICARDIE_ENVELOPE = ID["commitment/cper-picardie-2015-2020-enveloppe"]
PICARDIE_STATE_SHARE = ID["commitment/cper-picardie-2015-2020-etat"]
PICARDIE_REGION_SHARE = ID["commitment/cper-picardie-2015-2020-region-picardie"]
PICARDIE_OTHER_FUNDING = ID["commitment/cper-picardie-2015-2020-autres-financements"]
EU_PROGRAMME = ID["instrument/programme-feder-fse-plus-ftj-2021-2027"]
ERDF_TOTAL = ID["commitment/programme-2021fr16ffpr010-feder-total"]
ERDF_NATIONAL = ID["commitment/programme-2021fr16ffpr010-feder-national"]
ESF_EU = ID["commitment/programme-2021fr16ffpr010-fse-plus-ue"]
ESF_TOTAL = ID["commitment/programme-2021fr16ffpr010-fse-plus-total"]
# The IRIs release 1.1 retired (data/dataset.ttl), and an IRI nothing describes
RETIRED_SIGNATURE_STEP = ID["step/signature-2023"]
NOTHING_HERE = ID["step/nothing-here"]

# --- Mutations: one change each to a copy of data + ontology ---------------------------------------------------

Edit = Callable[[Graph], None]
Locate = Callable[[Graph], Node]


def decimal(value: str) -> Literal:
    return Literal(Decimal(value), datatype=XSD.decimal)


def at(subject: Node, *path: URIRef) -> Locate:
    """The node reached from ``subject`` by following ``path`` (one value per step), found in the graph."""

    def locate(graph: Graph) -> Node:
        node = subject
        for predicate in path:
            found = graph.value(node, predicate)
            assert found is not None, f"{node} has no {predicate}"
            node = found
        return node

    return locate


def node_of(target: Node | Locate, graph: Graph) -> Node:
    return target(graph) if callable(target) else target


def statement_of(subject: Node, predicate: URIRef) -> Locate:
    """The rdf:Statement that attributes ``subject predicate …`` (the first, if the property has several values)."""

    def locate(graph: Graph) -> Node:
        for statement in sorted(graph.subjects(RDF.subject, subject)):
            if (statement, RDF.predicate, predicate) in graph:
                return statement
        raise AssertionError(f"no statement attributes {subject} {predicate}")

    return locate


def set_value(subject: Node | Locate, predicate: URIRef, value: Node) -> Edit:
    def edit(graph: Graph) -> None:
        node = node_of(subject, graph)
        assert (node, predicate, None) in graph, f"{node} has no {predicate} to change"
        graph.set((node, predicate, value))

    return edit


def add(subject: Node | Locate, predicate: URIRef, value: Node | Locate) -> Edit:
    def edit(graph: Graph) -> None:
        graph.add((node_of(subject, graph), predicate, node_of(value, graph)))

    return edit


def drop(subject: Node | Locate, predicate: URIRef, value: Node | None = None) -> Edit:
    def edit(graph: Graph) -> None:
        node = node_of(subject, graph)
        assert (node, predicate, value) in graph, f"{node} has no {predicate} {value or ''} to drop"
        graph.remove((node, predicate, value))

    return edit


def relink(subject: Node, predicate: URIRef, old: Node | Locate, new: Node) -> Edit:
    """Point one link elsewhere, keeping the subject's other values of the same property."""

    def edit(graph: Graph) -> None:
        drop(subject, predicate, node_of(old, graph))(graph)
        graph.add((subject, predicate, new))

    return edit


def drop_language(subject: Node, predicate: URIRef, language: str) -> Edit:
    def edit(graph: Graph) -> None:
        tagged = [value for value in graph.objects(subject, predicate) if getattr(value, "language", None) == language]
        assert tagged, f"{subject} has no {predicate} @{language}"
        for value in tagged:
            graph.remove((subject, predicate, value))

    return edit


def untype(subject: Node | Locate, cls: URIRef) -> Edit:
    return drop(subject, RDF.type, cls)


def together(*edits: Edit) -> Edit:
    """Several triples that make up one change (a value and its twin, a link and its inverse)."""

    def edit(graph: Graph) -> None:
        for each in edits:
            each(graph)

    return edit


@dataclass(frozen=True)
class Mutation:
    """One change to the graph, and what the report must then say: a message (fr or en) about a focus node."""

    name: str
    edit: Edit
    message: str
    focus: Node | Locate

    def __str__(self) -> str:
        return self.name


UNKNOWN_WITHOUT_PROPERTY = BNode()
CONTRACT_PERIOD = at(CONTRACT, CPER.period)
PROTOCOL_PERIOD = at(PROTOCOL, CPER.period)
AMENDMENT_CONSULTATION_START = at(AMENDMENT, CPER.consultationPeriod, TIME.hasBeginning)
WRONG_KIND = "to a resource of the wrong type"
# One change, three broken links (signatory, signing, commitment): validated once, checked three times.
STATE_UNTYPED = untype(STATE, CPER.PublicAuthority)

STATE_AMOUNT_STATEMENT = statement_of(STATE_SHARE, CPER.amount)
NORD_SIREN_PAGE = URIRef("https://annuaire-entreprises.data.gouv.fr/entreprise/225900018")
AISNE_SIREN_PAGE = URIRef("https://annuaire-entreprises.data.gouv.fr/entreprise/220200026")

MUTATIONS: tuple[Mutation, ...] = (
    # Statement-level provenance
    Mutation("statement-subject-dropped", drop(STATE_AMOUNT_STATEMENT, RDF.subject),
             "An attributed statement has exactly one subject", STATE_AMOUNT_STATEMENT),
    Mutation("statement-source-dropped", drop(STATE_AMOUNT_STATEMENT, DCT.source),
             "An attributed statement cites at least one source", STATE_AMOUNT_STATEMENT),
    Mutation("statement-confidence-dropped", drop(STATE_AMOUNT_STATEMENT, CPER.confidence),
             "An attributed statement has exactly one confidence", STATE_AMOUNT_STATEMENT),
    Mutation("statement-about-a-triple-not-held", set_value(STATE_AMOUNT_STATEMENT, RDF.object, decimal("894000000")),
             "describes a triple the graph does not hold", STATE_AMOUNT_STATEMENT),
    Mutation("fact-without-statement", add(STATE, DCT.description, Literal("Un fait sans source.", lang="fr")),
             "Fact-bearing triple with no attributed statement", STATE),
    Mutation("home-page-as-source", add(NORD_SHARE, DCT.source, HOME_PAGE),
             "is only the page where the contract is published", NORD_SHARE),
    Mutation("identifier-cites-another-register-page",
             relink(NORD_SIREN, DCT.source, NORD_SIREN_PAGE, AISNE_SIREN_PAGE),
             "does not cite the register's page for that value", NORD_SIREN),
    Mutation("identifier-fact-without-statement", add(NORD_SIREN, DCT.description, Literal("Sans source.", lang="fr")),
             "Fact-bearing triple with no attributed statement", NORD_SIREN),
    # SKOS: schemes, preferred labels, measures
    Mutation("measure-notation-dropped", drop(MEASURE_I_1_1, SKOS.notation), "A measure has exactly one notation",
             MEASURE_I_1_1),
    Mutation("measure-without-objective", drop(MEASURE_I_1_1, SKOS.broader),
             "A measure belongs to exactly one objective", MEASURE_I_1_1),
    Mutation("concept-out-of-its-scheme", drop(AXIS_3, SKOS.inScheme), "is filed in at least one scheme", AXIS_3),
    Mutation("concept-without-english-preferred-label", drop_language(AXIS_3, SKOS.prefLabel, "en"),
             "has one skos:prefLabel tagged @fr and one tagged @en", AXIS_3),
    Mutation("axis-number-zero", set_value(AXIS_6, CPER.number, Literal("0", datatype=XSD.integer)),
             "An axis has exactly one number", AXIS_6),
    # Arithmetic
    Mutation("state-amount-changed", set_value(STATE_SHARE, CPER.amount, decimal("894000000")),
             "does not match the envelope", CONTRACT),
    Mutation("commitment-shares-off", set_value(STATE_SHARE, CPER.sharePercent, decimal("46")),
             "The shares of the top-level commitments make", CONTRACT),
    Mutation("shares-swapped-against-amounts",
             together(set_value(STATE_SHARE, CPER.sharePercent, decimal("28")),
                      set_value(OTHERS_SHARE, CPER.sharePercent, decimal("36"))),
             "does not match the amount over the sum of the top-level commitments", CONTRACT),
    Mutation("axis-share-changed", set_value(AXIS_1, CPER.sharePercent, decimal("25")),
             "The published shares of the axes make", CONTRACT),
    Mutation("axis-amount-exceeds-total", set_value(MEL_AXIS_2, CPER.amount, decimal("200000000")),
             "exceed the whole", MEL_SHARE),
    Mutation("mode-amount-changed", set_value(STATE_RAIL, CPER.amount, decimal("300000000")),
             "The amounts by mode", STATE_MOBILITY),
    Mutation("mode-amount-under-another-signatory", set_value(STATE_RAIL, CPER.committedBy, REGION),
             "is committed by an authority missing from the whole", PROTOCOL),
    Mutation("committer-not-a-signatory", set_value(REGION_MOBILITY, CPER.committedBy, NORD),
             "is made by an authority that is not one of its signatories", PROTOCOL),
    # Amounts
    Mutation("amount-as-string", set_value(STATE_SHARE, CPER.amount, Literal("994000000")),
             "An amount (cper:amount) is single and an xsd:decimal", STATE_SHARE),
    Mutation("negative-amount", set_value(MEL_AXIS_1, CPER.amount, decimal("-31800000")),
             "An amount (cper:amount) is never negative", MEL_AXIS_1),
    Mutation("currency-not-euro", set_value(STATE_SHARE, CPER.currency, USD), "An amount is in euros", STATE_SHARE),
    Mutation("precision-dropped", drop(NORD_SHARE, CPER.amountPrecision), "An amount says how precise it is",
             NORD_SHARE),
    Mutation("rounding-unit-zero", set_value(NORD_SHARE, CPER.roundingUnit, decimal("0")),
             "The rounding unit (cper:roundingUnit) is single", NORD_SHARE),
    Mutation("rounded-without-unit", drop(NORD_SHARE, CPER.roundingUnit),
             "A rounded amount (cper:rounded) states its rounding unit", NORD_SHARE),
    Mutation("share-above-100", set_value(AXIS_3, CPER.sharePercent, decimal("120")),
             "A share (cper:sharePercent) is single", AXIS_3),
    Mutation("amount-neither-stated-nor-unknown", drop(PAS_DE_CALAIS_SHARE, CPER.unknown),
             "A financial commitment has an amount", PAS_DE_CALAIS_SHARE),
    Mutation("orphan-commitment",
             together(drop(CONTRACT, CPER.commitment, NORD_SHARE), drop(NORD_SHARE, CPER.partOf)),
             "Orphan commitment", NORD_SHARE),
    Mutation("committer-dropped", drop(NORD_SHARE, CPER.committedBy),
             "names at least one signatory who commits", NORD_SHARE),
    Mutation("retained-dropped", drop(STATE_994_26, CPER.retained), "says whether it is retained", STATE_994_26),
    # Provenance
    Mutation("source-dropped", drop(MEL_SHARE, DCT.source), "Missing source", MEL_SHARE),
    Mutation("source-not-described", add(AXIS_3, DCT.source, URIRef("https://example.org/undescribed")),
             "A source (dct:source) is the URL of a public page", AXIS_3),
    Mutation("confidence-dropped", drop(AXIS_3, CPER.confidence), "Missing or invalid confidence", AXIS_3),
    Mutation("unknown-without-property",
             together(drop(PAS_DE_CALAIS_SHARE, CPER.unknown, None),
                      add(PAS_DE_CALAIS_SHARE, CPER.unknown, UNKNOWN_WITHOUT_PROPERTY),
                      add(UNKNOWN_WITHOUT_PROPERTY, RDF.type, CPER.UnknownValue)),
             "A known unknown (cper:UnknownValue) says which property", UNKNOWN_WITHOUT_PROPERTY),
    # Labels
    Mutation("french-label-dropped", drop_language(CONTRACT, RDFS.label, "fr"), "Missing label", CONTRACT),
    Mutation("english-label-dropped", drop_language(XAVIER_BERTRAND, RDFS.label, "en"), "Missing label",
             XAVIER_BERTRAND),
    Mutation("label-in-german", add(AXIS_3, RDFS.label, Literal("Ausgrenzung bekämpfen", lang="de")),
             "An rdfs:label is tagged @fr or @en", AXIS_3),
    # SIREN and identifiers
    Mutation("siren-eight-digits", set_value(REGION, CPER.siren, Literal("20005374")),
             "Invalid SIREN: cper:siren", REGION),
    Mutation("siren-with-letters", set_value(NORD_SIREN, SKOS.notation, Literal("22590001A")),
             "Invalid SIREN: a SIREN identifier node", NORD_SIREN),
    Mutation("siren-and-identifier-disagree", set_value(NORD, CPER.siren, Literal("225900019")),
             "state the same numbers", NORD),
    Mutation("signatory-siren-dropped", drop(NORD, CPER.siren), "Missing SIREN", NORD),
    Mutation("signatory-identifier-dropped", drop(MEL, ADMS.identifier), "Missing identifier", MEL),
    Mutation("identifier-without-agency", drop(NORD_SIREN, ADMS.schemaAgency), "names the body that issues",
             NORD_SIREN),
    Mutation("identifier-without-register", drop(NORD_SIREN, DCT.conformsTo), "points to the register",
             NORD_SIREN),
    Mutation("state-siren-invented", add(STATE, CPER.siren, Literal("110000015")),
             "The State has no published SIREN", STATE),
    Mutation("authority-with-two-territories", add(NORD, CPER.territory, LILLE_AREA),
             "governs at most one territory", NORD),
    # INSEE, NUTS, Wikidata
    Mutation("insee-code-broken", set_value(NORD_AREA, IGEO.codeINSEE, Literal("5")), "Invalid INSEE code",
             NORD_AREA),
    Mutation("departement-code-too-long", set_value(NORD_AREA, IGEO.codeINSEE, Literal("59350")),
             "A département has an INSEE code", NORD_AREA),
    Mutation("region-code-three-digits", set_value(HDF_AREA, IGEO.codeINSEE, Literal("320")),
             "A region has an INSEE code", HDF_AREA),
    Mutation("commune-code-four-digits", set_value(LILLE_AREA, IGEO.codeINSEE, Literal("5935")),
             "A commune has an INSEE code", LILLE_AREA),
    Mutation("epci-code-eight-digits", set_value(AMIENS_METROPOLE_AREA, IGEO.codeINSEE, Literal("24800053")),
             "An EPCI has an INSEE code (igeo:codeINSEE) of 9 digits", AMIENS_METROPOLE_AREA),
    Mutation("epci-code-not-its-siren", set_value(MEL_AREA, IGEO.codeINSEE, Literal("200093202")),
             "The INSEE code of an EPCI (igeo:codeINSEE) is the SIREN", MEL_AREA),
    Mutation("nuts-code-broken", set_value(NORD_AREA, CPER.nutsCode, Literal("NORD")), "Invalid NUTS code",
             NORD_AREA),
    Mutation("nuts-unit-outside-the-nuts-space",
             set_value(NORD_AREA, CPER.nutsUnit, URIRef("https://ec.europa.eu/eurostat/nuts/FRE11")),
             "Invalid NUTS unit", NORD_AREA),
    Mutation("nuts-unit-and-code-disagree", set_value(SOMME_AREA, CPER.nutsUnit, NUTS.FRE22),
             "come together and say the same code", SOMME_AREA),
    Mutation("departement-nuts-unit-dropped",
             together(drop(SOMME_AREA, CPER.nutsUnit), drop(SOMME_AREA, CPER.nutsCode)),
             "Missing NUTS unit", SOMME_AREA),
    Mutation("within-nuts-unit-broken", set_value(LILLE_AREA, CPER.withinNutsUnit, NUTS["59"]),
             "Invalid enclosing NUTS unit", LILLE_AREA),
    Mutation("territory-outside-nuts", drop(LILLE_AREA, CPER.withinNutsUnit), "Territory outside NUTS",
             LILLE_AREA),
    Mutation("pre-2016-nuts-code",
             together(set_value(NPDC_AREA, CPER.nutsCode, Literal("FR30")),
                      set_value(NPDC_AREA, CPER.nutsUnit, NUTS.FR30)),
             "Outdated NUTS code", NPDC_AREA),
    Mutation("former-region-nuts-unit-wrong",
             together(set_value(PICARDIE_AREA, CPER.nutsCode, Literal("FRE1")),
                      set_value(PICARDIE_AREA, CPER.nutsUnit, NUTS.FRE1)),
             "Picardie is the NUTS 2021 unit FRE2", PICARDIE_AREA),
    Mutation("former-region-nuts-unit-dropped", drop(NPDC_AREA, CPER.nutsUnit),
             "Nord-Pas-de-Calais is the NUTS 2021 unit FRE1", NPDC_AREA),
    Mutation("former-region-wikidata-dropped", drop(NPDC_AREA, CPER.wikidataItem),
             "Nord-Pas-de-Calais is the Wikidata item Q16987", NPDC_AREA),
    Mutation("former-region-wikidata-invented", add(PICARDIE_AREA, CPER.wikidataItem, WIKIDATA.Q13950),
             "gives no Wikidata item for Picardie", PICARDIE_AREA),
    Mutation("wikidata-item-broken",
             set_value(NORD_AREA, CPER.wikidataItem, URIRef("https://www.wikidata.org/wiki/Q12661")),
             "Invalid Wikidata item", NORD_AREA),
    Mutation("commune-wikidata-dropped", drop(AMIENS_AREA, CPER.wikidataItem), "Missing Wikidata item",
             AMIENS_AREA),
    # Contract, signature, signings
    Mutation("signature-date-dropped", drop(SIGNATURE, CPER.signatureDate), "Missing signature date", SIGNATURE),
    Mutation("signature-with-two-dates", add(SIGNATURE, CPER.signatureDate, Literal("2023-01-10", datatype=XSD.date)),
             "A signature has at most one date", SIGNATURE),
    Mutation("signature-with-two-places", add(SIGNATURE, CPER.signaturePlace, COMPIEGNE),
             "takes place at most at one place", SIGNATURE),
    Mutation("protocol-signature-dropped", drop(PROTOCOL, CPER.signature), "has exactly one signature", PROTOCOL),
    Mutation("signatory-without-signing", drop(SIGNATURE, CPER.signing, SOMME_SIGNING),
             "Signatory without a part in the signature", CONTRACT),
    Mutation("signing-for-a-non-signatory", set_value(PROTOCOL_REGION_SIGNING, CPER.onBehalfOf, NORD),
             "One signs only for a signatory", PROTOCOL),
    Mutation("signing-for-nobody", drop(SOMME_SIGNING, CPER.onBehalfOf),
             "A signing is done on behalf of exactly one public authority", SOMME_SIGNING),
    Mutation("signing-with-two-signers", add(STATE_SIGNING, CPER.signer, XAVIER_BERTRAND),
             "A signing has at most one person who signs", STATE_SIGNING),
    Mutation("signer-role-untagged", add(STATE_SIGNING, CPER.signerRole, Literal("préfet")),
             "The signer's role (cper:signerRole) is text tagged", STATE_SIGNING),
    Mutation("contract-with-two-generations", add(CONTRACT, CPER.generation, GENERATION_6),
             "belongs to at most one generation", CONTRACT),
    Mutation("contract-with-two-periods", add(CONTRACT, CPER.period, PROTOCOL_PERIOD),
             "covers at most one period", CONTRACT),
    Mutation("generation-number-as-text", set_value(GENERATION_7, CPER.generationNumber, Literal("7")),
             "A generation has exactly one number", GENERATION_7),
    # Dates and periods
    Mutation("adoption-date-as-year", set_value(SRESRI_2022, CPER.adoptionDate, Literal("2022", datatype=XSD.gYear)),
             "An adoption date (cper:adoptionDate) is single", SRESRI_2022),
    Mutation("approval-date-as-text", set_value(SRADDET_2020, CPER.approvalDate, Literal("4 août 2020")),
             "An approval date (cper:approvalDate) is single", SRADDET_2020),
    Mutation("step-undated", drop(FIRST_STEP, CPER.date), "A procedure step is dated", FIRST_STEP),
    Mutation("step-date-as-text", set_value(FIRST_STEP, CPER.date, Literal("septembre 2019")),
             "A step's date (cper:date) is single", FIRST_STEP),
    Mutation("instant-date-as-year",
             set_value(AMENDMENT_CONSULTATION_START, TIME.inXSDDate, Literal("2025", datatype=XSD.gYear)),
             "time:inXSDDate is single and an xsd:date", AMENDMENT_CONSULTATION_START),
    Mutation("instant-year-as-text",
             set_value(at(CONTRACT, CPER.period, TIME.hasBeginning), TIME.inXSDGYear, Literal("2021")),
             "time:inXSDGYear is single and an xsd:gYear", at(CONTRACT, CPER.period, TIME.hasBeginning)),
    Mutation("period-without-end", drop(CONTRACT_PERIOD, TIME.hasEnd), "A period has exactly one end",
             CONTRACT_PERIOD),
    Mutation("period-without-beginning", drop(PROTOCOL_PERIOD, TIME.hasBeginning),
             "A period has exactly one beginning", PROTOCOL_PERIOD),
    Mutation("instant-undated", drop(at(PROTOCOL, CPER.period, TIME.hasEnd), TIME.inXSDGYear),
             "A period's beginning or end is dated", at(PROTOCOL, CPER.period, TIME.hasEnd)),
    # Priorities, axes, objectives
    Mutation("priority-number-dropped", drop(PRIORITY_4, CPER.number), "A priority has exactly one number",
             PRIORITY_4),
    Mutation("priority-without-axis", drop(PRIORITY_4, CPER.axis), "A priority groups at least one axis",
             PRIORITY_4),
    Mutation("axis-number-as-text", set_value(AXIS_6, CPER.number, Literal("6")), "An axis has exactly one number",
             AXIS_6),
    Mutation("roman-numeral-in-digits", set_value(AXIS_6, CPER.romanNumeral, Literal("6")),
             "An axis has exactly one number in Roman numerals", AXIS_6),
    Mutation("roman-numeral-of-another-axis", set_value(AXIS_2, CPER.romanNumeral, Literal("III")),
             "does not say its number", AXIS_2),
    Mutation("axis-status-unknown", set_value(AXIS_6, CPER.axisStatus, CPER.exact),
             "An axis has exactly one status", AXIS_6),
    Mutation("objective-notation-in-digits", set_value(OBJECTIVE_I_1, SKOS.notation, Literal("1.1")),
             "An objective has at most one notation", OBJECTIVE_I_1),
    Mutation("objective-in-another-axis", set_value(OBJECTIVE_I_2, SKOS.notation, Literal("II.2")),
             "does not start with its axis's Roman numeral", OBJECTIVE_I_2),
    # The ontology
    Mutation("term-definition-dropped", drop_language(CPER.PlanContract, SKOS.definition, "en"),
             "Ontology term without a skos:definition in @fr and in @en", CPER.PlanContract),
    Mutation("term-label-dropped", drop_language(CPER.signatory, RDFS.label, "fr"),
             "Ontology term without an rdfs:label in @fr and in @en", CPER.signatory),
    Mutation("term-label-in-german", add(CPER.Axis, RDFS.label, Literal("Achse", lang="de")),
             "The rdfs:label values of an ontology term are tagged", CPER.Axis),
    Mutation("term-definition-untagged", add(CPER.amount, SKOS.definition, Literal("An amount in euros.")),
             "The skos:definition values of an ontology term are tagged", CPER.amount),
    # Links to resources of the wrong kind (one per range; untyping a target breaks every link to it)
    Mutation("state-untyped-for-contract", STATE_UNTYPED, f"Link cper:signatory {WRONG_KIND}", CONTRACT),
    Mutation("state-untyped-for-signing", STATE_UNTYPED, f"Link cper:onBehalfOf {WRONG_KIND}", STATE_SIGNING),
    Mutation("state-untyped-for-commitment", STATE_UNTYPED, f"Link cper:committedBy {WRONG_KIND}", STATE_SHARE),
    Mutation("generation-untyped", untype(GENERATION_7, CPER.ContractGeneration),
             f"Link cper:generation {WRONG_KIND}", CONTRACT),
    Mutation("legal-basis-elsewhere", relink(CONTRACT, CPER.legalBasis, LAW_1982, HOME_PAGE),
             f"Link cper:legalBasis {WRONG_KIND}", CONTRACT),
    Mutation("period-untyped", untype(CONTRACT_PERIOD, TIME.Interval), f"Link cper:period {WRONG_KIND}", CONTRACT),
    Mutation("consultation-period-untyped", untype(at(AMENDMENT, CPER.consultationPeriod), TIME.Interval),
             f"Link cper:consultationPeriod {WRONG_KIND}", AMENDMENT),
    Mutation("predecessor-untyped", untype(NPDC_CONTRACT, CPER.PlanContract), f"Link cper:predecessor {WRONG_KIND}",
             CONTRACT),
    Mutation("amended-contract-untyped", untype(CONTRACT, CPER.PlanContract), f"Link cper:amends {WRONG_KIND}",
             AMENDMENT),
    Mutation("signature-elsewhere", relink(CONTRACT, CPER.signature, SIGNATURE, HOME_PAGE),
             f"Link cper:signature {WRONG_KIND}", CONTRACT),
    Mutation("signature-place-elsewhere", relink(SIGNATURE, CPER.signaturePlace, PREFECTURE_DU_NORD, HOME_PAGE),
             f"Link cper:signaturePlace {WRONG_KIND}", SIGNATURE),
    Mutation("signing-elsewhere", relink(SIGNATURE, CPER.signing, SOMME_SIGNING, HOME_PAGE),
             f"Link cper:signing {WRONG_KIND}", SIGNATURE),
    Mutation("signer-elsewhere", relink(STATE_SIGNING, CPER.signer, GEORGES_FRANCOIS_LECLERC, HOME_PAGE),
             f"Link cper:signer {WRONG_KIND}", STATE_SIGNING),
    Mutation("territory-elsewhere", relink(NORD, CPER.territory, NORD_AREA, HOME_PAGE),
             f"Link cper:territory {WRONG_KIND}", NORD),
    Mutation("enclosing-territory-elsewhere", relink(LILLE_AREA, CPER.withinTerritory, NORD_AREA, HOME_PAGE),
             f"Link cper:withinTerritory {WRONG_KIND}", LILLE_AREA),
    Mutation("commitment-elsewhere", relink(CONTRACT, CPER.commitment, NORD_SHARE, HOME_PAGE),
             f"Link cper:commitment {WRONG_KIND}", CONTRACT),
    Mutation("whole-elsewhere", relink(MEL_AXIS_1, CPER.partOf, MEL_SHARE, HOME_PAGE),
             f"Link cper:partOf {WRONG_KIND}", MEL_AXIS_1),
    Mutation("axis-elsewhere-for-commitment", relink(MEL_AXIS_1, CPER.forAxis, AXIS_1, HOME_PAGE),
             f"Link cper:forAxis {WRONG_KIND}", MEL_AXIS_1),
    Mutation("axis-elsewhere-for-priority", relink(PRIORITY_1, CPER.axis, AXIS_1, HOME_PAGE),
             f"Link cper:axis {WRONG_KIND}", PRIORITY_1),
    Mutation("mode-elsewhere", relink(STATE_RAIL, CPER.forMode, RAIL, HOME_PAGE), f"Link cper:forMode {WRONG_KIND}",
             STATE_RAIL),
    Mutation("other-statement-elsewhere", relink(STATE_SHARE, CPER.otherStatement, STATE_994_26, HOME_PAGE),
             f"Link cper:otherStatement {WRONG_KIND}", STATE_SHARE),
    Mutation("priority-elsewhere", relink(CONTRACT, CPER.priority, PRIORITY_1, HOME_PAGE),
             f"Link cper:priority {WRONG_KIND}", CONTRACT),
    Mutation("objective-elsewhere", relink(AXIS_1, CPER.objective, OBJECTIVE_I_1, HOME_PAGE),
             f"Link cper:objective {WRONG_KIND}", AXIS_1),
    Mutation("theme-elsewhere", relink(AXIS_4, CPER.theme, THEME_CULTURE, HOME_PAGE), f"Link cper:theme {WRONG_KIND}",
             AXIS_4),
    Mutation("protocol-elsewhere", relink(CONTRACT, CPER.protocol, PROTOCOL, HOME_PAGE),
             f"Link cper:protocol {WRONG_KIND}", CONTRACT),
    Mutation("amendment-elsewhere", relink(CONTRACT, CPER.amendment, AMENDMENT, HOME_PAGE),
             f"Link cper:amendment {WRONG_KIND}", CONTRACT),
    Mutation("step-elsewhere", relink(CONTRACT, CPER.step, FIRST_STEP, HOME_PAGE), f"Link cper:step {WRONG_KIND}",
             CONTRACT),
    Mutation("scheme-elsewhere", relink(CONTRACT, CPER.alignedWith, SRADDET, HOME_PAGE),
             f"Link cper:alignedWith {WRONG_KIND}", CONTRACT),
    Mutation("scheme-version-elsewhere", relink(SRADDET, CPER.version, SRADDET_2020, HOME_PAGE),
             f"Link cper:version {WRONG_KIND}", SRADDET),
    Mutation("instrument-elsewhere", relink(CONTRACT, CPER.articulatesWith, FRANCE_RELANCE, HOME_PAGE),
             f"Link cper:articulatesWith {WRONG_KIND}", CONTRACT),
    Mutation("unknown-elsewhere", relink(PAS_DE_CALAIS_SHARE, CPER.unknown, at(PAS_DE_CALAIS_SHARE, CPER.unknown),
                                       HOME_PAGE), f"Link cper:unknown {WRONG_KIND}", PAS_DE_CALAIS_SHARE),
    # Offices and their time
    Mutation("office-with-two-holders", add(GEST_OFFICE, ORG.member, XAVIER_BERTRAND),
             "is held by exactly one person", GEST_OFFICE),
    Mutation("office-in-no-body", drop(GEST_OFFICE, ORG.organization), "is held in exactly one body", GEST_OFFICE),
    Mutation("office-role-untyped", untype(PRESIDENT, ORG.Role), "has exactly one role", GEST_OFFICE),
    Mutation("office-undated", drop(GEST_OFFICE, ORG.memberDuring), "says when it was held", GEST_OFFICE),
    Mutation("time-in-office-unanchored", drop(at(BERTRAND_OFFICE, ORG.memberDuring), TIME.inside),
             "The time in office is anchored in time", at(BERTRAND_OFFICE, ORG.memberDuring)),
    Mutation("instant-in-office-as-text",
             set_value(at(GEST_OFFICE, ORG.memberDuring, TIME.inside), TIME.inXSDDate, Literal("9 janvier 2023")),
             "An instant inside an interval (time:inside) has exactly one date", at(GEST_OFFICE, ORG.memberDuring,
                                                                                   TIME.inside)),
    # The 2015-2020 predecessors: each shape that reads their facts, shown to catch a broken one
    Mutation("predecessor-state-amount-changed", set_value(NPDC_STATE_SHARE, CPER.amount, decimal("993486000")),
             "does not match the envelope", NPDC_CONTRACT),
    Mutation("predecessor-part-exceeds-envelope", set_value(PICARDIE_REGION_SHARE, CPER.amount, decimal("1448820000")),
             "exceed the whole", PICARDIE_ENVELOPE),
    Mutation("predecessor-amount-as-string", set_value(NPDC_MEL_SHARE, CPER.amount, Literal("73740000")),
             "An amount (cper:amount) is single and an xsd:decimal", NPDC_MEL_SHARE),
    Mutation("predecessor-negative-amount", set_value(NPDC_VALORISED, CPER.amount, decimal("-1391345000")),
             "An amount (cper:amount) is never negative", NPDC_VALORISED),
    Mutation("predecessor-rounded-without-unit", drop(PICARDIE_STATE_SHARE, CPER.roundingUnit),
             "A rounded amount (cper:rounded) states its rounding unit", PICARDIE_STATE_SHARE),
    Mutation("predecessor-committer-dropped", drop(NPDC_PAS_DE_CALAIS_SHARE, CPER.committedBy),
             "names at least one signatory who commits", NPDC_PAS_DE_CALAIS_SHARE),
    Mutation("predecessor-committer-untyped", untype(NPDC_REGION, CPER.PublicAuthority),
             f"Link cper:committedBy {WRONG_KIND}", NPDC_REGION_SHARE),
    Mutation("predecessor-orphan-commitment",
             together(drop(PICARDIE_CONTRACT, CPER.commitment, PICARDIE_STATE_SHARE),
                      drop(PICARDIE_STATE_SHARE, CPER.partOf)),
             "Orphan commitment", PICARDIE_STATE_SHARE),
    Mutation("predecessor-unknown-amount-dropped", drop(PICARDIE_OTHER_FUNDING, CPER.unknown),
             "A financial commitment has an amount", PICARDIE_OTHER_FUNDING),
    Mutation("predecessor-amount-without-statement", drop(statement_of(NPDC_REGION_SHARE, CPER.amount), DCT.source),
             "An attributed statement cites at least one source", statement_of(NPDC_REGION_SHARE, CPER.amount)),
    Mutation("predecessor-signature-date-dropped", drop(NPDC_SIGNATURE, CPER.signatureDate),
             "Missing signature date", NPDC_SIGNATURE),
    Mutation("predecessor-period-without-end", drop(at(PICARDIE_CONTRACT, CPER.period), TIME.hasEnd),
             "A period has exactly one end", at(PICARDIE_CONTRACT, CPER.period)),
    Mutation("predecessor-amendment-date-as-text",
             set_value(NPDC_AMENDMENT, CPER.adoptionDate, Literal("22 novembre 2019")),
             "An adoption date (cper:adoptionDate) is single", NPDC_AMENDMENT),
    # The EU programme 2021FR16FFPR010: exact figures, its parts within each fund's total
    Mutation("eu-national-contribution-exceeds-total", set_value(ERDF_NATIONAL, CPER.amount, decimal("852078391")),
             "exceed the whole", ERDF_TOTAL),
    Mutation("eu-precision-dropped", drop(ESF_EU, CPER.amountPrecision), "An amount says how precise it is", ESF_EU),
    Mutation("eu-fund-total-orphan", drop(EU_PROGRAMME, DCT.hasPart, ESF_TOTAL), "Orphan commitment", ESF_TOTAL),
    Mutation("eu-share-part-elsewhere", relink(ESF_EU, CPER.partOf, ESF_TOTAL, HOME_PAGE),
             f"Link cper:partOf {WRONG_KIND}", ESF_EU),
    Mutation("eu-programme-untyped", untype(EU_PROGRAMME, CPER.RelatedInstrument),
             f"Link cper:articulatesWith {WRONG_KIND}", CONTRACT),
    Mutation("eu-period-without-beginning", drop(at(EU_PROGRAMME, CPER.period), TIME.hasBeginning),
             "A period has exactly one beginning", at(EU_PROGRAMME, CPER.period)),
    Mutation("identifier-elsewhere", relink(NORD, ADMS.identifier, NORD_SIREN, HOME_PAGE),
             f"Link adms:identifier {WRONG_KIND}", NORD),
    # Retired IRIs: a successor, deprecated, and nothing else (no label, no fact: no page)
    Mutation("retired-iri-labelled", add(RETIRED_SIGNATURE_STEP, RDFS.label, Literal("Signature", lang="fr")),
             "A retired IRI states only", RETIRED_SIGNATURE_STEP),
    Mutation("retired-iri-replaced-by-nothing",
             relink(RETIRED_SIGNATURE_STEP, DCT.isReplacedBy, SIGNATURE, NOTHING_HERE),
             "A retired IRI has one successor", RETIRED_SIGNATURE_STEP),
    Mutation("retired-iri-not-deprecated", drop(RETIRED_SIGNATURE_STEP, OWL.deprecated),
             "A retired IRI is marked owl:deprecated true", RETIRED_SIGNATURE_STEP),
)  # fmt: skip


# --- Validation -------------------------------------------------------------------------------------------------


class PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once: pyshacl sends the same constraint text for every focus node.

    Parsing, not evaluating, is most of a SHACL-SPARQL constraint's cost with rdflib; the cache is per class, so
    every mutation's graph reuses the queries the first validation parsed.
    """

    prepared: ClassVar[dict[str, Query]] = {}

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            if query_object not in self.prepared:
                self.prepared[query_object] = prepareQuery(query_object)
            query_object = self.prepared[query_object]
        return super().query(query_object, *args, **kwargs)


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, reduced to what the tests compare."""

    focus: Node | None
    source_shape: Node | None
    severity: Node | None
    messages: frozenset[Literal]

    def says(self, text: str) -> bool:
        return any(text in message for message in self.messages)


@functools.cache
def sources() -> Sources:
    return load_sources(ROOT)


@functools.cache
def data_and_ontology() -> Graph:
    graph = PreparedQueryGraph()
    graph += sources().data
    graph += sources().ontology
    return graph


TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def shacl_results(graph: Graph, speakers: frozenset[Node] | None = None) -> tuple[Result, ...]:
    """pyshacl with the options of service.build.validation.validate(), without its meta-SHACL pass.

    validate() checks the shapes against SHACL-SHACL on every call; the shapes do not change from one mutation to
    the next, so that check runs once (test_shapes_pass_the_shacl_meta_shapes) and mutations skip it. With
    `speakers`, only the shapes that lead to one of them keep their targets: each shape is validated on its own
    focus nodes, so their results are those of a whole validation, found in a fraction of its time.
    """
    shapes = Graph()
    shapes += sources().shapes  # a copy: pyshacl adds triples to the shapes graph it is given
    if speakers is not None:
        leading = shapes_leading_to(shapes, speakers)
        for target in TARGETS:
            for shape, value in list(shapes.subject_objects(target)):
                if shape not in leading:
                    shapes.remove((shape, target, value))
    _, report, text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, inplace=True
    )
    assert isinstance(report, Graph), f"pyshacl cannot run the shapes: {text}"
    return tuple(
        Result(
            focus=report.value(result, SH.focusNode),
            source_shape=report.value(result, SH.sourceShape),
            severity=report.value(result, SH.resultSeverity),
            messages=frozenset(m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    )


def shapes_leading_to(shapes: Graph, speakers: frozenset[Node]) -> set[Node]:
    """The speakers and every node of the shapes graph from which one is reached (sh:property, sh:node, lists…)."""
    leading, frontier = set(speakers), list(speakers)
    while frontier:
        node = frontier.pop()
        for subject in shapes.subjects(None, node):
            if subject not in leading:
                leading.add(subject)
                frontier.append(subject)
    return leading


def speakers_of(message: str) -> frozenset[Node]:
    """The checking shapes with a message containing `message`."""
    shapes = sources().shapes
    return frozenset(s for s in checked_shapes(shapes) if any(message in text for text in shape_messages(shapes, s)))


@functools.cache
def results_after(edit: Edit, speakers: frozenset[Node] | None = None) -> tuple[Result, ...]:
    graph = PreparedQueryGraph()
    graph += data_and_ontology()
    edit(graph)
    assert set(graph) != set(data_and_ontology()), "the mutation changed nothing"
    return shacl_results(graph, speakers)


def describe(results: Iterable[Result]) -> str:
    return (
        "\n".join(sorted(f"{r.source_shape} @ {r.focus}: {' | '.join(sorted(r.messages))}" for r in results))
        or "(no result: the graph conforms)"
    )


def checked_shapes(shapes: Graph) -> set[Node]:
    """The shapes that check something themselves (value shapes nested in sh:or, sh:not… excluded)."""
    return {
        shape
        for shape, parameter in shapes.subject_predicates()
        if parameter in CONSTRAINT_PARAMETERS and isinstance(shape, URIRef)
    }


# --- Tests --------------------------------------------------------------------------------------------------------


def test_real_graph_conforms() -> None:
    report = validate(sources())
    assert report.conforms, report.as_text()
    assert report.findings == (), report.as_text()


def test_shapes_pass_the_shacl_meta_shapes() -> None:
    shapes = Graph()
    shapes += sources().shapes
    conforms, _, text = meta_validate(shapes, inference="none")
    assert conforms, text


def test_shapes_graph_describes_itself() -> None:
    shapes = sources().shapes
    document = URIRef(CANONICAL_BASE + "def/shapes")
    assert (document, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in shapes
    titles = {title.language for title in shapes.objects(document, DCT.title) if isinstance(title, Literal)}
    assert titles == {"fr", "en"}
    assert shapes.value(document, DCT.license) == URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
    prefixes = {str(p) for d in shapes.objects(document, SH.declare) for p in shapes.objects(d, SH.prefix)}
    assert {"cper", "rdfs", "xsd", "skos", "adms", "igeo"} <= prefixes


def test_every_constraint_has_one_message_in_french_and_one_in_english() -> None:
    shapes = sources().shapes
    for shape in checked_shapes(shapes):
        # A SPARQL-based shape carries its messages on its sh:sparql constraint, where pyshacl reads them.
        carriers = [shape, *shapes.objects(shape, SH.sparql)]
        messages = [m for carrier in carriers for m in shapes.objects(carrier, SH.message)]
        languages = sorted(m.language for m in messages if isinstance(m, Literal) and m.language)
        assert languages == ["en", "fr"], f"{shape}: messages {messages}"


def test_every_constraint_is_a_violation() -> None:
    severities = set(sources().shapes.objects(None, SH.severity))
    assert severities <= {SH.Violation}


def check_mutation(mutation: Mutation) -> None:
    """The mutated graph fails with the mutation's message about its focus, and every result speaks fr and en.

    Only the shapes that say the expected message are validated (with the shapes that lead to them): the results
    of a shape do not depend on the others, which test_speaking_shapes_report_what_a_whole_validation_reports
    checks on mutations of every kind. The mutations are split between this module and test_shapes_mutations.py,
    which the suite's two workers run side by side.
    """
    speakers = speakers_of(mutation.message)
    assert speakers, f"no shape has a message containing {mutation.message!r}"
    results = results_after(mutation.edit, speakers)
    focus = node_of(mutation.focus, data_and_ontology())
    assert any(r.severity == SH.Violation for r in results), describe(results)
    assert any(r.focus == focus and r.says(mutation.message) for r in results), (
        f"expected {mutation.message!r} about {focus}, got:\n{describe(results)}"
    )
    # pyshacl drops the language tag of a message it fills from a template: count the texts instead.
    assert all(len(r.messages) == 2 for r in results), describe(r for r in results if len(r.messages) != 2)


@pytest.mark.parametrize("mutation", MUTATIONS[0::2], ids=str)
def test_mutation_is_caught(mutation: Mutation) -> None:
    check_mutation(mutation)


def shape_messages(shapes: Graph, shape: Node) -> set[str]:
    """A shape's own messages (on the shape, or on its sh:sparql constraints, where pyshacl reads them)."""
    carriers = [shape, *shapes.objects(shape, SH.sparql)]
    return {str(m) for carrier in carriers for m in shapes.objects(carrier, SH.message)}


def test_every_shape_is_tripped_by_some_mutation() -> None:
    """Every checking shape has a mutation expecting one of its messages, which that mutation's test sees reported.

    Decided from the messages rather than from every mutation's report, so that the two halves of the mutations
    can run on two workers; a message two shapes share (`AxisNumberShape`, `RomanNumeralShape`) credits both.
    """
    shapes = sources().shapes
    checked = checked_shapes(shapes)
    assert set(UNTRIPPABLE) <= checked, "an exception names a shape that checks nothing"
    messages = {shape: shape_messages(shapes, shape) for shape in checked}
    tripped = set()
    for mutation in MUTATIONS:
        speakers = {shape for shape, texts in messages.items() if any(mutation.message in text for text in texts)}
        tripped |= speakers
    assert checked - set(UNTRIPPABLE) - tripped == set()


@pytest.mark.parametrize("mutation", MUTATIONS[::25], ids=str)
def test_speaking_shapes_report_what_a_whole_validation_reports(mutation: Mutation) -> None:
    """Validating only the shapes that speak of a mutation (what check_mutation does) finds the very results a
    whole validation finds from those shapes, and nothing a whole validation would not."""
    speakers = speakers_of(mutation.message)
    whole = set(results_after(mutation.edit))
    spoken = set(results_after(mutation.edit, speakers))
    assert spoken, describe(whole)
    assert spoken <= whole, describe(spoken - whole)
    assert {r for r in whole if r.source_shape in speakers} <= spoken, describe(whole - spoken)
