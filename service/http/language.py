"""The reader's language for HTML pages: `?lang=fr|en`, else Accept-Language, else French."""

from __future__ import annotations

from flask import request

LANGUAGES = ("fr", "en")


def explicit_language() -> str | None:
    """The language the client named with `?lang=`, when it is one we write; any other value counts as none."""
    asked = request.args.get("lang", "")
    return asked if asked in LANGUAGES else None


def reader_language() -> str:
    """`fr` or `en`, from the `lang` query parameter, then the Accept-Language header; French by default."""
    asked = explicit_language()
    if asked is not None:
        return asked
    best = request.accept_languages.best_match(LANGUAGES)
    return best or LANGUAGES[0]
