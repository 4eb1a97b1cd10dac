"""A `Store` backed by a remote SPARQL 1.1 endpoint (Virtuoso, Oxigraph server, Fuseki…) over the protocol.

What differs between stores stays here, so the service's queries can stay portable SPARQL 1.1:

- the dataset: a store's default graph is its own business (Oxigraph server's is a graph of its own, Virtuoso's
  the union of everything, its system graphs included), so every query the service sends names the release's
  graphs through the protocol (`default-graph-uri`, `named-graph-uri`) unless the query or the client chose a
  dataset itself;
- bindings: IRIs and literals bound by the caller travel as a `VALUES` block opening the query's WHERE group,
  each term checked and written by `sparql_term`, the only place a term becomes query text;
- answers: results are re-written by pyoxigraph in the negotiated format (stores differ in how they write ASK
  answers, CSV or Turtle), graphs are fetched as N-Triples and written like the embedded store writes them;
- time: the HTTP request gives up after `timeout` seconds, and stores that take a per-query timeout get it too;
- errors: a query the store rejects is a `QueryError` carrying the store's own message (position included); an
  unreachable, failing or slow store is a 503 with `Retry-After`, never a crash.
"""

from __future__ import annotations

import io
import json
import math
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.query import ResultRow
from rdflib.term import Identifier, URIRef

from service.errors import Overloaded, ServiceError
from service.publication.formats import Format
from service.store.interface import Answer, Bindings, QueryDataset, QueryError
from service.store.lexer import scan, tokens

