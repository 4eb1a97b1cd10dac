"""The VoID description (routes/about/void.py, served by routes/about/site.py): every count checked against the dump."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from conftest import parse_graph as parse
from rdflib import DCTERMS, RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from service.publication.layout import sparql_url

BASE = "http://localhost/"
VOID = "http://rdfs.org/ns/void#"
DATASET = URIRef(BASE + "catalog#dataset")
CONTRACT = URIRef(BASE + "id/contract/cper-hauts-de-france-2021-2027")
LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
CODE_INSEE = URIRef("http://rdf.insee.fr/def/geo#codeINSEE")
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}


def v(name: str) -> URIRef:
    return URIRef(VOID + name)


@pytest.fixture(scope="module")
def void(app: Any) -> Graph:
    response = app.test_client().get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.data
    return parse(response.data, "turtle")


@pytest.fixture(scope="module")
def dump(app: Any) -> Graph:
    """The whole dataset as this instance serves it for download: the independent reference for every count."""
    response = app.test_client().get("/dumps/dataset.nt")
    assert response.status_code == 200
    return parse(response.data, "nt")


def integer(graph: Graph, subject: Any, predicate: URIRef) -> int:
    value = graph.value(subject, predicate)
    assert isinstance(value, Literal), f"{subject} has no {predicate}"
    return int(value)


@pytest.mark.parametrize("key", RDFLIB_FORMATS)
def test_void_parses_in_every_format_as_the_same_graph(client: Any, void: Graph, key: str) -> None:
    response = client.get(f"/.well-known/void?format={key}")
    assert response.status_code == 200
    assert isomorphic(parse(response.data, RDFLIB_FORMATS[key]), void)


def test_the_document_describes_one_dataset_with_titles_licence_and_access(void: Graph, app: Any) -> None:
    settings = app.extensions["cper"].settings
    assert (URIRef(BASE + ".well-known/void"), URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), DATASET) in void
    assert (DATASET, RDF.type, v("Dataset")) in void
    titles = {title.language: str(title) for title in void.objects(DATASET, DCTERMS.title)}
    assert set(titles) == {"fr", "en"} and all(titles.values())
    assert void.value(DATASET, DCTERMS.license) == LICENCE
    assert void.value(DATASET, v("sparqlEndpoint")) == URIRef(sparql_url(settings.base_url)) == URIRef(BASE + "sparql")
    assert void.value(DATASET, v("uriSpace")) == Literal(BASE + "id/")
    assert void.value(DATASET, v("rootResource")) == CONTRACT


def test_data_dumps_are_every_whole_dataset_file_and_download(void: Graph, client: Any, app: Any) -> None:
    names = {name for name in app.extensions["cper"].published.artefacts if name.startswith("dataset.")}
    dumps = set(void.objects(DATASET, v("dataDump")))
    assert dumps == {URIRef(BASE + "dumps/" + name) for name in names}
    assert {"dataset.nt", "dataset.nq", "dataset.ttl", "dataset.nt.gz"} <= names
    for url in dumps:
        assert client.get(str(url)[len(BASE) - 1 :]).status_code == 200


def test_triple_count_matches_the_manifest_and_the_dump(void: Graph, dump: Graph, app: Any) -> None:
    manifest = app.extensions["cper"].published.manifest
    assert integer(void, DATASET, v("triples")) == manifest.triples["total"] == len(dump)


# pyoxigraph's store keeps derived integer types as xsd:integer ("1"^^xsd:positiveInteger is stored as
# "1"^^xsd:integer), so the store, which VoID counts, sees fewer distinct objects than rdflib does in the dump.
STORED_AS_INTEGER = {XSD.positiveInteger, XSD.nonNegativeInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
                     XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort,
                     XSD.unsignedByte}  # fmt: skip


def rdf_term(term: Any) -> Any:
    """The term as the store counts it: rdflib tells "a" from "a"^^xsd:string, RDF 1.1 and the store do not."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    if isinstance(term, Literal) and term.datatype in STORED_AS_INTEGER:
        return Literal(str(term), datatype=XSD.integer)
    return term


def test_distinct_subjects_objects_and_entities_match_the_dump(void: Graph, dump: Graph) -> None:
    assert integer(void, DATASET, v("distinctSubjects")) == len(set(dump.subjects()))
    assert integer(void, DATASET, v("distinctObjects")) == len({rdf_term(o) for o in dump.objects()})
    things = {s for s in dump.subjects() if isinstance(s, URIRef) and s.startswith(BASE + "id/")}
    assert integer(void, DATASET, v("entities")) == len(things) > 100


def test_class_partitions_count_the_instances_of_every_class(void: Graph, dump: Graph) -> None:
    expected = Counter(cls for _, cls in set(dump.subject_objects(RDF.type)))
    partitions = {
        void.value(p, v("class")): integer(void, p, v("entities")) for p in void.objects(DATASET, v("classPartition"))
    }
    assert partitions == dict(expected)
    assert partitions[URIRef(BASE + "def/cper#PlanContract")] >= 1
    assert integer(void, DATASET, v("classes")) == len(expected)


def test_property_partitions_count_the_triples_of_every_predicate(void: Graph, dump: Graph, app: Any) -> None:
    expected = Counter(predicate for predicate in dump.predicates())
    partitions = {
        void.value(p, v("property")): integer(void, p, v("triples"))
        for p in void.objects(DATASET, v("propertyPartition"))
    }
    assert partitions == dict(expected)
    assert sum(partitions.values()) == app.extensions["cper"].published.manifest.triples["total"]
    assert integer(void, DATASET, v("properties")) == len(expected)


