"""A crawl of the live service over real HTTP: every IRI under the public base that any served dump mentions
dereferences, in every format (slash IRIs by 303 then 200, retired ones by 301 to their successor first, earlier
ontology versions by 303 to the current one, documents and hash namespaces by 200), and each RDF answer describes
the IRI it was asked about. No 404 anywhere."""

from __future__ import annotations

import gzip
import http.client
import json
import threading
import warnings
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from rdflib import OWL, Dataset, Graph, URIRef

if TYPE_CHECKING:
    from conftest import LiveServer

pytestmark = pytest.mark.server

FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "text/html": None,
}
# How each dump is read (by its name without ".gz"); quads formats keep their graph names.
DUMP_PARSERS = {".nt": "nt", ".nq": "nquads", ".ttl": "turtle", ".trig": "trig", ".rdf": "xml", ".jsonld": "json-ld"}
QUAD_FORMATS = {"nquads", "trig"}
WORKERS = 6  # concurrent requests: within MAX_REQUESTS_PER_CLIENT (6 per web worker), whatever worker each lands on


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Client:
    """Keep-alive HTTP/1.1 connections to the live server, one per thread."""

    def __init__(self, server: LiveServer) -> None:
        self.host, self.port = server.host, server.port
        self.local = threading.local()
        self.opened: list[http.client.HTTPConnection] = []
        self.lock = threading.Lock()

    def get(self, url: str, accept: str) -> Answer:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):  # a kept-alive connection the server closed is reopened once
            connection = self._connection(fresh=attempt == 2)
            try:
                connection.request("GET", target, headers={"Accept": accept})
                response = connection.getresponse()
                body = response.read()
                return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
            except (http.client.HTTPException, ConnectionError):
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _connection(self, fresh: bool) -> http.client.HTTPConnection:
        connection = getattr(self.local, "connection", None)
        if connection is None or fresh:
            if connection is not None:
                connection.close()
            connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.local.connection = connection
            with self.lock:
                self.opened.append(connection)
        return connection

    def close(self) -> None:
        for connection in self.opened:
            connection.close()


def quiet_parse(target: Graph, data: bytes | str, rdf_format: str) -> None:
    """rdflib's JSON-LD and quad parsers go through APIs rdflib itself deprecates: not our warning to fix."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        target.parse(data=data, format=rdf_format)


def dump_names(release_dir: Path) -> list[str]:
    manifest = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    names = [entry["name"] for entry in manifest["files"]]
    return [n for n in names if n.removesuffix(".gz")[n.removesuffix(".gz").rfind(".") :] in DUMP_PARSERS]


def iris_in_dump(name: str, data: bytes) -> set[str]:
    """Every IRI the dump uses as subject, predicate, object or graph name."""
    if name.endswith(".gz"):
        data, name = gzip.decompress(data), name.removesuffix(".gz")
    rdf_format = DUMP_PARSERS[name[name.rfind(".") :]]
    graph: Graph = Dataset() if rdf_format in QUAD_FORMATS else Graph()
    quiet_parse(graph, data, rdf_format)
    terms: set[str] = set()
    if isinstance(graph, Dataset):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            quads = list(graph.quads())
        for quad in quads:
            terms.update(str(t) for t in quad if isinstance(t, URIRef))
    else:
        for triple in graph:
            terms.update(str(t) for t in triple if isinstance(t, URIRef))
    return terms


@pytest.fixture(scope="module")
def crawl(live_server: LiveServer, release_dir: Path) -> Iterator[tuple[Client, dict[str, set[str]], dict[str, Any]]]:
    """The client, the dereferenceable URLs (fragment stripped) with the IRIs that lead to each, and the context."""
    client, base = Client(live_server), live_server.base_url
    urls: dict[str, set[str]] = defaultdict(set)
    for name in dump_names(release_dir):
        dump = client.get(f"{base}dumps/{name}", "*/*")
        assert dump.status == 200, f"{base}dumps/{name} answered {dump.status}"
        for iri in iris_in_dump(name, dump.body):
            if iri.startswith(base):
                urls[iri.split("#", 1)[0]].add(iri)
    context = client.get(base + "context.jsonld", "application/ld+json")
    assert context.status == 200
    yield client, urls, json.loads(context.body)
    client.close()


def retirements(release_dir: Path, base: str) -> dict[str, str]:
    """The release's retired IRIs and their successors (its manifest's profile), under the live server's base."""
    manifest = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    canonical = manifest["base"]
    return {base + old[len(canonical) :]: base + new[len(canonical) :]
            for old, new in manifest["profile"]["replaced_by"].items()}  # fmt: skip


