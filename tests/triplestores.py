"""The service in front of real triplestores — Virtuoso 7 (Debian) and Oxigraph server (PyPI), each started here on
127.0.0.1 in its stock configuration and loaded with the documented command — answers like the embedded store:
every sitemap URL in every format, the example and competency queries, FROM / FROM NAMED and the protocol's dataset.
It refuses to start in front of a store lacking the release, survives the store's restart, and keeps its time.

Outside CI a missing store skips these tests with the reason (`make test` installs both); in CI it fails them.
The tests are collected once per store, by `test_stores_virtuoso.py` and `test_stores_oxigraph.py`, which
provide the `store` fixture: two modules, so that the two crawls can run on two test workers at once.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, free_port, parse_graph
from flask import Flask
from flask.testing import FlaskClient
from graphs import same_graph
from rdflib import XSD, Graph, Literal, Namespace
from werkzeug.test import TestResponse

from service import create_app, queries
from service.store.lexer import scan
from service.store.loading import StoreMismatch
from service.store.remote import RemoteStore, StoreUnavailable

BASE = "http://data.cper.test/"  # the public base every instance serves under (a reverse proxy's, in production)
RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}
FIXED_PATHS = ["/", "/.well-known/void", "/catalog", "/sparql", "/def/cper", "/def/cper/1.1.0", "/def/shapes",
               "/graph/data", "/graph/ontology", "/graph/shapes"]  # fmt: skip
VOID = Namespace("http://rdfs.org/ns/void#")
INTEGER_TYPES = {XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger, XSD.negativeInteger,
                 XSD.nonPositiveInteger, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.unsignedInt}  # fmt: skip
REFERENCE: dict[tuple[str, str], TestResponse] = {}  # the embedded answers, computed once for both stores
VIRTUOSO_EXISTS = {"true": "1", "false": "0"}
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _require(command: str, why: str) -> str:
    """The path of `command`; skipped with the reason outside CI, a failure in CI."""
    found = shutil.which(command) or shutil.which(command, path=str(Path(sys.executable).parent))
    if found is None:
        message = f"{command} is not installed ({why}); `make test` installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            request = urllib.request.Request(
                url + "?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}
            )
            with urllib.request.urlopen(request, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass
class RunningStore:
    """A store process on a free local port: how to (re)start it and which settings point the service at it."""

    dialect: str
    endpoint: str
    command: list[str]
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with (self.folder / "store.log").open("ab") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                self.command, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        _wait_for(self.endpoint, self.process)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None

    def environ(self, release_dir: Path, **extra: str) -> dict[str, str]:
        return {"RELEASE_DIR": str(release_dir), "BASE_URL": BASE, "STORE": "remote",
                "REMOTE_ENDPOINT": self.endpoint, "REMOTE_DIALECT": self.dialect, **extra}  # fmt: skip


def _load_command(release_dir: Path, store: RunningStore, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The documented loading command, run as an operator would."""
    env = {**os.environ, **store.environ(release_dir), "REMOTE_USER": "dba", "REMOTE_PASSWORD": "dba"}
    command = [sys.executable, "-m", "service", "load", "--store", store.dialect, *arguments]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ServerThreads = 10
DirsAllowed = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, release_dir: Path) -> Iterator[RunningStore]:
    """A private Virtuoso 7 on free local ports, its own virtuoso.ini, loaded with `python -m service load`."""
    binary = _require("virtuoso-t", "Debian package virtuoso-opensource-7-bin")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql_port=free_port(), http_port=http_port))
    store = RunningStore(
        "virtuoso", f"http://127.0.0.1:{http_port}/sparql", [binary, "-f", "-c", "virtuoso.ini"], folder
    )
    store.start()
    try:
        loaded = _load_command(release_dir, store)
        assert loaded.returncode == 0, loaded.stderr
        assert "the store holds it" in loaded.stdout
        yield store
    finally:
        store.stop()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, release_dir: Path) -> Iterator[RunningStore]:
    """Oxigraph server with stock settings on a free local port, loaded offline by `python -m service load`."""
    binary = _require("oxigraph", "PyPI package oxigraph, in the test extras")
    folder = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    loaded = _load_command(release_dir, RunningStore("oxigraph", f"http://127.0.0.1:{port}/query", [], folder),
                           "--location", str(folder / "data"), "--oxigraph", binary)  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    command = [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    store = RunningStore("oxigraph", f"http://127.0.0.1:{port}/query", command, folder)
    store.start()
    yield store
    store.stop()


@pytest.fixture(scope="module")
def embedded(release_dir: Path) -> Flask:
    return create_app(environ={"RELEASE_DIR": str(release_dir), "BASE_URL": BASE})


@pytest.fixture(scope="module")
def remote(store: RunningStore, release_dir: Path) -> Flask:
    return create_app(environ=store.environ(release_dir))


def _urls(client: FlaskClient) -> list[str]:
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    pages = [url.removeprefix(BASE.rstrip("/")) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap.text)]
    assert len(pages) > 100 and "/doc/organisation/departement-du-nord" in pages
    return sorted(set(FIXED_PATHS + pages))


