"""A `Store` backed by a remote SPARQL 1.1 endpoint (Virtuoso, Fuseki, QLever, GraphDB…) through SPARQLWrapper."""

from __future__ import annotations

import io
import re
from urllib.error import HTTPError, URLError

from rdflib import Graph
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.query import ResultRow
from rdflib.term import Identifier, URIRef
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .negotiation import Format
from .store import Answer, Bindings, QueryDataset, QueryError

_KINDS = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_SAFE_IRI = re.compile(r'^[^<>"{}|^`\\\s]*$')


class RemoteStore:
    """Sends every query to one SPARQL endpoint; bindings travel as a trailing VALUES clause, terms escaped."""

    def __init__(self, endpoint: str, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def query(
        self, text: str, dataset: QueryDataset | None, results: Format, graph: Format, base_iri: str | None = None
    ) -> Answer:
        # The remote endpoint would resolve relative IRIs against its own URL: state ours instead.
        client = self._client(text if base_iri is None else f"BASE <{base_iri}>\n{text}")
        kind = _KINDS.get(str(client.queryType), "solutions")
        for iri in dataset.default_graphs if dataset else ():
            client.addDefaultGraph(iri)
        for iri in dataset.named_graphs if dataset else ():
            client.addNamedGraph(iri)
        media = graph.media_type if kind == "graph" else results.media_type
        return Answer(kind, self._send(client, media))

    def graph(self, text: str, bindings: Bindings | None = None) -> Graph:
        body = self._send(self._client(_bind(text, bindings)), "application/n-triples")
        return Graph().parse(data=body, format="nt")

    def rows(self, text: str, bindings: Bindings | None = None) -> list[dict[str, Identifier]]:
        body = self._send(self._client(_bind(text, bindings)), "application/sparql-results+json")
        result = JSONResultParser().parse(io.BytesIO(body))
        return [dict(row.asdict()) for row in result if isinstance(row, ResultRow)]

    def ask(self, text: str, bindings: Bindings | None = None) -> bool:
        body = self._send(self._client(_bind(text, bindings)), "application/sparql-results+json")
        return bool(JSONResultParser().parse(io.BytesIO(body)).askAnswer)

    def _client(self, text: str) -> SPARQLWrapper:
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        # Negotiate by Accept only: SPARQLWrapper's extra `format=` parameter would override our media type.
        client.setOnlyConneg(True)
        client.setTimeout(int(self.timeout))
        client.setQuery(text)
        return client

    def _send(self, client: SPARQLWrapper, media_type: str) -> bytes:
        client.addCustomHttpHeader("Accept", media_type)
        try:
            response = client.query().response
            return bytes(response.read())
        except (SPARQLWrapperException, HTTPError) as error:
            raise QueryError(f"the remote endpoint refused the query: {error}") from None
        except (URLError, OSError) as error:
            raise QueryError(f"the remote endpoint could not be reached: {error}") from None


def _bind(text: str, bindings: Bindings | None) -> str:
    """Append `VALUES (?a ?b) { (<x> "y") }`: the grammar allows it after any query form."""
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    terms = []
    for term in bindings.values():
        if isinstance(term, URIRef) and not _SAFE_IRI.match(str(term)):
            raise QueryError(f"cannot bind an IRI with forbidden characters: {term!r}")
        terms.append(term.n3())
    return f"{text}\nVALUES ({names}) {{ ({' '.join(terms)}) }}"
