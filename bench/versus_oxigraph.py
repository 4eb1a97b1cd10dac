"""The service beside Oxigraph's own server on the same release, same queries, same machine, in one run.

Run with `make bench-oxigraph` (or `.venv/bin/python bench/versus_oxigraph.py` after `make build` and
`pip install -e '.[bench]'`). Needs `wrk` (Debian package `wrk`) and the `oxigraph` command (PyPI package `oxigraph`).

It starts, each bound to 127.0.0.1 on a free port, and stops on exit:
  a. Oxigraph's server (`oxigraph serve --union-default-graph`) holding the release's `dataset.nq` in memory, as the
     service's embedded store does (`--oxigraph-store disk`: `oxigraph load`, then `serve-read-only` on RocksDB);
  b. the service (`python -m service serve`) with its caches disabled (`CACHE_BYTES=0`);
  c. the service with its answer cache (the default), so repeated queries may be answered from it;
  d. a Flask hello-world (bench/hello.py) under the same granian, workers and threads as the service;
  e. the isolation floor (bench/isolation_floor.py): a bare WSGI app running each query in the service's own
     query processes, under the same granian: what process isolation alone costs, without Flask or the protocol.
It checks that (a), (b), (c) and (e) give the same rows for every query, then measures them with wrk, interleaved
per query and concurrency (a-b-c-e, then e-c-b-a…) so that drift in the machine's load hits all alike, and counts
the processor time each server's processes spend per successful answer (robust to the machine's other work).
Markdown goes to stdout and to bench/results/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
REPORT = BENCH / "wrk_report.lua"
CANONICAL_BASE = "https://cper-hdf.example/"  # the release's own base: served unchanged, so both hold the same quads
# The named graphs written out explicitly: the same query for both, whatever each takes as its default graph.
FULL_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
SPARQL_JSON = "application/sparql-results+json"
DOCUMENT = "doc/organisation/departement-du-nord"
DUMP = "dataset.nq"  # the quads the service loads into its embedded store


class BenchError(RuntimeError):
    """The benchmark cannot run or its servers disagree; the message is the one line to print."""


@dataclass(frozen=True)
class Server:
    """A server this script started: its process (leader of its own process group), port and log file."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


@dataclass(frozen=True)
class Run:
    """One wrk run (or several merged): successful answers over seconds, latency percentiles (ms), failures."""

    successes: int
    seconds: float
    p50: float
    p99: float
    non_2xx: int
    socket_errors: int
    cpu_seconds: float = 0.0  # processor time of the server's processes during the run

    @property
    def rate(self) -> float:
        """Successful (2xx) answers per second: a fast 503 is not throughput."""
        return self.successes / self.seconds if self.seconds else 0.0

    @classmethod
    def merged(cls, runs: list[Run]) -> Run:
        return cls(
            successes=sum(r.successes for r in runs),
            seconds=sum(r.seconds for r in runs),
            p50=statistics.mean(r.p50 for r in runs),
            p99=statistics.mean(r.p99 for r in runs),
            non_2xx=sum(r.non_2xx for r in runs),
            socket_errors=sum(r.socket_errors for r in runs),
            cpu_seconds=sum(r.cpu_seconds for r in runs),
        )

    @property
    def cpu_per_answer(self) -> float:
        """Microseconds of the server's processor time per successful answer."""
        return self.cpu_seconds / self.successes * 1e6 if self.successes else float("nan")

    def cell(self) -> str:
        failures = self.non_2xx + self.socket_errors
        return f"{self.rate:,.0f}" + (f" ({failures:,} failed)" if failures else "")


def main() -> int:
    args = _arguments()
    try:
        oxigraph = _tools()
        queries = _queries()
        with _servers(args, oxigraph) as servers:
            report = _measure(args, servers, queries)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    print(report)
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"versus-oxigraph-{datetime.now(UTC):%Y%m%d-%H%M%S}.md"
    out.write_text(report, encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}", file=sys.stderr)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", type=Path, default=ROOT / "build", help="release directory (default: build)")
    parser.add_argument("--duration", type=int, default=2, help="seconds per wrk run under load (default: 2)")
    parser.add_argument(
        "--rounds", type=int, default=2, help="runs per server and case, in order a-b-c then c-b-a… (default: 2)"
    )
    parser.add_argument(
        "--connections", type=int, nargs="+", default=[16, 64], help="wrk connections, one run each (default: 16 64)"
    )
    parser.add_argument("--single-duration", type=int, default=1, help="seconds per single-client run (default: 1)")
    parser.add_argument("--workers", type=int, default=2, help="service and hello-world worker processes (default: 2)")
    parser.add_argument("--threads", type=int, default=8, help="blocking threads per worker (default: 8)")
    parser.add_argument(
        "--oxigraph-store",
        choices=("memory", "disk"),
        default="memory",
        help="Oxigraph's storage: in memory like the service's store (default), or RocksDB (load, serve-read-only)",
    )
    parser.add_argument(
        "--service-env",
        type=_setting,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a setting for both service instances (b and c), e.g. MAX_CONCURRENT_QUERIES=8; repeat as needed",
    )
    parser.add_argument("--results", type=Path, default=BENCH / "results", help="where the Markdown report goes")
    args = parser.parse_args()
    if not (args.release / DUMP).is_file():
        parser.error(f"no release in {args.release}: run `make build` first")
    args.release = args.release.resolve()
    return args


