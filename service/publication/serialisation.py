"""Reproducible serialisations: the same triples always give the same bytes, whatever the process or machine.

Two things make rdflib's output vary between runs: blank-node labels (random) and the iteration order of
its default store (hash-based). Graphs are therefore canonicalised (labels derived from content) and
copied, in sorted order, into an insertion-ordered store before any serialiser sees them.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterable, Mapping
from io import BytesIO

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node


def ordered_graph(triples: Iterable[tuple[Node, Node, Node]], prefixes: Mapping[str, str]) -> Graph:
    """A graph (insertion-ordered store, bound to ``prefixes``) holding ``triples`` in sorted order."""
    graph = Graph(store="SimpleMemory", bind_namespaces="core")
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(set(triples), key=lambda triple: tuple(term.n3() for term in triple)):
        graph.add(triple)
    return graph


def canonical(graph: Graph, label: str, prefixes: Mapping[str, str] | None = None) -> Graph:
    """``graph`` with content-derived blank-node labels, prefixed by ``label`` so graphs never share one.

    :raises ValueError: canonicalisation merged blank nodes (an rdflib defect), which would lose triples.
    """
    names = content_names(graph)
    if names is None:  # blank nodes that colour refinement cannot tell apart: rdflib's canonical form
        triples: Iterable[tuple[Node, Node, Node]] = to_canonical_graph(graph)
        names = {}
    else:
        triples = graph

    def relabel(term: Node) -> Node:
        return BNode(f"{label}_{names.get(term, term)}") if isinstance(term, BNode) else term

    bound = prefixes if prefixes is not None else {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    relabelled = ordered_graph(((relabel(s), relabel(p), relabel(o)) for s, p, o in triples), bound)
    if len(relabelled) != len(graph) or _blank_nodes(relabelled) != _blank_nodes(graph):
        raise ValueError(f"canonicalising the {label} graph changed it: not released")
    return relabelled


def content_names(graph: Graph) -> dict[Node, str] | None:
    """A name for each blank node derived from what surrounds it, or None if two would get the same name.

    Each node's colour digests its IRIs and literals, then its blank neighbours' colours, refined round by round
    until no colour splits further (colour refinement). The colours depend on the triples only, never on labels
    or order, so the same graph always gets the same names; rdflib's canonical form, which also separates
    nodes that refinement cannot (symmetric structures), costs about a hundred times more on the data graph.
    """
    edges: dict[Node, list[tuple[str, Node, Node]]] = {}
    for s, p, o in graph:
        for position, node, edge in (("s", s, (p, o)), ("p", p, (s, o)), ("o", o, (s, p))):
            if isinstance(node, BNode):
                edges.setdefault(node, []).append((position, *edge))
    colours = dict.fromkeys(edges, "")
    count = 1 if colours else 0

    def shown(term: Node) -> str:
        return "_:" + colours[term] if isinstance(term, BNode) else term.n3()

    for _ in range(len(colours) + 1):  # each round splits a colour, or ends
        colours = {
            node: hashlib.sha256(
                "\n".join([colours[node], *sorted(f"{pos} {shown(a)} {shown(b)}" for pos, a, b in around)]).encode()
            ).hexdigest()
            for node, around in edges.items()
        }
        if len(set(colours.values())) == count:
            break
        count = len(set(colours.values()))
    names = {node: "cb" + colour[:32] for node, colour in colours.items()}
    return names if len(set(names.values())) == len(names) else None


def _blank_nodes(graph: Graph) -> int:
    return len({term for triple in graph for term in triple if isinstance(term, BNode)})


def ntriples(graph: Graph) -> bytes:
    """N-Triples, one line per triple, lines sorted."""
    return _sorted_lines(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines())


def nquads(graphs: Mapping[URIRef, Graph]) -> bytes:
    """N-Quads of the named graphs, lines sorted."""
    lines = []
    for name, graph in graphs.items():
        for line in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines():
            if line.strip():
                # rdflib ends every N-Triples line with " ."; the graph name goes just before it.
                lines.append(f"{line[: -len(' .')]} {name.n3()} .")
    return _sorted_lines(lines)


def _sorted_lines(lines: Iterable[str]) -> bytes:
    return "".join(f"{line}\n" for line in sorted({line for line in lines if line.strip()})).encode("utf-8")


def turtle(graph: Graph) -> bytes:
    """Turtle of an :func:`ordered_graph`, every literal keeping its lexical form."""
    stream = BytesIO()
    _Turtle(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def rdfxml(graph: Graph) -> bytes:
    """RDF/XML of an :func:`ordered_graph`."""
    return graph.serialize(format="xml", encoding="utf-8")


def trig(graphs: Mapping[URIRef, Graph]) -> bytes:
    """TriG of the named graphs in sorted order: each graph's Turtle inside ``<name> { … }``.

    Assembled from Turtle because rdflib's TriG writer orders graphs by a set and uses deprecated APIs.
    """
    prefixes: set[str] = set()
    blocks = []
    for name in sorted(graphs):
        lines = turtle(graphs[name]).decode("utf-8").splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix "))
        body = "\n".join(line for line in lines if not line.startswith("@prefix ")).strip("\n")
        blocks.append(f"{name.n3()} {{\n{body}\n}}\n")
    return ("\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)).encode("utf-8")


# rdflib's Turtle shorthand rewrites some literals ("1"^^xsd:decimal becomes 1.0, another RDF term); a
# literal is written bare only when its lexical form already has the shorthand's syntax.
_SHORTHANDS = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?([0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}


def _literal_label(serializer: TurtleSerializer, node: Node) -> str | None:
    if not isinstance(node, Literal) or node.datatype not in _SHORTHANDS:
        return None
    if _SHORTHANDS[node.datatype].fullmatch(node):
        return str(node)
    return node._literal_n3(qname_callback=lambda datatype: serializer.get_pname(datatype, False))


class _Turtle(TurtleSerializer):
    def label(self, node: Node, position: int) -> str:
        return _literal_label(self, node) or super().label(node, position)

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        # No made-up "ns1:" prefixes: they would differ between the graphs assembled into one TriG file.
        return super().get_pname(uri, gen_prefix=False)


def gzipped(content: bytes) -> bytes:
    """gzip with no timestamp and no file name in the header, so the bytes depend on the content only."""
    return gzip.compress(content, compresslevel=9, mtime=0)
