"""Writes a graph as JSON-LD 1.1, flattened and compacted with the project's context, byte-for-byte reproducibly.

rdflib's own serialiser drops the description of a blank node reached through an ``@id``-coerced term
(it prints ``"_:b0"`` and never emits ``_:b0``'s node), and orders nodes by hash; hence this small writer.
Every subject becomes one node of ``@graph`` (flattened form), so nothing is nested and nothing is lost.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node


def to_jsonld(graph: Graph, context: dict[str, Any]) -> str:
    """The graph as a JSON-LD document with ``context`` inlined (``context`` is ``{"@context": {...}}``)."""
    compact = _Compactor(context["@context"])
    nodes: dict[Node, dict[str, list[Any]]] = {}
    for subject, predicate, value in graph:
        node = nodes.setdefault(subject, {})
        if predicate == RDF.type and not isinstance(value, Literal):
            node.setdefault("@type", []).append(compact.vocabulary_term(value))
        else:
            key, written = compact.entry(predicate, value)
            node.setdefault(key, []).append(written)
    flattened = [
        {"@id": compact.node_id(subject), **{key: _one_or_sorted(values) for key, values in node.items()}}
        for subject, node in nodes.items()
    ]
    flattened.sort(key=lambda node: node["@id"])
    document = {"@context": context["@context"], "@graph": flattened}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _one_or_sorted(values: list[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    return sorted(values, key=lambda value: json.dumps(value, sort_keys=True, ensure_ascii=False))


class _Compactor:
    """Chooses, for each IRI and each (property, value), the shortest form the context makes unambiguous."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = {
            name: iri
            for name, iri in context.items()
            if isinstance(iri, str) and not name.startswith("@") and iri.endswith(("/", "#"))
        }
        # For each property IRI, the terms naming it: (term, coercion or None).
        self.terms: dict[str, list[tuple[str, str | None]]] = {}
        for name, definition in sorted(context.items()):
            if name.startswith("@") or name in self.prefixes:
                continue
            iri, coercion = (
                (definition, None) if isinstance(definition, str) else (definition["@id"], definition.get("@type"))
            )
            self.terms.setdefault(self._expand(iri), []).append((name, coercion and self._expand(coercion)))

    def _expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes and not local.startswith("//") else value

    def iri(self, iri: str) -> str:
        """A compact IRI (``cper:amount``) when a prefix covers ``iri``, else ``iri`` itself."""
        best = max(
            (ns for ns in self.prefixes.values() if iri.startswith(ns) and len(iri) > len(ns)), key=len, default=None
        )
        if best is None or iri[len(best) :].startswith("//"):
            return iri
        prefix = next(name for name, ns in sorted(self.prefixes.items()) if ns == best)
        return f"{prefix}:{iri[len(best) :]}"

    def node_id(self, node: Node) -> str:
        return f"_:{node}" if isinstance(node, BNode) else self.iri(str(node))

    def vocabulary_term(self, node: Node) -> str:
        """A class or datatype: its term when the context has a plain one, else a compact IRI."""
        plain = [name for name, coercion in self.terms.get(str(node), []) if coercion is None]
        return plain[0] if plain else self.node_id(node)

    def entry(self, predicate: Node, value: Node) -> tuple[str, Any]:
        """The key and the written value for one triple, using a coerced term only when the value fits it."""
        for name, coercion in self.terms.get(str(predicate), []):
            if coercion == "@id" and isinstance(value, URIRef | BNode):
                return name, self.node_id(value)
            if isinstance(value, Literal) and coercion is not None and coercion == str(value.datatype):
                return name, str(value)
        plain = [name for name, coercion in self.terms.get(str(predicate), []) if coercion is None]
        return (plain[0] if plain else self.node_id(predicate)), self._explicit(value)

    def _explicit(self, value: Node) -> Any:
        if not isinstance(value, Literal):
            return {"@id": self.node_id(value)}
        if value.language:
            return {"@language": value.language, "@value": str(value)}
        if value.datatype is not None:  # xsd:string too: rdflib tells "a" and "a"^^xsd:string apart
            return {"@type": self.iri(str(value.datatype)), "@value": str(value)}
        return str(value)
