"""Dereferencing (routes/things/resources.py, graphs.py): 303 from things to documents, negotiation over the
document table (Accept, suffixes, ?format=), conditional requests, the ontology, the shapes and the graphs."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from rdflib import DCTERMS, FOAF, OWL, RDF, RDFS, SH, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

BASE = "http://localhost/"
CPER = BASE + "def/cper#"
NORD = BASE + "id/organisation/departement-du-nord"
NORD_DOC = BASE + "doc/organisation/departement-du-nord"
SIGNATURE = BASE + "id/signature/cper-hauts-de-france-2021-2027"
CONTRACT = BASE + "id/contract/cper-hauts-de-france-2021-2027"
LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
TIME = "http://www.w3.org/2006/time#"

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7"
)
SUFFIXES = {
    "text/turtle": ".ttl",
    "application/n-triples": ".nt",
    "application/rdf+xml": ".rdf",
    "application/ld+json": ".jsonld",
    "text/html": ".html",
}
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def media_type(response: Any) -> str:
    return str(response.headers["Content-Type"]).split(";")[0].strip()


def context_document(app: Any) -> dict[str, Any]:
    """The release's JSON-LD context, as the service serves it at {base}context.jsonld."""
    artefact = app.extensions["cper"].published.artefact("context.jsonld")
    document: dict[str, Any] = json.loads(artefact.data)
    return document


def parse(app: Any, body: bytes, media: str) -> Graph:
    """Parse a served body with rdflib; a JSON-LD context referenced by URL is supplied locally (no fetch)."""
    graph = Graph()
    if media == "application/ld+json":
        document = json.loads(body)
        assert document["@context"] == BASE + "context.jsonld"
        document["@context"] = context_document(app)["@context"]
        with warnings.catch_warnings():
            # rdflib's JSON-LD parser builds a ConjunctiveGraph internally, which rdflib itself deprecates.
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=json.dumps(document), format="json-ld")
    else:
        graph.parse(data=body, format=RDFLIB_FORMATS[media])
    return graph


# --- Things answer 303 See Other ------------------------------------------------------------------------------


def test_thing_redirects_to_its_document_with_an_absolute_location(client: Any) -> None:
    response = client.get("/id/organisation/departement-du-nord")
    assert response.status_code == 303
    assert response.headers["Location"] == NORD_DOC


def test_redirect_keeps_the_format_and_language_the_client_asked_for(client: Any) -> None:
    response = client.get("/id/organisation/departement-du-nord?format=jsonld&lang=en")
    assert response.status_code == 303
    assert response.headers["Location"] == NORD_DOC + "?format=jsonld&lang=en"


