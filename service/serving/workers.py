"""granian's multi-process server serving `create_app()`, made to replace dead workers forever, with back-off.

granian (2.8) respawns a worker that dies, but when the same worker dies again within 5.5 s it logs "Worker crash
loop detected" and exits, closing the port for good. Here a death is never a reason to stop: each is logged with
the worker's exit status, and the worker comes back after a delay that doubles while deaths keep coming soon
after a respawn (0, 0.5, 1, 2… up to 30 s) and falls back to zero once a worker has lived a minute. The other
workers keep their listening sockets meanwhile, so the port stays open. Run as `python -m service.serving.workers`
(by `service.serve`, which restarts this process too if it dies).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import time
from collections.abc import Sequence
from typing import Any

from granian.constants import Interfaces
from granian.http import HTTP1Settings
from granian.server import MPServer

from service.config import Settings

log = logging.getLogger("_granian")  # granian's own logger: one format for its lines and ours

FIRST_DELAY, MAX_DELAY, STABLE_AFTER = 0.5, 30.0, 60.0


class Backoff:
    """The delay before restarting something that died: doubles on quick deaths, resets after a stable life."""

    def __init__(self, first: float = FIRST_DELAY, ceiling: float = MAX_DELAY, stable: float = STABLE_AFTER) -> None:
        self.first, self.ceiling, self.stable = first, ceiling, stable
        self.quick_deaths = 0

    def after_death(self, lived: float) -> float:
        """Seconds to wait before the restart of something that died after `lived` seconds."""
        self.quick_deaths = 0 if lived >= self.stable else self.quick_deaths + 1
        if self.quick_deaths <= 1:
            return 0.0
        return min(self.ceiling, self.first * 2 ** (self.quick_deaths - 2))


def exit_status(code: int | None) -> str:
    """`killed by SIGKILL`, `exited with code 3`: how a process ended, for the log."""
    if code is None:
        return "ended (status unknown)"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


class PatientServer(MPServer):
    """granian's MPServer, except that a worker's death is met with a respawn after back-off, never an exit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._backoffs: dict[int, Backoff] = {}

    def _respawn_workers(self, workers: Any, spawn_target: Any, target_loader: Any, delay: float = 0) -> None:
        for idx in workers:
            worker = self.wrks[idx]
            code = worker.inner.exitcode
            if code is None:
                continue  # a planned respawn (reload, lifetime): not a death
            lived = time.monotonic() - worker.birth
            wait = self._backoffs.setdefault(idx, Backoff()).after_death(lived)
            log.error(
                "worker-%d (pid %s) %s after %.1f s; respawning it%s",
                idx + 1, worker._id(), exit_status(code), lived, f" in {wait:.1f} s" if wait else "",
            )  # fmt: skip
            self._pause(wait)
        if self.interrupt_signal:
            return
        super()._respawn_workers(workers, spawn_target, target_loader, delay)
        # granian reads these respawn times to declare a crash loop and exit; deaths are paced here instead.
        self.respawned_wrks.clear()

    def _pause(self, seconds: float) -> None:
        """Sleep, but stop early when asked to shut down (the signal handler sets `interrupt_signal`)."""
        deadline = time.monotonic() + seconds
        while not self.interrupt_signal and time.monotonic() < deadline:
            time.sleep(min(0.1, deadline - time.monotonic()))


def build_server(settings: Settings, workers: int, threads: int) -> PatientServer:
    """The server for `settings`: WSGI `service:create_app`, header reads bounded, dead workers replaced."""
    return PatientServer(
        "service:create_app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        factory=True,
        log_access=False,
        websockets=False,
        http1_settings=HTTP1Settings(header_read_timeout=max(1, int(settings.header_read_timeout * 1000))),
        respawn_failed_workers=True,
        workers_kill_timeout=10,  # a worker busy with a stuck query still stops on SIGTERM
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m service.serving.workers", description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    build_server(Settings.from_env(os.environ), args.workers, args.threads).serve()


if __name__ == "__main__":
    main()