def _setting(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {text!r}")
    return key, value


def _tools() -> Path:
    """The oxigraph command; fails with one line if it or wrk is missing."""
    if shutil.which("wrk") is None:
        raise BenchError("wrk is missing: apt-get install wrk (or run `make bench-oxigraph` as root)")
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise BenchError("oxigraph is missing: pip install -e '.[bench]' (PyPI package `oxigraph`)")
    return Path(found)


def _queries() -> dict[str, str]:
    """The example queries of the query page, by file name, and the full count."""
    from service.queries import based, example_names, load

    # Their IRIs are relative to the release's base, stated in the prologue as the service does for its own.
    queries = {name.rsplit("/", 1)[-1]: based(load(name), CANONICAL_BASE) for name in example_names()}
    queries["full count"] = FULL_COUNT
    return queries


# --- servers -----------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _servers(args: argparse.Namespace, oxigraph: Path) -> Iterator[dict[str, Server]]:
    """Start the five servers, wait until each answers, and stop every one on the way out (SIGTERM/SIGINT too)."""
    started: dict[str, Server] = {}
    previous = {sig: signal.signal(sig, _exit_on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = Path(scratch)
        try:
            started["oxigraph"] = _oxigraph(oxigraph, args, work)
            serve = [sys.executable, "-m", "service", "serve", "--workers", str(args.workers)]
            serve += ["--threads", str(args.threads)]
            for name, cache in (("no cache", {"CACHE_BYTES": "0"}), ("cache", {})):
                port = _free_port()
                env = {"RELEASE_DIR": str(args.release), "HOST": "127.0.0.1", "PORT": str(port), **cache}
                # wrk's connections all come from 127.0.0.1: the per-client bound is for real clients, not them.
                env |= {"BASE_URL": CANONICAL_BASE, "MAX_REQUESTS_PER_CLIENT": "100000", **dict(args.service_env)}
                started[name] = _start(name, serve, port, work, env, "sparql?query=ASK%7B%7D")
            port = _free_port()
            started["hello"] = _start("hello", _granian("hello:create_app", port, args), port, work)
            port = _free_port()
            floor = _granian("isolation_floor:create_app", port, args)
            env = {"RELEASE_DIR": str(args.release)}
            started["floor"] = _start("floor", floor, port, work, env, "sparql?query=ASK%7B%7D")
            yield started
        finally:
            for server in started.values():
                _stop(server)
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _oxigraph(oxigraph: Path, args: argparse.Namespace, work: Path) -> Server:
    """Oxigraph's server holding the release's quads, in memory (as the service's store) or in RocksDB on disk."""
    port = _free_port()
    union = ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    if args.oxigraph_store == "disk":
        location = str(work / "oxigraph")
        _check_call([str(oxigraph), "load", "--location", location, "--file", str(args.release / DUMP)])
        _check_call([str(oxigraph), "optimize", "--location", location])  # its advice for a read-heavy endpoint
        return _start("oxigraph", [str(oxigraph), "serve-read-only", "--location", location, *union], port, work)
    # No --location: Oxigraph's in-memory storage, filled through its Graph Store Protocol (the only way in).
    server = _start("oxigraph", [str(oxigraph), "serve", *union], port, work)
    request = urllib.request.Request(
        server.url("store"), data=(args.release / DUMP).read_bytes(), headers={"Content-Type": "application/n-quads"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60):
            return server
    except OSError as error:
        _stop(server)
        raise BenchError(f"loading {DUMP} into oxigraph failed: {error}") from None


def _granian(target: str, port: int, args: argparse.Namespace) -> list[str]:
    """The granian command of `python -m service serve` (service/serving/serve.py), serving another app factory."""
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--factory",
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(args.workers), "--blocking-threads", str(args.threads),
        "--no-access-log", "--respawn-failed-workers", "--workers-kill-timeout", "10",
        "--working-dir", str(BENCH), target,
    ]  # fmt: skip


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally that stops the servers


def _check_call(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BenchError(f"{' '.join(command[:2])} failed: {last[0]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(
    name: str, command: list[str], port: int, work: Path, env: dict[str, str] | None = None, probe: str = ""
) -> Server:
    """Start a server in its own process group and wait (60 s at most) until `probe` answers 200."""
    log = work / f"{name.replace(' ', '-')}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{name} exited at start ({process.returncode}): {_last_line(log)}")
        try:
            with urllib.request.urlopen(server.url(probe), timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    _stop(server)
    raise BenchError(f"{name} did not answer on 127.0.0.1:{port} within 60 s: {_last_line(log)}")


def _stop(server: Server) -> None:
    """SIGTERM to the server's process group, SIGKILL to what is left after 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()


def _last_line(log: Path) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else "no output"


def _rss_mib(server: Server) -> float:
    """Resident memory of every process in the server's process group, in MiB."""
    return sum(int(fields[21]) for fields in _group_stats(server)) * os.sysconf("SC_PAGE_SIZE") / 2**20  # rss pages


def _cpu_seconds(server: Server) -> float:
    """Processor time (user + system) spent so far by the processes of the server's group that are running."""
    return sum(int(fields[11]) + int(fields[12]) for fields in _group_stats(server)) / os.sysconf("SC_CLK_TCK")


def _group_stats(server: Server) -> list[list[str]]:
    """/proc/PID/stat fields (from the state on) of every process in the server's process group."""
    stats = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == server.process.pid:  # field 5 of stat, the process group
                stats.append(fields)
    return stats


# --- measures ----------------------------------------------------------------------------------------------------


def _query_url(server: Server, query: str) -> str:
    path = "query" if server.name == "oxigraph" else "sparql"
    return server.url(f"{path}?{urllib.parse.urlencode({'query': query})}")


def _same_answers(servers: dict[str, Server], queries: dict[str, str]) -> list[str]:
    """Check that Oxigraph, both service instances and the floor give the same rows; one line per query saying so."""
    lines = []
    for name, query in queries.items():
        answers = {}
        for server in (servers["oxigraph"], servers["no cache"], servers["cache"], servers["floor"]):
            answers[server.name] = _rows(_fetch_json(server, _query_url(server, query), name))
        reference = answers["oxigraph"]
        for other, rows in answers.items():
            if rows != reference:
                raise BenchError(f"{other} and oxigraph disagree on {name}: {len(rows)} against {len(reference)} rows")
        if not reference:
            raise BenchError(f"{name} has an empty answer: timing it would measure nothing")
        lines.append(f"{name}: same answer from a, b, c and e ({_describe_answer(reference)})")
    return lines


def _fetch_json(server: Server, url: str, name: str) -> dict[str, object]:
    """The JSON answer to a GET, tried three times a second apart when the server says it is busy (503)."""
    request = urllib.request.Request(url, headers={"Accept": SPARQL_JSON})
    for attempt in range(3):
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return dict(json.load(answer))
        except urllib.error.HTTPError as error:
            if error.code != 503 or attempt == 2:
                raise BenchError(f"{server.name} failed on {name}: {error}") from None
        except (OSError, ValueError) as error:
            raise BenchError(f"{server.name} failed on {name}: {error}") from None
        time.sleep(1)
    raise AssertionError("unreachable")


def _pages_answer(servers: dict[str, Server]) -> list[str]:
    """Check that the document and the hello-world answer 200 with the expected type before timing them."""
    lines = []
    for server, path, accept in ((servers["cache"], DOCUMENT, "text/turtle"), (servers["hello"], "", "text/plain")):
        request = urllib.request.Request(server.url(path), headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                media_type, size = answer.headers.get_content_type(), len(answer.read())
        except OSError as error:
            raise BenchError(f"{server.name} failed on /{path}: {error}") from None
        if media_type != accept or not size:
            raise BenchError(f"{server.name} answered /{path} with {size} bytes of {media_type}, not {accept}")
        lines.append(f"/{path} on {server.name}: 200, {size:,} bytes of {media_type}")
    return lines


def _rows(answer: dict[str, object]) -> list[str]:
    """The answer as a sorted list of canonical rows (a boolean for ASK), so order of ties cannot differ."""
    if "boolean" in answer:
        return [json.dumps(answer["boolean"])]
    results = answer["results"]
    assert isinstance(results, dict)
    return sorted(json.dumps(row, sort_keys=True) for row in results["bindings"])


def _describe_answer(rows: list[str]) -> str:
    if rows in (["true"], ["false"]):
        return f"ASK {rows[0]}"
    return f"{len(rows)} row{'s' if len(rows) > 1 else ''}"


def _wrk(url: str, accept: str, seconds: int, connections: int, server: Server) -> Run:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(REPORT), "-H", f"Accept: {accept}", url]
    cpu_before = _cpu_seconds(server)
    done = subprocess.run(command, capture_output=True, text=True)
    cpu = _cpu_seconds(server) - cpu_before
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {url[:80]}: {(done.stderr or done.stdout).strip()[:200]}")
    figures = json.loads(line[len("BENCH ") :])
    seconds_run = figures["duration_us"] / 1e6
    return Run(
        successes=figures["requests"] - figures["non_2xx"],
        seconds=seconds_run,
        p50=figures["p50_us"] / 1000,
        p99=figures["p99_us"] / 1000,
        non_2xx=figures["non_2xx"],
        socket_errors=figures["socket_errors"],
        cpu_seconds=cpu,
    )


Target = tuple[str, str, Server]  # URL, Accept, the server answering it


def _side_by_side(targets: dict[str, Target], seconds: int, connections: int, rounds: int) -> dict[str, Run]:
    """Measure each target (label: URL, Accept, server) `rounds` times, in order a-b-c, then c-b-a, and so on.

    Reversing the order every round puts each target as often early as late, so a load on the machine that rises
    or falls during the run hits them alike. Runs of a target are merged: requests over time, mean percentiles.
    """
    runs: dict[str, list[Run]] = {label: [] for label in targets}
    order = list(targets)
    for _ in range(rounds):
        for label in order:
            url, accept, server = targets[label]
            runs[label].append(_wrk(url, accept, seconds, connections, server))
        order.reverse()
    return {label: Run.merged(label_runs) for label, label_runs in runs.items()}


def _measure(args: argparse.Namespace, servers: dict[str, Server], queries: dict[str, str]) -> str:
    checks = _same_answers(servers, queries) + _pages_answer(servers)
    load_before = os.getloadavg()[0]
    for line in checks:
        print(line, file=sys.stderr)
    loaded = (len(queries) * 4 + 2) * len(args.connections) * args.rounds * args.duration
    alone = len(queries) * 2 * args.rounds * args.single_duration
    print(f"measuring for about {loaded + alone} s", file=sys.stderr)

    def sparql(labels: tuple[str, ...], query: str) -> dict[str, Target]:
        return {label: (_query_url(servers[label], query), SPARQL_JSON, servers[label]) for label in labels}

    load: dict[tuple[str, int], dict[str, Run]] = {}
    for connections in args.connections:
        for name, query in queries.items():
            targets = sparql(("oxigraph", "no cache", "cache", "floor"), query)
            load[name, connections] = _side_by_side(targets, args.duration, connections, args.rounds)
            print(f"  {connections} connections, {name}: done", file=sys.stderr)
    single = {
        name: _side_by_side(sparql(("oxigraph", "no cache"), query), args.single_duration, 1, args.rounds)
        for name, query in queries.items()
    }
    pages = {
        connections: _side_by_side(
            {
                "hello": (servers["hello"].url(""), "text/plain", servers["hello"]),
                "doc": (servers["cache"].url(DOCUMENT), "text/turtle", servers["cache"]),
            },
            args.duration,
            connections,
            args.rounds,
        )
        for connections in args.connections
    }
    memory = {name: _rss_mib(server) for name, server in servers.items()}
    busy = f"load average (1 min) {load_before:.1f} before timing, {os.getloadavg()[0]:.1f} after"
    return _report(args, queries, load, single, pages, memory, checks, busy)


# --- report ------------------------------------------------------------------------------------------------------


def _report(
    args: argparse.Namespace,
    queries: dict[str, str],
    load: dict[tuple[str, int], dict[str, Run]],
    single: dict[str, dict[str, Run]],
    pages: dict[int, dict[str, Run]],
    memory: dict[str, float],
    checks: list[str],
    busy: str,
) -> str:
    per_run = f"{args.rounds} x {args.duration} s"
    out = [f"## Service against Oxigraph's server, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", ""]
    out += [f"- {line}" for line in _environment(args)] + [f"- machine's other work: {busy}"]
    out += ["", "Checked before timing:", ""] + [f"- {line}" for line in checks]
    for connections in args.connections:
        out += [
            "",
            f"### {connections} connections, {per_run}: successful req/s (a: Oxigraph server, "
            "b: /sparql without answer cache, c: /sparql with it, e: the isolation floor)",
            "",
            "| query | a req/s | b req/s | c req/s | e req/s | b/a | c/a | e/a | CPU µs per answer a / b / e "
            "| a p50 / p99 ms | b p50 / p99 ms | c p50 / p99 ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in queries:
            a, b, c, e = (load[name, connections][k] for k in ("oxigraph", "no cache", "cache", "floor"))
            out.append(
                f"| {name} | {a.cell()} | {b.cell()} | {c.cell()} | {e.cell()} | {_ratio(b, a, 0.8)} | "
                f"{_ratio(c, a, 1.0)} | {_ratio(e, a, None)} | "
                f"{a.cpu_per_answer:,.0f} / {b.cpu_per_answer:,.0f} / {e.cpu_per_answer:,.0f} | "
                f"{a.p50:.1f} / {a.p99:.1f} | {b.p50:.1f} / {b.p99:.1f} | {c.p50:.1f} / {c.p99:.1f} |"
            )
    out += [
        "",
        f"### One client, {args.rounds} x {args.single_duration} s: median latency (ms)",
        "",
        "| query | a Oxigraph | b /sparql (no cache) | b/a |",
        "|---|---:|---:|---:|",
    ]
    for name in queries:
        a, b = single[name]["oxigraph"], single[name]["no cache"]
        out.append(f"| {name} | {a.p50:.2f} | {b.p50:.2f} | {b.p50 / a.p50:.2f}x |")
    out += [
        "",
        f"### `/{DOCUMENT}` (Turtle) against a Flask hello-world, same granian, {args.workers} workers x "
        f"{args.threads} threads, {per_run}",
        "",
        "| connections | hello req/s | doc req/s | doc/hello | hello p50 / p99 ms | doc p50 / p99 ms |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for connections, runs in pages.items():
        hello, doc = runs["hello"], runs["doc"]
        out.append(
            f"| {connections} | {hello.cell()} | {doc.cell()} | {_ratio(doc, hello, 0.8)} | "
            f"{hello.p50:.1f} / {hello.p99:.1f} | {doc.p50:.1f} / {doc.p99:.1f} |"
        )
    out += ["", "Resident memory after the run (MiB, all processes of each server): "]
    out[-1] += ", ".join(f"{name} {mib:,.0f}" for name, mib in memory.items())
    out += ["", "Ratios marked ✗ miss issue 6's targets (b/a ≥ 0.8, c/a > 1, doc/hello ≥ 0.8); e/a has none: it"]
    out[-1] += " bounds b/a from above (the service does all the floor does, and more)."
    return "\n".join(out) + "\n"


def _ratio(run: Run, reference: Run, target: float | None) -> str:
    if reference.rate == 0:
        return "n/a"
    ratio = run.rate / reference.rate
    met = target is None or (ratio > target if target == 1.0 else ratio >= target)
    return f"{ratio:.2f}x" + ("" if met else " ✗")


def _environment(args: argparse.Namespace) -> list[str]:
    manifest = json.loads((args.release / "manifest.json").read_text(encoding="utf-8"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "service"], cwd=ROOT, capture_output=True, text=True)
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()
    return [
        f"command: `{' '.join(['bench/versus_oxigraph.py', *sys.argv[1:]])}`",
        f"machine: {platform.machine()}, {os.cpu_count()} cores ({_cpu_model()}), Linux {platform.release()}",
        f"code: commit {commit.stdout.strip() or '?'}{' with local changes under service/' if dirty.stdout else ''}; "
        f"release {manifest.get('version', '?')}",
        f"versions: oxigraph {version('oxigraph')}, pyoxigraph {version('pyoxigraph')}, granian {version('granian')}, "
        f"Flask {version('flask')}, Python {platform.python_version()}, {wrk}",
        f"service: `python -m service serve --workers {args.workers} --threads {args.threads}`"
        f"{''.join(f' {k}={v}' for k, v in args.service_env)}; "
        f"Oxigraph: `{_oxigraph_command(args)} --union-default-graph` (its own threads, same cores)",
    ]


def _oxigraph_command(args: argparse.Namespace) -> str:
    if args.oxigraph_store == "disk":
        return "oxigraph serve-read-only --location DIR"
    return "oxigraph serve"  # in memory


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    raise SystemExit(main())
