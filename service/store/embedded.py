"""The embedded store: the release loaded into an in-memory pyoxigraph store, behind the `Store` interface."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from service.publication.formats import Format
from service.store.interface import Answer, Bindings, QueryDataset, QueryError
from service.store.lexer import scan

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class EmbeddedStore:
    """An in-memory pyoxigraph store loaded once from an N-Quads dump; the default graph is the union."""

    def __init__(self, nquads: bytes) -> None:
        self._store = ox.Store()
        self._store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)

    def query(
        self, text: str, dataset: QueryDataset | None, results: Format, graph: Format, base_iri: str | None = None
    ) -> Answer:
        if dataset is not None and (dataset.default_graphs or dataset.named_graphs):
            # The protocol's dataset replaces the union default graph and any FROM/FROM NAMED in the text.
            answer = self._run(
                text,
                base_iri=base_iri,
                default_graph=[ox.NamedNode(g) for g in dataset.default_graphs] or ox.DefaultGraph(),
                named_graphs=[ox.NamedNode(g) for g in dataset.named_graphs],
            )
        else:
            # The union flag would override the text's own FROM/FROM NAMED: it applies only when there are none.
            answer = self._run(text, base_iri=base_iri, use_default_graph_as_union=not scan(text).declares_dataset)
        results_format = getattr(ox.QueryResultsFormat, results.oxigraph or "JSON")
        try:  # solutions are computed lazily, while they are written: evaluation errors surface here
            if isinstance(answer, ox.QueryBoolean):
                return Answer("boolean", bytes(answer.serialize(format=results_format) or b""))
            if isinstance(answer, ox.QuerySolutions):
                return Answer("solutions", bytes(answer.serialize(format=results_format) or b""))
            return Answer("graph", _serialise_triples(answer, graph))
        except (OSError, ValueError, TypeError, RuntimeError) as error:
            raise QueryError(f"the query could not be run: {error}") from None

    def graph(self, text: str, bindings: Bindings | None = None) -> Graph:
        answer = self._run(text, use_default_graph_as_union=True, substitutions=_substitutions(bindings))
        result = Graph()
        data = answer.serialize(format=ox.RdfFormat.N_TRIPLES)
        if data:
            result.parse(data=data, format="nt")
        return result

    def rows(self, text: str, bindings: Bindings | None = None) -> list[dict[str, Identifier]]:
        answer = self._run(text, use_default_graph_as_union=True, substitutions=_substitutions(bindings))
        names = [v.value for v in answer.variables]
        return [
            {name: _to_rdflib(solution[name]) for name in names if solution[name] is not None} for solution in answer
        ]

    def ask(self, text: str, bindings: Bindings | None = None) -> bool:
        answer = self._run(text, use_default_graph_as_union=True, substitutions=_substitutions(bindings))
        return bool(answer)

    def _run(self, text: str, **options: Any) -> Any:
        try:
            return self._store.query(text, **options)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from None
        except (OSError, ValueError, TypeError, RuntimeError) as error:
            raise QueryError(f"the query could not be run: {error}") from None


def _serialise_triples(answer: ox.QueryTriples, fmt: Format) -> bytes:
    if fmt.oxigraph is not None:
        return bytes(answer.serialize(format=getattr(ox.RdfFormat, fmt.oxigraph)) or b"")
    # Formats pyoxigraph does not write the way we publish them (JSON-LD) go through rdflib.
    graph = Graph()
    data = answer.serialize(format=ox.RdfFormat.N_TRIPLES)
    if data:
        graph.parse(data=data, format="nt")
    return graph.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")


def _substitutions(bindings: Bindings | None) -> dict[ox.Variable, object]:
    return {ox.Variable(name): _to_oxigraph(term) for name, term in (bindings or {}).items()}


def _to_oxigraph(term: Identifier) -> object:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or _XSD_STRING)))
    raise TypeError(f"cannot bind {term!r}")


def _to_rdflib(term: object) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")
