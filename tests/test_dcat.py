"""The DCAT-AP 3 catalogue (routes/about/dcat.py, at /catalog): official shapes, and every file it describes."""

from __future__ import annotations

import gzip
import hashlib
import urllib.request
from typing import Any

import pyshacl
import pytest
from conftest import LiveServer, shared_path
from conftest import parse_graph as parse
from rdflib import DCTERMS, FOAF, RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from service.publication.layout import sparql_url

BASE = "http://localhost/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
SH = Namespace("http://www.w3.org/ns/shacl#")
CATALOG = URIRef(BASE + "catalog")
DATASET = URIRef(BASE + "catalog#dataset")
LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def catalog(app: Any) -> Graph:
    response = app.test_client().get("/catalog")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    return parse(response.data, "turtle")


def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(shared_path(f"dcat-ap-3.0.1/{name}"), format="turtle")
    return graph


def validation_results(catalog: Graph, shapes_graph: Graph) -> tuple[bool, Graph, str]:
    conforms, report, text = pyshacl.validate(catalog, shacl_graph=shapes_graph, allow_warnings=True)
    return bool(conforms), report, str(text)


def test_catalogue_passes_the_official_dcat_ap_3_shapes_and_ranges(catalog: Graph) -> None:
    conforms, report, text = validation_results(catalog, shapes("shapes.ttl", "range.ttl"))
    violations = list(report.subjects(SH.resultSeverity, SH.Violation))
    print(text)
    assert conforms and not violations, text


def test_recommended_shapes_run_and_their_warnings_are_listed(catalog: Graph) -> None:
    _, report, text = validation_results(catalog, shapes("shapes_recommended.ttl"))
    # Printed for the README: what DCAT-AP recommends and the catalogue does not (yet) state, and why.
    print(text)
    severities = set(report.objects(None, SH.resultSeverity))
    assert severities <= {SH.Warning, SH.Info}


@pytest.mark.parametrize("key", RDFLIB_FORMATS)
def test_catalogue_parses_in_every_format_as_the_same_graph(client: Any, catalog: Graph, key: str) -> None:
    response = client.get(f"/catalog?format={key}")
    assert response.status_code == 200
    assert isomorphic(parse(response.data, RDFLIB_FORMATS[key]), catalog)


def test_catalogue_lists_the_dataset_and_the_sparql_service(catalog: Graph, app: Any) -> None:
    assert (CATALOG, RDF.type, DCAT.Catalog) in catalog
    assert set(catalog.objects(CATALOG, DCAT.dataset)) == {DATASET}
    (service,) = catalog.objects(CATALOG, DCAT.service)
    sparql = URIRef(sparql_url(app.extensions["cper"].settings.base_url))
    assert (service, RDF.type, DCAT.DataService) in catalog
    assert catalog.value(service, DCAT.endpointURL) == sparql == URIRef(BASE + "sparql")
    assert catalog.value(service, DCAT.endpointDescription) == sparql
    assert catalog.value(service, DCAT.servesDataset) == DATASET
    assert catalog.value(service, DCTERMS.conformsTo) == URIRef("https://www.w3.org/TR/sparql11-protocol/")


def test_dataset_metadata_comes_from_the_release_and_the_data(catalog: Graph, app: Any) -> None:
    manifest = app.extensions["cper"].published.manifest
    released = Literal(manifest.date, datatype=XSD.date)
    assert catalog.value(DATASET, DCTERMS.issued) == released == catalog.value(DATASET, DCTERMS.modified)
    assert catalog.value(DATASET, DCAT.version) == Literal(manifest.version)
    assert catalog.value(DATASET, DCTERMS.identifier) == Literal(str(DATASET))
    assert catalog.value(DATASET, DCAT.landingPage) == URIRef(BASE)
    assert URIRef("http://publications.europa.eu/resource/authority/language/FRA") in set(
        catalog.objects(DATASET, DCTERMS.language)
    )
    assert catalog.value(DATASET, DCTERMS.spatial) == URIRef("http://data.europa.eu/nuts/code/FRE")
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE") in set(
        catalog.objects(DATASET, DCAT.theme)
    )
    assert {URIRef(BASE + "def/cper"), URIRef(BASE + "def/shapes")} <= set(catalog.objects(DATASET, DCTERMS.conformsTo))
    for node in (CATALOG, DATASET):
        assert {title.language for title in catalog.objects(node, DCTERMS.title)} == {"fr", "en"}
        assert {text.language for text in catalog.objects(node, DCTERMS.description)} == {"fr", "en"}
    description = str(next(d for d in catalog.objects(DATASET, DCTERMS.description) if d.language == "en"))
    assert f"{manifest.triples['total']} triples" in description


def test_temporal_coverage_is_the_contract_period_stated_in_the_data(catalog: Graph, app: Any) -> None:
    period = catalog.value(DATASET, DCTERMS.temporal)
    assert (period, RDF.type, DCTERMS.PeriodOfTime) in catalog
    rows = app.extensions["cper"].store.rows(
        "PREFIX time: <http://www.w3.org/2006/time#> SELECT ?contract ?period ?start ?end WHERE { "
        "?contract ?period ?p . ?p time:hasBeginning/time:inXSDGYear ?start ; time:hasEnd/time:inXSDGYear ?end }",
        {
            "contract": URIRef(BASE + "id/contract/cper-hauts-de-france-2021-2027"),
            "period": URIRef(BASE + "def/cper#period"),
        },
    )
    assert len(rows) == 1
    assert catalog.value(period, DCAT.startDate) == rows[0]["start"] == Literal("2021", datatype=XSD.gYear)
    assert catalog.value(period, DCAT.endDate) == rows[0]["end"] == Literal("2027", datatype=XSD.gYear)


