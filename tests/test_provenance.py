"""Statement-level provenance: the expansion of service/build/provenance.py, and the sources the real data cites
checked against what the fact sheets attribute to each page, as far as a machine can check it."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from conftest import CANONICAL_BASE
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from service.build.provenance import Terms, expand
from service.build.sources import load_sources
from service.publication.namespaces import prefixes

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = prefixes(CANONICAL_BASE)
TERMS = Terms.under(CANONICAL_BASE)
CONTAINMENT, EDITORIAL = TERMS.containment, TERMS.editorial
CPER = Namespace(PREFIXES["cper"])
DCT = Namespace(PREFIXES["dct"])
FOAF = Namespace(PREFIXES["foaf"])
ADMS = Namespace(PREFIXES["adms"])
IGEO = Namespace(PREFIXES["igeo"])
SKOS = Namespace(PREFIXES["skos"])
ID = Namespace(CANONICAL_BASE + "id/")
EX = Namespace("https://example.org/")

HOME_PAGE = URIRef("https://www.prefectures-regions.gouv.fr/hauts-de-france")
SEED_PAGES = {
    URIRef("https://www.amiens.fr/Actualites/Signature-du-contrat-de-plan-Etat-Region"),
    URIRef(
        "https://www.aisne.gouv.fr/Actualites/2021-2027-Le-premier-contrat-de-plan-Etat-Region-a-l-echelle-de-la-region-Hauts-de-France"
    ),
}
CONTRACT = ID["contract/cper-hauts-de-france-2021-2027"]
ANNUAIRE = "https://annuaire-entreprises.data.gouv.fr/entreprise/"
COG = "https://www.insee.fr/fr/metadonnees/cog/"
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"
NUTS = "http://data.europa.eu/nuts/code/"
# The identifier-bearing properties and the register pages that may state their values (identifiers.md).
REGISTER_PREFIXES = (ANNUAIRE, COG, WIKIDATA_PAGE, NUTS, "http://id.insee.fr/")
IDENTIFIER_PROPERTIES = {
    CPER.siren,
    ADMS.identifier,
    IGEO.codeINSEE,
    CPER.nutsCode,
    CPER.nutsUnit,
    CPER.withinNutsUnit,
    CPER.wikidataItem,
    SKOS.notation,
}

Statement = tuple[Node, Node, Node, frozenset[Node], Node | None]


@functools.cache
def data() -> Graph:
    return load_sources(ROOT).data


@functools.cache
def statements() -> tuple[Statement, ...]:
    graph = data()
    return tuple(
        (
            graph.value(node, RDF.subject),
            graph.value(node, RDF.predicate),
            graph.value(node, RDF.object),
            frozenset(graph.objects(node, DCT.source)),
            graph.value(node, CPER.confidence),
        )
        for node in graph.subjects(RDF.type, RDF.Statement)
    )


def attributions(subject: Node, predicate: Node) -> list[Statement]:
    return [s for s in statements() if s[0] == subject and s[1] == predicate]


# --- The expansion ------------------------------------------------------------------------------------------------


def small_graph(turtle: str) -> Graph:
    graph = Graph()
    graph.parse(
        data=f"@prefix cper: <{CPER}> . @prefix dct: <{DCT}> . @prefix ex: <{EX}> .\n{turtle}",
        format="turtle",
    )
    return graph


def test_every_fact_of_a_sourced_node_gets_one_statement_with_the_node_sources() -> None:
    graph = expand(
        small_graph("""
        ex:a a cper:Thing ; cper:amount 3 ; ex:code "x" ; dct:source ex:page ; cper:confidence cper:highConfidence .
        """),
        CANONICAL_BASE,
    )
    found = {(s, p) for s, p, *_ in _statements_of(graph)}
    assert found == {(EX.a, CPER.amount), (EX.a, EX.code)}  # rdf:type and the provenance itself are not facts
    for *_, sources, confidence in _statements_of(graph):
        assert sources == {EX.page} and confidence == CPER.highConfidence


def test_a_claim_gives_its_property_other_sources_and_is_not_published() -> None:
    graph = expand(
        small_graph("""
        ex:a cper:amount 3 ; ex:code "x" ; dct:source ex:page ; cper:confidence cper:highConfidence ;
            cper:attribution [ cper:onProperty ex:code ; dct:source ex:register ;
                               cper:confidence cper:mediumConfidence ] .
        """),
        CANONICAL_BASE,
    )
    by_predicate = {p: (sources, c) for _, p, _, sources, c in _statements_of(graph)}
    assert by_predicate[EX.code] == ({EX.register}, CPER.mediumConfidence)
    assert by_predicate[CPER.amount] == ({EX.page}, CPER.highConfidence)
    assert (None, CPER.attribution, None) not in graph and (None, CPER.onProperty, None) not in graph
    assert set(graph.objects(EX.a, DCT.source)) == {EX.page, EX.register}  # the node lists every page about it


def test_a_claim_narrowed_to_a_value_wins_over_one_on_the_whole_property() -> None:
    graph = expand(
        small_graph("""
        ex:a ex:link ex:b , ex:c ; dct:source ex:page ; cper:confidence cper:highConfidence ;
            cper:attribution [ cper:onProperty ex:link ; dct:source ex:p2 ; cper:confidence cper:highConfidence ] ,
                [ cper:onProperty ex:link ; cper:onValue ex:c ; dct:source ex:p3 ;
                  cper:confidence cper:mediumConfidence ] .
        """),
        CANONICAL_BASE,
    )
    by_value = {o: sources for _, _, o, sources, _ in _statements_of(graph)}
    assert by_value == {EX.b: {EX.p2}, EX.c: {EX.p3}}


def test_a_link_to_a_part_is_attributed_to_the_part_sources() -> None:
    assert CPER.commitment in CONTAINMENT
    graph = expand(
        small_graph("""
        ex:whole cper:commitment ex:part ; dct:source ex:seed ; cper:confidence cper:highConfidence .
        ex:part cper:amount 5 ; dct:source ex:detail ; cper:confidence cper:mediumConfidence .
        """),
        CANONICAL_BASE,
    )
    link = [s for s in _statements_of(graph) if s[1] == CPER.commitment]
    assert [(sources, confidence) for *_, sources, confidence in link] == [({EX.detail}, CPER.mediumConfidence)]


def _statements_of(graph: Graph) -> list[tuple[Node, Node, Node, set[Node], Node | None]]:
    return [
        (
            graph.value(node, RDF.subject),
            graph.value(node, RDF.predicate),
            graph.value(node, RDF.object),
            set(graph.objects(node, DCT.source)),
            graph.value(node, CPER.confidence),
        )
        for node in graph.subjects(RDF.type, RDF.Statement)
    ]


# --- The real data against the fact sheets --------------------------------------------------------------------------


def test_every_fact_bearing_triple_of_a_sourced_node_is_attributed() -> None:
    graph = data()
    attributed = {(s, p, o) for s, p, o, sources, confidence in statements() if sources and confidence}
    sourced = {s for s in graph.subjects(DCT.source, None) if isinstance(s, URIRef)}
    missing = [
        (s, p, o)
        for s in sourced
        for p, o in graph.predicate_objects(s)
        if p not in EDITORIAL and (s, p, o) not in attributed
    ]
    assert missing == []


def test_the_home_page_is_only_the_contract_page_and_undated() -> None:
    graph = data()
    assert (None, DCT.source, HOME_PAGE) not in graph
    assert all(HOME_PAGE not in sources for *_, sources, _ in statements())
    assert set(graph.subjects(FOAF.page, HOME_PAGE)) == {CONTRACT}
    assert (HOME_PAGE, DCT.issued, None) not in graph


def test_the_seed_is_the_amiens_news_item_of_26_january_2023() -> None:
    amiens = URIRef("https://www.amiens.fr/Actualites/Signature-du-contrat-de-plan-Etat-Region")
    assert data().value(amiens, DCT.issued) == Literal("2023-01-26", datatype=URIRef(PREFIXES["xsd"] + "date"))
    contract_facts = attributions(CONTRACT, CPER.signatory)
    assert len(contract_facts) == 9 and all(sources == SEED_PAGES for *_, sources, _ in contract_facts)


def test_identifier_values_cite_only_their_register_page_for_that_value() -> None:
    checked = 0
    for subject, predicate, value, sources, _ in statements():
        if predicate not in IDENTIFIER_PROPERTIES or (predicate == SKOS.notation and not is_identifier(subject)):
            continue
        checked += 1
        assert sources and not sources & SEED_PAGES, (subject, predicate, sources)
        assert all(str(page).startswith(REGISTER_PREFIXES) for page in sources), (subject, predicate, sources)
        text = str(value).rsplit("/", 1)[-1]
        if predicate in (CPER.siren, SKOS.notation):
            assert sources == {URIRef(ANNUAIRE + text)}
        elif predicate == ADMS.identifier:
            assert sources == {URIRef(ANNUAIRE + text.removeprefix("siren-"))}
        elif predicate == IGEO.codeINSEE:
            (page,) = sources
            assert str(page) == ANNUAIRE + text or re.search(rf"/(REG|DEP|COM){text}-[a-z-]+$", str(page)), page
        elif predicate == CPER.wikidataItem:
            assert sources == {URIRef(WIKIDATA_PAGE + text)}
        elif predicate in (CPER.nutsCode, CPER.nutsUnit):
            assert sources == {URIRef(NUTS + text)}
    assert checked >= 60


def test_identifier_nodes_and_the_register_are_sourced() -> None:
    graph = data()
    identifiers = set(graph.subjects(RDF.type, ADMS.Identifier))
    assert len(identifiers) == 9
    for identifier in identifiers:
        assert set(graph.objects(identifier, DCT.source)) == {
            URIRef(ANNUAIRE + str(graph.value(identifier, SKOS.notation)))
        }
    register = ID["register/sirene"]
    assert {str(page) for page in graph.objects(register, DCT.source)} == {
        ANNUAIRE + str(graph.value(i, SKOS.notation)) for i in identifiers
    }


def is_identifier(node: Node) -> bool:
    return (node, RDF.type, ADMS.Identifier) in data()


def test_register_pages_state_identifiers_only() -> None:
    """A register page is cited for identifier values and the inclusions it states, never for a CPER fact."""
    allowed = IDENTIFIER_PROPERTIES | {
        CPER.withinTerritory,
        CPER.territory,
        DCT.conformsTo,
        DCT.spatial,
        URIRef(PREFIXES["rdfs"] + "seeAlso"),
    }
    allowed |= {URIRef(PREFIXES["adms"] + "schemaAgency")}
    for subject, predicate, _, sources, _ in statements():
        if any(str(page).startswith(REGISTER_PREFIXES) for page in sources):
            assert predicate in allowed, (subject, predicate, sources)


def test_a_statement_cites_only_pages_its_node_lists() -> None:
    graph = data()
    for subject, predicate, value, sources, _ in statements():
        if predicate in CONTAINMENT:
            continue  # attributed to the part's pages
        assert sources <= set(graph.objects(subject, DCT.source)), (subject, predicate, value)


def test_the_srdeii_2017_was_approved_by_the_regional_council_not_a_prefect() -> None:
    version = ID["scheme-version/srdeii-2017-2021"]
    assert (version, CPER.approvalDate, None) not in data()
    (fact,) = attributions(version, CPER.adoptionDate)
    assert (
        URIRef("https://vdocuments.fr/region-deliberation-n-20170444-hauts-de-le-conseil-regional-dument-convoque.html")
        in fact[3]
    )


def test_the_recovery_plans_cite_their_own_pages() -> None:
    for slug, page in (
        ("france-relance", "https://www.leparisien.fr/"),
        ("plan-de-relance-region-hauts-de-france", "https://www.hautsdefrance.fr/plan-de-relance-"),
    ):
        sources = set(data().objects(ID[f"instrument/{slug}"], DCT.source))
        assert sources and not sources & SEED_PAGES
        assert any(str(source).startswith(page) for source in sources)
