"""The read-only SPARQL 1.1 endpoint at /sparql (and /sparql/): queries, their limits, and its self-description.

Requests are read by `protocol`; answers are negotiated per query form; without a query, the endpoint answers
with its Service Description (RDF) or, for browsers, the query page.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

from flask import Blueprint, Response, current_app, request
from flask.blueprints import BlueprintSetupState
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from werkzeug.exceptions import MethodNotAllowed as RoutingMethodNotAllowed

from service import queries
from service.errors import BadRequest, MethodNotAllowed, Overloaded
from service.http.cache import ByteBudgetCache
from service.http.documents import answer, at_parameters
from service.http.negotiation import NoAcceptableFormat
from service.http.representations import as_quads
from service.http.responses import negotiated
from service.http.state import AppState, current
from service.publication import layout
from service.publication.formats import (
    DOCUMENT_FORMATS,
    GRAPH_FORMATS,
    HTML,
    JSONLD,
    NTRIPLES,
    QUAD_FORMATS,
    RESULT_FORMATS,
    W3C_FORMATS,
    Format,
)
from service.publication.jsonld import to_jsonld
from service.routes.sparql import answer_shapes, protocol, query_page
from service.store.interface import Answer, QueryError
from service.store.query_pool import Budgets, Job, QueryPool

blueprint = Blueprint("sparql", __name__)
EXTENSION = "cper-sparql"
ALLOWED = ("GET", "HEAD", "POST", "OPTIONS")
ENDPOINT_PATHS = (layout.rule(layout.SPARQL_PATH), layout.rule(layout.SPARQL_PATH, "/"))  # /sparql/ answers too
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace(W3C_FORMATS)
T = TypeVar("T")
log = logging.getLogger(__name__)


class QueryRunner:
    """Runs each query sent to a remote store on one of `slots` threads and waits at most `timeout` seconds.

    Client queries on the embedded store run in the query processes of `query_pool` instead; a remote store does
    its own work, so a thread waiting on its answer is all this worker spends. A query finding every slot taken
    waits briefly for one (a burst of short queries is absorbed, not refused), then is turned away.
    """

    def __init__(self, slots: int, timeout: float) -> None:
        self.slots, self.timeout = slots, timeout
        self.queue_wait = min(0.25, timeout / 4)
        self.retry_after = max(1, math.ceil(timeout))
        self._free = threading.BoundedSemaphore(slots)

    def run(self, work: Callable[[], T]) -> T:
        """`work()`'s result, or its exception.

        :raises Overloaded: every slot is busy, or the query ran past the timeout.
        """
        if not self._free.acquire(timeout=self.queue_wait):
            raise Overloaded(f"All {self.slots} query slots are busy; retry in a moment.", self.retry_after)
        future: Future[T] = Future()

        def run_and_free_the_slot() -> None:
            try:
                future.set_result(work())
            except BaseException as error:  # handed to the waiting request, which renders it
                future.set_exception(error)
            finally:
                self._free.release()  # the slot frees when the query really ends

        threading.Thread(target=run_and_free_the_slot, name="sparql-query", daemon=True).start()
        try:
            return future.result(timeout=self.timeout)
        except TimeoutError:
            message = f"The query ran longer than this endpoint's limit of {self.timeout:g} s; "
            raise Overloaded(message + "simplify it (LIMIT, fewer joins) or retry later.", self.retry_after) from None


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    text: str


@dataclass
class Endpoint:
    """What the endpoint holds per app: where queries run, answers kept for repeats, examples."""

    pool: QueryPool | None  # the query processes, on the embedded store
    runner: QueryRunner  # threads waiting on a remote store
    answers: ByteBudgetCache  # the release is immutable: an answer stays right until the next release
    examples: tuple[Example, ...]


def graph_sizes(state: AppState) -> dict[str, int]:
    """Triples per named graph, and under "" the default (union) graph; counted once per app, on first use."""

    def count() -> dict[str, int]:
        store = state.store
        counted = {str(row["graph"]): int(row["triples"]) for row in store.rows(queries.load("sparql-graph-sizes"))}
        union = store.rows(queries.load("sparql-default-size"))
        return {**counted, "": int(union[0]["triples"]) if union else 0}

    return state.built.get("sparql-graph-sizes", count)


@blueprint.record_once
def _attach(setup: BlueprintSetupState) -> None:
    state: AppState = setup.app.extensions["cper"]
    settings = state.settings
    pool = None
    dump = state.published.artefact("dataset.nq")
    if settings.store == "embedded" and dump is not None:
        budgets = Budgets(
            timeout=settings.query_timeout,
            cheap_seconds=min(settings.cheap_query_seconds, settings.query_timeout),
            memory_bytes=settings.query_memory_mb * 1024 * 1024,
            answer_bytes=settings.max_answer_bytes,
            queue_wait=min(0.5, settings.query_timeout / 4),
        )
        pool = QueryPool(dump.data, budgets, settings.query_processes, settings.heavy_query_processes)
    runner = QueryRunner(settings.max_concurrent_queries, settings.query_timeout)
    answers = state.cache  # the one byte budget (CACHE_BYTES) of every page and answer cache
    setup.app.extensions[EXTENSION] = Endpoint(pool, runner, answers, _examples(settings.base_url))


def _examples(public_base: str) -> tuple[Example, ...]:
    """The example queries of the query page, their relative IRIs resolved against the public base (BASE)."""
    examples = []
    for name in queries.example_names():
        text = queries.based(queries.load(name), public_base)
        title = " ".join(line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#"))
        slug = name.rsplit("/", 1)[-1]
        examples.append(Example(slug, title or slug, text))
    return tuple(examples)


@blueprint.before_app_request
def _explain_method() -> None:
    """Say why a PUT, DELETE… to the endpoint fails (routing alone would give a generic 405)."""
    if isinstance(request.routing_exception, RoutingMethodNotAllowed) and request.path in ENDPOINT_PATHS:
        raise MethodNotAllowed(f"The SPARQL endpoint answers GET and POST queries, not {request.method}: "
                               "it is read-only.", ALLOWED)  # fmt: skip


@blueprint.route(ENDPOINT_PATHS[0], methods=["GET", "POST"])
@blueprint.route(ENDPOINT_PATHS[1], methods=["GET", "POST"])
def sparql() -> Response:
    """A query's answer, or without a query the Service Description or the query page."""
    settings = current().settings
    # The endpoint as the client named it, under the public base: /sparql/ stays /sparql/.
    endpoint_url = layout.sparql_url(settings.base_url) + ("/" if request.path.endswith("/") else "")
    operation = protocol.read(request, settings.max_body_bytes, settings.service_allowlist)
    if operation is None:
        return _describe(endpoint_url)
    return _answer(operation, endpoint_url)


