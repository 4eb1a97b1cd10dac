"""Client queries run out of the web workers, in supervised query processes, within time, memory and size budgets.

Each web worker keeps two lanes of query processes (`query_worker`), each process holding its own copy of the
store. A query first runs in the *cheap* lane with a short budget; if it passes that budget, its process is killed
and replaced, the query is remembered as expensive, and it runs again in the *heavy* lane for what is left of
`QUERY_TIMEOUT`. Expensive queries go straight to the heavy lane, which is small and takes one query per client
at a time: a client looping heavy queries waits for, or is refused, the heavy lane while every cheap query goes
on in the cheap lane. A process that dies (engine panic, memory cap, stack overflow, kill) costs its query only:
the death is logged with the query, and a new process is started, with back-off, forever.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from service.errors import BadRequest, Overloaded, QueryFailed
from service.store.query_worker import FRAME, write_frame

log = logging.getLogger(__name__)
WORKER_SCRIPT = Path(__file__).with_name("query_worker.py")
QUERY_STACK_BYTES = 64 * 1024 * 1024
HEAVY_NICENESS = 10
START_SECONDS = 30.0
READ_BYTES = 64 * 1024  # most answers arrive in one read of this size
REAP_SECONDS = 0.5  # a new process loads the store; past this it is deemed broken and retried
REFUSED_SERVICE = (
    "SERVICE is refused: this endpoint does not call other services on a client's behalf "
    "(the query tried to reach the network, which query processes cannot do)."
)


@dataclass(frozen=True)
class Budgets:
    """What one query may take: seconds in all and in the cheap lane, memory it may add, bytes of answer."""

    timeout: float
    cheap_seconds: float
    memory_bytes: int
    answer_bytes: int
    queue_wait: float


@dataclass(frozen=True)
class Job:
    """One client query with its dataset and the pyoxigraph format names its answer is written in."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    union: bool
    results: str
    graph: str
    base_iri: str | None

    def request(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "default_graphs": list(self.default_graphs),
            "named_graphs": list(self.named_graphs),
            "union": self.union,
            "results": self.results,
            "graph": self.graph,
            "base_iri": self.base_iri,
        }


@dataclass(frozen=True)
class Reply:
    kind: str  # "boolean", "solutions" or "graph"
    body: bytes


class _TimedOut(Exception):
    pass


class _Died(Exception):
    pass


