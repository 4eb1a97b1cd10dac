"""The floor of process isolation: a bare WSGI app (no Flask) that runs each query in the service's query processes.

It does only what no isolated endpoint can skip: read `query=` from the URL, hand the query to an idle process of
the service's own cheap lane (`service.store.query_pool`, same budgets as the service's defaults), wait for the
answer on the pipe, and return it as SPARQL JSON. No protocol checks, negotiation, headers, caches or limits.
bench/versus_oxigraph.py serves it under the same granian as the service: the gap between it and Oxigraph's server
is what isolation alone costs; the gap between it and the service is what the service's own request path costs.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from service.config import Settings
from service.store.query_pool import Budgets, Job, Lane, QueryProcess

RELEASE = Path(os.environ.get("RELEASE_DIR", Path(__file__).resolve().parent.parent / "build"))
ENDPOINT = "https://cper-hdf.example/sparql"  # the base the service resolves relative IRIs against


class IsolationFloor:
    """A WSGI app answering GET /sparql?query=… from one lane of query processes, and nothing else."""

    def __init__(self, dataset: bytes, settings: Settings) -> None:
        self.budgets = Budgets(
            timeout=settings.query_timeout,
            cheap_seconds=settings.cheap_query_seconds,
            memory_bytes=settings.query_memory_mb * 1024 * 1024,
            answer_bytes=settings.max_answer_bytes,
            queue_wait=settings.query_timeout,
        )
        self.lane = Lane("cheap", settings.query_processes, lambda: QueryProcess(dataset, self.budgets))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("query", ["ASK {}"])[0]
        process = self.lane.acquire(self.budgets.queue_wait)
        if process is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Retry-After", "1")])
            return [b"busy\n"]
        header, body = process.run(Job(query, (), (), True, "JSON", "N_TRIPLES", ENDPOINT), self.budgets.timeout)
        self.lane.release(process)
        if "kind" not in header:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [str(header.get("message", "")).encode()]
        headers = [("Content-Type", "application/sparql-results+json"), ("Content-Length", str(len(body)))]
        start_response("200 OK", headers)
        return [body]

    def close(self) -> None:
        self.lane.close()


def create_app() -> IsolationFloor:
    """The floor serving the release in RELEASE_DIR (default: build/), with the service's default budgets."""
    return IsolationFloor((RELEASE / "dataset.nq").read_bytes(), Settings())