def _answer(operation: protocol.Operation, endpoint_url: str) -> Response:
    """Run the query in the format negotiated for its form: results for SELECT/ASK, a graph otherwise."""
    endpoint: Endpoint = current_app.extensions[EXTENSION]
    if query_page.wanted(operation):  # a browser: the query page with the results as a table
        run = lambda: _run(endpoint, operation, RESULT_FORMATS[0], NTRIPLES, endpoint_url)  # noqa: E731
        return query_page.answer(operation, endpoint_url, run, endpoint.examples)
    accept = request.headers.get("Accept")
    results, graph, as_table = RESULT_FORMATS[0], GRAPH_FORMATS[0], False
    if operation.form in ("CONSTRUCT", "DESCRIBE"):
        try:
            graph = protocol.choose_format(operation.format_names, accept, GRAPH_FORMATS)
        except NoAcceptableFormat as refusal:
            try:  # a client that reads only results tables gets the triples as a table (see answer_shapes)
                results, graph, as_table = (
                    protocol.choose_format(operation.format_names, accept, RESULT_FORMATS),
                    NTRIPLES,
                    True,
                )
            except NoAcceptableFormat:
                raise refusal from None
    elif operation.form is not None:
        results = protocol.choose_format(operation.format_names, accept, RESULT_FORMATS)
    key = ("answer", operation.query, operation.dataset, results.key, graph.key, as_table, endpoint_url)
    answer: Answer | None = endpoint.answers.get(key)
    if answer is None:
        answer = _shaped(_run(endpoint, operation, results, graph, endpoint_url), operation, results, as_table)
        if len(answer.body) <= endpoint.answers.budget // 8:  # one large answer must not flush the others
            endpoint.answers.put(key, answer, len(answer.body) + len(operation.query))
    return negotiated(answer.body, graph if answer.kind == "graph" else results)


