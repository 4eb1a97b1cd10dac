"""One app's VoID and DCAT graphs and everything written from them, built on first use and then kept.

They are kept in the app's `BuiltOnce` (http/cache.py): the release never changes while the process lives, so
nothing here is ever recomputed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rdflib import Graph

from service.http.representations import as_quads, public_prefixes
from service.http.state import AppState, current
from service.publication.formats import JSONLD, QUAD_FORMATS, Format
from service.publication.jsonld import to_jsonld
from service.routes.about.dcat import DCAT_PREFIXES, build_catalog
from service.routes.about.void import VOID, build_void

Value = TypeVar("Value")


class SelfDescription:
    """One app's VoID and DCAT graphs and everything written from them, each built on first use and then kept."""

    def __init__(self, state: AppState) -> None:
        self.state = state

    def once(self, key: tuple[str, ...], build: Callable[[], Value]) -> Value:
        return self.state.built.get(("self-description", *key), build)

    def void(self) -> Graph:
        return self.once(("void",), lambda: build_void(self.state))

    def catalog(self) -> Graph:
        return self.once(("catalog",), lambda: build_catalog(self.state))

    def written(self, name: str, fmt: Format) -> bytes:
        """The `void` or `catalog` graph in `fmt`; JSON-LD carries its context inline (no remote fetch)."""
        graph = self.void() if name == "void" else self.catalog()

        def write() -> bytes:
            if fmt == JSONLD:
                context = {**public_prefixes(), **DCAT_PREFIXES, "void": str(VOID)}
                return to_jsonld(graph, {"@context": context}).encode("utf-8")
            if fmt in QUAD_FORMATS:
                return as_quads(graph, fmt)
            return graph.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")

        return self.once((name, fmt.key), write)


def self_description() -> SelfDescription:
    """The self-description of the app handling the current request."""
    return SelfDescription(current())
