"""The benchmarks of bench/ (bench/README.md) stay runnable: each script explains itself, and the isolation floor,
the baseline the SPARQL figures are read against, answers queries from the service's own query processes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import pytest
from conftest import PROJECT_ROOT

from service.config import Settings

BENCH = PROJECT_ROOT / "bench"
SCRIPTS = ("run.py", "versus_oxigraph.py", "stores.py", "compression.py")


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_benchmark_script_explains_itself(script: str) -> None:
    done = subprocess.run([sys.executable, str(BENCH / script), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: ") and "--" in done.stdout


def module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


@pytest.fixture(scope="module")
def floor(release_dir: Path) -> Iterator[Any]:
    app = module("isolation_floor").IsolationFloor((release_dir / "dataset.nq").read_bytes(), Settings())
    yield app
    app.close()


def get(app: Any, query: str) -> tuple[str, dict[str, str], bytes]:
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer.update(status=status, headers=dict(headers))

    body = b"".join(app({"REQUEST_METHOD": "GET", "QUERY_STRING": urlencode({"query": query})}, start_response))
    return answer["status"], answer["headers"], body


def test_the_isolation_floor_answers_from_the_query_processes(floor: Any) -> None:
    status, headers, body = get(floor, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert status == "200 OK" and headers["Content-Type"] == "application/sparql-results+json"
    (row,) = json.loads(body)["results"]["bindings"]
    assert int(row["n"]["value"]) > 10_000
    assert int(headers["Content-Length"]) == len(body)


def test_the_isolation_floor_says_what_is_wrong_with_a_query(floor: Any) -> None:
    status, headers, body = get(floor, "SELECT WHERE {")
    assert status == "400 Bad Request" and headers["Content-Type"] == "text/plain"
    assert b"expected" in body and b"1:" in body  # the engine's message, with where it stopped