class QueryProcess:
    """One running `query_worker`, spoken to over its stdin/stdout; its stderr kept to explain its death."""

    def __init__(self, dataset: bytes, budgets: Budgets, niceness: int = 0) -> None:
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  # lives as long as the process
        command = [sys.executable, "-I", str(WORKER_SCRIPT), str(budgets.memory_bytes), str(QUERY_STACK_BYTES),
                   str(budgets.answer_bytes), str(niceness)]  # fmt: skip
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            bufsize=0,
            close_fds=True,
            env={**os.environ, "RUST_BACKTRACE": "0"},  # a panic's message, not pages of backtrace
        )
        self.pid = self._process.pid
        assert self._process.stdout is not None
        self._output = self._process.stdout.fileno()
        self._poller = select.poll()
        self._poller.register(self._output, select.POLLIN | select.POLLHUP | select.POLLERR)
        try:
            self._send({"load": "N_QUADS"}, dataset)
            header, _ = self._receive(time.monotonic() + START_SECONDS)
        except (_TimedOut, _Died) as error:
            reason = self.kill()
            raise RuntimeError(f"query process {self.pid} did not start: {reason}") from error
        if "ready" not in header:
            self.kill()
            raise RuntimeError(f"query process {self.pid} did not start: {header}")

    def run(self, job: Job, seconds: float) -> tuple[dict[str, Any], bytes]:
        """The worker's answer header and body.

        :raises _TimedOut: no answer within `seconds` (the process is still running: kill it).
        :raises _Died: the process ended.
        """
        self._send(job.request())
        return self._receive(time.monotonic() + seconds)

    def alive(self) -> bool:
        return self._process.poll() is None

    def kill(self) -> str:
        """End the process (if it still runs) and say how it ended, with the end of what it wrote on stderr."""
        with contextlib.suppress(ProcessLookupError):
            self._process.kill()
        code = self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):
                stream and stream.close()
        self._stderr.seek(0)
        said = self._stderr.read(4096).decode("utf-8", "replace")  # the engine's reason comes first
        self._stderr.close()
        ending = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        return f"{ending}; it wrote: {_engine_lines(said) or 'nothing'}"

    def _send(self, header: dict[str, Any], body: bytes = b"") -> None:
        try:
            assert self._process.stdin is not None
            write_frame(self._process.stdin, header, body)
        except (BrokenPipeError, ValueError, OSError) as error:
            raise _Died from error

    def _receive(self, deadline: float) -> tuple[dict[str, Any], bytes]:
        """The next frame. One read usually brings all of it: fewer system calls on every query's way back."""
        import json

        data = bytearray()
        while len(data) < FRAME.size:
            data += self._chunk(deadline)
        header_size, body_size = FRAME.unpack_from(data)
        end = FRAME.size + header_size + body_size
        while len(data) < end:
            data += self._chunk(deadline, end - len(data))
        # The process writes one frame per request and nothing else: nothing can follow `end`.
        frame = memoryview(data)  # slices of it are views: the body is copied once, into the bytes returned
        header = json.loads(bytes(frame[FRAME.size : FRAME.size + header_size]))
        return header, bytes(frame[FRAME.size + header_size : end])

    def _chunk(self, deadline: float, wanted: int = 0) -> bytes:
        left = deadline - time.monotonic()
        if left <= 0 or not self._poller.poll(left * 1000):
            raise _TimedOut
        chunk = os.read(self._output, min(max(wanted, READ_BYTES), 1 << 20))
        if not chunk:
            raise _Died
        return chunk


def _engine_lines(said: str) -> str:
    """The lines of a dying process's stderr that explain it (the panic message, not the whole backtrace)."""
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    telling = [line for line in lines if not line[:1].isdigit() and not line.startswith(("at ", "note:"))]
    return " | ".join(telling[:4])[:600]


class Lane:
    """A fixed number of query processes, started on first use; one that dies or is killed is replaced in the
    background, with back-off, until the lane is closed."""

    def __init__(self, name: str, size: int, start: Callable[[], QueryProcess]) -> None:
        self.name, self.size, self._start = name, size, start
        self._idle: list[QueryProcess] = []
        self._ready = threading.Condition()
        self._started_once = threading.Event()
        self._launched = self._closed = False

    def acquire(self, wait: float) -> QueryProcess | None:
        """An idle process, waiting up to `wait` seconds (longer while the lane's first processes start)."""
        with self._ready:
            launch, self._launched = not self._launched, True
        if launch:
            for _ in range(self.size):
                self._replace()
            threading.Thread(target=self._reap, name=f"reap-{self.name}-query-processes", daemon=True).start()
        if not self._started_once.is_set():
            wait = max(wait, START_SECONDS)
        deadline = time.monotonic() + wait
        with self._ready:
            while not self._idle:
                left = deadline - time.monotonic()
                if left <= 0 or not self._ready.wait(left):
                    return None
            process = self._idle.pop()
        if not process.alive():  # killed while idle (by an operator, the OOM killer): never hand it a query
            self.discard(process)
            return self.acquire(wait)
        return process

    def release(self, process: QueryProcess) -> None:
        with self._ready:
            if not self._closed:
                self._idle.append(process)
                self._ready.notify()
                return
        process.kill()  # a query that ended after close(), or a process started meanwhile

    def close(self) -> None:
        """Kill the idle processes, and each busy one as its query ends; start no more."""
        with self._ready:
            idle, self._idle, self._closed = self._idle, [], True
        for process in idle:
            process.kill()

    def discard(self, process: QueryProcess) -> str:
        """Kill a process that timed out or died, start its replacement, and say how it ended."""
        reason = process.kill()
        self._replace()
        return reason

    def _reap(self) -> None:
        """Replace idle processes that died (killed by an operator or the OOM killer) without waiting for a query."""
        while True:
            time.sleep(REAP_SECONDS)
            with self._ready:
                dead = [process for process in self._idle if not process.alive()]
                self._idle = [process for process in self._idle if process not in dead]
            for process in dead:
                log.error("idle %s query process %d died (%s); starting another", self.name, process.pid,
                          self.discard(process))  # fmt: skip

    def _replace(self) -> None:
        if self._closed:
            return
        threading.Thread(target=self._start_one, name=f"start-{self.name}-query-process", daemon=True).start()

    def _start_one(self) -> None:
        delay = 0.5
        while not self._closed:
            try:
                process = self._start()
            except (OSError, RuntimeError) as error:
                log.error("could not start a %s query process (retrying in %.1f s): %s", self.name, delay, error)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            self._started_once.set()
            self.release(process)
            return