@pytest.mark.parametrize(
    "path", ["/id/organisation/nowhere", "/doc/organisation/nowhere", "/doc/organisation/nowhere.ttl"]
)
def test_unknown_things_and_documents_are_404(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert media_type(response) == "text/plain"
    assert "id/organisation/nowhere" in response.get_data(as_text=True)


def test_a_browser_gets_its_404_as_a_page(client: Any) -> None:
    response = client.get("/id/organisation/nowhere", headers={"Accept": FIREFOX})
    assert response.status_code == 404
    assert media_type(response) == "text/html"
    assert "<h1>404" in response.get_data(as_text=True)


# --- Documents: negotiation --------------------------------------------------------------------------------------

NEGOTIATION = [
    (FIREFOX, "text/html"),
    (CHROME, "text/html"),
    ("*/*", "text/turtle"),
    (None, "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/json", "application/ld+json"),
    ("text/turtle;charset=utf-8", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.5", "application/rdf+xml"),
    ("text/turtle;q=0.5, application/rdf+xml;q=0.9", "application/rdf+xml"),
    ("text/*", "text/turtle"),
]


@pytest.mark.parametrize(("accept", "expected"), NEGOTIATION)
def test_documents_negotiate_on_accept(client: Any, accept: str | None, expected: str) -> None:
    response = client.get("/doc/organisation/departement-du-nord", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert media_type(response) == expected
    assert response.headers["Content-Location"] == NORD_DOC + SUFFIXES[expected]
    assert "Accept" in response.headers["Vary"]
    links = response.headers["Link"]
    for other, suffix in SUFFIXES.items():
        if other != expected:
            assert f'<{NORD_DOC}{suffix}>; rel="alternate"; type="{other}"' in links
    assert NORD_DOC + SUFFIXES[expected] + ">" not in links
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"]


def test_nothing_acceptable_is_406_naming_the_offer(client: Any) -> None:
    response = client.get("/doc/organisation/departement-du-nord", headers={"Accept": "image/png"})
    assert response.status_code == 406
    body = response.get_data(as_text=True)
    for offered in SUFFIXES:
        assert offered in body


@pytest.mark.parametrize(("expected", "suffix"), SUFFIXES.items())
def test_suffixes_choose_the_format_whatever_the_accept(client: Any, expected: str, suffix: str) -> None:
    response = client.get(f"/doc/organisation/departement-du-nord{suffix}", headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert media_type(response) == expected
    assert "Content-Location" not in response.headers  # the URL already names the representation
    assert "Accept" not in [name.strip() for name in response.headers.get("Vary", "").split(",")]
    assert all(f"{NORD_DOC}{s}>" in response.headers["Link"] for s in SUFFIXES.values() if s != suffix)


@pytest.mark.parametrize(("expected", "suffix"), SUFFIXES.items())
def test_format_parameter_overrides_accept(client: Any, expected: str, suffix: str) -> None:
    key = suffix.lstrip(".")
    response = client.get(f"/doc/organisation/departement-du-nord?format={key}", headers={"Accept": FIREFOX})
    assert response.status_code == 200
    assert media_type(response) == expected
    assert response.headers["Content-Location"] == NORD_DOC + suffix


@pytest.mark.parametrize(
    "path", ["/doc/organisation/departement-du-nord.png", "/doc/organisation/departement-du-nord?format=png"]
)
def test_unknown_suffix_or_format_is_406_naming_the_keys(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 406
    body = response.get_data(as_text=True)
    assert "ttl (text/turtle)" in body and "jsonld (application/ld+json)" in body


# --- Documents: content ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("media", RDFLIB_FORMATS)
def test_every_serialisation_parses_and_says_the_siren_and_what_the_document_is(
    app: Any, client: Any, media: str
) -> None:
    response = client.get("/doc/organisation/departement-du-nord", headers={"Accept": media})
    graph = parse(app, response.data, media)
    nord = URIRef(NORD)
    assert (nord, URIRef(CPER + "siren"), Literal("225900018")) in graph
    assert (nord, RDF.type, URIRef(CPER + "PublicAuthority")) in graph
    assert (URIRef(NORD_DOC), FOAF.primaryTopic, nord) in graph
    assert (URIRef(NORD_DOC), DCTERMS.license, LICENCE) in graph


def test_all_serialisations_carry_the_same_graph(app: Any, client: Any) -> None:
    graphs = [
        parse(app, client.get(f"/doc/contract/cper-hauts-de-france-2021-2027{SUFFIXES[media]}").data, media)
        for media in RDFLIB_FORMATS
    ]
    assert len(graphs[0]) > 50
    for other in graphs[1:]:
        assert isomorphic(graphs[0], other)


def test_the_signature_document_gives_the_signature_date(app: Any, client: Any) -> None:
    graph = parse(app, client.get("/doc/signature/cper-hauts-de-france-2021-2027.ttl").data, "text/turtle")
    assert (URIRef(SIGNATURE), URIRef(CPER + "signatureDate"), Literal("2023-01-09", datatype=XSD.date)) in graph


def test_a_description_follows_blank_nodes_and_names_what_it_links_to(app: Any, client: Any) -> None:
    graph = parse(app, client.get("/doc/contract/cper-hauts-de-france-2021-2027.nt").data, "application/n-triples")
    contract = URIRef(CONTRACT)
    years = {
        str(year)
        for period in graph.objects(contract, URIRef(CPER + "period"))
        for instant in graph.objects(period, URIRef(TIME + "hasBeginning"))
        for year in graph.objects(instant, URIRef(TIME + "inXSDGYear"))
    }
    assert years == {"2021"}
    nord = URIRef(NORD)
    assert (contract, URIRef(CPER + "signatory"), nord) in graph
    assert Literal("Département du Nord", lang="fr") in set(graph.objects(nord, RDFS.label))
    # The resource's other statements are not copied in: a linked resource is named, not described.
    assert (nord, URIRef(CPER + "siren"), None) not in graph


def test_a_description_includes_the_statements_pointing_at_the_resource(app: Any, client: Any) -> None:
    graph = parse(app, client.get("/doc/organisation/departement-du-nord.ttl").data, "text/turtle")
    assert (URIRef(CONTRACT), URIRef(CPER + "signatory"), URIRef(NORD)) in graph


def test_jsonld_is_compacted_with_the_published_context(client: Any) -> None:
    document = json.loads(client.get("/doc/organisation/departement-du-nord.jsonld").data)
    assert document["@context"] == BASE + "context.jsonld"
    node = next(n for n in document["@graph"] if n["@id"] == NORD)
    assert node["siren"] == "225900018"


# --- Conditional requests, HEAD and OPTIONS ---------------------------------------------------------------------


def test_if_none_match_gives_304_with_no_body(client: Any) -> None:
    first = client.get("/doc/organisation/departement-du-nord.ttl")
    again = client.get("/doc/organisation/departement-du-nord.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_if_modified_since_gives_304(client: Any) -> None:
    first = client.get("/doc/organisation/departement-du-nord", headers={"Accept": "text/turtle"})
    since = first.headers["Last-Modified"]
    again = client.get(
        "/doc/organisation/departement-du-nord", headers={"Accept": "text/turtle", "If-Modified-Since": since}
    )
    assert again.status_code == 304


def test_each_format_and_each_page_language_has_its_own_etag(client: Any) -> None:
    turtle = client.get("/doc/organisation/departement-du-nord.ttl").headers["ETag"]
    french = client.get("/doc/organisation/departement-du-nord.html?lang=fr")
    english = client.get("/doc/organisation/departement-du-nord.html?lang=en")
    assert len({turtle, french.headers["ETag"], english.headers["ETag"]}) == 3
    assert "Accept-Language" in english.headers["Vary"]
    stale = client.get(
        "/doc/organisation/departement-du-nord.html?lang=en", headers={"If-None-Match": french.headers["ETag"]}
    )
    assert stale.status_code == 200


@pytest.mark.parametrize(
    "path", ["/doc/organisation/departement-du-nord", "/id/organisation/departement-du-nord", "/def/cper"]
)
def test_head_answers_like_get_without_a_body(client: Any, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code
    assert head.data == b""
    for name in ("Content-Type", "Content-Location", "Location", "ETag", "Link", "Vary"):
        assert head.headers.get(name) == got.headers.get(name)


def test_options_lists_the_methods(client: Any) -> None:
    response = client.options("/doc/organisation/departement-du-nord")
    assert response.status_code == 200
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in response.headers["Allow"].split(",")}


# --- The ontology and the shapes (hash namespaces) -----------------------------------------------------------------


def test_the_ontology_negotiates_rdf_for_machines(app: Any, client: Any) -> None:
    response = client.get("/def/cper", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == BASE + "def/cper.ttl"
    graph = parse(app, response.data, "text/turtle")
    assert (URIRef(BASE + "def/cper"), RDF.type, OWL.Ontology) in graph
    assert (URIRef(CPER + "PlanContract"), RDF.type, OWL.Class) in graph


def test_the_ontology_negotiates_its_documentation_for_browsers(client: Any) -> None:
    response = client.get("/def/cper", headers={"Accept": FIREFOX})
    assert media_type(response) == "text/html"
    assert 'id="PlanContract"' in response.get_data(as_text=True)


@pytest.mark.parametrize(("expected", "suffix"), SUFFIXES.items())
def test_the_ontology_has_suffixed_documents(client: Any, expected: str, suffix: str) -> None:
    response = client.get(f"/def/cper{suffix}")
    assert response.status_code == 200
    assert media_type(response) == expected


def test_the_version_iri_dereferences_and_says_what_it_is_a_version_of(app: Any, client: Any) -> None:
    response = client.get("/def/cper/1.1.0", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == BASE + "def/cper/1.1.0.nt"
    graph = parse(app, response.data, "application/n-triples")
    version = URIRef(BASE + "def/cper/1.1.0")
    assert (URIRef(BASE + "def/cper"), OWL.versionIRI, version) in graph
    assert (URIRef(BASE + "def/cper"), OWL.priorVersion, URIRef(BASE + "def/cper/1.0.0")) in graph
    assert (version, DCTERMS.isVersionOf, URIRef(BASE + "def/cper")) in graph
    # The earlier version's IRI answers 303 to this document, which therefore says what that IRI is too.
    assert (URIRef(BASE + "def/cper/1.0.0"), DCTERMS.isVersionOf, URIRef(BASE + "def/cper")) in graph
    assert client.get("/def/cper/1.1.0.jsonld").status_code == 200


@pytest.mark.parametrize(("path", "location"), [("/def/cper/1.0.0", "def/cper/1.1.0"),
                                                ("/def/cper/1.0.0.ttl", "def/cper/1.1.0.ttl"),
                                                ("/def/cper/1.0.0?lang=en", "def/cper/1.1.0?lang=en")])  # fmt: skip
def test_an_earlier_version_iri_sees_the_current_version(client: Any, path: str, location: str) -> None:
    for method in (client.get, client.head):
        response = method(path)
        assert response.status_code == 303  # another resource (the earlier version), not a move
        assert response.headers["Location"] == BASE + location
        assert response.headers["Link"] == f'<{BASE}def/cper/1.1.0>; rel="successor-version"'


@pytest.mark.parametrize(("path", "status"), [("/def/cper/9.9.9", 404), ("/def/cper/1.1.00", 404),
                                              ("/def/cper/1.0.00", 404), ("/def/cper/1.1.0.png", 406),
                                              ("/def/cper/1.0.0.png", 406), ("/def/cper.png", 406),
                                              ("/def/nothing", 404)])  # fmt: skip
def test_unknown_vocabulary_paths(client: Any, path: str, status: int) -> None:
    assert client.get(path).status_code == status


def test_the_shapes_graph_dereferences(app: Any, client: Any) -> None:
    response = client.get("/def/shapes.ttl")
    graph = parse(app, response.data, "text/turtle")
    assert (URIRef(BASE + "def/shapes#SirenShape"), RDF.type, SH.PropertyShape) in graph
    html = client.get("/def/shapes", headers={"Accept": CHROME}).get_data(as_text=True)
    assert 'id="SirenShape"' in html


# --- Graph IRIs and the Graph Store Protocol ---------------------------------------------------------------------


def manifest(release_dir: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("name", ["data", "ontology", "shapes"])
def test_graph_iris_answer_with_their_graph(app: Any, client: Any, release_dir: Path, name: str) -> None:
    response = client.get(f"/graph/{name}", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == f"{BASE}graph/{name}.nt"
    assert len(parse(app, response.data, "application/n-triples")) == manifest(release_dir)["triples"][name]


def test_a_graph_iri_gives_browsers_a_page_pointing_to_the_dumps(client: Any) -> None:
    page = client.get("/graph/data", headers={"Accept": FIREFOX}).get_data(as_text=True)
    assert f'href="{BASE}dumps/dataset.nq"' in page
    assert f'href="{BASE}sparql"' in page
    assert page.count("<h1>") == 1


def test_unknown_graph_iri_is_404(client: Any) -> None:
    assert client.get("/graph/nothing").status_code == 404


def test_graph_store_reads_a_named_graph(app: Any, client: Any, release_dir: Path) -> None:
    response = client.get(
        "/graph-store", query_string={"graph": BASE + "graph/ontology"}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200
    assert media_type(response) == "text/turtle"
    assert len(parse(app, response.data, "text/turtle")) == manifest(release_dir)["triples"]["ontology"]


def test_graph_store_reads_the_default_graph_as_the_union(app: Any, client: Any, release_dir: Path) -> None:
    response = client.get("/graph-store?default", headers={"Accept": "application/n-triples"})
    union = parse(app, response.data, "application/n-triples")
    released_union = Graph().parse(data=(release_dir / "dataset.nt").read_bytes(), format="nt")
    assert len(union) == len(released_union) == manifest(release_dir)["triples"]["total"]


TWO_GRAPHS = "?graph=http://localhost/graph/data&graph=http://localhost/graph/shapes"


@pytest.mark.parametrize("query", ["", "?default&graph=http://localhost/graph/data", TWO_GRAPHS])
def test_graph_store_needs_exactly_one_graph(client: Any, query: str) -> None:
    response = client.get("/graph-store" + query)
    assert response.status_code == 400
    assert "?graph=IRI" in response.get_data(as_text=True)


def test_graph_store_unknown_graph_is_404(client: Any) -> None:
    assert client.get("/graph-store?graph=http://localhost/graph/nothing").status_code == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_graph_store_is_read_only(client: Any, method: str) -> None:
    response = client.open("/graph-store?default", method=method, data=b"<a:b> <a:c> <a:d> .")
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == {"GET", "HEAD", "OPTIONS"}


def test_graph_store_options_offers_only_reading(client: Any) -> None:
    response = client.options("/graph-store?default")
    assert response.status_code == 200
    assert {m.strip() for m in response.headers["Allow"].split(",")} == {"GET", "HEAD", "OPTIONS"}


def test_graph_store_head_has_no_body(client: Any) -> None:
    got, head = (
        client.get("/graph-store?graph=http://localhost/graph/shapes"),
        client.head("/graph-store?graph=http://localhost/graph/shapes"),
    )
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.headers["ETag"] == got.headers["ETag"]


# --- The public base, never the Host header -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def prefixed_client(release_dir: Path) -> Any:
    """An app whose public base has a path (a reverse proxy strips /cper/ before the app sees the request)."""
    from service import create_app

    return create_app(environ={"RELEASE_DIR": str(release_dir), "BASE_URL": "http://example.org/cper/"}).test_client()


def test_a_base_with_a_path_is_used_for_locations_and_iris(prefixed_client: Any) -> None:
    base = "http://example.org/cper/"
    redirect = prefixed_client.get("/id/organisation/departement-du-nord", headers={"Host": "attacker.example"})
    assert redirect.headers["Location"] == base + "doc/organisation/departement-du-nord"
    document = prefixed_client.get("/doc/organisation/departement-du-nord", headers={"Host": "attacker.example"})
    assert document.headers["Content-Location"] == base + "doc/organisation/departement-du-nord.ttl"
    graph = Graph().parse(data=document.data, format="turtle")
    assert (
        URIRef(base + "id/organisation/departement-du-nord"),
        URIRef(base + "def/cper#siren"),
        Literal("225900018"),
    ) in graph
    assert "attacker.example" not in document.get_data(as_text=True) + str(document.headers)
    assert prefixed_client.get("/def/cper/1.1.0").status_code == 200


NOT_IRIS = ["/id/organisation/%00", "/doc/%ff%fe", "/id/a%20b", "/doc/x%3Cy%3E.ttl", "/id/back%5Cslash"]


@pytest.mark.parametrize("path", NOT_IRIS)
def test_paths_that_are_no_iri_are_404_not_500(client: Any, path: str) -> None:
    # Regression: a NUL byte or undecodable bytes in the path reached the store as an IRI and failed with 500.
    response = client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert "Nothing is described at" in response.get_data(as_text=True)


def test_error_messages_never_echo_control_bytes(client: Any) -> None:
    response = client.get("/doc/organisation/%00x", headers={"Accept": "text/plain"})
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "\x00" not in body and "id/organisation/\\u0000x" in body


def test_html_documents_say_their_language(client: Any) -> None:
    for language in ("fr", "en"):
        response = client.get(f"/doc/organisation/departement-du-nord?lang={language}", headers={"Accept": "text/html"})
        assert response.headers["Content-Language"] == language
        assert f'<html lang="{language}">' in response.get_data(as_text=True)