def _same_answer(path: str, fmt: str, reference: FlaskClient, client: FlaskClient, dialect: str) -> str | None:
    """Why the two answers to `path?format=fmt` differ, or None."""
    separator = "&" if "?" in path else "?"
    got = client.get(f"{path}{separator}format={fmt}")
    expected = REFERENCE.get((path, fmt)) or REFERENCE.setdefault(
        (path, fmt), reference.get(f"{path}{separator}format={fmt}")
    )
    if (expected.status_code, expected.mimetype) != (got.status_code, got.mimetype):
        return f"{path} [{fmt}]: {got.status_code} {got.mimetype}, embedded {expected.status_code} {expected.mimetype}"
    if expected.data == got.data:
        return None
    if fmt == "html" or expected.status_code != 200:
        same = fmt == "html" and _visible(expected.text) == _visible(got.text)
        return None if same else f"{path} [{fmt}]: body differs"
    ours, theirs = (_graph(answer.data, fmt, reference, dialect) for answer in (got, expected))
    if len(theirs) == 0 and path != "/sparql":
        return f"{path} [{fmt}]: the embedded answer is empty"
    return None if same_graph(ours, theirs) else f"{path} [{fmt}]: {len(ours)} triples, not isomorphic to {len(theirs)}"


def _visible(html: str) -> list[str]:
    """A page's lines, sorted, without its embedded JSON-LD and blank node labels: two loads of one graph name
    blank nodes differently, and the page lists nested blank nodes in the order of their labels."""
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.DOTALL)
    return sorted(re.sub(r"_:\w+|\bN[0-9a-f]{32}\b", "_:b", html).splitlines())


def _graph(data: bytes, fmt: str, reference: FlaskClient, dialect: str) -> Graph:
    """The answer as a graph; JSON-LD gets the served context inline, so that nothing is fetched from the network.

    In front of Virtuoso, its two documented deviations are applied to both sides (see README, "Triplestores"):
    it stores numbers by value, so integers of derived types (1 as xsd:integer and as xsd:positiveInteger)
    come back with either type, and void:distinctObjects counts distinct values, not distinct terms.
    """
    if fmt == "jsonld":
        document = json.loads(data)
        if isinstance(document, dict) and document.get("@context") == BASE + "context.jsonld":
            document["@context"] = json.loads(reference.get("/context.jsonld").data)["@context"]
        data = json.dumps(document).encode()
    graph = parse_graph(data, RDF_FORMATS[fmt])
    if dialect != "virtuoso":
        return graph
    normal = Graph()
    for s, p, o in graph:
        if p == VOID.distinctObjects:
            continue
        if isinstance(o, Literal) and o.datatype in INTEGER_TYPES:
            o = Literal(str(o), datatype=XSD.integer)
        normal.add((s, p, o))
    return normal


def test_every_sitemap_url_in_every_format_answers_as_the_embedded_store(
    store: RunningStore, remote: Flask, embedded: Flask
) -> None:
    reference, client = embedded.test_client(), remote.test_client()
    paths = _urls(reference)
    assert _urls(client) == paths
    problems = [
        p
        for path in paths
        for fmt in (*RDF_FORMATS, "html")
        if (p := _same_answer(path, fmt, reference, client, store.dialect))
    ]
    assert problems == [], f"{store.dialect}: {len(problems)} difference(s):\n" + "\n".join(problems[:20])


