"""HTML pages (routes/things/pages.py, vocabulary.py and
their helpers http/display.py, identifiers.py): what a
reader sees, in their language, with values formatted, identifiers linked, sources shown, and valid markup."""

from __future__ import annotations

import json
import re
import warnings
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from rdflib import XSD, Graph, Literal, URIRef

from service.http import display
from service.routes.things import identifiers

BASE = "http://localhost/"
NORD = BASE + "id/organisation/departement-du-nord"
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
VOID_ELEMENTS = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area", "base", "embed", "track"}


def plain(text: str) -> str:
    """Text with its no-break spaces as ordinary spaces, for comparing with what people type."""
    return text.replace(display.NARROW_NBSP, " ").replace(display.NBSP, " ")


# --- Amounts, numbers and dates --------------------------------------------------------------------------------

AMOUNTS = [
    ("994000000", "fr", "994 M€ (994 000 000 €)"),
    ("994000000", "en", "€994 million (€994,000,000)"),
    ("994260000", "fr", "994,26 M€ (994 260 000 €)"),
    ("994260000", "en", "€994.26 million (€994,260,000)"),
    ("2700000000", "fr", "2,7 Md€ (2 700 000 000 €)"),
    ("2700000000", "en", "€2.7 billion (€2,700,000,000)"),
    ("194600000", "fr", "194,6 M€ (194 600 000 €)"),
    ("1000000", "en", "€1 million (€1,000,000)"),
    ("1234567891", "fr", "1 234 567 891 €"),  # no unit keeps every published digit
    ("500000", "fr", "500 000 €"),
    ("500000", "en", "€500,000"),
]


@pytest.mark.parametrize(("value", "lang", "expected"), AMOUNTS)
def test_amounts_read_the_way_people_write_them(value: str, lang: str, expected: str) -> None:
    shown = display.amount(Decimal(value), lang)
    assert plain(shown.text) == expected
    assert shown.machine == value and shown.element == "data"


def test_french_amounts_do_not_break_across_lines() -> None:
    assert display.amount(Decimal("994000000"), "fr").text == "994\u00a0M€ (994\u202f000\u202f000\u00a0€)"


@pytest.mark.parametrize(
    ("value", "lang", "expected"), [("57.3", "fr", "57,3 %"), ("57.3", "en", "57.3%"), ("36", "fr", "36 %")]
)
def test_percentages(value: str, lang: str, expected: str) -> None:
    assert plain(display.percent(Decimal(value), lang).text) == expected


DATES = [
    (Literal("2023-01-09", datatype=XSD.date), "fr", "9 janvier 2023", "2023-01-09"),
    (Literal("2023-01-09", datatype=XSD.date), "en", "9 January 2023", "2023-01-09"),
    (Literal("2021-03-01", datatype=XSD.date), "fr", "1er mars 2021", "2021-03-01"),
    (Literal("2019-09", datatype=XSD.gYearMonth), "fr", "septembre 2019", "2019-09"),
    (Literal("2019-09", datatype=XSD.gYearMonth), "en", "September 2019", "2019-09"),
    (Literal("2021", datatype=XSD.gYear), "en", "2021", "2021"),
]


@pytest.mark.parametrize(("value", "lang", "expected", "machine"), DATES)
def test_dates_are_written_out_with_a_machine_value(value: Literal, lang: str, expected: str, machine: str) -> None:
    shown = display.literal(value, lang)
    assert (shown.text, shown.machine, shown.element) == (expected, machine, "time")


def test_literals_keep_their_language_and_ill_formed_ones_show_as_written() -> None:
    assert display.literal(Literal("Nord", lang="fr"), "en").lang == "fr"
    assert display.literal(Literal("2023-13-45", datatype=XSD.date), "fr").text == "2023-13-45"
    assert display.literal(Literal("true", datatype=XSD.boolean), "fr").text == "oui"


# --- External identifiers ----------------------------------------------------------------------------------------


def test_a_siren_links_to_the_company_directory() -> None:
    link = identifiers.siren(Literal("225900018"))
    assert link is not None
    assert link.href == "https://annuaire-entreprises.data.gouv.fr/entreprise/225900018"
    assert identifiers.siren(Literal("22590001")) is None  # eight digits: not a SIREN


def test_nuts_codes_and_wikidata_items_link_to_their_registers() -> None:
    nuts = identifiers.nuts_code(Literal("FRE11"))
    assert nuts is not None and nuts.href == "http://data.europa.eu/nuts/code/FRE11"
    item = identifiers.external_iri(URIRef("http://www.wikidata.org/entity/Q12661"))
    assert item is not None and (item.label, item.note) == ("Q12661", "Wikidata")
    assert identifiers.external_iri(URIRef("http://example.org/Q1")) is None


