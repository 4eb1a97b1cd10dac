"""Serving the app with the production WSGI server (granian), once settings and release are known to be good."""

from __future__ import annotations

import os
import sys

from .config import Settings
from .published import load


def serve(workers: int, threads: int) -> None:
    """Check the settings and the release, then replace this process with granian serving `create_app()`.

    Checking first turns a missing build or a bad setting into one clear line instead of a worker crash loop.

    :raises SettingsError: a setting is malformed.
    :raises ReleaseMissing: the release has not been built.
    """
    # Under the production server a query stuck long past its timeout ends its worker, which granian replaces;
    # in-process apps (tests, notebooks) never exit on their own, so this default is set here only.
    os.environ.setdefault("RECYCLE_STUCK_AFTER", "30")
    settings = Settings.from_env(os.environ)
    published = load(settings)
    print(
        f"Serving release {published.version} of {settings.release_dir} at {settings.base_url} "
        f"(SPARQL: {settings.sparql_url}) with {workers} workers",
        flush=True,
    )
    command = [
        sys.executable, "-m", "granian",
        "--interface", "wsgi",
        "--factory",
        "--host", settings.host,
        "--port", str(settings.port),
        "--workers", str(workers),
        "--blocking-threads", str(threads),
        "--no-access-log",
        "--respawn-failed-workers",  # a worker that dies (whatever the cause) is replaced, not mourned
        "--workers-kill-timeout", "10",  # a worker busy with a stuck query still stops on SIGTERM
        "service:create_app",
    ]  # fmt: skip
    os.execv(sys.executable, command)
