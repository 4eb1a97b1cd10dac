"""The query page with a query's results rendered by the server, for browsers (and pages without JavaScript).

A browser asking for `/sparql?query=…` (HTML preferred over the result formats by Accept, or `format=html`)
gets the query page with the query filled in and its answer as an HTML table: a query is shareable as a link,
and the page works without JavaScript. The query runs exactly as a protocol client's would (the same query
processes, the same limits), asking for SPARQL JSON results or N-Triples and reading them back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response, render_template, request
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from service.errors import BadRequest, QueryFailed
from service.http.assets import yasgui_installed
from service.http.language import reader_language
from service.http.negotiation import explicitly_preferred
from service.http.responses import negotiated
from service.http.state import current
from service.publication.formats import DOCUMENT_FORMATS, GRAPH_FORMATS, HTML, RESULT_FORMATS
from service.routes.sparql.protocol import Operation
from service.store.interface import Answer

MAX_ROWS = 1000  # rows shown on the page; the raw formats carry the whole answer


@dataclass(frozen=True)
class Cell:
    """One value of the table: its text, a link for IRIs, and a note (language tag or datatype)."""

    text: str
    href: str = ""
    note: str = ""


@dataclass(frozen=True)
class ResultTable:
    """A query's answer as the page shows it."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell | None]] = field(default_factory=list)
    total: int = 0
    boolean: bool | None = None


def wanted(operation: Operation) -> bool:
    """Whether the client is a browser that wants the page (`format=html` first, or HTML preferred by Accept)."""
    if operation.format_names:
        return operation.format_names[0].lower() in ("html", "text/html")
    table = GRAPH_FORMATS if operation.form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
    return explicitly_preferred(request.headers.get("Accept"), HTML, table)


def render(endpoint_url: str, examples: Sequence[Any], **context: Any) -> str:
    """The query page (query.html); `context` adds a query's text and its results or error."""
    alternates = [{"media_type": row.media_type, "href": f"{endpoint_url}?format={row.key}"}
                  for row in DOCUMENT_FORMATS if row != HTML]  # fmt: skip
    return render_template(
        "query.html",
        endpoint_url=endpoint_url,
        examples=examples,
        result_formats=RESULT_FORMATS,
        graph_formats=GRAPH_FORMATS,
        alternates=alternates,
        yasgui=yasgui_installed(),
        **context,
    )


def answer(operation: Operation, endpoint_url: str, run: Callable[[], Answer], examples: Sequence[Any]) -> Response:
    """The query page for `operation`, with its results from `run()`, or the reason (4xx) when it cannot run.

    :raises Overloaded: no query process was free, or the query passed its budget (503 with Retry-After).
    """
    state = current()
    try:
        result = run()
    except (BadRequest, QueryFailed) as error:
        body = render(endpoint_url, examples, query_text=operation.query, query_error=error.message)
        response = Response(body, status=error.status, content_type=HTML.content_type)
        response.headers["Vary"] = "Accept"
        return response
    table = _table(result, state.settings.base_url)
    body = render(endpoint_url, examples, query_text=operation.query, results=table, max_rows=MAX_ROWS)
    return negotiated(body, HTML, language=reader_language())


def _table(result: Answer, base_url: str) -> ResultTable:
    if result.kind == "graph":
        return _graph_table(result.body)
    try:
        document: dict[str, Any] = json.loads(result.body)
    except ValueError:
        raise BadRequest("The store's answer could not be read back as SPARQL JSON results.") from None
    if "boolean" in document:
        return ResultTable(boolean=bool(document["boolean"]))
    columns = list(document.get("head", {}).get("vars", []))
    bindings: Sequence[dict[str, Any]] = document.get("results", {}).get("bindings", [])
    rows = [[_json_cell(binding.get(name)) for name in columns] for binding in bindings[:MAX_ROWS]]
    return ResultTable(columns, rows, len(bindings))


def _json_cell(term: dict[str, Any] | None) -> Cell | None:
    if term is None:
        return None
    value = str(term.get("value", ""))
    kind = term.get("type")
    if kind == "uri":
        return Cell(value, href=value)
    if kind == "bnode":
        return Cell("_:" + value)
    if "xml:lang" in term:
        return Cell(value, note="@" + str(term["xml:lang"]))
    if "datatype" in term:
        return Cell(value, note=_short_datatype(str(term["datatype"])))
    return Cell(value)


def _graph_table(data: bytes) -> ResultTable:
    graph = Graph()
    if data:
        graph.parse(data=data, format="nt")
    triples = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    rows: list[list[Cell | None]] = [[_node_cell(node) for node in triple] for triple in triples[:MAX_ROWS]]
    return ResultTable(["subject", "predicate", "object"], rows, len(triples))


def _node_cell(node: Node) -> Cell:
    if isinstance(node, URIRef):
        return Cell(str(node), href=str(node))
    if isinstance(node, Literal):
        if node.language:
            return Cell(str(node), note="@" + node.language)
        if node.datatype:
            return Cell(str(node), note=_short_datatype(str(node.datatype)))
        return Cell(str(node))
    return Cell("_:" + str(node))


def _short_datatype(iri: str) -> str:
    return "xsd:" + iri.rsplit("#", 1)[1] if iri.startswith("http://www.w3.org/2001/XMLSchema#") else iri
