"""Putting a release into a remote store (Virtuoso, Oxigraph server, any Graph Store Protocol) and checking it is there.

The release is loaded as this instance serves it (under its `BASE_URL`), one named graph at a time, each
replacing what the store held under that name; the check compares the store's triples per graph with the
manifest's counts, so a service never starts in front of an empty, stale or differently based store.
"""

from __future__ import annotations

import base64
import http.client
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from service.config import Settings
from service.publication.published import Published, ReleaseMissing
from service.store.remote import RemoteStore


class StoreMismatch(ReleaseMissing):
    """The remote store does not hold the release this instance is configured to serve."""


class LoadFailed(RuntimeError):
    """The store refused or failed a load request; the message names the graph and the store's answer."""


class BrokenOff(Exception):
    """An upload that got no answer: the connection could not be opened, or was dropped or reset."""


RETRY_PAUSE = 2.0  # seconds before a graph whose upload broke off is sent again


def release_graphs(settings: Settings, published: Published) -> dict[str, int]:
    """The release's named graphs under the public base, with the number of triples each must hold."""
    manifest = published.manifest
    return {
        iri.replace(published.canonical_base, settings.base_url): manifest.triples[name]
        for name, iri in manifest.graphs.items()
    }


def open_remote(settings: Settings, published: Published) -> RemoteStore:
    """The remote store of the settings, querying over the release's graphs."""
    graphs = tuple(sorted(release_graphs(settings, published)))
    return RemoteStore(settings.remote_endpoint, graphs, settings.query_timeout, settings.remote_dialect)


def check_release(store: RemoteStore, settings: Settings, published: Published) -> None:
    """Compare the store's triples per graph with the manifest.

    :raises StoreMismatch: a graph is missing or differs in size (one line, saying how to load the release).
    :raises StoreUnavailable: the store cannot be reached.
    """
    held = store.graph_sizes()
    for iri, expected in sorted(release_graphs(settings, published).items()):
        if held.get(iri, 0) != expected:
            raise StoreMismatch(
                f"the store at {settings.remote_endpoint} does not hold release {published.version} under "
                f"{settings.base_url}: graph <{iri}> has {held.get(iri, 0)} triples, the release {expected}; "
                "load it with `python -m service load`"
            )


def graph_store_url(settings: Settings) -> str:
    """REMOTE_GRAPH_STORE, else the Graph Store Protocol URL each known store serves beside its endpoint."""
    if settings.remote_graph_store:
        return settings.remote_graph_store
    path = {"virtuoso": "/sparql-graph-crud-auth", "oxigraph": "/store"}.get(settings.remote_dialect)
    if path is None:
        raise LoadFailed("set REMOTE_GRAPH_STORE to the store's Graph Store Protocol URL")
    parts = urlsplit(settings.remote_endpoint)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def split_graphs(published: Published) -> dict[str, bytes]:
    """The served N-Quads dump as N-Triples per named graph."""
    dump = published.artefact("dataset.nq")
    if dump is None:
        raise ReleaseMissing("the release has no dataset.nq to load")
    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(dump.data, format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode):
            by_graph[quad.graph_name.value].append(quad.triple)
    return {iri: bytes(ox.serialize(found, format=ox.RdfFormat.N_TRIPLES) or b"") for iri, found in by_graph.items()}


def load_over_http(
    published: Published, url: str, user: str = "", password: str = "", retry_pause: float = RETRY_PAUSE
) -> dict[str, int]:
    """PUT each named graph to the Graph Store Protocol at `url` (replacing it); triples sent per graph.

    A graph whose upload breaks off (the connection dropped or reset, no answer) is sent once more, whole, after
    `retry_pause` seconds: a busy store (Virtuoso with every core taken) may drop a connection in mid-upload, and
    a PUT replaces the graph, so sending it again leaves nothing doubled. A refusal (an HTTP error status) is not
    retried: the same request would be refused again.

    :raises LoadFailed: the store refused a graph, or could not be reached twice in a row.
    """
    handlers: list[urllib.request.BaseHandler] = []
    authorise: Authorise = _as_is
    if user:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, user, password)
        digest = urllib.request.HTTPDigestAuthHandler(passwords)
        handlers += [digest, urllib.request.HTTPBasicAuthHandler(passwords)]
        authorise = _credentials(url, user, password, digest)
    opener = urllib.request.build_opener(*handlers)
    sent = {}
    for iri, ntriples in sorted(split_graphs(published).items()):
        for attempt in (1, 2):
            try:
                _put(opener, url, iri, ntriples, authorise)
                break
            except BrokenOff as error:
                if attempt == 2:
                    raise LoadFailed(f"{url} could not be reached: {error}") from None
                time.sleep(retry_pause)
        sent[iri] = ntriples.count(b"\n")
    return sent


Authorise = Callable[[urllib.request.Request], None]


def _as_is(_request: urllib.request.Request) -> None:
    """No credentials to add."""


def _credentials(url: str, user: str, password: str, digest: urllib.request.HTTPDigestAuthHandler) -> Authorise:
    """What adds the store's credentials to each upload before it is sent.

    Sent without them, an upload is answered 401 (the challenge) while its body is still being written, and a
    store that closes the connection then (Virtuoso) breaks the upload off. So the challenge is asked for first,
    with a request that has no body, and every upload carries its answer from its first byte.
    """
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=30):
            return _as_is  # the store asks for no credentials
    except urllib.error.HTTPError as error:
        challenge = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return _as_is  # the upload will say why the store cannot be reached
    scheme, _, parameters = challenge.partition(" ")
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return lambda request: request.add_unredirected_header("Authorization", f"Basic {token}")
    if scheme.lower() == "digest":
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(parameters))

        def add_digest(request: urllib.request.Request) -> None:
            answer = digest.get_authorization(request, fields)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")

        return add_digest
    return _as_is  # another scheme: left to the opener's handlers, on the store's 401


def _put(opener: urllib.request.OpenerDirector, url: str, iri: str, ntriples: bytes, authorise: Authorise) -> None:
    """PUT one graph, in a request of its own (a retry sends the whole body again).

    :raises LoadFailed: the store answered with an error status.
    :raises BrokenOff: no answer came (the reason is the message).
    """
    # N-Triples is Turtle: every Graph Store Protocol implementation reads text/turtle.
    request = urllib.request.Request(
        f"{url}?{urlencode({'graph': iri})}", data=ntriples, headers={"Content-Type": "text/turtle"}, method="PUT"
    )
    authorise(request)
    try:
        with opener.open(request, timeout=300) as response:
            response.read()
    except urllib.error.HTTPError as error:
        detail = " ".join(error.read().decode(errors="replace").split())[:500]
        raise LoadFailed(f"{url} refused graph <{iri}>: {error.code} {detail}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        raise BrokenOff(str(getattr(error, "reason", error) or type(error).__name__)) from None


def load_offline(published: Published, location: Path, oxigraph: str = "oxigraph") -> None:
    """Bulk-load the served N-Quads into an Oxigraph server's data directory with `oxigraph load` (server stopped)."""
    dump = published.artefact("dataset.nq")
    if dump is None:
        raise ReleaseMissing("the release has no dataset.nq to load")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "dataset.nq"
        source.write_bytes(dump.data)
        command = [oxigraph, "load", "--location", str(location), "--file", str(source)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as error:
            raise LoadFailed(f"cannot run {oxigraph}: {error}") from None
        if done.returncode != 0:
            raise LoadFailed(f"oxigraph load failed: {done.stderr.strip()[-500:]}")
