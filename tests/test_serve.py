"""The production server (serving/serve.py, serving/workers.py): dead workers and a dead granian are replaced
with back-off, forever, the port stays open meanwhile, each death is logged, and SIGTERM stops everything."""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import LiveServer, descendants, start_server, stop_server

from service.serving.serve import _listeners
from service.serving.workers import Backoff, exit_status


def test_backoff_doubles_on_quick_deaths_and_resets_after_a_stable_life() -> None:
    backoff = Backoff(first=0.5, ceiling=4.0, stable=60.0)
    assert [backoff.after_death(1.0) for _ in range(6)] == [0.0, 0.5, 1.0, 2.0, 4.0, 4.0]
    assert backoff.after_death(61.0) == 0.0  # it lived long enough: the next death is a first one again
    assert backoff.after_death(1.0) == 0.0
    assert backoff.after_death(1.0) == 0.5


def test_exit_statuses_read_as_words() -> None:
    assert exit_status(-9) == "killed by SIGKILL"
    assert exit_status(-6) == "killed by SIGABRT"
    assert exit_status(3) == "exited with code 3"
    assert exit_status(None) == "ended (status unknown)"


@dataclass
class Probe:
    """GETs /robots.txt every 50 ms on a thread and counts what happened: answers, refusals while no socket
    listened on the port (it was closed), other failures."""

    port: int
    answered: int = 0
    refused: int = 0
    failed: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/robots.txt", timeout=5) as response:
                    response.read()
                    self.answered += 1
            except urllib.error.URLError as error:
                listening = _listeners(self.port)
                if isinstance(error.reason, ConnectionRefusedError) and not listening:
                    self.refused += 1  # nothing listened: the port was closed
                elif isinstance(error.reason, ConnectionRefusedError):
                    # Another worker listened: Linux resets an attempt that was on its way to the socket of a
                    # worker dying at that instant (one SO_REUSEPORT socket per worker), like a queued connection.
                    self.failed.append(f"refused while {listening} socket(s) listened")
                else:
                    self.failed.append(repr(error.reason))
            except (ConnectionError, TimeoutError) as error:  # a reset: the connection was queued on a dying worker
                self.failed.append(repr(error))
            time.sleep(0.05)


@pytest.fixture()
def server(release_dir: Path) -> Iterator[LiveServer]:
    live = start_server(release_dir, workers=2)
    yield live
    stop_server(live)


def _granian(server: LiveServer) -> int:
    """granian's main process: the supervisor's child with children (orphaned workers are its children too)."""
    tree = descendants(server.process.pid)
    (main,) = [pid for pid in tree if _parent(pid) == server.process.pid and any(_parent(c) == pid for c in tree)]
    return main


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _workers(server: LiveServer) -> list[int]:
    main = _granian(server)
    return [pid for pid in descendants(main) if _parent(pid) == main]


def _answers_within(port: int, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/doc/territory/nord", timeout=2) as response:
                assert response.status == 200 and b"territory/nord" in response.read()
                return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"the service did not answer within {seconds} s")


def _log_after_stop(server: LiveServer) -> str:
    """SIGTERM to the supervisor alone; it must stop granian and every worker, exit 0, and give back its log."""
    tree = descendants(server.process.pid)
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30) == 0
    assert not [pid for pid in tree if Path(f"/proc/{pid}").exists() and _parent(pid) != 1], "a process outlived"
    assert server.process.stdout is not None
    return server.process.stdout.read().decode(errors="replace")


def _when(condition: object, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if callable(condition) and condition():
                return
        except (ValueError, OSError):  # processes appear and end meanwhile
            pass
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_a_worker_killed_twice_within_three_seconds_is_replaced_while_the_port_stays_open(server: LiveServer) -> None:
    probe = Probe(server.port)
    thread = threading.Thread(target=probe.run)
    thread.start()
    try:
        first = _workers(server)[0]
        os.kill(first, signal.SIGKILL)
        _when(lambda: len(_workers(server)) == 2 and first not in _workers(server))
        time.sleep(1.0)  # granian 2.8 alone exits on a second death of the same worker within 5.5 s
        os.kill(max(_workers(server)), signal.SIGKILL)  # the newest worker: the one just respawned
        _answers_within(server.port, 10)
        time.sleep(2)
    finally:
        probe.stop.set()
        thread.join()
    assert probe.refused == 0, f"the port was closed for {probe.refused} probes ({probe.answered} answered)"
    assert probe.answered > 20 and len(probe.failed) <= 4, probe.failed
    assert len(_workers(server)) == 2
    log = _log_after_stop(server)
    assert log.count("killed by SIGKILL") == 2, log
    assert "respawning it" in log and "crash loop" not in log


def test_a_killed_granian_is_restarted_and_its_workers_serve_meanwhile(server: LiveServer) -> None:
    probe = Probe(server.port)
    thread = threading.Thread(target=probe.run)
    thread.start()
    try:
        old_main, old_workers = _granian(server), _workers(server)
        os.kill(old_main, signal.SIGKILL)
        _answers_within(server.port, 10)
        _when(lambda: _granian(server) != old_main and len(_workers(server)) == 2, 60)
        _when(lambda: not any(Path(f"/proc/{pid}").exists() for pid in old_workers), 60)  # the orphans are stopped
        os.kill(_granian(server), signal.SIGKILL)  # twice in a row: still restarted
        _answers_within(server.port, 10)
        _when(lambda: len(_workers(server)) == 2 and _listeners(server.port) == 2, 60)
        time.sleep(1)
    finally:
        probe.stop.set()
        thread.join()
    assert probe.refused == 0, f"the port was closed for {probe.refused} probes ({probe.answered} answered)"
    log = _log_after_stop(server)
    assert log.count("[supervisor] granian") == 2 and "killed by SIGKILL" in log, log
    assert "stopped 2 worker(s) of the previous granian" in log