def _select(client: FlaskClient, query: str, **params: str) -> list[dict[str, str]]:
    """The solutions as CSV rows; an ASK answer as one row {"boolean": "true" or "false"}."""
    ask = scan(query).form == "ASK"
    accept = "application/sparql-results+json" if ask else "text/csv"
    response = client.post("/sparql", data={"query": query, **params}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    if ask:
        return [{"boolean": json.dumps(json.loads(response.data)["boolean"])}]
    return list(csv.DictReader(io.StringIO(response.text)))


def _parity_queries() -> list[str]:
    competency = sorted((PROJECT_ROOT / "tests" / "competency").glob("*.rq"))
    texts = [path.read_text(encoding="utf-8") for path in competency]
    texts += [queries.load(name) for name in queries.example_names()]
    # Relative IRIs (the examples') resolve against the served base, stated in the prologue as the service does.
    return [f"BASE <{BASE}>\n" + text.replace("https://cper-hdf.example/", BASE) for text in texts]


DATASET_QUERIES = [
    (f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/ontology> WHERE {{ ?s ?p ?o }}", {}, [{"n": "{ontology}"}]),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"default-graph-uri": f"{BASE}graph/shapes"}, [{"n": "{shapes}"}]),
    (f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{BASE}graph/data> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
     {}, [{"g": f"{BASE}graph/data", "n": "{data}"}]),
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", {},
     [{"g": f"{BASE}graph/{name}", "n": "{" + name + "}"} for name in ("data", "ontology", "shapes")]),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}, [{"n": "{total}"}]),
    ("SELECT (COUNT(*) AS ?n) FROM <http://example.org/absent> WHERE { ?s ?p ?o }", {}, [{"n": "0"}]),
]  # fmt: skip


def _triples(release_dir: Path) -> dict[str, int]:
    """Triples per graph and in all, as the release's manifest counts them."""
    counts: dict[str, int] = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))["triples"]
    return counts


def test_competency_example_and_dataset_queries_give_the_embedded_results(
    store: RunningStore, remote: Flask, embedded: Flask, release_dir: Path
) -> None:
    reference, client = embedded.test_client(), remote.test_client()
    for text in _parity_queries():
        expected, got = _select(reference, text), _select(client, text)
        assert expected, text
        if store.dialect == "virtuoso":  # its documented deviation: EXISTS gives the integers 1 and 0
            expected = [
                {k: v if k == "boolean" else VIRTUOSO_EXISTS.get(v, v) for k, v in row.items()} for row in expected
            ]
        if "ORDER BY" not in text:  # solutions in no particular order: the same multiset
            expected, got = sorted(expected, key=repr), sorted(got, key=repr)
        assert got == expected, text
    counts = {name: str(n) for name, n in _triples(release_dir).items()}
    for text, params, template in DATASET_QUERIES:
        expected = [{k: v.format(**counts) if v.startswith("{") else v for k, v in row.items()} for row in template]
        assert _select(reference, text, **params) == expected, text
        assert _select(client, text, **params) == expected, text


def test_ask_construct_and_syntax_errors_pass_through_like_the_embedded_store(
    remote: Flask, embedded: Flask, release_dir: Path
) -> None:
    reference, client = embedded.test_client(), remote.test_client()
    for query in ("ASK { ?s ?p ?o }", f"ASK FROM <{BASE}absent> {{ ?s ?p ?o }}"):
        for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv"):
            expected, got = (c.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
                             for c in (reference, client))  # fmt: skip
            assert (got.status_code, got.mimetype, got.data) == (200, expected.mimetype, expected.data)
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{BASE}graph/ontology> {{ ?s ?p ?o }} }}"
    graphs = [parse_graph(c.get("/sparql", query_string={"query": construct}, headers={"Accept": "text/turtle"}).data,
                          "turtle") for c in (reference, client)]  # fmt: skip
    assert len(graphs[0]) == _triples(release_dir)["ontology"] and same_graph(*graphs)
    broken = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert broken.status_code == 400
    assert "store rejected the query" in broken.text
    assert re.search(r"line 1|1:\d+|position", broken.text, re.IGNORECASE), broken.text  # where it went wrong


