"""One app's VoID and DCAT graphs and everything written from them, built on first use and then kept."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import current_app
from rdflib import Graph

from service.http.representations import as_quads, public_prefixes
from service.http.state import AppState
from service.publication.formats import JSONLD, QUAD_FORMATS, Format
from service.publication.jsonld import to_jsonld
from service.routes.about.dcat import DCAT_PREFIXES, build_catalog
from service.routes.about.void import VOID, build_void

EXTENSION = "cper-self-description"


class SelfDescription:
    """One app's VoID and DCAT graphs and everything written from them, each built on first use and then kept.

    The release never changes while the process lives, so nothing here is ever recomputed.
    """

    def __init__(self, state: AppState) -> None:
        self.state = state
        self._lock = threading.RLock()
        self._built: dict[tuple[str, ...], Any] = {}

    def once(self, key: tuple[str, ...], build: Callable[[], Any]) -> Any:
        with self._lock:
            if key not in self._built:
                self._built[key] = build()
            return self._built[key]

    def void(self) -> Graph:
        graph: Graph = self.once(("void",), lambda: build_void(self.state))
        return graph

    def catalog(self) -> Graph:
        graph: Graph = self.once(("catalog",), lambda: build_catalog(self.state))
        return graph

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

        body: bytes = self.once((name, fmt.key), write)
        return body


def self_description() -> SelfDescription:
    described: SelfDescription = current_app.extensions[EXTENSION]
    return described
