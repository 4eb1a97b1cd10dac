"""For operators: `/health` (is the release loaded and the store answering?) and `/version` (what is running).

`/health` answers 200 with the release and the store's state, or 503 with Retry-After when the store does not
answer (a remote endpoint down, an embedded store failing), so that a load balancer takes the instance out.
Neither is cached.
"""

from __future__ import annotations

import json
import logging
import platform
import time
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from typing import Any

from flask import Blueprint, Response

from service.http.state import current

blueprint = Blueprint("health", __name__)
log = logging.getLogger(__name__)
PROBE = "ASK { ?s ?p ?o }"
RETRY_AFTER = "30"


@blueprint.get("/health")
def health() -> Response:
    state = current()
    started = time.perf_counter()
    try:
        answered = state.store.ask(PROBE)
        problem = "" if answered else "the store answers but holds no triple"
    except Exception as error:  # any failure of the probe means the store cannot serve queries
        log.warning("health probe failed: %s", error)
        problem = f"the store does not answer: {error}"
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    document = {
        "status": "unavailable" if problem else "ok",
        "release": _release(),
        "store": {
            "kind": state.settings.store,
            "reachable": not problem,
            "probe_ms": elapsed_ms,
            **({"endpoint": state.settings.remote_endpoint} if state.settings.store == "remote" else {}),
            **({"problem": problem} if problem else {}),
        },
    }
    response = _json(document, 503 if problem else 200)
    if problem:
        response.headers["Retry-After"] = RETRY_AFTER
    return response


@blueprint.get("/version")
def running_version() -> Response:
    return _json({
        "service": _package_version(_distribution()),
        "release": _release(),
        "python": platform.python_version(),
        "components": {name: _package_version(name) for name in ("flask", "pyoxigraph", "rdflib", "granian")},
    })  # fmt: skip


def _release() -> dict[str, Any]:
    manifest = current().published.manifest
    return {
        "version": manifest.version,
        "date": manifest.date,
        "triples": manifest.triples["total"],
        "conforms": manifest.validation.conforms,
        "base": current().settings.base_url,
    }


def _distribution() -> str:
    """The name this project is installed under (pyproject's), found from its package rather than written here."""
    return next(iter(packages_distributions().get(__name__.split(".")[0], [])), "")


def _package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _json(document: dict[str, Any], status: int = 200) -> Response:
    response = Response(json.dumps(document, indent=2, ensure_ascii=False) + "\n", status=status,
                        content_type="application/json; charset=utf-8")  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response
