"""The reader's language for HTML pages: `?lang=fr|en`, else Accept-Language, else French."""

from __future__ import annotations

from flask import request

LANGUAGES = ("fr", "en")


def reader_language() -> str:
    """`fr` or `en`, from the `lang` query parameter, then the Accept-Language header; French by default."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    best = request.accept_languages.best_match(LANGUAGES)
    return best or LANGUAGES[0]
