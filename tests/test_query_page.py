"""The query page for people: a browser's query gets the page with its results as a table (no JavaScript needed)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

CHROMIUM_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
                   "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")  # fmt: skip
AXES = "SELECT ?n WHERE { ?axis <http://localhost/def/cper#romanNumeral> ?n } ORDER BY ?n"


def test_a_browser_query_gets_the_page_with_a_results_table(client: Any) -> None:
    response = client.get("/sparql", query_string={"query": AXES, "lang": "en"}, headers={"Accept": CHROMIUM_ACCEPT})
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    html = response.get_data(as_text=True)
    assert '<table class="results">' in html and "<caption>6 results</caption>" in html
    assert '<th scope="col">?n</th>' in html
    assert html.index("<td>I</td>") < html.index("<td>VI</td>")
    assert f">{AXES.replace('<', '&lt;').replace('>', '&gt;')}</textarea>" in html  # the query stays in the form
    assert f'href="http://localhost/sparql?query={quote(AXES, safe="/")}&amp;format=csv"' in html
    assert "Accept" in response.headers["Vary"]


def test_format_html_asks_for_the_page_and_other_clients_keep_their_formats(client: Any) -> None:
    page = client.get("/sparql", query_string={"query": AXES, "format": "html"})
    assert page.content_type.startswith("text/html") and "<caption>6 résultats</caption>" in page.get_data(as_text=True)
    for accept in (None, "*/*", "application/sparql-results+json", "application/xml, text/html;q=0.5"):
        headers = {"Accept": accept} if accept else {}
        answer = client.get("/sparql", query_string={"query": AXES}, headers=headers)
        assert not answer.content_type.startswith("text/html"), accept


def test_a_construct_shows_its_triples_and_ask_its_truth(client: Any) -> None:
    construct = "CONSTRUCT { ?a <http://example.org/n> ?n } WHERE { ?a <http://localhost/def/cper#romanNumeral> ?n }"
    html = client.get("/sparql", query_string={"query": construct, "format": "html"}).get_data(as_text=True)
    assert '<th scope="col">?subject</th>' in html and "<caption>6 résultats</caption>" in html
    assert 'href="http://localhost/id/axis/axe-1"' in html
    ask = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "format": "html", "lang": "en"})
    assert '<p class="boolean">yes (true)</p>' in ask.get_data(as_text=True)


def test_a_bad_query_shows_the_page_with_the_message_and_400(client: Any) -> None:
    response = client.get("/sparql", query_string={"query": "SELEC ?x", "format": "html"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "SELEC ?x</textarea>" in html


def test_examples_are_one_click_permalinks(client: Any) -> None:
    html = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert html.count('class="example"') >= 5
    assert 'href="http://localhost/sparql?query=%23%20' in html
    assert '<option value="html">' in html  # the plain form answers with the table by default


def test_the_editor_is_served_from_the_installed_package_or_absent(client: Any) -> None:
    from service.http.assets import yasgui_installed

    html = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    script = client.get("/assets/yasgui/yasgui.min.js")
    if yasgui_installed():
        assert '<script src="http://localhost/assets/yasgui/yasgui.min.js" defer></script>' in html
        assert script.status_code == 200 and script.content_type.startswith("text/javascript")
        assert b"Yasgui" in script.data
    else:
        assert "yasgui" not in html and script.status_code == 404
    assert client.get("/assets/yasgui/package.json").status_code == 404  # only the bundle and its stylesheet
    own = client.get("/assets/query-page.js")
    assert own.status_code == 200 and b"new window.Yasgui" in own.data
    assert client.get("/assets/..%2Fassets.py").status_code == 404
