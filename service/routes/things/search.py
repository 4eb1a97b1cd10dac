"""Finding a thing by name: `/search?q=` over the labels (French and English, accents and case folded, each word
matched as a prefix), and `/search?class=IRI` listing a class's instances; HTML for people, JSON for scripts
(and the pages' autocomplete). The index is built once per app from the store; the release never changes."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from flask import Blueprint, Response, render_template, request
from rdflib import Literal

from service.errors import BadRequest
from service.http.language import reader_language
from service.http.negotiation import choose
from service.http.responses import negotiated
from service.http.state import current
from service.publication import layout
from service.publication.formats import HTML, JSON
from service.queries import load as query

blueprint = Blueprint("search", __name__)
SEARCH_FORMATS = (HTML, JSON)
MAX_QUERY_CHARS = 200
DEFAULT_LIMIT, MAX_LIMIT = 50, 500
WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case without accents: "Région" and "region" are the same word to a searcher."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass
class Entry:
    """One searchable IRI: its labels by language, its types, and the folded words of all its labels."""

    iri: str
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    types: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)

    def label(self, language: str) -> tuple[str, str | None]:
        for lang in (language, None, "fr", "en", *self.labels):
            if self.labels.get(lang or ""):  # "" holds labels without a language tag
                return sorted(self.labels[lang or ""])[0], lang
        return self.iri, None


class Index:
    """The labels of every IRI under the public base, and the labels of the classes to name types."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries

    @classmethod
    def build(cls) -> Index:
        base = current().settings.base_url
        entries: dict[str, Entry] = {}
        for row in current().store.rows(query("search-labels")):
            iri, label = str(row["thing"]), row["label"]
            if not iri.startswith(base) or not isinstance(label, Literal):
                continue
            entry = entries.setdefault(iri, Entry(iri))
            text = str(label)
            if text not in entry.labels[label.language or ""]:
                entry.labels[label.language or ""].append(text)
                entry.folded.add(fold(text))
                entry.words.update(WORD.findall(fold(text)))
            if "type" in row:
                entry.types.add(str(row["type"]))
        return cls(entries)

    def search(self, text: str, class_iri: str | None) -> list[tuple[int, Entry]]:
        """Entries whose labels hold every word of `text` as a prefix of one of their words, best first."""
        folded = fold(text).strip()
        terms = WORD.findall(folded)
        found = []
        for entry in self.entries.values():
            if class_iri and class_iri not in entry.types:
                continue
            if terms and not all(any(word.startswith(term) for word in entry.words) for term in terms):
                continue
            if folded in entry.folded:
                rank = 0  # the whole label
            elif any(label.startswith(folded) for label in entry.folded):
                rank = 1  # the start of a label
            else:
                rank = 2
            found.append((rank, entry))
        return found


def index() -> Index:
    return current().built.get("search-index", Index.build)


def href(iri: str) -> str:
    """Where a person reads about `iri`: the document of a thing, the IRI itself for terms of the vocabularies."""
    return layout.document_of(current().settings.base_url, iri)


@blueprint.get(layout.rule(layout.SEARCH_PATH))
def search() -> Response:
    text = request.args.get("q", "")
    class_iri = request.args.get("class") or None
    if len(text) > MAX_QUERY_CHARS:
        raise BadRequest(f"A search holds at most {MAX_QUERY_CHARS} characters, not {len(text)}.")
    try:
        limit = min(MAX_LIMIT, max(1, int(request.args.get("limit", DEFAULT_LIMIT))))
    except ValueError:
        raise BadRequest("limit must be a whole number.") from None
    key = request.args.get("format")
    fmt = next((row for row in SEARCH_FORMATS if row.key == key), None)
    if key and fmt is None:
        raise BadRequest("format must be html or json.")
    fmt = fmt or choose(request.headers.get("Accept"), SEARCH_FORMATS, strict=False)
    language = reader_language()
    searched = index()
    asked = bool(text.strip()) or class_iri is not None
    found = searched.search(text, class_iri) if asked else []
    found.sort(key=lambda item: (item[0], fold(item[1].label(language)[0]), item[1].iri))
    results = [_result(entry, language, searched) for _, entry in found[:limit]]
    if fmt == JSON:
        document = {"q": text, "class": class_iri, "total": len(found), "results": results}
        return negotiated(json.dumps(document, ensure_ascii=False, indent=1), JSON, language=language)
    class_label = searched.entries[class_iri].label(language)[0] if class_iri in searched.entries else class_iri
    body = render_template("search.html", q=text, class_iri=class_iri, class_label=class_label, asked=asked,
                           results=results, total=len(found), limit=limit)  # fmt: skip
    return negotiated(body, HTML, language=language)


def _result(entry: Entry, language: str, searched: Index) -> dict[str, object]:
    label, label_lang = entry.label(language)
    types = [
        {"iri": t, "label": searched.entries[t].label(language)[0] if t in searched.entries else _local_name(t)}
        for t in sorted(entry.types)
    ]
    return {"iri": entry.iri, "label": label, "lang": label_lang or None, "href": href(entry.iri), "types": types}


def _local_name(iri: str) -> str:
    """The last segment of an IRI from another vocabulary (schema:Place → "Place")."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri
