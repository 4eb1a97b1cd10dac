"""Serving the app in production: check settings and release, then supervise granian so that it runs forever.

Two layers keep the port answering. granian's workers are replaced by granian itself, with back-off, however
often they die (service/serving/workers.py). granian's main process is watched here: if it ends without being asked
to (killed, crashed), it is started again, after a back-off delay while deaths keep coming. Its orphaned
workers (each listens on the port with SO_REUSEPORT) go on answering until the new granian's workers listen,
and are stopped then, so a dead main process closes nothing. SIGTERM and SIGINT are passed on to granian for a
clean stop; this process then exits 0.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from service.config import Settings
from service.publication import layout
from service.publication.published import load
from service.serving.workers import Backoff, exit_status

PR_SET_CHILD_SUBREAPER = 36  # Linux: orphans of our descendants become our children, so we can stop them
HANDOVER_TIMEOUT = 60.0  # seconds the workers of a dead granian may serve while a new one starts
STOP_GRACE = 15.0  # seconds granian gets to stop its workers (it kills them itself after 10) before SIGKILL


def serve(workers: int, threads: int) -> int:
    """Check the settings and the release, then run granian serving `create_app()` until SIGTERM/SIGINT.

    Checking first turns a missing build, a damaged release or a bad setting into one clear line instead of
    workers that die at start forever.

    :raises SettingsError: a setting is malformed.
    :raises ReleaseMissing: the release is missing or fails verification.
    """
    settings = Settings.from_env(os.environ)
    published = load(settings)
    print(
        f"Serving release {published.version} of {settings.release_dir} at {settings.base_url} "
        f"(SPARQL: {layout.sparql_url(settings.base_url)}) with {workers} workers",
        flush=True,
    )
    del published
    command = [sys.executable, "-m", "service.serving.workers", "--workers", str(workers), "--threads", str(threads)]
    return Supervisor(command, settings.port, workers).run()


class Supervisor:
    """Runs one command, starts it again whenever it ends unasked, and stops it cleanly on SIGTERM/SIGINT."""

    def __init__(self, command: list[str], port: int, workers: int) -> None:
        self.command, self.port, self.workers = command, port, workers
        self.stopping = False
        self.child: subprocess.Popen[bytes] | None = None
        self.backoff = Backoff()

    def run(self) -> int:
        _become_subreaper()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)
        orphans: list[int] = []
        while not self.stopping:
            started = time.monotonic()
            self.child = subprocess.Popen(self.command)
            if self.stopping:  # asked to stop while it was being started: _shutdown stops it
                break
            if orphans:
                self._handover(orphans, self.child)
            code = self._wait(self.child)
            if self.stopping:
                break
            lived = time.monotonic() - started
            orphans = _children(os.getpid())
            delay = self.backoff.after_death(lived)
            _say(f"granian (pid {self.child.pid}) {exit_status(code)} after {lived:.1f} s; "
                 f"restarting it{f' in {delay:.1f} s' if delay else ''}")  # fmt: skip
            self._pause(delay)
        self._shutdown()
        return 0

    def _wait(self, child: subprocess.Popen[bytes]) -> int:
        while True:
            try:
                return child.wait()
            except InterruptedError:  # pragma: no cover - PEP 475 retries, kept for clarity
                continue

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM if signum == signal.SIGTERM else signal.SIGINT)

    def _shutdown(self) -> None:
        child = self.child
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self._stop_orphans()

    def _handover(self, orphans: list[int], child: subprocess.Popen[bytes]) -> None:
        """Let the orphans serve until the new granian's workers listen too (or it fails), then stop them."""
        wanted = _listeners(self.port) + self.workers
        deadline = time.monotonic() + HANDOVER_TIMEOUT
        while not self.stopping and child.poll() is None and time.monotonic() < deadline:
            if _listeners(self.port) >= wanted:
                break
            time.sleep(0.1)
        self._stop_orphans(orphans)
        _say(f"stopped {len(orphans)} worker(s) of the previous granian: {' '.join(map(str, orphans))}")

    def _stop_orphans(self, pids: list[int] | None = None) -> None:
        """Kill and reap the processes left to us (workers of a granian that died), so none serves an old app."""
        for pid in _children(os.getpid()) if pids is None else pids:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                continue

    def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, deadline - time.monotonic()))


def _say(line: str) -> None:
    print(f"[supervisor] {line}", file=sys.stderr, flush=True)


def _become_subreaper() -> None:
    """Have the workers of a killed granian reparented to this process (Linux), not to init, so they can be stopped."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _children(pid: int) -> list[int]:
    """The direct children of `pid`, from /proc (empty where /proc is absent)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _listeners(port: int) -> int:
    """How many sockets listen on TCP `port` in this network namespace (granian's workers each have one)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 3 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                count += 1
    return count