class CostMemory:
    """Which query texts proved expensive (passed the cheap budget), most recent first, bounded in count.

    A query is remembered by a 16-byte digest, never its text: 10,000 long queries then cost about 2 MB, not
    10,000 times their length.
    """

    def __init__(self, limit: int = 10_000) -> None:
        self._expensive: OrderedDict[bytes, None] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def is_expensive(self, key: Any) -> bool:
        digest = _digest(key)
        with self._lock:
            if digest in self._expensive:
                self._expensive.move_to_end(digest)
                return True
            return False

    def forget(self, key: Any) -> None:
        with self._lock:
            self._expensive.pop(_digest(key), None)

    def remember(self, key: Any) -> None:
        key = _digest(key)
        with self._lock:
            self._expensive[key] = None
            self._expensive.move_to_end(key)
            while len(self._expensive) > self._limit:
                self._expensive.popitem(last=False)


class QueryPool:
    """Runs client queries in a cheap lane and a heavy lane of query processes (see the module's docstring)."""

    def __init__(self, dataset: bytes, budgets: Budgets, cheap: int, heavy: int) -> None:
        self.budgets = budgets
        self.retry_after = max(1, round(budgets.timeout))
        self.costs = CostMemory()
        self._heavy_clients: dict[str, int] = {}
        self._clients_lock = threading.Lock()
        self.cheap = Lane("cheap", cheap, lambda: QueryProcess(dataset, budgets))
        # Expensive queries yield the processor to cheap ones: the kernel schedules them at a lower priority.
        self.heavy = Lane("heavy", heavy, lambda: QueryProcess(dataset, budgets, niceness=HEAVY_NICENESS))
        atexit.register(self.close)  # processes end with their web worker anyway; this closes their pipes cleanly

    def run(self, job: Job, client: str) -> Reply:
        """The answer to `job`.

        :raises BadRequest: the query is not valid, cannot be evaluated, or tried to reach the network.
        :raises Overloaded: no process free in time, or the query passed its time or memory budget.
        :raises QueryFailed: the answer passed the size cap, or the query made the engine fail.
        """
        deadline = time.monotonic() + self.budgets.timeout
        key = (job.query, job.default_graphs, job.named_graphs, job.union)
        if self.costs.is_expensive(key):
            return self._run_heavy(job, key, client, deadline)
        process = self.cheap.acquire(self.budgets.queue_wait)
        if process is None:
            raise Overloaded(f"All {self.cheap.size} query processes are busy; retry in a moment.", self.retry_after)
        cheap_deadline = min(deadline, time.monotonic() + self.budgets.cheap_seconds)
        try:
            header, body = process.run(job, cheap_deadline - time.monotonic())
        except _TimedOut:
            self.cheap.discard(process)
            self.costs.remember(key)
            if deadline - time.monotonic() < 0.05:
                raise self._too_long() from None
            return self._run_heavy(job, key, client, deadline)
        except _Died:
            raise self._died(self.cheap, process, job, client) from None
        self.cheap.release(process)
        return _reply(header, body, self.budgets)

    def _run_heavy(self, job: Job, key: Any, client: str, deadline: float) -> Reply:
        with self._clients_lock:
            if self._heavy_clients.get(client, 0) >= 1:
                raise Overloaded("This client already has an expensive query running here; wait for its answer "
                                 "before sending another.", self.retry_after)  # fmt: skip
            self._heavy_clients[client] = self._heavy_clients.get(client, 0) + 1
        try:
            process = self.heavy.acquire(min(self.budgets.queue_wait, max(0.0, deadline - time.monotonic())))
            if process is None:
                message = "This query proved expensive and every process for expensive queries is busy; "
                raise Overloaded(message + "retry later, or add a LIMIT or more selective patterns.", self.retry_after)
            started = time.monotonic()
            try:
                header, body = process.run(job, max(0.0, deadline - started))
            except _TimedOut:
                self.heavy.discard(process)
                raise self._too_long() from None
            except _Died:
                raise self._died(self.heavy, process, job, client) from None
            self.heavy.release(process)
            if time.monotonic() - started < self.budgets.cheap_seconds:
                self.costs.forget(key)  # it passed the cheap budget by bad luck (a loaded machine), not by its cost
            return _reply(header, body, self.budgets)
        finally:
            with self._clients_lock:
                self._heavy_clients[client] -= 1
                if not self._heavy_clients[client]:
                    del self._heavy_clients[client]

    def _too_long(self) -> Overloaded:
        message = f"The query ran longer than this endpoint's limit of {self.budgets.timeout:g} s; "
        return Overloaded(message + "simplify it (LIMIT, fewer joins) or retry later.", self.retry_after)

    def _died(self, lane: Lane, process: QueryProcess, job: Job, client: str) -> Exception:
        reason = lane.discard(process)
        log.error("query process %d died running a query from %s (%s); the query was: %s",
                  process.pid, client, reason, job.query[:2000])  # fmt: skip
        if "memory allocation" in reason or "MemoryError" in reason:
            mebibytes = self.budgets.memory_bytes // (1024 * 1024)
            return Overloaded(f"The query needed more than this endpoint's {mebibytes} MiB of working memory; "
                              "simplify it (LIMIT, fewer joins).", self.retry_after)  # fmt: skip
        if reason.startswith("signal SIGKILL"):  # not ours (we kill on time-outs only): an operator or the OOM killer
            return Overloaded("The process running this query was stopped from outside; retry in a moment.", 1)
        return QueryFailed("The query engine failed on this query (the failure was logged); try writing it "
                           "another way, e.g. ORDER BY STR(?x) instead of sorting terms of mixed types.")  # fmt: skip

    def close(self) -> None:
        """Kill every query process (used by tests; processes also end when their web worker ends)."""
        for lane in (self.cheap, self.heavy):
            lane.close()


def _digest(key: Any) -> bytes:
    return hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _reply(header: dict[str, Any], body: bytes, budgets: Budgets) -> Reply:
    if "kind" in header:
        return Reply(str(header["kind"]), body)
    error, message = header.get("error"), str(header.get("message", ""))
    if error == "syntax":
        raise BadRequest(f"SPARQL syntax error: {message}")
    if error == "network":
        raise BadRequest(REFUSED_SERVICE)
    if error == "too_large":
        raise QueryFailed(f"The answer is larger than this endpoint's limit of {budgets.answer_bytes} bytes; "
                          "ask for less (LIMIT, fewer variables) or download the dumps.")  # fmt: skip
    raise BadRequest(f"the query could not be run: {message}")
