"""The SPARQL endpoint: answers in every format with real values, datasets, negotiation, errors, limits, its
Service Description and query page (Flask client), then real clients (SPARQLWrapper) against the live server."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
import warnings
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from conftest import LiveServer, parse_graph
from flask.testing import FlaskClient
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

BASE = "http://localhost/"
CPER = Namespace(BASE + "def/cper#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
SIGNATURE = "id/signature/cper-hauts-de-france-2021-2027"
DATE_QUERY = f"SELECT ?date WHERE {{ <{BASE}{SIGNATURE}> <{CPER}signatureDate> ?date }}"
SIREN_ASK = f'ASK {{ <{BASE}id/organisation/region-hauts-de-france> <{CPER}siren> "200053742" }}'
SIGNATURE_GRAPH = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{BASE}{SIGNATURE}> AS ?s) ?s ?p ?o }}"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def _get(client: FlaskClient, query: str, accept: str | None = None, path: str = "/sparql", **params: str) -> Any:
    headers = {"Accept": accept} if accept else {}
    return client.get(f"{path}?{urlencode({'query': query, **params})}", headers=headers)


def _text(response: Any) -> str:
    return str(response.get_data(as_text=True))


# --- Answers in every format, with the data's own values -------------------------------------------------------


def test_select_defaults_to_sparql_json(client: FlaskClient) -> None:
    response = _get(client, DATE_QUERY)
    assert response.status_code == 200
    assert response.content_type == "application/sparql-results+json; charset=utf-8"
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    [binding] = json.loads(response.data)["results"]["bindings"]
    assert binding["date"] == {"type": "literal", "value": "2023-01-09", "datatype": str(XSD.date)}


def test_select_as_xml_csv_and_tsv(client: FlaskClient) -> None:
    xml = _get(client, DATE_QUERY, "application/sparql-results+xml")
    assert xml.content_type.startswith("application/sparql-results+xml")
    literal = ET.fromstring(xml.data).find(f"{RESULTS}results/{RESULTS}result/{RESULTS}binding/{RESULTS}literal")
    assert literal is not None and literal.text == "2023-01-09" and literal.get("datatype") == str(XSD.date)
    table = _get(client, DATE_QUERY, "text/csv")
    assert table.content_type.startswith("text/csv")
    assert list(csv.reader(io.StringIO(_text(table)))) == [["date"], ["2023-01-09"]]
    tsv = _get(client, DATE_QUERY, "text/tab-separated-values")
    assert tsv.content_type.startswith("text/tab-separated-values")
    assert _text(tsv).splitlines() == ["?date", f'"2023-01-09"^^<{XSD.date}>']


def test_ask_answers_true_and_false(client: FlaskClient) -> None:
    assert json.loads(_get(client, SIREN_ASK).data) == {"head": {}, "boolean": True}
    wrong = SIREN_ASK.replace("200053742", "999999999")
    assert json.loads(_get(client, wrong).data)["boolean"] is False
    xml = ET.fromstring(_get(client, SIREN_ASK, "application/sparql-results+xml").data)
    assert xml.findtext(f"{RESULTS}boolean") == "true"


@pytest.mark.parametrize(
    ("accept", "media_type", "parser"),
    [
        (None, "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_construct_and_describe_in_each_graph_format(
    client: FlaskClient, accept: str | None, media_type: str, parser: str
) -> None:
    signature = URIRef(BASE + SIGNATURE)
    for query in (SIGNATURE_GRAPH, f"DESCRIBE <{signature}>"):
        response = _get(client, query, accept)
        assert response.status_code == 200 and response.content_type.startswith(media_type)
        graph = parse_graph(response.data, parser)
        assert (signature, CPER.signatureDate, Literal("2023-01-09", datatype=XSD.date)) in graph
        assert (signature, RDF.type, CPER.Signature) in graph


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    response = _get(client, DATE_QUERY, "application/sparql-results+json", format="csv")
    assert response.content_type.startswith("text/csv") and "2023-01-09" in _text(response)
    response = _get(client, SIGNATURE_GRAPH, "text/turtle", output="nt")
    assert response.content_type.startswith("application/n-triples")


def test_post_form_and_post_direct(client: FlaskClient) -> None:
    form = client.post("/sparql", data={"query": DATE_QUERY}, headers={"Accept": "text/csv"})
    assert form.status_code == 200 and "2023-01-09" in _text(form)
    direct = client.post("/sparql", data=SIREN_ASK.encode(), content_type="application/sparql-query")
    assert json.loads(direct.data)["boolean"] is True


def test_head_answers_like_get_without_a_body(client: FlaskClient) -> None:
    response = client.head(f"/sparql?{urlencode({'query': SIREN_ASK})}")
    assert response.status_code == 200 and response.data == b""
    assert response.content_type.startswith("application/sparql-results+json")


# --- The dataset: protocol parameters, FROM, the union default graph ------------------------------------------


def test_default_graph_is_the_union_of_the_named_graphs(client: FlaskClient) -> None:
    query = f"ASK {{ <{BASE}{SIGNATURE}> a <{CPER}Signature> . <{CPER}Signature> a ?class }}"
    assert json.loads(_get(client, query).data)["boolean"] is True  # data and ontology together


@pytest.mark.parametrize(("graph", "found"), [("graph/data", True), ("graph/ontology", False)])
def test_default_graph_uri_chooses_the_default_graph(client: FlaskClient, graph: str, found: bool) -> None:
    response = _get(client, SIREN_ASK, **{"default-graph-uri": BASE + graph})
    assert json.loads(response.data)["boolean"] is found
    from_clause = SIREN_ASK.replace("ASK", f"ASK FROM <{BASE}{graph}>")  # the same through FROM
    assert json.loads(_get(client, from_clause).data)["boolean"] is found


def test_named_graph_uri_chooses_the_named_graphs(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    everything = [row["g"]["value"] for row in json.loads(_get(client, query).data)["results"]["bindings"]]
    assert everything == [BASE + "graph/data", BASE + "graph/ontology", BASE + "graph/shapes"]
    response = client.post(f"/sparql?named-graph-uri={quote(BASE + 'graph/shapes')}", data=query,
                           content_type="application/sparql-query")  # fmt: skip
    assert [row["g"]["value"] for row in json.loads(response.data)["results"]["bindings"]] == [BASE + "graph/shapes"]
    form = client.post("/sparql", data={"query": query, "named-graph-uri": BASE + "graph/ontology"})
    assert [row["g"]["value"] for row in json.loads(form.data)["results"]["bindings"]] == [BASE + "graph/ontology"]


def test_protocol_dataset_overrides_from(client: FlaskClient) -> None:
    query = SIREN_ASK.replace("ASK", f"ASK FROM <{BASE}graph/ontology>")
    assert json.loads(_get(client, query, **{"default-graph-uri": BASE + "graph/data"}).data)["boolean"] is True


def test_unknown_graphs_are_empty(client: FlaskClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) FROM <http://example.org/nowhere> WHERE { ?s ?p ?o }"
    [row] = json.loads(_get(client, count).data)["results"]["bindings"]
    assert row["n"]["value"] == "0"
    asked = _get(client, "ASK { ?s ?p ?o }", **{"default-graph-uri": "http://example.org/nowhere"})
    assert json.loads(asked.data)["boolean"] is False


@pytest.mark.parametrize(("path", "resolved"), [("/sparql", BASE), ("/sparql/", BASE + "sparql/")])
def test_relative_iris_resolve_against_the_endpoint(client: FlaskClient, path: str, resolved: str) -> None:
    response = _get(client, "CONSTRUCT { <s> <p> 1 } WHERE {}", "application/n-triples", path=path)
    assert _text(response).strip() == f'<{resolved}s> <{resolved}p> "1"^^<{XSD.integer}> .'


# --- Negotiation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "select", "construct"),
    [
        (None, "application/sparql-results+json", "text/turtle"),
        ("*/*", "application/sparql-results+json", "text/turtle"),
        (BROWSER, "text/html", "text/html"),  # a browser names text/html first: the query page with its results
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", None),
        ("application/n-triples;q=0.4, application/ld+json;q=0.7", None, "application/ld+json"),
        ("text/csv;charset=utf-8", "text/csv", None),
        ("text/turtle;charset=utf-8", None, "text/turtle"),
        ("application/json", "application/sparql-results+json", "application/ld+json"),
        ("text/*", "text/csv", "text/turtle"),
    ],
)
def test_accept_table(client: FlaskClient, accept: str | None, select: str | None, construct: str | None) -> None:
    for query, expected in ((DATE_QUERY, select), (SIGNATURE_GRAPH, construct)):
        if expected is not None:
            response = _get(client, query, accept)
            assert response.status_code == 200 and response.content_type.split(";")[0] == expected
            assert (
                response.headers["Vary"]
                == ("Accept, Accept-Language" if expected == "text/html" else "Accept") + ", Accept-Encoding"
            )


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        (DATE_QUERY, "application/sparql-results+json, application/sparql-results+xml, text/csv, "
                     "text/tab-separated-values"),
        (SIGNATURE_GRAPH, "text/turtle, application/n-triples, application/rdf+xml, application/ld+json"),
    ],
)  # fmt: skip
def test_nothing_acceptable_is_406_naming_the_offered_types(client: FlaskClient, query: str, offered: str) -> None:
    response = _get(client, query, "image/png")
    assert response.status_code == 406
    assert f"offered as: {offered}" in _text(response)
    assert response.headers["Vary"] == "Accept"


def test_a_format_name_that_fits_no_table_is_406(client: FlaskClient) -> None:
    response = _get(client, SIGNATURE_GRAPH, format="png")
    assert response.status_code == 406 and "ttl (text/turtle)" in _text(response)


# --- Errors, each with its reason ------------------------------------------------------------------------------


def test_syntax_error_is_400_with_the_parsers_message_and_position(client: FlaskClient) -> None:
    response = _get(client, "SELECT * WHERE {\n  ?s ?p\n}")
    assert response.status_code == 400
    assert "SPARQL syntax error: error at 3:2: expected one of" in _text(response)  # line 3, after the "}"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(client: FlaskClient, method: str) -> None:
    response = client.open(f"/sparql?{urlencode({'query': SIREN_ASK})}", method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert f"answers GET and POST queries, not {method}" in _text(response)


@pytest.mark.parametrize(
    ("options", "status", "message"),
    [
        ({"data": "query=ASK+%7B%7D"}, 415, "it came with no Content-Type"),
        ({"data": "ASK {}", "content_type": "text/plain"}, 415, "it came with Content-Type text/plain"),
        ({"data": "CLEAR ALL", "content_type": "application/sparql-update"}, 400, "Update is not accepted here"),
        ({"data": {"update": "CLEAR ALL"}}, 400, "Update is not accepted here"),
        ({"data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400, "either query or update, not both"),
        ({"data": "INSERT DATA { <a> <b> <c> }", "content_type": "application/sparql-query"}, 400,
         "The request's query is an update operation"),
        ({"data": "ASK {}".encode("utf-16"), "content_type": "application/sparql-query"}, 400, "not UTF-8"),
        ({"data": "ASK {}".encode("utf-16"), "content_type": "application/sparql-query; charset=UTF-16"}, 400,
         "charset=UTF-16"),
        ({"data": "ASK {}" + " " * 300_000, "content_type": "application/sparql-query"}, 413,
         "over this endpoint's limit of 262144 bytes"),
        ({"data": {"query": "ASK {}" + " " * 300_000}}, 413, "over this endpoint's limit of 262144 bytes"),
    ],
)  # fmt: skip
def test_post_errors(client: FlaskClient, options: dict[str, Any], status: int, message: str) -> None:
    response = client.post("/sparql", **options)
    assert response.status_code == status
    assert message in _text(response)


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ("query=ASK%20%7B%7D&query=SELECT%20*%20%7B%7D", "The query parameter is given 2 times"),
        ("update=CLEAR%20ALL", "Update is not accepted here"),
        ("query=LOAD%20%3Chttp%3A%2F%2Fexample.org%2F%3E", "Update is not accepted here"),
        ("query=SELECT%20*%20%7BSERVICE%20%3Chttp%3A%2F%2Fexample.org%2F%3E%20%7B%7D%7D", "SERVICE http://example.org/ "
         "is refused"),
        ("query=%FF", "not UTF-8"),
        ("query=ASK%7B%7D&default-graph-uri=nope", "default-graph-uri must be absolute"),
    ],
)  # fmt: skip
def test_get_errors(client: FlaskClient, query_string: str, message: str) -> None:
    response = client.get(f"/sparql?{query_string}")
    assert response.status_code == 400
    assert message in _text(response)


def test_errors_are_html_for_browsers(client: FlaskClient) -> None:
    response = _get(client, "ASK {", BROWSER)
    assert response.status_code == 400 and response.content_type.startswith("text/html")
    assert "SPARQL syntax error" in _text(response)


def test_cors_preflight(client: FlaskClient) -> None:
    headers = {"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "Content-Type"}  # fmt: skip
    response = client.options("/sparql", headers=headers)
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


# --- Without a query: the Service Description, or the query page ----------------------------------------------


@pytest.mark.parametrize(("path", "endpoint"), [("/sparql", BASE + "sparql"), ("/sparql/", BASE + "sparql/")])
def test_service_description(client: FlaskClient, app: Any, path: str, endpoint: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.content_type.startswith("text/turtle")
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    graph = parse_graph(response.data, "turtle")
    [service] = graph.subjects(RDF.type, SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef(endpoint)
    assert graph.value(service, SD.supportedLanguage) == SD.SPARQL11Query
    assert graph.value(service, SD.feature) == SD.UnionDefaultGraph
    assert graph.value(service, SD.defaultEntailmentRegime) == URIRef("http://www.w3.org/ns/entailment/Simple")
    formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, SD.resultFormat)}
    assert formats == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                       "Turtle", "N-Triples", "RDF_XML", "JSON-LD"}  # fmt: skip
    triples = app.extensions["cper"].published.manifest.triples
    dataset = graph.value(service, SD.defaultDataset)
    assert graph.value(graph.value(dataset, SD.defaultGraph), VOID.triples) == Literal(triples["total"])
    named = {
        str(graph.value(node, SD.name)): graph.value(graph.value(node, SD.graph), VOID.triples)
        for node in graph.objects(dataset, SD.namedGraph)
    }
    assert named == {f"{BASE}graph/{name}": Literal(triples[name]) for name in ("data", "ontology", "shapes")}


@pytest.mark.parametrize(
    ("request_options", "parser"),
    [
        ({"headers": {"Accept": "application/n-triples"}}, "nt"),
        ({"headers": {"Accept": "application/rdf+xml"}}, "xml"),
        ({"headers": {"Accept": "application/ld+json"}}, "json-ld"),
        ({"query_string": {"format": "jsonld"}, "headers": {"Accept": "text/turtle"}}, "json-ld"),
        ({"query_string": {"format": "nt"}}, "nt"),
    ],
)
def test_service_description_in_every_format_is_the_same_graph(
    client: FlaskClient, request_options: dict[str, Any], parser: str
) -> None:
    turtle = parse_graph(client.get("/sparql").data, "turtle")
    other = client.get("/sparql", **request_options)
    assert other.status_code == 200
    assert isomorphic(parse_graph(other.data, parser), turtle)


def test_browsers_get_the_query_page(client: FlaskClient, app: Any) -> None:
    response = client.get("/sparql?lang=en", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.content_type.startswith("text/html")
    assert response.headers["Vary"] == "Accept, Accept-Language, Accept-Encoding"
    page = _text(response)
    assert f'<form method="get" action="{BASE}sparql">' in page
    assert '<textarea id="query" name="query"' in page and '<select id="query-format" name="format">' in page
    assert '<option value="csv">text/csv</option>' in page and '<option value="ttl">text/turtle</option>' in page
    assert '<button type="submit">Run</button>' in page
    examples = app.extensions["cper-sparql"].examples
    assert len(examples) >= 5
    for example in examples:
        assert example.title in page.replace("&#39;", "'")
    assert "https://cper-hdf.example/" not in page  # examples are rewritten to the public base
    assert f"BASE &lt;{BASE}&gt;" in page and "PREFIX cper: &lt;def/cper#&gt;" in page  # relative to the base


def test_every_example_runs_and_finds_something(client: FlaskClient, app: Any) -> None:
    for example in app.extensions["cper-sparql"].examples:
        answer = json.loads(_get(client, example.text).data)
        assert answer.get("boolean") is True or answer["results"]["bindings"], example.name


# --- Real clients against the live server ---------------------------------------------------------------------


def _wrapper(live_server: LiveServer, query: str, return_format: str, method: str | None = None) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(live_server.base_url + "sparql", returnFormat=return_format)
    wrapper.setQuery(query)
    if method is not None:
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(method)
    return wrapper


def _convert(wrapper: SPARQLWrapper) -> Any:
    """The answer as SPARQLWrapper converts it (parsed JSON, a DOM, bytes or an rdflib graph by format)."""
    return wrapper.queryAndConvert()


def _live(query: str, live_server: LiveServer) -> str:
    return query.replace(BASE, live_server.base_url)


@pytest.mark.server
def test_sparqlwrapper_select_in_every_results_format(live_server: LiveServer) -> None:
    query = _live(DATE_QUERY, live_server)
    [row] = _convert(_wrapper(live_server, query, JSON))["results"]["bindings"]
    assert row["date"]["value"] == "2023-01-09"
    xml = _convert(_wrapper(live_server, query, XML))
    assert [node.firstChild.data for node in xml.getElementsByTagName("literal")] == ["2023-01-09"]
    assert _convert(_wrapper(live_server, query, CSV)).decode().splitlines() == ["date", "2023-01-09"]
    tsv = _convert(_wrapper(live_server, query, TSV)).decode()
    assert tsv.splitlines() == ["?date", f'"2023-01-09"^^<{XSD.date}>']


@pytest.mark.server
@pytest.mark.parametrize("method", [None, URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_ask_by_get_and_both_posts(live_server: LiveServer, method: str | None) -> None:
    query = _live(SIREN_ASK, live_server)
    assert _convert(_wrapper(live_server, query, JSON, method))["boolean"] is True
    wrong = query.replace("200053742", "000000000")
    assert _convert(_wrapper(live_server, wrong, JSON, method))["boolean"] is False


@pytest.mark.server
@pytest.mark.parametrize("return_format", [TURTLE, RDFXML, JSONLD])
@pytest.mark.parametrize("form", ["construct", "describe"])
def test_sparqlwrapper_graphs(live_server: LiveServer, return_format: str, form: str) -> None:
    signature = URIRef(live_server.base_url + SIGNATURE)
    query = _live(SIGNATURE_GRAPH, live_server) if form == "construct" else f"DESCRIBE <{signature}>"
    with warnings.catch_warnings():  # SPARQLWrapper parses JSON-LD with rdflib (see conftest.parse_graph)
        warnings.simplefilter("ignore", DeprecationWarning)
        converted = _convert(_wrapper(live_server, query, return_format))
    graph = converted if isinstance(converted, Graph) else parse_graph(converted, "turtle")
    assert (signature, URIRef(str(CPER.signatureDate).replace(BASE, live_server.base_url)),
            Literal("2023-01-09", datatype=XSD.date)) in graph  # fmt: skip


@pytest.mark.server
def test_live_ntriples(live_server: LiveServer) -> None:

    query = _live(SIGNATURE_GRAPH, live_server)
    url = f"{live_server.base_url}sparql?{urlencode({'query': query})}"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/n-triples"})) as answer:
        assert answer.headers["Content-Type"].startswith("application/n-triples")
        graph = parse_graph(answer.read(), "nt")
    assert Literal("2023-01-09", datatype=XSD.date) in set(graph.objects())


@pytest.mark.server
@pytest.mark.parametrize("method", [None, URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_dataset_parameters(live_server: LiveServer, method: str | None) -> None:
    base = live_server.base_url
    in_data = _wrapper(live_server, _live(SIREN_ASK, live_server), JSON, method)
    in_data.addDefaultGraph(base + "graph/ontology")
    assert _convert(in_data)["boolean"] is False
    graphs = _wrapper(live_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", JSON, method)
    graphs.addNamedGraph(base + "graph/data")
    rows = _convert(graphs)["results"]["bindings"]
    assert [row["g"]["value"] for row in rows] == [base + "graph/data"]


@pytest.mark.server
def test_sparqlwrapper_sees_syntax_errors_with_their_position(live_server: LiveServer) -> None:
    with pytest.raises(QueryBadFormed, match="error at 1:25"):
        _convert(_wrapper(live_server, "SELECT * WHERE { ?s ?p }", JSON))


def test_a_query_nested_too_deeply_is_refused_before_it_reaches_the_parser(client: FlaskClient) -> None:
    # Regression: 5,000 nested groups overflowed the parser's stack and killed the worker process.
    text = "SELECT * {" + "{" * 600 + "}" * 600 + "}"
    response = client.post("/sparql", data=text, content_type="application/sparql-query")
    assert response.status_code == 400
    assert "nests groups, brackets or parentheses 601 deep; this endpoint accepts at most 500" in _text(response)


def test_a_long_operator_chain_within_the_body_limit_is_answered(client: FlaskClient) -> None:
    # Regression: 16,000 chained `||` overflowed a default 8 MiB thread stack and killed the worker process.
    text = "ASK { FILTER(true" + "||true" * 30000 + ") }"
    response = client.post(
        "/sparql", data=text, content_type="application/sparql-query", headers={"Accept": "application/json"}
    )
    assert response.status_code == 200, _text(response)
    assert json.loads(response.data)["boolean"] is True