# Per-store query parameters (beyond the standard protocol): the dialect names the store.
DIALECTS = ("sparql11", "virtuoso", "oxigraph")
_IRI = re.compile(r'[^<>"{}|^`\\\x00-\x20]+')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# What a query's text may contain before its WHERE group: comments, strings and IRIs hide look-alike keywords.
_WHERE = re.compile(
    r"""\#[^\n\r]*|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*"|<[^<>"{}|^`\\\s]*>|(?P<where>\bWHERE\s*\{)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_MESSAGE_LIMIT = 2000
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_LANGUAGE = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BLANK_LABEL = re.compile(r"[^A-Za-z0-9_]")


class StoreUnavailable(Overloaded):
    """The store cannot answer now (unreachable, restarting, too slow): the client may retry."""

    def __reduce__(self) -> tuple[type, tuple[str, int]]:  # picklable across process boundaries
        return (type(self), (self.message, int(self.headers.get("Retry-After", "1"))))


class StoreFailed(ServiceError):
    """The store failed on a query it accepted (an internal error of the store, not of the query)."""

    status, title = 502, "Bad Gateway"


class RemoteStore:
    """Sends every query to one SPARQL endpoint, over the release's named graphs (`graphs`)."""

    def __init__(
        self, endpoint: str, graphs: Sequence[str] = (), timeout: float = 10.0, dialect: str = "sparql11"
    ) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"unknown store dialect {dialect!r}")
        self.endpoint, self.graphs, self.timeout, self.dialect = endpoint, tuple(graphs), timeout, dialect

    def query(
        self, text: str, dataset: QueryDataset | None, results: Format, graph: Format, base_iri: str | None = None
    ) -> Answer:
        form = scan(text).form
        if base_iri is not None and _has_relative_iri(text) and not _declares_base(text):
            # The store would resolve them against its own URL: state ours, on the first line, so that the line
            # numbers of the store's error messages stay those of the client's text.
            text = f"BASE {sparql_term(URIRef(base_iri))} {text}"
        if dataset is not None and (dataset.default_graphs or dataset.named_graphs):
            chosen = dataset  # the client's dataset replaces FROM/FROM NAMED, on every store alike
        elif scan(text).declares_dataset:
            chosen = QueryDataset()  # the query's own FROM/FROM NAMED
        else:
            chosen = self._release()  # the service's default graph: the union of the release's graphs
        if form in ("CONSTRUCT", "DESCRIBE"):
            triples = self._send(text, chosen, "application/n-triples")
            return Answer("graph", _write_graph(triples, graph))
        body = self._send(text, chosen, "application/sparql-results+json")
        if form == "ASK":
            return Answer("boolean", _write_boolean(_boolean(body), results))
        parsed = _parse_results(body)
        return Answer("solutions", bytes(parsed.serialize(format=_results_format(results)) or b""))

    def graph(self, text: str, bindings: Bindings | None = None) -> Graph:
        body = self._send(bind(text, bindings), self._release(), "application/n-triples")
        return Graph().parse(data=body, format="nt")

    def rows(self, text: str, bindings: Bindings | None = None) -> list[dict[str, Identifier]]:
        body = self._send(bind(text, bindings), self._release(), "application/sparql-results+json")
        result = JSONResultParser().parse(io.BytesIO(_portable_blank_nodes(body)))
        return [dict(row.asdict()) for row in result if isinstance(row, ResultRow)]

    def ask(self, text: str, bindings: Bindings | None = None) -> bool:
        return _boolean(self._send(bind(text, bindings), self._release(), "application/sparql-results+json"))

    def graph_sizes(self) -> dict[str, int]:
        """Triples per release graph as the store holds them (graphs it lacks are absent)."""
        text = "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph"
        return {str(row["graph"]): int(row["triples"]) for row in self.rows(text)}

    def _release(self) -> QueryDataset:
        return QueryDataset(self.graphs, self.graphs)

    def _send(self, text: str, dataset: QueryDataset, accept: str) -> bytes:
        """POST the query (form-encoded, as every store accepts) and return the answer's body.

        :raises QueryError: the store rejected the query (its message, with its position, is kept).
        :raises StoreUnavailable: the store is unreachable or ran past the timeout.
        :raises StoreFailed: the store failed with a server error.
        """
        fields: list[tuple[str, str]] = [("query", text)]
        fields += [("default-graph-uri", iri) for iri in dataset.default_graphs]
        fields += [("named-graph-uri", iri) for iri in dataset.named_graphs]
        if self.dialect == "virtuoso":
            # Milliseconds, a little under ours so that Virtuoso stops the query and says so (see _check_complete)
            # before the HTTP request gives up on it.
            fields.append(("timeout", str(max(1, int(self.timeout * 900)))))
        request = urllib.request.Request(
            self.endpoint,
            data=urlencode(fields).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        retry_after = max(1, math.ceil(self.timeout))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                _check_complete(response.headers.get("X-SQL-State", ""), retry_after)
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            message = _store_message(error.read())
            if "S1T00" in message or (error.code >= 500 and re.search(r"time ?out|timed out", message, re.I)):
                raise StoreUnavailable(f"The query ran past {self.timeout:g} s on the store.", retry_after) from None
            if 400 <= error.code < 500:
                raise QueryError(f"the store rejected the query: {message}") from None
            if error.code in (502, 503, 504):
                raise StoreUnavailable(f"The store is unavailable ({error.code}): {message}", retry_after) from None
            raise StoreFailed(f"The store failed ({error.code}): {message}") from None
        except TimeoutError:
            raise StoreUnavailable(f"The query ran past {self.timeout:g} s on the store.", retry_after) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise StoreUnavailable(f"The query ran past {self.timeout:g} s on the store.", retry_after) from None
            raise StoreUnavailable(f"The store could not be reached: {reason}", retry_after) from None


def sparql_term(term: Identifier) -> str:
    """`term` written as SPARQL text: an absolute IRI checked against the IRIREF grammar, or a literal escaped.

    :raises QueryError: the IRI is relative or has a character an IRI cannot carry, or the term is a blank node.
    """
    if isinstance(term, URIRef):
        iri = str(term)
        if not _IRI.fullmatch(iri) or not _SCHEME.match(iri):
            raise QueryError(f"cannot bind {iri!r}: not an absolute IRI")
        return f"<{iri}>"
    if isinstance(term, Literal):
        text = '"' + "".join(_STRING_ESCAPES.get(char, char) for char in str(term)) + '"'
        if term.language:
            if not _LANGUAGE.fullmatch(term.language):
                raise QueryError(f"cannot bind a literal tagged {term.language!r}")
            return f"{text}@{term.language}"
        return f"{text}^^{sparql_term(term.datatype)}" if term.datatype else text
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals travel to a remote store")


def bind(text: str, bindings: Bindings | None) -> str:
    """The query with `VALUES (?a ?b) { (<x> "y") }` opening its first WHERE group.

    The query must spell out `WHERE {`, and that group must not be a bare sub-SELECT (wrap it in braces).
    """
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(sparql_term(term) for term in bindings.values())
    for match in _WHERE.finditer(text):
        if match.group("where"):
            return f"{text[: match.end()]} VALUES ({names}) {{ ({row}) }}{text[match.end() :]}"
    raise ValueError("a query with bindings must have an explicit `WHERE {` group")


def _has_relative_iri(text: str) -> bool:
    return any(token.kind == "iri" and not _SCHEME.match(token.text[1:]) for token in tokens(text))


def _declares_base(text: str) -> bool:
    """Whether the query states its own BASE: it then wins, and a second one would be refused by Virtuoso."""
    return any(token.kind == "word" and token.text.upper() == "BASE" for token in tokens(text))


def _check_complete(sql_state: str, retry_after: int) -> None:
    """Virtuoso answers a query stopped by its timeout with what it found so far: never pass that off as whole."""
    if sql_state.upper().startswith("S1T"):
        raise StoreUnavailable("The query ran past its time on the store (partial answer withheld).", retry_after)


def _store_message(body: bytes) -> str:
    """The store's error text, whitespace folded, HTML tags removed, bounded in length."""
    text = re.sub(r"<[^>]+>", " ", body.decode("utf-8", errors="replace"))
    text = " ".join(text.split())
    return text[:_MESSAGE_LIMIT] or "(no message)"


def _parse_results(body: bytes) -> ox.QuerySolutions:
    try:
        parsed = ox.parse_query_results(_portable_blank_nodes(body), format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise StoreFailed(f"The store's answer could not be read: {error}") from None
    if not isinstance(parsed, ox.QuerySolutions):
        raise StoreFailed("The store answered a SELECT query with a boolean")
    return parsed


def _portable_blank_nodes(body: bytes) -> bytes:
    """SPARQL JSON results in the forms every reader takes: blank node labels as plain names (Virtuoso writes
    `nodeID://b1`) and booleans in their canonical form (Virtuoso writes `"1"^^xsd:boolean` for true)."""
    if b'"bnode"' not in body and _BOOLEAN.encode() not in body:
        return body
    try:
        document = json.loads(body)
        for row in document["results"]["bindings"]:
            for cell in row.values():
                if cell.get("type") == "bnode":
                    cell["value"] = _BLANK_LABEL.sub("_", str(cell["value"]))
                elif cell.get("datatype") == _BOOLEAN and cell.get("value") in ("0", "1"):
                    cell["value"] = "true" if cell["value"] == "1" else "false"
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise StoreFailed(f"The store's answer could not be read: {error}") from None
    return json.dumps(document).encode()


def _boolean(body: bytes) -> bool:
    """An ASK answer, read from the standard `{"boolean": …}` or from Virtuoso's one-column table."""
    try:
        document = json.loads(body)
        if "boolean" in document:
            return bool(document["boolean"])
        rows = document["results"]["bindings"]
        return bool(rows) and all(str(cell["value"]) not in ("0", "false") for cell in rows[0].values())
    except (ValueError, KeyError, TypeError) as error:
        raise StoreFailed(f"The store's ASK answer could not be read: {error}") from None


def _results_format(fmt: Format) -> ox.QueryResultsFormat:
    return getattr(ox.QueryResultsFormat, fmt.oxigraph or "JSON")


def _write_boolean(value: bool, fmt: Format) -> bytes:
    """The boolean written exactly as the embedded store writes it (pyoxigraph's serialiser)."""
    answer = ox.Store().query("ASK {}" if value else "ASK { FILTER(false) }")
    assert isinstance(answer, ox.QueryBoolean)
    return bytes(answer.serialize(format=_results_format(fmt)) or b"")


def _write_graph(ntriples: bytes, fmt: Format) -> bytes:
    """Triples in `fmt`, written like the embedded store writes them (pyoxigraph, else rdflib)."""
    try:
        quads: Iterable[ox.Triple] = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
        if fmt.oxigraph is not None:
            return bytes(ox.serialize(quads, format=getattr(ox.RdfFormat, fmt.oxigraph)) or b"")
        graph = Graph().parse(data=ntriples, format="nt")
    except (SyntaxError, ValueError) as error:
        raise StoreFailed(f"The store's graph could not be read: {error}") from None
    return graph.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")
