"""The charts: SVG drawn from the release's data, with titles, descriptions and every value in text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from service.routes.things.charts import CHART_NAMES

SVG = "{http://www.w3.org/2000/svg}"


def chart(client: Any, name: str, lang: str) -> ET.Element:
    response = client.get(f"/charts/{name}.svg?lang={lang}")
    assert response.status_code == 200 and response.content_type == "image/svg+xml; charset=utf-8"
    return ET.fromstring(response.data)


def texts(svg: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in svg.iter(f"{SVG}text")]


@pytest.mark.parametrize("name", CHART_NAMES)
def test_every_chart_is_an_accessible_image(client: Any, name: str) -> None:
    svg = chart(client, name, "en")
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None and title.text and desc.text
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for bar in svg.iter(f"{SVG}g"):
        assert bar.find(f"{SVG}title") is not None  # each bar names itself and its value on hover


def test_contributions_distinguish_known_and_unpublished_amounts(client: Any) -> None:
    svg = chart(client, "contributions", "en")
    words = texts(svg)
    assert "€995 million" in words and "€994 million" in words and "€195.4 million" in words
    assert words.count("amount not published") == 5  # the four other départements and Amiens Métropole
    dashed = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("stroke-dasharray")]
    assert len(dashed) == 5 and all(rect.get("fill") == "none" for rect in dashed)
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and "Département of Nord: €195.4 million" in (desc.text or "")
    widths = {int(rect.get("width", 0)) for rect in svg.iter(f"{SVG}rect") if rect.get("fill") != "none"}
    assert max(widths) == 250  # the largest amount fills the bar area


def test_axis_shares_in_french_with_unpublished_shares(client: Any) -> None:
    words = texts(chart(client, "axes", "fr"))
    assert "19\u202f%" in words and "57,3\u202f%" in words and "8,8\u202f%" in words and "14,8\u202f%" in words
    assert words.count("part non publiée") == 2  # Axes 5 and 6
    assert any(word.startswith("Axe 1 — ") for word in words)


def test_mobility_by_mode_and_signatory(client: Any) -> None:
    svg = chart(client, "mobility", "en")
    words = texts(svg)
    assert "French State" in words and "Hauts-de-France Region" in words  # the legend
    assert "€494.5 million" in words and "€97.5 million" in words
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert "http://localhost/doc/mode/ferroviaire" in links


def test_each_signatory_beside_the_contracts_this_one_succeeds(client: Any) -> None:
    svg = chart(client, "contracts", "en")
    bars = ["".join(title.itertext()) for g in svg.iter(f"{SVG}g") for title in g.findall(f"{SVG}title")]
    # The legend names the contract and the two it succeeds (the data's cper:predecessor), the contract first.
    legend = [text for text in texts(svg) if "Plan Contract" in text or text.startswith("CPER ")]
    assert len(legend) == 3 and "2021-2027" in legend[0] and all("2015-2020" in name for name in legend[1:])
    state = [bar for bar in bars if bar.startswith("French State (")]
    assert len(state) == 3 and "€994 million" in state[0] and "2021-2027" in state[0]
    assert any("Picardie" in bar for bar in state) and any("Nord-Pas-de-Calais" in bar for bar in state)
    # A signatory of this contract only keeps its unpublished amount, dashed; one of a predecessor only is there too.
    assert any(bar.startswith("Département of Somme (") and "amount not published" in bar for bar in bars)
    assert any(bar.startswith("Picardie Region (") for bar in bars)


def test_the_home_and_contract_pages_show_the_charts_inline(client: Any) -> None:
    for path in ("/?lang=en", "/doc/contract/cper-hauts-de-france-2021-2027?lang=en"):
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert len(re.findall(r'<svg [^>]*role="img"', html)) == len(CHART_NAMES), path
        assert "The contract in figures" in html
    other = client.get("/doc/axis/axe-1", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<svg" not in other


def test_an_unknown_chart_is_404(client: Any) -> None:
    assert client.get("/charts/nothing.svg").status_code == 404
