"""What every HTML page's head and menu need beyond its content: canonical URL, description, OpenGraph, and
links that keep the reader's language (the language switch keeps the rest of the query, e.g. a SPARQL query)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request

from service.http.language import reader_language
from service.http.state import current
from service.publication import layout

# What every page adds to the dataset's own description (its profile) in its meta description.
SERVICES = {"fr": "SPARQL, téléchargements, catalogue DCAT-AP.", "en": "SPARQL, downloads, DCAT-AP catalogue."}
LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def page_context() -> dict[str, Any]:
    """Template variables for base.html (a Flask context processor)."""
    if not current_app_ready():
        return {}
    state = current()
    base, profile = state.settings.base_url, state.published.profile
    lang = reader_language()
    canonical = base + request.path.lstrip("/")
    return {
        "canonical_url": canonical,
        "site_description": f"{_in(profile.description, lang)} {SERVICES[lang]}",
        "og_locale": LOCALES[lang],
        "site_name": _in(profile.name, lang),
        "in_language": lambda language: _with_language(canonical, language),
        "lang_query": f"?lang={lang}",
        "site": {  # the menu's places, from the IRI layout
            "sparql": layout.sparql_url(base),
            "ontology": layout.ontology_iri(base),
            "catalog": layout.catalog_url(base),
            "search": layout.search_url(base),
            "openapi": layout.openapi_url(base),
        },
        "in_reader_language": lambda href: in_reader_language(href, base, lang),
    }


def in_reader_language(href: str, base: str, language: str) -> str:
    """A link to one of this service's pages, kept in the reader's language (`?lang=`, before any fragment).

    Other sites' IRIs and the VoID description (RDF, one language-free document) are left as they are.
    """
    if not href.startswith(base) or href.startswith(layout.void_url(base)):
        return href
    page, hash_, fragment = href.partition("#")
    return f"{page}{'&' if '?' in page else '?'}lang={language}{hash_}{fragment}"


def current_app_ready() -> bool:
    try:
        current()
    except (KeyError, RuntimeError):
        return False
    return True


def _with_language(url: str, language: str) -> str:
    """This page's URL in `language`, every other query parameter kept."""
    pairs = [(k, v) for k, values in request.args.lists() if k != "lang" for v in values]
    return url + "?" + urlencode([*pairs, ("lang", language)])


def _in(texts: dict[str, str], language: str) -> str:
    """The profile's text in the reader's language, else in any language it gives."""
    return texts.get(language) or next(iter(texts.values()), "")
