"""Retired IRIs (routes/things/retired.py): the two IRIs release 1.0 minted and 1.1 retired answer 301 Moved
Permanently to their successors, their documents to the successors' documents in the same format, under any
public base; any other IRI keeps its 303 or its 404, and a retired IRI has no page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import DCTERMS, RDFS, Graph, URIRef

BASE = "http://localhost/"  # the test app's BASE_URL (conftest.app)
OTHER_BASE = "https://data.example.org/cper/"  # a public base with a path, behind a proxy
# (retired path, successor path) under {base}id/ and {base}doc/: ontology/MODEL.md, "Retired IRIs"
RETIRED = [
    ("step/signature-2023", "signature/cper-hauts-de-france-2021-2027"),
    ("step/signature-volet-mobilites-2024", "signature/volet-mobilites-2023-2027"),
]


@pytest.fixture(scope="module")
def other_client(release_dir: Path) -> Any:
    from service import create_app

    return create_app(environ={"RELEASE_DIR": str(release_dir), "BASE_URL": OTHER_BASE}).test_client()


def clients(client: Any, other_client: Any) -> list[tuple[Any, str]]:
    return [(client, BASE), (other_client, OTHER_BASE)]


@pytest.mark.parametrize(("retired", "successor"), RETIRED)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_retired_thing_answers_301_to_its_successor_under_any_base(
    client: Any, other_client: Any, retired: str, successor: str, method: str
) -> None:
    for each, base in clients(client, other_client):
        response = each.open("/id/" + retired, method=method, headers={"Host": "attacker.example"})
        assert response.status_code == 301, (base, response.status_code)
        assert response.headers["Location"] == base + "id/" + successor
        assert response.data == b""
        assert response.headers["Access-Control-Allow-Origin"] == "*"  # a browser client can follow it


@pytest.mark.parametrize(("retired", "successor"), RETIRED)
@pytest.mark.parametrize("suffix", ["", ".ttl", ".nt", ".rdf", ".jsonld", ".html"])
def test_a_retired_document_answers_301_to_the_successors_document_in_the_same_format(
    client: Any, other_client: Any, retired: str, successor: str, suffix: str
) -> None:
    for each, base in clients(client, other_client):
        for method in ("GET", "HEAD"):
            response = each.open("/doc/" + retired + suffix, method=method)
            assert response.status_code == 301, (base, method, response.status_code)
            assert response.headers["Location"] == base + "doc/" + successor + suffix


def test_the_redirect_keeps_the_query_the_client_sent(client: Any) -> None:
    thing = client.get("/id/step/signature-2023?lang=en&format=ttl")
    assert thing.headers["Location"] == BASE + "id/signature/cper-hauts-de-france-2021-2027?lang=en&format=ttl"
    document = client.get("/doc/step/signature-2023?lang=en")
    assert document.headers["Location"] == BASE + "doc/signature/cper-hauts-de-france-2021-2027?lang=en"


def test_following_the_redirects_reaches_the_successors_description(client: Any) -> None:
    """301 to the successor, 303 to its document, 200 with a description that says which IRI it replaces."""
    moved = client.get("/id/step/signature-2023")
    see_other = client.get(moved.headers["Location"][len(BASE) - 1 :])
    assert see_other.status_code == 303
    document = client.get(see_other.headers["Location"][len(BASE) - 1 :], headers={"Accept": "text/turtle"})
    assert document.status_code == 200
    graph = Graph().parse(data=document.data, format="turtle")
    retired, successor = URIRef(BASE + "id/" + RETIRED[0][0]), URIRef(BASE + "id/" + RETIRED[0][1])
    assert (successor, RDFS.label, None) in graph
    assert set(graph.subjects(DCTERMS.isReplacedBy, successor)) == {retired}  # what links here: the retired IRI


def test_a_retired_document_with_an_unknown_suffix_is_406_naming_the_formats(client: Any) -> None:
    response = client.get("/doc/step/signature-2023.docx")
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)
    assert "Location" not in response.headers


def test_an_unknown_iri_beside_the_retired_ones_is_still_404(client: Any) -> None:
    for path in ("/id/step/signature-2022", "/doc/step/signature-2022.ttl", "/id/step/signature-2023/more"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Location" not in response.headers
        assert "Nothing is described at" in response.get_data(as_text=True)


def test_a_step_that_is_not_retired_still_answers_303(client: Any) -> None:
    response = client.get("/id/step/mandat-de-negociation-2019")
    assert response.status_code == 303
    assert response.headers["Location"] == BASE + "doc/step/mandat-de-negociation-2019"


def test_the_replacements_are_the_releases_moved_to_the_public_base(app: Any, other_client: Any) -> None:
    """Read once, with the release, from its manifest's profile: the data states them, no module names them."""
    profile = app.extensions["cper"].published.profile
    assert profile.replaced_by == {BASE + "id/" + old: BASE + "id/" + new for old, new in RETIRED}
    assert other_client.application.extensions["cper"].published.profile.replaced_by == {
        OTHER_BASE + "id/" + old: OTHER_BASE + "id/" + new for old, new in RETIRED
    }


def test_the_openapi_description_declares_the_301s(client: Any) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/id/{type}/{slug}", "/doc/{type}/{slug}"):
        moved = paths[path]["get"]["responses"]["301"]
        assert "Location" in moved["headers"] and "moved permanently" in moved["description"]
