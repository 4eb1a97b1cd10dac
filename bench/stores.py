"""The service in front of each supported store, side by side: crawl time and p50 of a `/doc/` page.

For each store (embedded pyoxigraph, Oxigraph server, Virtuoso 7) it starts the store on 127.0.0.1 (loaded with
`python -m service load`), the service in front of it (`python -m service serve`, one worker, public base
BASE), then fetches every sitemap URL once in each of five formats, four requests at a time, and reports the
crawl's wall time and the median latency of the `/doc/` requests. Every request is a first request for its
(document, format): the service keeps written documents, so a second round would measure its cache, not the store.

    .venv/bin/python bench/stores.py [--stores embedded,oxigraph,virtuoso]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://data.cper.test/"
FORMATS = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "text/html")
VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {dir}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 1000000
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def spawn(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def start_store(kind: str, folder: Path) -> tuple[list[subprocess.Popen[bytes]], dict[str, str]]:
    """The store's processes and the settings that put the service in front of it."""
    env = {**os.environ, "BASE_URL": BASE, "RELEASE_DIR": str(ROOT / "build")}
    if kind == "embedded":
        return [], env
    if kind == "oxigraph":
        binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
        port = free_port()
        load = [sys.executable, "-m", "service", "load", "--store", "oxigraph", "--location", str(folder / "data"),
                "--oxigraph", binary]  # fmt: skip
        subprocess.run(load, cwd=ROOT, env=env, check=True, capture_output=True)
        process = spawn([binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"])
        endpoint = f"http://127.0.0.1:{port}/query"
    else:
        port = free_port()
        ini = VIRTUOSO_INI.format(dir=folder, sql_port=free_port(), http_port=port)
        (folder / "virtuoso.ini").write_text(ini)
        process = spawn(["virtuoso-t", "-f", "-c", "virtuoso.ini"], cwd=folder)
        endpoint = f"http://127.0.0.1:{port}/sparql"
    wait(endpoint + "?query=ASK%7B%7D")
    env = {**env, "STORE": "remote", "REMOTE_ENDPOINT": endpoint, "REMOTE_DIALECT": kind}
    if kind == "virtuoso":
        load = [sys.executable, "-m", "service", "load", "--store", "virtuoso"]
        subprocess.run(load, cwd=ROOT, env={**env, "REMOTE_USER": "dba", "REMOTE_PASSWORD": "dba"}, check=True)
    return [process], env


def crawl(port: int) -> tuple[float, list[float], int]:
    """Wall time of the crawl, latencies (s) of its /doc/ requests, number of requests."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/sitemap.xml", timeout=60) as response:
        sitemap = response.read().decode()
    paths = [url.removeprefix(BASE.rstrip("/")) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    jobs = [(path, media) for path in paths for media in FORMATS]

    def fetch(job: tuple[str, str]) -> tuple[str, float]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", job[0], headers={"Accept": job[1]})
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"{job} answered {response.status}")
        return job[0], elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        timings = list(pool.map(fetch, jobs))
    wall = time.perf_counter() - started
    return wall, [t for path, t in timings if path.startswith("/doc/")], len(jobs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", default="embedded,oxigraph,virtuoso")
    args = parser.parse_args()
    rows = []
    for kind in args.stores.split(","):
        with tempfile.TemporaryDirectory() as folder:
            processes, env = start_store(kind, Path(folder))
            port = free_port()
            service = spawn([sys.executable, "-m", "service", "serve", "--workers", "1"],
                            {**env, "HOST": "127.0.0.1", "PORT": str(port)})  # fmt: skip
            try:
                wait(f"http://127.0.0.1:{port}/robots.txt")
                wall, docs, requests = crawl(port)
            finally:
                for process in (service, *processes):
                    stop(process)
        rows.append((kind, wall, statistics.median(docs) * 1000, requests))
        print(f"{kind}: crawl {wall:.1f} s ({requests} requests), /doc/ p50 {rows[-1][2]:.1f} ms", flush=True)
    print("\n| store | crawl (s) | `/doc/` p50 (ms) | requests |\n|---|---|---|---|")
    for kind, wall, p50, requests in rows:
        print(f"| {kind} | {wall:.1f} | {p50:.1f} | {requests} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