def _shaped(answer: Answer, operation: protocol.Operation, results: Format, as_table: bool) -> Answer:
    """The engine's answer as clients read it: `SELECT *` in query order, ASK tables, triples as a table."""
    if as_table and answer.kind == "graph":
        return Answer("solutions", answer_shapes.triples_as_solutions(answer.body, results))
    if answer.kind == "boolean" and results.key in ("csv", "tsv"):
        return Answer("boolean", answer_shapes.boolean_table(answer.body, results))
    if answer.kind == "solutions" and operation.star_order:
        return Answer("solutions", answer_shapes.in_query_order(answer.body, results, operation.star_order))
    return answer


def _run(endpoint: Endpoint, operation: protocol.Operation, results: Format, graph: Format, base_iri: str) -> Answer:
    """Run a client query: in the query processes on the embedded store, else on the remote store."""
    dataset = operation.dataset
    if endpoint.pool is None:
        store = current().store
        try:
            return endpoint.runner.run(lambda: store.query(operation.query, dataset, results, graph, base_iri))
        except QueryError as error:
            raise BadRequest(str(error)) from None
    job = Job(
        query=operation.query,
        default_graphs=dataset.default_graphs if dataset else (),
        named_graphs=dataset.named_graphs if dataset else (),
        union=not operation.declares_dataset,  # the union would override the text's own FROM / FROM NAMED
        results=results.oxigraph or "JSON",
        graph=graph.oxigraph or "N_TRIPLES",
        base_iri=base_iri,
    )
    reply = endpoint.pool.run(job, request.remote_addr or "unknown")
    if reply.kind == "graph" and graph.oxigraph is None:
        # Formats pyoxigraph does not write the way we publish them (JSON-LD) go through rdflib.
        triples = Graph()
        if reply.body:
            triples.parse(data=reply.body, format="nt")
        return Answer("graph", triples.serialize(format=graph.rdflib or "turtle", encoding="utf-8"))
    return Answer(reply.kind, reply.body)


def _describe(endpoint_url: str) -> Response:
    """The Service Description in an RDF format, or the query page for browsers (`?format=` overrides Accept)."""
    names = tuple(request.args.getlist("format") + request.args.getlist("output"))
    fmt = protocol.choose_format(names, request.headers.get("Accept"), DOCUMENT_FORMATS)

    def render(fmt: Format) -> bytes | str:
        if fmt == HTML:
            return query_page.render(endpoint_url, current_app.extensions[EXTENSION].examples)
        return _write(service_description(endpoint_url), fmt)

    choice = (fmt, False)  # Vary names Accept, as every answer of the endpoint does
    return answer(endpoint_url, None, DOCUMENT_FORMATS, render, locate=at_parameters(endpoint_url), choice=choice)


def service_description(endpoint_url: str) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint, as reached at `endpoint_url`."""
    state = current()
    sizes = graph_sizes(state)
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in (("sd", SD), ("void", VOID), ("formats", FORMATS)):
        graph.bind(prefix, namespace)
    service, dataset, default = BNode(), BNode(), BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint_url)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for row in (*RESULT_FORMATS, *GRAPH_FORMATS):
        graph.add((service, SD.resultFormat, URIRef(row.w3c_iri)))
    limits = {
        "en": f"Read-only (no SPARQL Update, no SERVICE); each query may run {state.settings.query_timeout:g} s.",
        "fr": f"En lecture seule (ni SPARQL Update, ni SERVICE) ; une requête dure au plus "
        f"{state.settings.query_timeout:g} s.",
    }
    for language, text in limits.items():
        graph.add((service, RDFS.comment, Literal(text, lang=language)))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDFS.seeAlso, URIRef(layout.void_url(state.settings.base_url))))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(sizes[""])))
    for name, triples in sorted(sizes.items()):
        if name:
            named, described = BNode(), BNode()
            graph.add((dataset, SD.namedGraph, named))
            graph.add((named, RDF.type, SD.NamedGraph))
            graph.add((named, SD.name, URIRef(name)))
            graph.add((named, SD.graph, described))
            graph.add((described, RDF.type, SD.Graph))
            graph.add((described, VOID.triples, Literal(triples)))
    return graph


def _write(graph: Graph, fmt: Format) -> bytes:
    if fmt in QUAD_FORMATS:
        return as_quads(graph, fmt)
    if fmt == JSONLD:
        context = {"sd": str(SD), "void": str(VOID), "formats": str(FORMATS), "rdfs": str(RDFS)}
        return to_jsonld(graph, {"@context": context}).encode("utf-8")
    return graph.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")
