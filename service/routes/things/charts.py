"""Pictures of the money: contributions by signatory, the same beside the contracts it succeeds, axis shares and
the mobility protocol by mode, drawn as accessible SVG on the server from SPARQL over the release, so that they
follow the data.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` that states every value in words, and each
bar carries its value as visible text: nothing is only a colour or a length, and the text stays readable with
CSS off. Amounts the sources do not publish are drawn as empty dashed bars saying so, never as zero. Written by
hand rather than with a plotting library: three bar charts need a few dozen lines, and owning the markup is what
makes them accessible and dependency-free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from service.errors import NotFound
from service.http.display import amount, decimal_of, percent
from service.http.language import reader_language
from service.http.responses import negotiated
from service.http.state import current
from service.publication import layout
from service.publication.formats import SVG
from service.queries import based
from service.queries import load as query

blueprint = Blueprint("charts", __name__)
WIDTH, LABEL_WIDTH, BAR_WIDTH, ROW, TOP, LEGEND_ROW = 740, 340, 250, 30, 64, 18
COLOURS = ("#0a4f9e", "#c25e00", "#2e7d32", "#6a1b9a")  # distinguishable, with text beside every bar anyway
CHART_NAMES = ("contributions", "contracts", "axes", "mobility")
TITLES = {
    "contributions": {"fr": "Engagements de chaque signataire (hors mobilité)",
                      "en": "Each signatory's commitment (excluding mobility)"},
    "contracts": {"fr": "Engagements de chaque signataire, contrat par contrat (avec les contrats précédents)",
                  "en": "Each signatory's commitment, contract by contract (with the preceding contracts)"},
    "axes": {"fr": "Part de chaque axe dans les crédits (hors mobilité)",
             "en": "Each axis's share of the credits (excluding mobility)"},
    "mobility": {"fr": "Protocole mobilité 2023-2027 : montants par mode et signataire",
                 "en": "2023-2027 mobility protocol: amounts by mode and signatory"},
}  # fmt: skip
NOT_PUBLISHED = {"fr": "montant non publié", "en": "amount not published"}
NO_SHARE = {"fr": "part non publiée", "en": "share not published"}


@dataclass(frozen=True)
class Bar:
    """One bar: what it is (label, link), its value (None: not published) and the words for that value."""

    label: str
    href: str
    value: Decimal | None
    text: str
    series: str = ""


def _pick(labels: Iterable[Identifier], language: str, fallback: str) -> str:
    literals = sorted((label for label in labels if isinstance(label, Literal)), key=str)
    for label in literals:
        if label.language == language:
            return str(label)
    return str(literals[0]) if literals else fallback


def _number(term: Identifier) -> Decimal | None:
    return decimal_of(term) if isinstance(term, Literal) else None


def _doc(iri: str) -> str:
    return layout.document_of(current().settings.base_url, iri)


def _grouped(name: str, key: str) -> dict[str, list[dict[str, Identifier]]]:
    rows: dict[str, list[dict[str, Identifier]]] = defaultdict(list)
    for row in _rows(name):
        rows[str(row[key])].append(row)
    return rows


def _base() -> str:
    return current().settings.base_url


def _rows(name: str) -> list[dict[str, Identifier]]:
    """A chart query's rows: its relative IRIs resolve against the public base, its contract is the dataset's root."""
    state = current()
    text = based(query(name), state.settings.base_url)
    return state.store.rows(text, {"contract": URIRef(state.published.profile.root)})


def contributions(language: str) -> list[Bar]:
    bars = []
    for iri, rows in _grouped("chart-contributions", "authority").items():
        label = _pick((row["label"] for row in rows if "label" in row), language, iri)
        value = next((_number(row["amount"]) for row in rows if "amount" in row), None)
        text = amount(value, language).text.split(" (")[0] if value is not None else NOT_PUBLISHED[language]
        bars.append(Bar(label, _doc(iri), value, text))
    return sorted(bars, key=lambda bar: (bar.value is None, -(bar.value or 0), bar.label.casefold()))


def contracts(language: str) -> list[Bar]:
    """One bar per signatory and contract (the root and those it succeeds), grouped by signatory; a contract with
    no predecessor in the data gives the same bars as `contributions`, each labelled with its contract."""
    labels: dict[str, list[Identifier]] = defaultdict(list)
    short: dict[str, list[Identifier]] = defaultdict(list)
    amounts: dict[tuple[str, str], Decimal | None] = {}
    for row in _rows("chart-contracts"):
        compared, authority = str(row["compared"]), str(row["authority"])
        labels[compared].extend([row["comparedLabel"]] if "comparedLabel" in row else [])
        short[compared].extend([row["comparedShort"]] if "comparedShort" in row else [])
        labels[authority].extend([row["authorityLabel"]] if "authorityLabel" in row else [])
        value = _number(row["amount"]) if "amount" in row else None
        amounts[(authority, compared)] = (
            value if amounts.get((authority, compared)) is None else amounts[(authority, compared)]
        )
    root = current().published.profile.root
    bars = []
    for authority, compared in sorted(
        amounts, key=lambda key: (_pick(labels[key[0]], language, key[0]).casefold(), key[1] != root, key[1])
    ):
        value = amounts[(authority, compared)]
        text = amount(value, language).text.split(" (")[0] if value is not None else NOT_PUBLISHED[language]
        contract = _pick(short[compared], language, "") or _pick(labels[compared], language, compared)
        bars.append(Bar(_pick(labels[authority], language, authority), _doc(authority), value, text, series=contract))
    return bars


def axes(language: str) -> list[Bar]:
    bars = []
    for iri, rows in _grouped("chart-axes", "axis").items():
        number = int(str(rows[0]["number"]))
        label = _pick((row["label"] for row in rows if "label" in row), language, iri)
        value = next((_number(row["share"]) for row in rows if "share" in row), None)
        text = percent(value, language).text if value is not None else NO_SHARE[language]
        bars.append((number, Bar(f"{'Axe' if language == 'fr' else 'Axis'} {number} — {label}", _doc(iri), value,
                                 text)))  # fmt: skip
    return [bar for _, bar in sorted(bars, key=lambda item: item[0])]


def mobility(language: str) -> list[Bar]:
    labels: dict[str, list[Identifier]] = defaultdict(list)
    amounts: dict[tuple[str, str], Decimal | None] = {}
    for row in _rows("chart-mobility"):
        mode, authority = str(row["mode"]), str(row["authority"])
        labels[mode].extend([row["modeLabel"]] if "modeLabel" in row else [])
        labels[authority].extend([row["authorityLabel"]] if "authorityLabel" in row else [])
        amounts[(mode, authority)] = _number(row["amount"])
    bars = []
    for (mode, authority), value in sorted(amounts.items()):
        text = amount(value, language).text.split(" (")[0] if value is not None else NOT_PUBLISHED[language]
        bars.append(Bar(_pick(labels[mode], language, mode), _doc(mode), value, text,
                        series=_pick(labels[authority], language, authority)))  # fmt: skip
    return bars


def svg(name: str, language: str) -> str:
    """The chart `name` as standalone SVG markup (also valid inline in HTML)."""
    drawn = {"contributions": contributions, "contracts": contracts, "axes": axes, "mobility": mobility}
    bars = drawn[name](language)
    return draw(f"chart-{name}", TITLES[name][language], bars, language)


def draw(ident: str, title: str, bars: Sequence[Bar], language: str) -> str:
    """A horizontal bar chart: one row per bar, its label (a link), the bar, and its value as text."""
    series = list(dict.fromkeys(bar.series for bar in bars if bar.series))
    largest = max((bar.value for bar in bars if bar.value is not None), default=Decimal(1)) or Decimal(1)
    top = TOP + LEGEND_ROW * max(0, len(series) - 1)  # one legend line per series, under the title
    height = top + ROW * len(bars) + 10
    words = "; ".join(f"{bar.label}{' (' + bar.series + ')' if bar.series else ''}: {bar.text}" for bar in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" role="img" '
        f'id={quoteattr(ident)} aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="system-ui, sans-serif" font-size="13">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(words)}.</desc>',
        f'<text x="0" y="20" font-size="16" font-weight="bold" fill="#1b1b1b">{escape(title)}</text>',
    ]
    if series:
        for index, name in enumerate(series):
            y = 32 + index * LEGEND_ROW
            colour = COLOURS[index % len(COLOURS)]
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="12" height="12" fill="{colour}"/>'
                         f'<text x="{LABEL_WIDTH + 18}" y="{y + 11}" fill="#1b1b1b">{escape(name)}</text>')  # fmt: skip
    for row, bar in enumerate(bars):
        y = top + row * ROW
        label = bar.label if len(bar.label) <= 46 else bar.label[:45] + "…"
        colour = COLOURS[series.index(bar.series) % len(COLOURS)] if bar.series else COLOURS[0]
        parts.append(f'<g class="bar"><title>{escape(bar.label)}{" (" + escape(bar.series) + ")" if bar.series else ""}'
                     f": {escape(bar.text)}</title>")  # fmt: skip
        parts.append(f'<a href={quoteattr(bar.href)} xlink:href={quoteattr(bar.href)}>'
                     f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" fill="#0a4f9e">'
                     f"{escape(label)}</text></a>")  # fmt: skip
        if bar.value is None:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{BAR_WIDTH}" height="{ROW - 10}" fill="none" '
                         f'stroke="#777" stroke-dasharray="4 3"/>'
                         f'<text x="{LABEL_WIDTH + 8}" y="{y + 19}" fill="#555" font-style="italic">'
                         f"{escape(bar.text)}</text>")  # fmt: skip
        else:
            length = max(1, int(BAR_WIDTH * bar.value / largest))
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{length}" height="{ROW - 10}" fill="{colour}"/>'
                         f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 19}" fill="#1b1b1b" class="value">'
                         f"{escape(bar.text)}</text>")  # fmt: skip
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def chart(name: str, language: str) -> str:
    """The chart as built once per app and language (the release never changes)."""
    return current().built.get(("chart", name, language), lambda: svg(name, language))


def all_charts(language: str) -> list[str]:
    return [chart(name, language) for name in CHART_NAMES]


@blueprint.get("/charts/<name>.svg")
def chart_file(name: str) -> Response:
    """One chart as an SVG file (`?lang=fr|en`), for reuse elsewhere."""
    if name not in CHART_NAMES:
        raise NotFound(f"There is no chart named {name!r}; the charts are: {', '.join(CHART_NAMES)}.")
    language = reader_language()
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + chart(name, language) + "\n"
    response = negotiated(body, SVG, language=language, vary=False)
    response.headers["Content-Disposition"] = f'inline; filename="{name}-{language}.svg"'
    return response
