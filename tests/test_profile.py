"""The dataset profile (service/build/profile.py): read from the data, and a second dataset built and served by it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyshacl
import pytest
from conftest import PROJECT_ROOT, LiveServer, parse_graph, shared_path, start_server, stop_server
from rdflib import DCTERMS, RDF, Graph, Literal, Namespace, URIRef

from service.build.profile import PROFILE_FILE, ProfileError, canonical_base, read_profile
from service.build.sources import load_sources

SECOND = PROJECT_ROOT / "tests" / "datasets" / "cper-nord-pas-de-calais-2015-2020"
THIS_CONTRACT = "id/contract/cper-hauts-de-france-2021-2027"
SECOND_CONTRACT = "id/contract/cper-nord-pas-de-calais-2015-2020"
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SH = Namespace("http://www.w3.org/ns/shacl#")
# A region's name in any spelling the project uses (words, slugs); the canonical base's host is one of them.
REGION_NAMES = re.compile(r"hauts[- ]de[- ]france|nord[- ]pas[- ]de[- ]calais|picardie|cper-hdf", re.IGNORECASE)


# --- Reading the profile ---------------------------------------------------------------------------------------


def test_the_project_profile_names_the_2021_2027_contract_and_its_coverage() -> None:
    profile = read_profile(load_sources(PROJECT_ROOT).data)
    assert profile.base == canonical_base(PROJECT_ROOT) == profile.uri_space.removesuffix("id/")
    assert profile.root == profile.base + THIS_CONTRACT
    assert profile.dataset == profile.base + "catalog#dataset"
    assert set(profile.title) == set(profile.description) == set(profile.name) == {"fr", "en"}
    assert "Hauts-de-France" in profile.keywords["fr"] and "Hauts-de-France" in profile.keywords["en"]
    assert profile.spatial.iri == "http://data.europa.eu/nuts/code/FRE"
    assert profile.spatial.label["en"] == "NUTS 2021 FRE (Hauts-de-France)"  # the label data/sources.ttl gives
    assert (profile.temporal.start, profile.temporal.end) == ("2021", "2027")  # type: ignore[union-attr]
    assert profile.licence.identifier == "etalab-2.0"
    assert profile.publisher.page == profile.contact.page == profile.base


def test_the_profile_moves_to_the_public_base_and_back_through_json() -> None:
    profile = read_profile(load_sources(PROJECT_ROOT).data)
    moved = type(profile).from_json(json.loads(json.dumps(profile.to_json()))).rebased("http://127.0.0.1:8/")
    assert moved.root == "http://127.0.0.1:8/" + THIS_CONTRACT
    assert (moved.publisher.iri, moved.publisher.page) == (
        "http://127.0.0.1:8/catalog#publisher",
        "http://127.0.0.1:8/",
    )
    assert moved.licence == profile.licence and moved.spatial == profile.spatial  # outside IRIs stay as they are


def test_the_retired_iris_are_read_with_their_successors_and_move_with_the_base() -> None:
    profile = read_profile(load_sources(PROJECT_ROOT).data)
    retired = {
        profile.base + "id/step/signature-2023": profile.base + "id/signature/cper-hauts-de-france-2021-2027",
        profile.base + "id/step/signature-volet-mobilites-2024": profile.base
        + "id/signature/volet-mobilites-2023-2027",
    }
    assert profile.replaced_by == retired
    moved = type(profile).from_json(json.loads(json.dumps(profile.to_json()))).rebased("http://127.0.0.1:8/")
    assert moved.replaced_by == {
        old.replace(profile.base, "http://127.0.0.1:8/"): new.replace(profile.base, "http://127.0.0.1:8/")
        for old, new in retired.items()
    }


def test_a_manifest_profile_from_before_retirements_reads_as_none_retired() -> None:
    profile = read_profile(load_sources(PROJECT_ROOT).data)
    fields = profile.to_json()
    del fields["replaced_by"]
    assert type(profile).from_json(fields).replaced_by == {}


@pytest.mark.parametrize(
    ("retirement", "message"),
    [
        ("<https://elsewhere.example/id/x> dct:isReplacedBy <https://cper-hdf.example/id/contract/c> .",
         r"<https://elsewhere.example/id/x> is not an IRI under https://cper-hdf.example/id/"),
        ("<https://cper-hdf.example/id/step/signature-2023> dct:isReplacedBy <https://cper-hdf.example/id/step/b> .",
         r"<https://cper-hdf.example/id/step/signature-2023> needs exactly one dct:isReplacedBy, an IRI \(2 found\)"),
        ('<https://cper-hdf.example/id/step/a> dct:isReplacedBy "id/step/b" .',
         r"<https://cper-hdf.example/id/step/a> needs exactly one dct:isReplacedBy, an IRI \(1 found\)"),
    ],
)  # fmt: skip
def test_a_retirement_the_service_could_not_answer_is_refused(retirement: str, message: str) -> None:
    text = (PROJECT_ROOT / PROFILE_FILE).read_text(encoding="utf-8") + "\n" + retirement + "\n"
    with pytest.raises(ProfileError, match=message):
        read_profile(Graph().parse(data=text, format="turtle"))


def _tree_with_profile(tmp_path: Path, profile_text: str) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / PROFILE_FILE).write_text(profile_text, encoding="utf-8")
    return tmp_path


def test_a_profile_without_an_english_title_is_refused_naming_the_term(tmp_path: Path) -> None:
    text = (PROJECT_ROOT / PROFILE_FILE).read_text(encoding="utf-8")
    text = text.replace('"The Hauts-de-France 2021-2027 CPER as linked open data"@en', '"No language"')
    graph = Graph().parse(data=text, format="turtle")
    with pytest.raises(ProfileError, match=r"dct:title in @en"):
        read_profile(graph)


def test_two_dataset_nodes_or_none_are_refused(tmp_path: Path) -> None:
    text = (PROJECT_ROOT / PROFILE_FILE).read_text(encoding="utf-8")
    twice = text + "\n<https://cper-hdf.example/catalog#other> a dcat:Dataset , void:Dataset .\n"
    with pytest.raises(ProfileError, match="exactly one node typed dcat:Dataset and void:Dataset"):
        canonical_base(_tree_with_profile(tmp_path, twice))
    with pytest.raises(ProfileError, match=r"data/dataset.ttl: missing"):
        canonical_base(tmp_path / "nowhere")


def test_a_uri_space_that_is_not_the_things_space_is_refused(tmp_path: Path) -> None:
    text = (PROJECT_ROOT / PROFILE_FILE).read_text(encoding="utf-8").replace('example/id/"^^', 'example/"^^')
    with pytest.raises(ProfileError, match="void:uriSpace must be an absolute IRI ending in /id/"):
        canonical_base(_tree_with_profile(tmp_path, text))


def test_no_service_module_query_or_template_names_a_region() -> None:
    service = PROJECT_ROOT / "service"
    files = [*service.rglob("*.py"), *service.rglob("*.rq"), *service.rglob("*.html")]
    assert len(files) > 50
    named = [f"{path.relative_to(PROJECT_ROOT)}: {match.group(0)}" for path in files
             for match in [REGION_NAMES.search(path.read_text(encoding="utf-8"))] if match]  # fmt: skip
    assert named == []


# --- A second dataset, built and served with no code change ----------------------------------------------------


@pytest.fixture(scope="module")
def second_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CPER Nord-Pas-de-Calais 2015-2020 built by the command line from its own data and the project's
    ontology and shapes (linked, never copied)."""
    source = tmp_path_factory.mktemp("second-source")
    (source / "data").symlink_to(SECOND / "data", target_is_directory=True)
    for shared in ("ontology", "shapes"):
        (source / shared).symlink_to(PROJECT_ROOT / shared, target_is_directory=True)
    out = tmp_path_factory.mktemp("second-release") / "build"
    command = [sys.executable, "-m", "service", "build", "--source", str(source), "--out", str(out)]
    command += ["--version", "test", "--date", "2026-01-01"]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation: conforms" in done.stdout
    return out