def test_an_insee_code_is_shown_with_the_insee_iri_it_matches() -> None:
    insee = URIRef("http://id.insee.fr/geo/region/9c60accf-61a2-4f61-9546-875924d210ec")
    shown = identifiers.insee_code(Literal("32"), [insee, URIRef("http://www.wikidata.org/entity/Q18677767")])
    assert [(v.kind, getattr(v, "text", getattr(v, "href", None))) for v in shown] == [
        ("code", "32"),
        ("link", str(insee)),
    ]


# --- Valid, accessible markup -------------------------------------------------------------------------------------


class MarkupCheck(HTMLParser):
    """Collects what accessibility checks need: nesting errors, ids, h1s, labelled sections and tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.h1 = 0
        self.sections_labelled_by: list[str | None] = []
        self.tables = 0
        self.captions = 0
        self.lang_attributes: list[str] = []
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if attributes.get("lang"):
            self.lang_attributes.append(str(attributes["lang"]))
        self.h1 += tag == "h1"
        if tag == "section":
            self.sections_labelled_by.append(attributes.get("aria-labelledby"))
        if tag == "table" and attributes.get("class") != "nested":
            self.tables += 1
        self.captions += tag == "caption"
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._script = True
            self.scripts.append("")
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        self._script = self._script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts[-1] += data


def check_markup(html: str) -> MarkupCheck:
    checker = MarkupCheck()
    checker.feed(html)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    assert checker.h1 == 1
    assert all(label in checker.ids for label in checker.sections_labelled_by), "a section is not labelled"
    assert checker.captions >= checker.tables, "a data table has no caption"
    return checker


def page(client: Any, path: str, **headers: str) -> str:
    response = client.get(path, headers={"Accept": FIREFOX, **headers})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    text: str = response.get_data(as_text=True)
    return text


# --- Resource pages -------------------------------------------------------------------------------------------------


def test_a_resource_page_in_french(client: Any) -> None:
    html = page(client, "/doc/organisation/departement-du-nord", **{"Accept-Language": "fr-FR,fr;q=0.9"})
    check_markup(html)
    assert '<html lang="fr">' in html
    assert "<title>Département du Nord ·" in html
    assert "<h1>Département du Nord</h1>" in html
    assert '<a href="https://annuaire-entreprises.data.gouv.fr/entreprise/225900018">225900018</a>' in html
    assert f'<a href="{BASE}id/territory/nord">Nord (département)</a>' in html  # a link shown by its label
    assert '<span lang="en">Département of Nord</span>' in html  # the other language, tagged


def test_a_resource_page_in_english_by_parameter_or_header(client: Any) -> None:
    for html in (
        page(client, "/doc/organisation/departement-du-nord?lang=en"),
        page(client, "/doc/organisation/departement-du-nord", **{"Accept-Language": "en-GB,en;q=0.8"}),
    ):
        assert '<html lang="en">' in html
        assert "<h1>Département of Nord</h1>" in html
        assert ">SIREN number</a>" in html


def test_links_keep_the_language_the_reader_chose(client: Any) -> None:
    html = page(client, "/doc/organisation/departement-du-nord?lang=en")
    assert f'href="{BASE}id/territory/nord?lang=en"' in html
    assert f'href="{BASE}def/cper?lang=en#PublicAuthority"' in html


def test_a_resource_page_shows_its_sources_and_confidence(client: Any) -> None:
    html = page(client, "/doc/organisation/departement-du-nord")
    sources = html.split('id="sources-heading"', 1)[1].split("</section>", 1)[0]
    assert (
        '<a href="https://www.amiens.fr/Actualites/Signature-du-contrat-de-plan-Etat-Region">Ville d&#39;Amiens'
        in sources
        or '<a href="https://www.amiens.fr/Actualites/Signature-du-contrat-de-plan-Etat-Region">' in sources
    )
    assert "confiance élevée" in sources


def test_a_resource_page_shows_what_links_to_it(client: Any) -> None:
    html = page(client, "/doc/organisation/departement-du-nord?lang=en")
    incoming = html.split('id="referenced-heading"', 1)[1].split("</section>", 1)[0]
    assert f'href="{BASE}id/contract/cper-hauts-de-france-2021-2027?lang=en"' in incoming


def test_a_resource_page_links_its_rdf_alternates(client: Any) -> None:
    html = page(client, "/doc/organisation/departement-du-nord")
    for suffix, media in ((".ttl", "text/turtle"), (".nt", "application/n-triples"), (".rdf", "application/rdf+xml"),
                          (".jsonld", "application/ld+json")):  # fmt: skip
        href = f"{BASE}doc/organisation/departement-du-nord{suffix}"
        assert f'<link rel="alternate" type="{media}" href="{href}">' in html
        assert f'<a href="{href}" type="{media}">' in html


def test_a_resource_page_embeds_its_description_as_json_ld(client: Any) -> None:
    checker = check_markup(page(client, "/doc/organisation/departement-du-nord"))
    assert len(checker.scripts) == 1
    document = json.loads(checker.scripts[0])
    assert isinstance(document["@context"], dict)  # inline: a search engine fetches nothing
    graph = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", DeprecationWarning
        )  # rdflib's JSON-LD parser uses its deprecated ConjunctiveGraph
        graph.parse(data=checker.scripts[0], format="json-ld")
    assert (URIRef(NORD), URIRef(BASE + "def/cper#siren"), Literal("225900018")) in graph


def test_amounts_and_shares_are_formatted_on_pages(client: Any) -> None:
    french = plain(page(client, "/doc/commitment/cper-2021-2027-etat?lang=fr"))
    assert '<data value="994000000">994 M€ (994 000 000 €)</data>' in french
    assert '<data value="36">36 %</data>' in french
    english = plain(page(client, "/doc/commitment/cper-2021-2027-etat?lang=en"))
    assert '<data value="994000000">€994 million (€994,000,000)</data>' in english


def test_dates_are_formatted_on_pages(client: Any) -> None:
    html = page(client, "/doc/signature/cper-hauts-de-france-2021-2027?lang=fr")
    check_markup(html)
    assert '<time datetime="2023-01-09">9 janvier 2023</time>' in html


def test_a_territory_page_links_its_registers(client: Any) -> None:
    html = page(client, "/doc/territory/nord")
    check_markup(html)
    assert '<a href="http://www.wikidata.org/entity/Q12661">Q12661</a>' in html
    assert '<a href="http://data.europa.eu/nuts/code/FRE11">FRE11</a>' in html
    assert "<code>59</code>" in html
    region = page(client, "/doc/territory/hauts-de-france")
    insee = "http://id.insee.fr/geo/region/9c60accf-61a2-4f61-9546-875924d210ec"
    assert f'<a href="{insee}">' in region  # linked (rdfs:seeAlso since 1.1, no longer skos:exactMatch)


def test_a_page_with_blank_nodes_shows_them_in_place(client: Any) -> None:
    html = page(client, "/doc/contract/cper-hauts-de-france-2021-2027?lang=en")
    check_markup(html)
    # Top-level rows start at a four-space indent; nested tables' rows at two.
    period = html.split(">period</a>", 1)[1].split('\n    <tr><th scope="row">', 1)[0]
    assert '<table class="nested">' in period
    assert '<time datetime="2021">2021</time>' in period and '<time datetime="2027">2027</time>' in period


# --- Vocabulary pages ------------------------------------------------------------------------------------------------


def term(html: str, anchor: str) -> str:
    match = re.search(rf'<article id="{anchor}".*?</article>', html, re.S)
    assert match, f"no entry for #{anchor}"
    return match.group(0)


def test_the_ontology_page_documents_every_term_in_both_languages(client: Any) -> None:
    html = page(client, "/def/cper?lang=en")
    check_markup(html)
    assert "<h1>State\u2013Region plan contract (CPER) ontology</h1>" in html
    contract = term(html, "PlanContract")
    assert '<dd lang="fr">Contrat de plan État-Région</dd>' in contract
    assert '<dd lang="en">State\u2013Region plan contract</dd>' in contract
    assert contract.count('<dd lang="fr">Accord pluriannuel') == 1  # the French definition
    assert ">subclass of</a>" in contract and 'href="http://www.w3.org/ns/prov#Entity">prov:Entity</a>' in contract
    assert 'href="#Signature"' in term(html, "signature")  # range, linked within the page
    legal_basis = term(html, "legalBasis")
    assert (
        "one of" in legal_basis
        and 'href="#PlanContract"' in legal_basis
        and 'href="#ContractGeneration"' in legal_basis
    )
    assert 'id="highConfidence"' in html.split('id="section-individuals"', 1)[1]


def test_the_shapes_page_shows_targets_and_messages(client: Any) -> None:
    html = page(client, "/def/shapes?lang=fr")
    check_markup(html)
    authority = term(html, "PublicAuthorityShape")
    assert f'href="{BASE}def/cper?lang=fr#PublicAuthority"' in authority
    assert 'href="#SirenShape"' in authority
    siren = term(html, "SirenShape")
    assert '<span lang="fr">SIREN invalide' in siren and '<span lang="en">Invalid SIREN' in siren
    assert "<code>^[0-9]{9}$</code>" in siren


def test_graph_pages_are_valid(client: Any) -> None:
    check_markup(page(client, "/graph/ontology?lang=en"))


def test_cached_pages_keep_an_explicit_language_in_their_links(client: Any) -> None:
    # Regression: bodies are cached per document; a page first written without ?lang= must not be served
    # for a request that asked ?lang=fr, whose links carry the language on.
    page(client, "/def/shapes")
    asked = term(page(client, "/def/shapes?lang=fr"), "PublicAuthorityShape")
    assert f'href="{BASE}def/cper?lang=fr#PublicAuthority"' in asked
