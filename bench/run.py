"""Benchmarks behind every speed claim of the README: WSGI servers side by side, and the two stores side by side.

Run with `make bench` (or `.venv/bin/python bench/run.py` after `make build`). Needs `wrk` (Debian package `wrk`).
Figures go to stdout as Markdown tables; paste them into bench/README.md with the date and the machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {
    "join (signings with signer and authority)": """
        PREFIX cper: <https://cper-hdf.example/def/cper#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?authority ?label ?signer WHERE {
          ?signing cper:onBehalfOf ?authority . ?authority rdfs:label ?label .
          OPTIONAL { ?signing cper:signer ?signer } FILTER(lang(?label) = "fr") }""",
    "aggregate (amounts by authority)": """
        PREFIX cper: <https://cper-hdf.example/def/cper#>
        SELECT ?who (SUM(?amount) AS ?total) (COUNT(*) AS ?n) WHERE {
          ?c cper:committedBy ?who . OPTIONAL { ?c cper:amount ?amount } } GROUP BY ?who ORDER BY DESC(?total)""",
    "scan (count everything)": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(server: str, port: int, workers: int, release: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RELEASE_DIR": str(release), "HOST": "127.0.0.1", "PORT": str(port)}
    if server == "granian":
        command = [sys.executable, "-m", "service", "serve", "--workers", str(workers)]
    else:
        command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                   "--log-level", "warning", "service:create_app()"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{server} did not start")


def wrk(url: str, accept: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Accept: {accept}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if match is None or errors:
        raise RuntimeError(f"wrk failed or saw errors:\n{out}")
    return float(match.group(1))


def servers(release: Path, seconds: int, connections: int, workers: int, rounds: int) -> None:
    query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    paths = {  # name: (path, Accept)
        "document (Turtle)": ("doc/organisation/departement-du-nord", "text/turtle"),
        "SPARQL count (JSON)": (f"sparql?query={query}", "application/sparql-results+json"),
        "robots.txt": ("robots.txt", "text/plain"),
    }
    setup = f"{workers} workers, {connections} connections, {seconds} s x {rounds} rounds"
    print(f"\n### WSGI servers, {setup} (req/s, median)\n")
    print("| path | granian | gunicorn (sync) | ratio |\n|---|---|---|---|")
    results: dict[str, dict[str, list[float]]] = {p: {"granian": [], "gunicorn": []} for p in paths}
    for _ in range(rounds):  # interleave the servers so drift hits both alike
        for server in ("granian", "gunicorn"):
            port = free_port()
            process = start(server, port, workers, release)
            try:
                for name, (path, accept) in paths.items():
                    results[name][server].append(wrk(f"http://127.0.0.1:{port}/{path}", accept, seconds, connections))
            finally:
                process.terminate()
                process.wait(timeout=10)
    for name in paths:
        g = statistics.median(results[name]["granian"])
        u = statistics.median(results[name]["gunicorn"])
        print(f"| {name} | {g:,.0f} | {u:,.0f} | {g / u:.2f}x |")


def stores(release: Path, repeat: int) -> None:
    import pyoxigraph as ox
    from rdflib import Dataset

    nquads = (release / "dataset.nq").read_bytes()
    oxi = ox.Store()
    oxi.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    rdf = Dataset(default_union=True)
    rdf.parse(data=nquads, format="nquads")
    print(f"\n### Stores on the release ({len(oxi)} quads), median of {repeat} runs (ms)\n")
    print("| query | pyoxigraph | rdflib | ratio |\n|---|---|---|---|")
    for name, text in QUERIES.items():
        timings: dict[str, list[float]] = {"ox": [], "rdflib": []}
        for _ in range(repeat):
            start = time.perf_counter()
            solutions = oxi.query(text, use_default_graph_as_union=True)
            assert isinstance(solutions, ox.QuerySolutions)  # the benchmark's queries are SELECTs
            solutions.serialize(format=ox.QueryResultsFormat.JSON)
            timings["ox"].append(time.perf_counter() - start)
            start = time.perf_counter()
            rdf.query(text).serialize(format="json")
            timings["rdflib"].append(time.perf_counter() - start)
        o, r = (statistics.median(timings[k]) * 1000 for k in ("ox", "rdflib"))
        print(f"| {name} | {o:.2f} | {r:.2f} | {r / o:.0f}x |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--release", type=Path, default=ROOT / "build")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    if not (args.release / "manifest.json").is_file():
        parser.error(f"no release in {args.release}: run `make build` first")
    stores(args.release, args.repeat)
    if shutil.which("wrk") is None:
        print("\nwrk is not installed (Debian: apt-get install wrk): server benchmark not run", file=sys.stderr)
        return 1
    servers(args.release, args.seconds, args.connections, args.workers, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
