"""`/health` and `/version` for operators: the release and the store's state, 503 when the store is unreachable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import free_port


def test_health_reports_the_release_and_a_store_that_answers(client: Any) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.content_type == "application/json; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.data)
    assert document["status"] == "ok"
    assert document["release"]["version"] == "test" and document["release"]["triples"] > 4000
    assert document["store"] == {**document["store"], "kind": "embedded", "reachable": True}


def test_health_is_503_when_the_store_is_unreachable(release_dir: Path) -> None:
    from service import create_app

    closed = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    app = create_app(environ={"RELEASE_DIR": str(release_dir), "STORE": "remote", "REMOTE_ENDPOINT": closed})
    response = app.test_client().get("/health")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    document = json.loads(response.data)
    assert document["status"] == "unavailable" and document["store"]["reachable"] is False
    assert document["store"]["endpoint"] == closed and "could not be reached" in document["store"]["problem"]
    assert document["release"]["version"] == "test"  # the release itself is loaded


def test_version_names_the_service_release_and_components(client: Any) -> None:
    document = json.loads(client.get("/version").data)
    assert document["service"] == "1.0.0" and document["release"]["version"] == "test"
    assert document["components"]["pyoxigraph"] and document["components"]["flask"]