@pytest.fixture(scope="module")
def second_server(second_release: Path) -> Iterator[LiveServer]:
    server = start_server(second_release, workers=1)
    yield server
    stop_server(server)


def _get(server: LiveServer, path: str, accept: str) -> tuple[str, str]:
    request = urllib.request.Request(server.base_url + path, headers={"Accept": accept, "Accept-Language": "en"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["Content-Type"], response.read().decode("utf-8")


def test_the_second_release_carries_its_own_profile(second_release: Path) -> None:
    manifest = json.loads((second_release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["profile"]["root"] == manifest["base"] + SECOND_CONTRACT
    assert manifest["profile"]["spatial"]["iri"] == "http://data.europa.eu/nuts/code/FRE1"
    assert manifest["profile"]["temporal"]["start"] == "2015"


def test_its_home_page_names_its_contract_and_not_the_2021_2027_one(second_server: LiveServer) -> None:
    content_type, page = _get(second_server, "", "text/html")
    assert content_type.startswith("text/html")
    assert "<title>" in page and "CPER Nord-Pas-de-Calais 2015-2020</title>" in page
    assert "Nord-Pas-de-Calais State-Region Plan Contract 2015-2020" in page  # the root resource's label
    assert second_server.base_url + SECOND_CONTRACT in page
    assert "2021-2027" not in page and "Hauts-de-France" not in page


def test_its_void_names_its_contract(second_server: LiveServer) -> None:
    content_type, body = _get(second_server, ".well-known/void", "text/turtle")
    assert content_type.startswith("text/turtle")
    void = parse_graph(body, "turtle")
    dataset = URIRef(second_server.base_url + "catalog#dataset")
    assert void.value(dataset, VOID.rootResource) == URIRef(second_server.base_url + SECOND_CONTRACT)
    assert Literal("The Nord-Pas-de-Calais 2015-2020 CPER as linked open data", lang="en") in set(
        void.objects(dataset, DCTERMS.title)
    )
    assert "2021-2027" not in body and "Hauts-de-France" not in body


def test_its_catalogue_names_it_and_passes_the_dcat_ap_shapes(second_server: LiveServer) -> None:
    _, body = _get(second_server, "catalog", "text/turtle")
    catalog = parse_graph(body, "turtle")
    dataset = URIRef(second_server.base_url + "catalog#dataset")
    assert (dataset, RDF.type, DCAT.Dataset) in catalog
    assert catalog.value(dataset, DCTERMS.spatial) == URIRef("http://data.europa.eu/nuts/code/FRE1")
    period = catalog.value(dataset, DCTERMS.temporal)
    assert str(catalog.value(period, DCAT.startDate)) == "2015" and str(catalog.value(period, DCAT.endDate)) == "2020"
    assert {str(k) for k in catalog.objects(dataset, DCAT.keyword)} >= {"Nord-Pas-de-Calais"}
    assert "2021-2027" not in body and "Hauts-de-France" not in body
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(shared_path(f"dcat-ap-3.0.1/{name}"), format="turtle")
    conforms, report, text = pyshacl.validate(catalog, shacl_graph=shapes, allow_warnings=True)
    assert conforms and not list(report.subjects(SH.resultSeverity, SH.Violation)), text


def test_its_charts_draw_its_own_signatories(second_server: LiveServer) -> None:
    content_type, svg = _get(second_server, "charts/contributions.svg", "image/svg+xml")
    assert content_type.startswith("image/svg+xml")
    assert "Nord-Pas-de-Calais Region" in svg and "Département of Pas-de-Calais" in svg
    assert "Amiens" not in svg  # a 2021-2027 signatory
