"""Shared fixtures: the project tree, a release built once per session, the Flask app and a real HTTP server."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from service.build.profile import canonical_base

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The project's canonical base, as the build reads it from the dataset's profile (data/dataset.ttl).
CANONICAL_BASE = canonical_base(PROJECT_ROOT)
# Third-party suites (W3C protocol manifest, DCAT-AP shapes) are found beside the project, never copied into it.
SHARED_DIR = Path(os.environ.get("CPER_SHARED_DIR", PROJECT_ROOT.parent / "shared"))


def parse_graph(data: bytes | str, rdflib_format: str) -> Graph:
    """Parse a served body with rdflib, silencing only the deprecation rdflib's own JSON-LD/quad parsers raise."""
    graph = Graph()
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser builds a ConjunctiveGraph internally, which rdflib itself deprecates.
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(data=data, format=rdflib_format)
    return graph


@functools.cache
def data_and_ontology() -> Graph:
    """The ontology and the data as the release holds them (provenance expanded), parsed once per process: read
    only (copy it before changing it)."""
    from service.build.sources import load_sources

    sources = load_sources(PROJECT_ROOT)
    merged = Graph()
    merged += sources.ontology
    merged += sources.data
    return merged


def shared_path(relative: str) -> Path:
    """A file under the shared directory; skipped with a reason where absent, a failure in CI."""
    path = SHARED_DIR / relative
    if not path.exists():
        message = f"{path} is absent (set CPER_SHARED_DIR to the folder holding w3c/ and dcat-ap-3.0.1/)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release built from the working tree once per test session, shared by the xdist workers.

    A build is the costliest fixture of the suite: the first worker to need the release builds it in the folder the
    workers share, while the other waits for it or runs tests that need no release. Tests only read it.
    """
    from service.build.release import build_release

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's base folder is inside the session's
    out = shared / "release"
    with (shared / "release.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even if the build fails
        if not (out / "manifest.json").is_file():
            build_release(PROJECT_ROOT, out, version="test", date="2026-01-01")
    return out


@pytest.fixture(scope="session")
def app(release_dir: Path):  # type: ignore[no-untyped-def]
    """The Flask app on the session's release, with the test client's base URL as public base."""
    from service import create_app

    return create_app(environ={"RELEASE_DIR": str(release_dir), "BASE_URL": "http://localhost/"})


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    """A production WSGI server (granian) serving the app on a free local port."""

    base_url: str
    process: subprocess.Popen[bytes]

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1].rstrip("/"))


def start_server(release: Path, extra_env: dict[str, str] | None = None, workers: int = 2) -> LiveServer:
    """Start granian with two workers on a free port and wait until the service answers."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "RELEASE_DIR": str(release), "HOST": "127.0.0.1", "PORT": str(port), **(extra_env or {})}
    command = [sys.executable, "-m", "service", "serve", "--workers", str(workers)]
    # Its own session (process group): stopping it reaches granian's workers too, never orphaning one.
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"server exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(base_url + "robots.txt", timeout=2):
                return LiveServer(env.get("BASE_URL", base_url), process)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    _signal_group(process, signal.SIGKILL)
    process.wait()
    raise RuntimeError("server did not answer within 60 s")


def stop_server(server: LiveServer) -> str:
    """Stop granian and its workers: SIGTERM to the group, SIGKILL to whatever is left after 10 s.

    Returns what the server wrote (its log).
    """
    _signal_group(server.process, signal.SIGTERM)
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        _signal_group(server.process, signal.SIGKILL)
        server.process.wait()
    _signal_group(server.process, signal.SIGKILL)  # a worker that outlived its main process
    output = ""
    if server.process.stdout:
        output = server.process.stdout.read().decode(errors="replace")
        server.process.stdout.close()
    return output


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


@pytest.fixture(scope="session")
def live_server(release_dir: Path) -> Iterator[LiveServer]:
    """The service under granian on 127.0.0.1, public base = its own URL."""
    server = start_server(release_dir)
    yield server
    stop_server(server)


def descendants(pid: int) -> list[int]:
    """The processes under `pid` (children, grandchildren…), read from /proc; empty where /proc is absent."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss_bytes(pids: list[int]) -> int:
    """The resident memory of `pids` added up (VmRSS), skipping any that ended meanwhile."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


# The modules that take longest, longest first (measured one by one, without xdist). The two
# xdist workers take whole modules in collection order (`make test` turns off xdist's reordering by test count):
# starting with these leaves only short modules for the end, so the two workers finish together. The mutation
# modules need no release, so one worker validates mutations while the other builds the session's release.
LONGEST_FIRST = (
    "test_shapes_mutations.py",
    "test_stores_virtuoso.py",
    "test_shapes.py",
    "test_stores_oxigraph.py",
    "test_served_equals_published.py",
    "test_crawl.py",
    "test_query_pool.py",
    "test_release.py",
    "test_cache.py",
    "test_bodies.py",
    "test_browser.py",
    "test_comunica.py",
    "test_cli.py",
    "test_no_network.py",
    "test_shape_targets.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