def test_publisher_and_contact_are_the_project_without_invented_details(catalog: Graph) -> None:
    publisher = catalog.value(DATASET, DCTERMS.publisher)
    assert catalog.value(CATALOG, DCTERMS.publisher) == publisher
    assert (publisher, RDF.type, FOAF.Agent) in catalog
    assert {name.language for name in catalog.objects(publisher, FOAF.name)} == {"fr", "en"}
    contact = catalog.value(DATASET, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in catalog
    assert catalog.value(contact, VCARD.hasURL) == URIRef(BASE)
    assert not list(catalog.objects(contact, VCARD.hasEmail))


def test_licence_is_the_licence_ouverte_on_catalogue_dataset_and_every_distribution(catalog: Graph) -> None:
    assert (LICENCE, RDF.type, DCTERMS.LicenseDocument) in catalog
    assert catalog.value(CATALOG, DCTERMS.license) == LICENCE
    distributions = list(catalog.objects(DATASET, DCAT.distribution))
    assert distributions
    for distribution in distributions:
        assert list(catalog.objects(distribution, DCTERMS.license)) == [LICENCE], distribution


def test_every_release_file_is_a_distribution_described_as_this_instance_serves_it(
    catalog: Graph, client: Any, app: Any
) -> None:
    published = app.extensions["cper"].published
    by_url = {catalog.value(d, DCAT.downloadURL): d for d in catalog.objects(DATASET, DCAT.distribution)}
    assert set(by_url) == {URIRef(BASE + "dumps/" + name) for name in published.artefacts}
    for entry in published.manifest.files:
        url = URIRef(BASE + "dumps/" + entry.name)
        distribution = by_url[url]
        body = client.get(str(url)[len(BASE) - 1 :]).data
        assert catalog.value(distribution, DCAT.accessURL) == url
        assert catalog.value(distribution, DCAT.byteSize) == Literal(len(body), datatype=XSD.nonNegativeInteger)
        checksum = catalog.value(distribution, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
        assert catalog.value(distribution, DCAT.mediaType) == URIRef(IANA + entry.media_type)
        assert str(catalog.value(distribution, DCTERMS.format)).startswith(FILE_TYPES)
        assert catalog.value(distribution, DCATAP.availability) is not None
        assert {t.language for t in catalog.objects(distribution, DCTERMS.title)} == {"fr", "en"}
        if entry.name.endswith(".gz"):
            assert catalog.value(distribution, DCAT.compressFormat) == URIRef(IANA + "application/gzip")
            assert gzip.decompress(body)
        else:
            assert catalog.value(distribution, DCAT.compressFormat) is None


def test_file_types_follow_the_eu_authority_table(catalog: Graph) -> None:
    expected = {
        "dataset.ttl": "RDF_TURTLE", "dataset.nt": "RDF_N_TRIPLES", "dataset.nq": "RDF_N_QUADS",
        "dataset.trig": "RDF_TRIG", "dataset.rdf": "RDF_XML", "dataset.jsonld": "JSON_LD",
        "dataset.nt.gz": "RDF_N_TRIPLES", "context.jsonld": "JSON_LD",
    }  # fmt: skip
    for name, code in expected.items():
        distribution = URIRef(f"{BASE}catalog#distribution-{name}")
        assert catalog.value(distribution, DCTERMS.format) == URIRef(FILE_TYPES + code), name


def test_checksums_follow_the_served_bytes_under_another_public_base(release_dir: Any) -> None:
    """The bytes differ per public base (IRIs are rewritten), and so do the sizes and digests in the catalogue."""
    from service import create_app

    other = create_app(environ={"RELEASE_DIR": str(release_dir), "BASE_URL": "https://data.example.org/cper/"})
    client = other.test_client()
    graph = parse(client.get("/catalog", headers={"Host": "evil.example"}).data, "turtle")
    url = URIRef("https://data.example.org/cper/dumps/dataset.ttl")
    (distribution,) = graph.subjects(DCAT.downloadURL, url)
    body = client.get("/dumps/dataset.ttl").data
    assert b"https://data.example.org/cper/id/" in body and b"evil.example" not in body
    checksum = graph.value(distribution, SPDX.checksum)
    assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
    assert int(graph.value(distribution, DCAT.byteSize)) == len(body)
    assert not any("evil.example" in str(term) for triple in graph for term in triple)


@pytest.mark.server
def test_a_harvester_reads_the_catalogue_over_http_and_every_download_checks_out(live_server: LiveServer) -> None:
    harvested = Graph()
    harvested.parse(live_server.base_url + "catalog")  # rdflib negotiates an RDF format over HTTP
    downloads = list(harvested.subject_objects(DCAT.downloadURL))
    assert len(downloads) >= 10
    for distribution, url in downloads:
        assert str(url).startswith(live_server.base_url + "dumps/")
        with urllib.request.urlopen(str(url), timeout=30) as response:
            body = response.read()
            assert response.headers["Content-Length"] == str(len(body))
        assert int(harvested.value(distribution, DCAT.byteSize)) == len(body), url
        checksum = harvested.value(distribution, SPDX.checksum)
        assert str(harvested.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest(), url
        assert harvested.value(distribution, DCTERMS.license) == LICENCE