def test_every_vocabulary_the_data_uses_is_listed(void: Graph, dump: Graph) -> None:
    from service.routes.about.void import vocabulary_of

    vocabularies = {str(term) for term in void.objects(DATASET, v("vocabulary"))}
    used = {vocabulary_of(p) for p in dump.predicates()} | {vocabulary_of(c) for c in dump.objects(None, RDF.type)}
    assert vocabularies == used
    assert {BASE + "def/cper", "http://purl.org/dc/terms/", "http://www.w3.org/ns/org"} <= vocabularies


def test_examples_and_root_are_resources_of_the_dataset(void: Graph, dump: Graph) -> None:
    examples = set(void.objects(DATASET, v("exampleResource")))
    assert CONTRACT in examples and len(examples) > 5
    for example in examples:
        assert str(example).startswith(BASE + "id/")
        assert (example, None, None) in dump, example
    assert (CONTRACT, RDF.type, URIRef(BASE + "def/cper#PlanContract")) in dump


def _linksets(void: Graph) -> dict[tuple[str, URIRef], URIRef]:
    """Linksets by (target key, link predicate)."""
    found = {}
    for linkset in void.objects(DATASET, v("subset")):
        assert (linkset, RDF.type, v("Linkset")) in void
        target = void.value(linkset, v("objectsTarget"))
        assert void.value(linkset, v("subjectsTarget")) == DATASET
        assert set(void.objects(linkset, v("target"))) == {DATASET, target}
        key = str(target).rsplit("#", 1)[-1]
        found[(key, void.value(linkset, v("linkPredicate")))] = linkset
    return found


def test_linksets_to_wikidata_insee_and_nuts_are_present(void: Graph) -> None:
    linksets = _linksets(void)
    assert {key for key, _ in linksets} == {"wikidata", "insee", "nuts"}
    assert ("wikidata", URIRef(BASE + "def/cper#wikidataItem")) in linksets
    assert ("nuts", URIRef(BASE + "def/cper#nutsUnit")) in linksets
    assert ("insee", CODE_INSEE) in linksets


# Independent of service/routes/about/void.py: the namespaces are written here again, and the count is one SPARQL query.
LINKS_BY_NAMESPACE = """
SELECT ?namespace ?predicate (COUNT(*) AS ?links)
WHERE {
  SELECT DISTINCT ?namespace ?s ?predicate ?o WHERE {
    VALUES ?namespace { "http://www.wikidata.org/entity/" "http://id.insee.fr/" "http://data.europa.eu/nuts/code/" }
    ?s ?predicate ?o .
    FILTER (isIRI(?o) && STRSTARTS(STR(?o), ?namespace))
  }
}
GROUP BY ?namespace ?predicate
"""
NAMESPACES = {
    "http://www.wikidata.org/entity/": "wikidata",
    "http://id.insee.fr/": "insee",
    "http://data.europa.eu/nuts/code/": "nuts",
}


def test_linkset_counts_equal_a_sparql_count_of_links_into_the_target_namespace(void: Graph, app: Any) -> None:
    counted = {
        (NAMESPACES[str(row["namespace"])], row["predicate"]): int(row["links"])
        for row in app.extensions["cper"].store.rows(LINKS_BY_NAMESPACE)
    }
    published = {
        key: integer(void, linkset, v("triples")) for key, linkset in _linksets(void).items() if key[1] != CODE_INSEE
    }
    assert published == counted
    assert all(count > 0 for count in published.values())
    for key, namespace in ((k, n) for n, k in NAMESPACES.items()):
        assert void.value(URIRef(BASE + ".well-known/void#" + key), v("uriSpace")) == Literal(namespace)


def test_insee_code_linkset_counts_the_codes_and_explains_the_join(void: Graph, dump: Graph) -> None:
    linkset = _linksets(void)[("insee", CODE_INSEE)]
    assert integer(void, linkset, v("triples")) == len(set(dump.subject_objects(CODE_INSEE))) > 0
    descriptions = {d.language: str(d) for d in void.objects(linkset, DCTERMS.description)}
    assert set(descriptions) == {"fr", "en"}
    assert "igeo:codeINSEE" in descriptions["en"] and "literal" in descriptions["en"]


def test_void_is_built_once_per_app_not_per_request(app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    first = client.get("/.well-known/void?format=nt").data

    def fail(*_: Any) -> Graph:
        raise AssertionError("VoID rebuilt for a request")

    monkeypatch.setattr("service.routes.about.described.build_void", fail)
    assert client.get("/.well-known/void?format=nt").data == first
    assert client.get("/.well-known/void?format=rdf").status_code == 200


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml;q=0.9, application/ld+json", "application/ld+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ],
)
def test_void_is_negotiated(client: Any, accept: str | None, expected: str) -> None:
    response = client.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in response.headers["Vary"]


def test_void_refuses_what_it_cannot_write(client: Any) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)
    assert client.get("/.well-known/void?format=csv").status_code == 406


def test_void_in_turtle_says_where_its_other_formats_are(client: Any) -> None:
    response = client.get("/.well-known/void")
    assert response.headers["Content-Location"] == BASE + ".well-known/void?format=ttl"
    links = response.headers["Link"]
    for key, media in (
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
    ):
        assert f'<{BASE}.well-known/void?format={key}>; rel="alternate"; type="{media}"' in links
