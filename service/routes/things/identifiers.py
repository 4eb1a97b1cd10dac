"""Links from the external identifiers the data carries (SIREN, NUTS, INSEE, Wikidata) to where people can read them.

Only link patterns known to work are used: the data.gouv.fr company directory for a SIREN, the EU's NUTS
IRIs, Wikidata entity IRIs. INSEE's own pages use name-bearing URLs we cannot derive from a code, so an INSEE
code is shown as is, with the id.insee.fr IRI the data matches it to, when there is one.
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.term import Node

from service.http.display import Code, Link, Value

SIREN_DIRECTORY = "https://annuaire-entreprises.data.gouv.fr/entreprise/"
NUTS_CODES = "http://data.europa.eu/nuts/code/"
WIKIDATA_ENTITIES = "http://www.wikidata.org/entity/"
INSEE_IRIS = "http://id.insee.fr/"
EU_AUTHORITY_TABLES = "http://publications.europa.eu/resource/authority/"

_SIREN = re.compile(r"^\d{9}$")
_NUTS = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
_WIKIDATA = re.compile(r"^Q\d+$")


def siren(value: Node) -> Link | None:
    """The company-directory page of a nine-digit SIREN."""
    text = str(value)
    if isinstance(value, Literal) and _SIREN.match(text):
        return Link(SIREN_DIRECTORY + text, text, note="annuaire-entreprises.data.gouv.fr")
    return None


def nuts_code(value: Node) -> Link | None:
    """The NUTS concept IRI (data.europa.eu) of a NUTS code written as text (FRE11)."""
    text = str(value)
    if isinstance(value, Literal) and _NUTS.match(text):
        return Link(NUTS_CODES + text, text, note="NUTS 2021")
    return None


def insee_code(value: Node, matches: list[URIRef]) -> list[Value]:
    """The INSEE code itself, then the id.insee.fr IRIs the same node is matched to."""
    return [Code(str(value)), *(Link(str(iri), str(iri), note="INSEE") for iri in matches if is_insee(iri))]


def external_iri(iri: URIRef) -> Link | None:
    """A readable link for a registry IRI the data points to (Wikidata item, NUTS unit, INSEE resource)."""
    text = str(iri)
    local = text.rsplit("/", 1)[-1]
    if text.startswith(WIKIDATA_ENTITIES) and _WIKIDATA.match(local):
        return Link(text, local, note="Wikidata")
    if text.startswith(NUTS_CODES) and _NUTS.match(local):
        return Link(text, local, note="NUTS 2021")
    if is_insee(iri):
        return Link(text, text, note="INSEE")
    if text.startswith(EU_AUTHORITY_TABLES):
        table, _, code = text[len(EU_AUTHORITY_TABLES) :].partition("/")
        return Link(text, code, note=f"EU authority table: {table}") if code else None
    return None


def is_insee(iri: Node) -> bool:
    return isinstance(iri, URIRef) and str(iri).startswith(INSEE_IRIS)
