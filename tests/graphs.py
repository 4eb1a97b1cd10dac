"""Graph isomorphism for the tests, exact and fast on the release's graphs (hundreds of distinct blank nodes).

rdflib's `isomorphic` canonicalises both graphs every time, which takes tens of seconds on the data graph. Here
each blank node gets a colour from what surrounds it (its IRIs and literals, then its blank neighbours' colours,
refined until no colour splits further). Colours do not depend on blank node labels, so an isomorphism maps a
node to one of the same colour: when every blank node has a colour of its own, the only candidate bijection is
the one matching colours, and the graphs are isomorphic exactly when it maps one triple set onto the other.
Graphs whose blank nodes share colours (symmetric structures) are left to rdflib.
"""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.compare import isomorphic
from rdflib.term import Node


def same_graph(first: Graph, second: Graph) -> bool:
    """Whether the two graphs are the same up to blank node labels (what `rdflib.compare.isomorphic` answers)."""
    if len(first) != len(second):
        return False
    colours, other_colours = blank_colours(first), blank_colours(second)
    distinct = set(colours.values())
    if len(distinct) != len(colours) or len(set(other_colours.values())) != len(other_colours):
        return isomorphic(first, second)
    if distinct != set(other_colours.values()):
        return False
    node_of = {colour: node for node, colour in other_colours.items()}
    mapping: dict[Node, Node] = {node: node_of[colour] for node, colour in colours.items()}
    relabelled = {(mapping.get(s, s), mapping.get(p, p), mapping.get(o, o)) for s, p, o in first}
    return relabelled == set(second)


def blank_colours(graph: Graph) -> dict[Node, int]:
    """Each blank node's colour: refined from its neighbourhood until the number of colours stops growing."""
    neighbours: dict[Node, list[tuple[str, Node, Node]]] = {}
    for s, p, o in graph:
        for position, node, edge in (("s", s, (p, o)), ("p", p, (s, o)), ("o", o, (s, p))):
            if isinstance(node, BNode):
                neighbours.setdefault(node, []).append((position, *edge))
    colours = dict.fromkeys(neighbours, 0)
    count = 1 if colours else 0

    def shown(term: Node) -> object:
        return ("_:", colours[term]) if isinstance(term, BNode) else term

    for _ in range(len(colours) + 1):  # each round splits a colour, or ends
        refined = {
            node: hash((colours[node], tuple(sorted(hash((pos, shown(a), shown(b))) for pos, a, b in edges))))
            for node, edges in neighbours.items()
        }
        colours = refined
        if len(set(refined.values())) == count:
            break
        count = len(set(refined.values()))
    return colours