def test_the_service_refuses_to_start_in_front_of_a_store_without_the_release(
    store: RunningStore, release_dir: Path
) -> None:
    with pytest.raises(StoreMismatch, match=r"does not hold release .* graph <http://other\.test/graph/data> has 0"):
        create_app(environ={**store.environ(release_dir), "BASE_URL": "http://other.test/"})
    env = {**os.environ, **store.environ(release_dir), "BASE_URL": "http://other.test/", "PORT": str(free_port())}
    refused = subprocess.run([sys.executable, "-m", "service", "serve"], cwd=PROJECT_ROOT, env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the store at ") and "python -m service load" in lines[0]


def test_a_restarted_store_is_found_again_without_restarting_the_service(
    store: RunningStore, remote: Flask, release_dir: Path
) -> None:
    client = remote.test_client()
    total = str(_triples(release_dir)["total"])
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    assert client.get("/sparql", query_string=query, headers={"Accept": "text/csv"}).text.split() == ["n", total]
    store.stop()
    down = client.get("/sparql", query_string=query)
    assert down.status_code == 503, down.text
    assert down.headers["Retry-After"].isdigit()
    assert "could not be reached" in down.text
    assert client.get("/doc/organisation/departement-du-nord").status_code == 503
    store.start()
    assert client.get("/sparql", query_string=query, headers={"Accept": "text/csv"}).text.split() == ["n", total]
    page = client.get("/doc/organisation/departement-du-nord", headers={"Accept": "text/turtle"})
    assert page.status_code == 200 and "225900018" in page.text


def test_a_query_past_the_timeout_is_a_503_and_virtuoso_stops_it(virtuoso: RunningStore, release_dir: Path) -> None:
    # The query would run for hours (a triple cross product); the bounds below leave room for a busy machine.
    app = create_app(environ=virtuoso.environ(release_dir, QUERY_TIMEOUT="1"))
    started = time.monotonic()
    answer = app.test_client().get("/sparql", query_string={"query": SLOW_QUERY})
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "1"
    assert time.monotonic() - started < 10
    # The store was given the same budget: it stopped the query (and said so) rather than keep computing it.
    store = RemoteStore(virtuoso.endpoint, (f"{BASE}graph/data",), timeout=1, dialect="virtuoso")
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="ran past"):
        store.rows(SLOW_QUERY)
    assert time.monotonic() - started < 10
    patient = RemoteStore(virtuoso.endpoint, (f"{BASE}graph/data",), timeout=30, dialect="virtuoso")
    assert patient.ask("ASK WHERE { ?s ?p ?o }")


def test_the_http_timeout_follows_query_timeout(oxigraph: RunningStore) -> None:
    store = RemoteStore(oxigraph.endpoint, (f"{BASE}graph/data",), timeout=0.5, dialect="oxigraph")
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match=r"ran past 0\.5 s"):
        store.rows("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert time.monotonic() - started < 5


def test_two_instances_in_front_of_one_store_give_identical_answers(virtuoso: RunningStore, release_dir: Path) -> None:
    ports = [free_port(), free_port()]
    servers = [_serve(virtuoso.environ(release_dir, PORT=str(port), HOST="127.0.0.1")) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_for_page(f"http://127.0.0.1:{port}/robots.txt", server)
        for path in ("/doc/organisation/departement-du-nord.nt", "/.well-known/void?format=nt", "/dumps/dataset.nq"):
            answers = []
            for port in ports:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
                    answers.append((response.headers.get("ETag"), response.read()))
            (first_etag, first), (second_etag, second) = answers
            assert first_etag and first_etag == second_etag, path
            assert BASE.encode() in first, path
            if path.startswith("/dumps/"):
                assert first == second  # the same file
            else:  # the same graph; rdflib writes triples in an order of its own in each process
                assert same_graph(parse_graph(first, "nt"), parse_graph(second, "nt")), path
    finally:
        for server in servers:
            _stop(server)


def _serve(environ: dict[str, str]) -> subprocess.Popen[bytes]:
    """`python -m service serve` with one worker, as an operator starts a web node."""
    command = [sys.executable, "-m", "service", "serve", "--workers", "1"]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **environ}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def _wait_for_page(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the service exited with {process.returncode}"
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
            urllib.request.urlopen(url, None, 2),
        ):
            return
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within 60 s")
