"""Search by name (accents folded, prefixes, both languages), lists of a class's instances, HTML and JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from service.routes.things.search import fold

NORD = "http://localhost/id/organisation/departement-du-nord"


def found(client: Any, **args: str) -> dict[str, Any]:
    response = client.get("/search", query_string={**args, "format": "json"})
    assert response.status_code == 200 and response.content_type == "application/json; charset=utf-8"
    document: dict[str, Any] = json.loads(response.data)
    return document


def test_fold_drops_accents_and_case() -> None:
    assert fold("Région Hauts-de-France") == "region hauts-de-france" == fold("REGION HAUTS-DE-FRANCE")


@pytest.mark.parametrize(
    "q", ["Département du Nord", "departement du nord", "DÉPART NORD", "dep nor", "Département of Nord"]
)
def test_a_thing_is_found_by_words_prefixes_without_accents_in_both_languages(client: Any, q: str) -> None:
    iris = [result["iri"] for result in found(client, q=q)["results"]]
    assert NORD in iris


def test_the_whole_label_ranks_first_and_results_link_to_documents(client: Any) -> None:
    results = found(client, q="Département du Nord", lang="fr")["results"]
    assert results[0]["iri"] == NORD and results[0]["label"] == "Département du Nord"
    assert results[0]["href"] == "http://localhost/doc/organisation/departement-du-nord"
    assert any(t["iri"] == "http://localhost/def/cper#PublicAuthority" for t in results[0]["types"])


def test_nothing_found_and_nothing_asked(client: Any) -> None:
    assert found(client, q="xyzzy") == {"q": "xyzzy", "class": None, "total": 0, "results": []}
    assert found(client)["results"] == []


def test_a_class_lists_its_instances(client: Any) -> None:
    axes = found(client, **{"class": "http://localhost/def/cper#Axis"})
    assert axes["total"] == 6
    assert {r["iri"] for r in axes["results"]} == {f"http://localhost/id/axis/axe-{n}" for n in range(1, 7)}
    narrowed = found(client, q="nord", **{"class": "http://localhost/def/cper#PublicAuthority"})
    assert NORD in [r["iri"] for r in narrowed["results"]]
    assert all("nord" in r["label"].lower() for r in narrowed["results"])


def test_the_html_page_lists_results_with_links(client: Any) -> None:
    response = client.get("/search?q=nord&lang=en", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.content_type.startswith("text/html")
    html = response.get_data(as_text=True)
    assert f'<a href="{NORD.replace("/id/", "/doc/")}?lang=en">Département of Nord</a>' in html
    assert 'value="nord"' in html and 'role="search"' in html
    assert "results</h2>" in html


def test_bad_input_is_a_clear_400(client: Any) -> None:
    assert client.get("/search?q=" + "a" * 201).status_code == 400
    response = client.get("/search?q=a&limit=many")
    assert response.status_code == 400 and b"limit" in response.data
    assert client.get("/search?q=a&format=xml").status_code == 400


def test_every_page_has_the_search_box_and_home_links_class_lists(client: Any) -> None:
    home = client.get("/?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'data-autocomplete="http://localhost/search"' in home
    assert 'href="http://localhost/search?class=http%3A//localhost/def/cper%23Axis&amp;lang=en"' in home
    script = client.get("/assets/search.js")
    assert script.status_code == 200 and b"fetch(" in script.data


def test_a_resource_page_says_when_nothing_links_to_it(client: Any) -> None:
    lonely = client.get("/doc/territory/amiens?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    section = lonely.split('id="referenced-heading"', 1)[1].split("</section>", 1)[0]
    assert "No other resource links here." in section
    linked = client.get("/doc/organisation/departement-du-nord?lang=en", headers={"Accept": "text/html"})
    section = linked.get_data(as_text=True).split('id="referenced-heading"', 1)[1].split("</section>", 1)[0]
    assert "No other resource links here." not in section and "<table>" in section


def test_a_thing_nothing_links_to_is_still_reachable_from_a_class_list(client: Any) -> None:
    territories = found(client, **{"class": "http://localhost/def/cper#Territory"})
    assert "http://localhost/id/territory/amiens" in {r["iri"] for r in territories["results"]}