def earlier_versions(release_dir: Path, base: str) -> dict[str, tuple[int, str]]:
    """The ontology's earlier version IRIs (owl:priorVersion), each to answer 303 to the current version IRI."""
    ontology = Graph().parse(release_dir / "ontology.nt", format="nt")
    moved = {}
    for name, prior in ontology.subject_objects(OWL.priorVersion):
        current = ontology.value(name, OWL.versionIRI)
        canonical = str(name).rsplit("def/", 1)[0]
        moved[base + str(prior)[len(canonical) :]] = (303, base + str(current)[len(canonical) :])
    return moved


def check(
    client: Client,
    base: str,
    url: str,
    iris: set[str],
    media: str,
    context: dict[str, Any],
    redirected: dict[str, tuple[int, str]],
) -> list[str]:
    """Dereference `url` asking for `media`; the problems found, if any."""
    answer = client.get(url, media)
    where = f"{url} [{media}]"
    if url in redirected:
        status, target = redirected[url]
        if answer.status != status or answer.headers.get("location") != target:
            return [f"{where}: {answer.status} to {answer.headers.get('location')!r}, expected {status} to {target}"]
        url = target
        answer = client.get(url, media)
        where += f" -> {url}"
    if url.startswith(base + "id/"):
        if answer.status != 303:
            return [f"{where}: {answer.status}, expected 303"]
        location = answer.headers.get("location", "")
        if location != base + "doc/" + url[len(base + "id/") :]:
            return [f"{where}: 303 to {location!r}"]
        answer = client.get(location, media)
        where += f" -> {location}"
    if answer.status != 200:
        return [f"{where}: {answer.status}"]
    served = answer.headers.get("content-type", "").split(";")[0]
    if served != media:
        return [f"{where}: served as {served}"]
    if media == "text/html":
        html = answer.body.decode("utf-8")
        missing = [i for i in iris if "#" in i and f'id="{i.split("#", 1)[1]}"' not in html]
        return [f"{where}: no entry for {i}" for i in missing] + ([] if "<h1" in html else [f"{where}: no <h1>"])
    body: bytes | str = answer.body
    if media == "application/ld+json":
        document = json.loads(answer.body)
        # Documents of things refer to the release's context; the self-description carries its own inline.
        described = url in (base, base + "catalog", base + ".well-known/void")
        inline = described and isinstance(document.get("@context"), dict)
        if inline:
            document["@context"] = {"@context": document["@context"]}  # kept as is, below
        elif document.get("@context") != base + "context.jsonld":
            return [f"{where}: @context is {document.get('@context')!r}"]
        document["@context"] = document["@context"]["@context"] if inline else context["@context"]
        body = json.dumps(document)
    graph = Graph()
    try:
        quiet_parse(graph, body, str(FORMATS[media]))
    except Exception as error:  # any parser failure is a finding, reported with the others
        return [f"{where}: does not parse: {error}"]
    if url.startswith(base + "graph/"):
        return [] if len(graph) else [f"{where}: empty graph"]
    return [f"{where}: says nothing about {iri}" for iri in sorted(iris) if (URIRef(iri), None, None) not in graph]


def test_every_iri_in_every_dump_dereferences_in_every_format(
    live_server: LiveServer, release_dir: Path, crawl: tuple[Client, dict[str, set[str]], dict[str, Any]]
) -> None:
    client, urls, context = crawl
    base = live_server.base_url
    retired = retirements(release_dir, base)
    # The crawl must have found the dataset, not vacuously passed.
    assert base + "id/organisation/departement-du-nord" in urls
    assert base + "def/cper#PlanContract" in urls[base + "def/cper"]
    assert len(urls) > 100
    assert base + "id/step/signature-2023" in retired and set(retired) <= set(urls)
    redirected = {old: (301, new) for old, new in retired.items()} | earlier_versions(release_dir, base)
    assert base + "def/cper/1.0.0" in redirected and set(redirected) <= set(urls)
    jobs = [(url, iris, media) for url, iris in sorted(urls.items()) for media in FORMATS]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = pool.map(lambda job: check(client, base, job[0], job[1], job[2], context, redirected), jobs)
        problems = [problem for found in results for problem in found]
    assert problems == [], f"{len(problems)} problem(s), first ones:\n" + "\n".join(problems[:25])
