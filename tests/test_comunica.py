"""Comunica (the JavaScript SPARQL engine, from npm) reads the gzip dumps by URL, as the issue's clients do."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, LiveServer

pytestmark = pytest.mark.server
CLIENTS = PROJECT_ROOT / "tests" / "clients"


def _comunica_count(url: str, query: str) -> int:
    node = shutil.which("node")
    if node is None or not (CLIENTS / "node_modules" / "@comunica" / "query-sparql").is_dir():
        reason = "Comunica is not installed: run `make test-clients`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    done = subprocess.run([node, str(CLIENTS / "comunica-count.js"), url, query], cwd=CLIENTS,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("dataset.nt.gz", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        ("dataset.nq.gz", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
    ],
)
def test_comunica_reads_the_gz_dumps(live_server: LiveServer, release_dir: Path, name: str, query: str) -> None:
    expected = gzip.decompress((release_dir / name).read_bytes()).count(b"\n")
    assert _comunica_count(f"{live_server.base_url}dumps/{name}", query) == expected > 1000
