"""Page furniture (service/http/page_meta.py): links that keep the reader's language, and templates that ask the
IRI layout for the service's places instead of spelling them."""

from __future__ import annotations

import re

from conftest import PROJECT_ROOT

from service.http.page_meta import in_reader_language

BASE = "https://data.example.org/cper/"


def test_links_to_this_service_keep_the_language_before_any_fragment() -> None:
    assert in_reader_language(BASE + "doc/axis/axe-1", BASE, "en") == BASE + "doc/axis/axe-1?lang=en"
    assert in_reader_language(BASE + "def/cper#Axis", BASE, "fr") == BASE + "def/cper?lang=fr#Axis"
    assert in_reader_language(BASE + "search?q=nord", BASE, "en") == BASE + "search?q=nord&lang=en"


def test_other_sites_and_the_void_description_are_left_alone() -> None:
    assert in_reader_language("https://www.wikidata.org/wiki/Q18677983", BASE, "en").endswith("Q18677983")
    assert in_reader_language(BASE + ".well-known/void", BASE, "fr") == BASE + ".well-known/void"


def test_templates_spell_no_place_of_the_layout() -> None:
    # A place written after the base (`{{ base_url }}search`) or as a path (`/doc/`), or the VoID's well-known name.
    names = "doc|id|def/cper|def/shapes|catalog|sparql|search|dumps|graph"
    places = re.compile(rf"(\}}\}}|(?<![a-z-])/)({names})\b|\.well-known")
    found = [
        f"{template.name}:{number}: {line.strip()[:80]}"
        for template in sorted((PROJECT_ROOT / "service" / "templates").glob("*.html"))
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1)
        if places.search(line) and not line.lstrip().startswith("{#")
    ]
    assert found == []
