"""How values look to people on HTML pages: the value records templates render, amounts, numbers and dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from rdflib import XSD, Literal

NARROW_NBSP = "\u202f"  # French thousands separator and the space before "%"
NBSP = "\u00a0"  # the space before "€" and "M€"

MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}  # fmt: skip
# Units for the short form of an amount, largest first: (size, French symbol, English word).
AMOUNT_UNITS = ((Decimal(10) ** 9, "Md€", "billion"), (Decimal(10) ** 6, "M€", "million"))
YES_NO = {"fr": ("oui", "non"), "en": ("yes", "no")}


@dataclass(frozen=True)
class Link:
    """A link shown by its label; `lang` when the label's language differs from the page's, `note` for context."""

    kind: ClassVar[str] = "link"
    href: str
    label: str
    lang: str | None = None
    note: str | None = None
    iri: str | None = None  # the IRI named, when the link goes elsewhere (a page anchor, a registry's site)


@dataclass(frozen=True)
class Text:
    """Words or a formatted value; `machine` is the value for <time datetime> or <data value>."""

    kind: ClassVar[str] = "text"
    text: str
    lang: str | None = None
    machine: str | None = None
    element: str | None = None  # "time" or "data" when `machine` is set


@dataclass(frozen=True)
class Code:
    """A code or a query, shown verbatim."""

    kind: ClassVar[str] = "code"
    text: str
    block: bool = False


@dataclass(frozen=True)
class Row:
    """One property of a resource and its values (a value may be a nested blank node)."""

    label: Link | Text
    values: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class Nested:
    """A blank node, shown in place as its own small table."""

    kind: ClassVar[str] = "nested"
    rows: list[Row]


Value = Link | Text | Code | Nested


def group(number: int, lang: str) -> str:
    """An integer with thousands separators: 994 000 000 (fr, narrow no-break spaces) or 994,000,000 (en)."""
    return f"{number:,}".replace(",", NARROW_NBSP if lang == "fr" else ",")


def number(value: Decimal, lang: str) -> str:
    """A decimal without trailing zeros, grouped, with the reader's decimal mark (57,3 or 57.3)."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    mark = "," if lang == "fr" else "."
    return sign + group(int(whole), lang) + (mark + fraction if fraction else "")


def amount(value: Decimal, lang: str) -> Text:
    """Euros for people: "994 M€ (994 000 000 €)" in French, "€994 million (€994,000,000)" in English.

    The short form uses the largest unit that keeps the figure exact within three decimals, so that no
    published precision is lost (994.26 M€ stays 994,26 M€); otherwise only the full figure is shown.
    """
    full = f"{number(value, 'fr')}{NBSP}€" if lang == "fr" else f"€{number(value, 'en')}"
    for size, symbol, word in AMOUNT_UNITS:
        scaled = value / size
        if abs(value) >= size and scaled == scaled.quantize(Decimal("0.001")):
            short = f"{number(scaled, 'fr')}{NBSP}{symbol}" if lang == "fr" else f"€{number(scaled, 'en')} {word}"
            return Text(f"{short} ({full})", machine=f"{value.normalize():f}", element="data")
    return Text(full, machine=f"{value.normalize():f}", element="data")


def percent(value: Decimal, lang: str) -> Text:
    """A share: 57,3 % (fr) or 57.3% (en)."""
    text = f"{number(value, 'fr')}{NARROW_NBSP}%" if lang == "fr" else f"{number(value, 'en')}%"
    return Text(text, machine=f"{value.normalize():f}", element="data")


def day(value: date, lang: str) -> str:
    """9 janvier 2023, 1er mars 2021 / 9 January 2023."""
    month = MONTHS[lang][value.month - 1]
    if lang == "fr":
        return f"{'1er' if value.day == 1 else value.day} {month} {value.year}"
    return f"{value.day} {month} {value.year}"


def literal(value: Literal, lang: str) -> Text:
    """A literal as people read it: dates and numbers formatted, language-tagged text keeping its tag."""
    lexical = str(value)
    if value.language:
        return Text(lexical, lang=value.language)
    datatype = value.datatype
    try:
        if datatype == XSD.date:
            return Text(day(date.fromisoformat(lexical[:10]), lang), machine=lexical, element="time")
        if datatype == XSD.gYearMonth:
            year, month = lexical[:7].split("-")
            return Text(f"{MONTHS[lang][int(month) - 1]} {year}", machine=lexical[:7], element="time")
        if datatype == XSD.gYear:
            return Text(lexical, machine=lexical, element="time")
        if datatype == XSD.boolean:
            yes, no = YES_NO[lang]
            return Text(yes if lexical in ("true", "1") else no)
        if datatype in (XSD.decimal, XSD.double, XSD.float):
            return Text(number(Decimal(lexical), lang), machine=lexical, element="data")
    except (ValueError, IndexError, InvalidOperation):
        pass  # an ill-formed lexical form is shown as written
    return Text(lexical)


def decimal_of(value: Literal) -> Decimal | None:
    """The literal as a Decimal when it is a number, else None."""
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
