"""Loads the project's RDF sources (ontology/, data/, shapes/) into three graphs, one per named graph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from service.build.profile import canonical_base
from service.publication.namespaces import GRAPHS, graph_name, new_graph

class SourceError(Exception):
    """A source file is missing or unreadable; the message names the file (and the line when known)."""


@dataclass(frozen=True)
class Sources:
    """The three source graphs, as parsed from the project tree."""

    data: Graph
    ontology: Graph
    shapes: Graph
    base: str  # the canonical base the sources are written under (the profile's)

    def named_graphs(self) -> dict[URIRef, Graph]:
        """The graphs under their named-graph IRIs, in a fixed order."""
        graphs = dict(zip(GRAPHS, (self.data, self.ontology, self.shapes), strict=True))
        return {graph_name(self.base, name): graphs[name] for name in GRAPHS}

    def union(self) -> Graph:
        """The three graphs merged into one new graph."""
        merged = new_graph(self.base)
        for graph in self.named_graphs().values():
            merged += graph
        return merged


def load_sources(root: Path) -> Sources:
    """Parse ontology/*.ttl, data/*.ttl and shapes/*.ttl under ``root``, each folder in sorted file order.

    Every file is parsed against the canonical base the dataset's profile (data/dataset.ttl) gives. The data's
    compact provenance is expanded into one statement per fact (see ``provenance``).

    :raises SourceError: a folder has no Turtle file, or a file does not parse (naming file and line).
    :raises ProfileError: the profile is missing or gives no base.
    """
    from service.build.provenance import expand

    base = canonical_base(root)
    data, ontology, shapes = (_load_directory(root, name, base) for name in GRAPHS)
    return Sources(data=expand(data, base), ontology=ontology, shapes=shapes, base=base)


def _load_directory(root: Path, name: str, base: str) -> Graph:
    files = sorted((root / name).glob("*.ttl"))
    if not files:
        raise SourceError(f"{name}/: no Turtle (*.ttl) file under {root / name}")
    graph = new_graph(base)
    for path in files:
        _parse_into(graph, path, base, shown=f"{name}/{path.name}")
    return graph


def _parse_into(graph: Graph, path: Path, base: str, shown: str) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{shown}: cannot be read as UTF-8 ({error})") from error
    try:
        # Relative IRIs resolve against the canonical base, never against a machine path.
        graph.parse(data=text, format="turtle", publicID=base)
    except SyntaxError as error:
        reason = getattr(error, "_why", str(error))  # BadSyntax keeps the reason apart from its long excerpt
        raise SourceError(f"{shown}{_line_of(error)}: Turtle syntax error: {reason}") from error
    except ValueError as error:
        raise SourceError(f"{shown}: cannot be parsed as Turtle: {error}") from error


def _line_of(error: SyntaxError) -> str:
    """The ``, line N`` to show for rdflib's BadSyntax, from the offset of the error in the parsed text.

    Its own line counter over-counts (it counts newlines again when the parser backtracks), so it is not used.
    """
    text, offset = getattr(error, "_str", None), getattr(error, "_i", None)
    if isinstance(text, bytes):  # it keeps the text UTF-8 encoded but the offset counts characters
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str) or not isinstance(offset, int):
        return ""
    return f", line {text.count(chr(10), 0, offset) + 1}"
