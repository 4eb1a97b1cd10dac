"""The home page, the release's files, the JSON-LD context, robots.txt and the sitemap (routes/about/site.py)."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import xml.etree.ElementTree as ElementTree
from email.utils import format_datetime
from typing import Any

import pytest
from rdflib import DCTERMS, RDF, Graph, URIRef

BASE = "http://localhost/"
CONTRACT = BASE + "id/contract/cper-hauts-de-france-2021-2027"
LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NARROW_NBSP = "\u202f"


def published(app: Any) -> Any:
    return app.extensions["cper"].published


def grouped(number: int, language: str) -> str:
    return f"{number:,}".replace(",", NARROW_NBSP if language == "fr" else ",")


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


# --- The home page ---------------------------------------------------------------------------------------------


def test_home_page_links_to_everything_a_visitor_needs(client: Any) -> None:
    response = client.get("/", headers={"Accept": FIREFOX})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    links = {href.split("?")[0] for href in hrefs(response.get_data(as_text=True))}
    expected = {CONTRACT, BASE + "sparql", BASE + "catalog", BASE + ".well-known/void", BASE + "def/cper",
                BASE + "def/shapes", LICENCE}  # fmt: skip
    assert expected <= links, expected - links


def test_home_page_lists_every_file_with_its_size_and_sha256(client: Any, app: Any) -> None:
    html = client.get("/?lang=en", headers={"Accept": FIREFOX}).get_data(as_text=True)
    for name, artefact in published(app).artefacts.items():
        assert f'href="{BASE}dumps/{name}"' in html, name
        row = html[html.index(f'href="{BASE}dumps/{name}"') :].split("</tr>")[0]
        assert grouped(artefact.size, "en") in row, name
        assert artefact.sha256 in row, name
        assert hashlib.sha256(artefact.data).hexdigest() == artefact.sha256


def test_home_page_introduction_gives_the_release_counts(client: Any, app: Any) -> None:
    manifest = published(app).manifest
    for language in ("fr", "en"):
        html = client.get(f"/?lang={language}", headers={"Accept": FIREFOX}).get_data(as_text=True)
        intro = html[html.index("<h1>") : html.index("<h2>")]
        for key in ("total", "data", "ontology", "shapes"):
            assert grouped(manifest.triples[key], language) in intro, (language, key)
        assert grouped(manifest.sources, language) in intro
        assert f"({manifest.entities['cper:PublicAuthority']})" in intro
        assert f'href="{CONTRACT}"' in intro


def test_home_page_speaks_the_reader_language(client: Any) -> None:
    french = client.get("/", headers={"Accept": FIREFOX, "Accept-Language": "fr-FR,fr;q=0.9"})
    english = client.get("/", headers={"Accept": FIREFOX, "Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="fr">' in french.get_data(as_text=True) and "Télécharger" in french.get_data(as_text=True)
    assert '<html lang="en">' in english.get_data(as_text=True) and "Download" in english.get_data(as_text=True)
    assert french.headers["ETag"] != english.headers["ETag"]
    assert "Accept-Language" in french.headers["Vary"]
    assert "Download" in client.get("/?lang=en", headers={"Accept": FIREFOX}).get_data(as_text=True)


def test_home_page_embeds_the_dataset_for_search_engines(client: Any, app: Any) -> None:
    html = client.get("/", headers={"Accept": FIREFOX}).get_data(as_text=True)
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script is not None
    document = json.loads(script.group(1))
    assert document["@type"] == "Dataset" and document["license"] == LICENCE
    urls = {download["contentUrl"] for download in document["distribution"]}
    assert urls == {BASE + "dumps/" + name for name in published(app).artefacts}
    assert document["temporalCoverage"] == "2021/2027"


def test_home_page_announces_its_rdf_alternates(client: Any) -> None:
    html = client.get("/", headers={"Accept": FIREFOX}).get_data(as_text=True)
    assert f'<link rel="alternate" type="text/turtle" href="{BASE}.well-known/void?format=ttl">' in html


def test_home_answers_rdf_clients_with_the_void_description(client: Any) -> None:
    response = client.get("/", headers={"Accept": "*/*"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert response.headers["Content-Location"] == BASE + ".well-known/void?format=ttl"
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef(BASE + "catalog#dataset"), RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) in graph
    assert response.data == client.get("/.well-known/void").data


def test_home_answers_304_to_a_matching_validator(client: Any) -> None:
    first = client.get("/", headers={"Accept": FIREFOX})
    again = client.get("/", headers={"Accept": FIREFOX, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_catalogue_page_for_browsers_lists_the_files(client: Any, app: Any) -> None:
    response = client.get("/catalog", headers={"Accept": FIREFOX})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    html = response.get_data(as_text=True)
    for name in published(app).artefacts:
        assert f'href="{BASE}dumps/{name}"' in html
    assert f'href="{BASE}catalog?format=ttl"' in html


# --- The release's files ---------------------------------------------------------------------------------------


def test_every_file_downloads_byte_for_byte_with_its_headers(client: Any, app: Any) -> None:
    release = published(app)
    assert release.artefacts
    for name, artefact in release.artefacts.items():
        # The .gz files travel as their content's type with Content-Encoding: gzip to clients that accept it.
        response = client.get(f"/dumps/{name}", headers={"Accept-Encoding": "gzip"} if name.endswith(".gz") else {})
        assert response.status_code == 200, name
        assert response.data == artefact.data
        assert hashlib.sha256(response.data).hexdigest() == artefact.sha256
        assert response.headers["Content-Type"].split(";")[0] == artefact.media_type, name
        assert response.headers.get("Content-Encoding") == ("gzip" if name.endswith(".gz") else None), name
        assert response.headers["Content-Length"] == str(artefact.size)
        assert response.headers["Content-Disposition"] == f'inline; filename="{name}"'
        assert response.headers["ETag"].strip('"')
        assert response.headers["Last-Modified"] == format_datetime(release.last_modified, usegmt=True)


def test_dumps_carry_iris_under_the_public_base(client: Any) -> None:
    body = client.get("/dumps/dataset.nt").data
    assert f"<{CONTRACT}>".encode() in body
    assert b"https://cper-hdf.example/" not in body


def test_gzip_dumps_hold_the_same_bytes_as_the_plain_ones(client: Any) -> None:
    for name, media in (("dataset.nt", "application/n-triples"), ("dataset.nq", "application/n-quads")):
        packed = client.get(f"/dumps/{name}.gz", headers={"Accept-Encoding": "gzip, br"})
        assert packed.headers["Content-Type"] == f"{media}; charset=utf-8"
        assert packed.headers["Content-Encoding"] == "gzip" and packed.headers["Vary"] == "Accept, Accept-Encoding"
        assert gzip.decompress(packed.data) == client.get(f"/dumps/{name}").data
        # A client naming the RDF type but not gzip (rdflib's URL reader) gets the content itself.
        plain = client.get(f"/dumps/{name}.gz", headers={"Accept": f"{media}, */*;q=0.1"})
        assert "Content-Encoding" not in plain.headers and plain.data == gzip.decompress(packed.data)
        assert plain.headers["Content-Type"] == f"{media}; charset=utf-8"
        # Anyone else (curl, wget, a harvester checking the digest) gets the file's bytes as application/gzip.
        raw = client.get(f"/dumps/{name}.gz")
        assert raw.headers["Content-Type"] == "application/gzip" and raw.data == packed.data
        assert "Content-Encoding" not in raw.headers
        assert len({plain.headers["ETag"], packed.headers["ETag"], raw.headers["ETag"]}) == 3
        assert raw.headers["Vary"] == "Accept, Accept-Encoding"


def test_dumps_answer_304_to_matching_validators(client: Any) -> None:
    first = client.get("/dumps/dataset.ttl")
    by_etag = client.get("/dumps/dataset.ttl", headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get("/dumps/dataset.ttl", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_etag.status_code == 304 and not by_etag.data
    assert by_date.status_code == 304
    other = client.get("/dumps/dataset.ttl", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data


def test_head_on_a_dump_gives_its_length_without_the_body(client: Any, app: Any) -> None:
    response = client.head("/dumps/dataset.ttl")
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(published(app).artefacts["dataset.ttl"].size)
    assert not response.data


@pytest.mark.parametrize("name", ["nope.ttl", "..%2Fmanifest.json", "dataset.TTL", "dataset", "shacl-report.TTL"])
def test_a_file_outside_the_release_is_not_found(client: Any, name: str) -> None:
    response = client.get(f"/dumps/{name}")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/plain")


def test_json_ld_context_is_served_from_the_release(client: Any, app: Any) -> None:
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == "application/ld+json"
    assert response.data == published(app).artefacts["context.jsonld"].data == client.get("/dumps/context.jsonld").data
    context = json.loads(response.data)["@context"]
    assert context["cper"] == BASE + "def/cper#"


# --- robots.txt and the sitemap --------------------------------------------------------------------------------


def test_robots_allows_everything_and_points_to_the_sitemap(client: Any) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert f"Sitemap: {BASE}sitemap.xml" in lines


def sitemap_locations(client: Any) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == "application/xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{SITEMAP}urlset"
    return [url.findtext(f"{SITEMAP}loc") or "" for url in root.findall(f"{SITEMAP}url")]


def test_sitemap_lists_the_service_pages_and_the_document_of_every_thing(client: Any, app: Any) -> None:
    locations = sitemap_locations(client)
    assert len(locations) == len(set(locations))
    assert all(location.startswith(BASE) for location in locations)
    assert {BASE, BASE + "sparql", BASE + "def/cper", BASE + "def/shapes"} <= set(locations)
    dump = Graph().parse(data=client.get("/dumps/dataset.nt").data, format="nt")
    retired = set(dump.subjects(DCTERMS.isReplacedBy, None))  # no page: they answer 301 (test_retired.py)
    assert len(retired) == 2
    things = {str(s) for s in dump.subjects() if isinstance(s, URIRef) and s.startswith(BASE + "id/")}
    documents = {location for location in locations if location.startswith(BASE + "doc/")}
    assert documents == {BASE + "doc/" + thing[len(BASE + "id/") :] for thing in things - {str(r) for r in retired}}
    assert BASE + "doc/contract/cper-hauts-de-france-2021-2027" in documents
    assert BASE + "doc/step/signature-2023" not in documents


def test_sitemap_pages_are_html_pages_of_this_service(client: Any) -> None:
    locations = sitemap_locations(client)
    for location in locations[:6] + [loc for loc in locations if "/doc/organisation/" in loc][:3]:
        response = client.get(location[len(BASE) - 1 :], headers={"Accept": FIREFOX})
        assert response.status_code == 200, location
        assert response.headers["Content-Type"].startswith("text/html"), location


def test_robots_and_sitemap_use_the_public_base_never_the_host_header(release_dir: Any) -> None:
    from service import create_app

    public = "https://data.example.org/cper/"
    client = create_app(environ={"RELEASE_DIR": str(release_dir), "BASE_URL": public}).test_client()
    robots = client.get("/robots.txt", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert f"Sitemap: {public}sitemap.xml" in robots.splitlines()
    sitemap = client.get("/sitemap.xml", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert f"<loc>{public}doc/contract/cper-hauts-de-france-2021-2027</loc>" in sitemap
    assert "evil.example" not in sitemap and "localhost" not in sitemap
