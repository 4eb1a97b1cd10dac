"""The only module that touches the triplestore: one narrow interface, and its embedded pyoxigraph implementation.

A remote SPARQL 1.1 backend (Virtuoso, Fuseki, QLever… through SPARQLWrapper) implements the same `Store`
protocol; the HTTP layer only ever sees this interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph
from rdflib.term import Identifier

from service.publication.formats import Format

Bindings = Mapping[str, Identifier]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class QueryError(Exception):
    """The store rejected a query (syntax, unsupported feature); the message is safe to show to the client."""


@dataclass(frozen=True)
class QueryDataset:
    """An RDF dataset named by the protocol (default-graph-uri, named-graph-uri), overriding FROM/FROM NAMED."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A serialised query answer and what kind of answer it is ("boolean", "solutions" or "graph")."""

    kind: str
    body: bytes


class Store(Protocol):
    """What the service asks of a triplestore. Queries are SPARQL text; IRIs are bound, never spliced."""

    def query(
        self, text: str, dataset: QueryDataset | None, results: Format, graph: Format, base_iri: str | None = None
    ) -> Answer:
        """Run a protocol query; SELECT/ASK answers use `results`, CONSTRUCT/DESCRIBE answers use `graph`.

        Relative IRIs in `text` resolve against `base_iri` (the protocol lets the service choose it).

        :raises QueryError: the query is not valid SPARQL or cannot be run.
        """
        ...

    def graph(self, text: str, bindings: Bindings | None = None) -> Graph:
        """Run a CONSTRUCT/DESCRIBE with bound variables and return the triples as an rdflib graph."""
        ...

    def rows(self, text: str, bindings: Bindings | None = None) -> list[dict[str, Identifier]]:
        """Run a SELECT with bound variables; each row maps variable names to rdflib terms."""
        ...

    def ask(self, text: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK with bound variables."""
        ...
