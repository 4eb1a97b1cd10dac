"""The service's settings: one frozen object, built once from an environment mapping and validated."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the key."""


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment, with derived URLs computed once."""

    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = ""  # public base, always ending with "/"; defaults to http://HOST:PORT/
    release_dir: Path = PROJECT_ROOT / "build"
    store: str = "embedded"  # "embedded" (pyoxigraph) or "remote" (a SPARQL 1.1 endpoint)
    remote_endpoint: str = ""
    query_timeout: float = 10.0  # seconds a query may run before the client gets 503
    max_concurrent_queries: int = 4  # per worker process; beyond it, 503 with Retry-After
    max_body_bytes: int = 256 * 1024  # largest accepted request body (413 beyond)
    service_allowlist: tuple[str, ...] = ()  # SERVICE endpoints a query may call; none by default
    query_processes: int = 2  # per web worker: the cheap lane of query processes (embedded store)
    heavy_query_processes: int = 1  # per web worker: the lane for queries that proved expensive
    cheap_query_seconds: float = 1.0  # a query still running after this long moves to the heavy lane
    query_memory_mb: int = 192  # memory one query may add to its process before the process ends
    max_answer_bytes: int = 16 * 1024 * 1024  # largest serialised answer (422 beyond)
    cache_bytes: int = 64 * 1024 * 1024  # budget of the page and document caches, per worker process
    header_read_timeout: float = 10.0  # seconds a client may take to send its request headers
    body_read_timeout: float = 10.0  # seconds a client may take to send its whole request body (408 beyond)
    max_body_reads: int = 2  # slow request bodies being received at once per worker; beyond, 503 at once
    max_requests_per_client: int = 6  # requests in progress from one address per worker; beyond, 429 at once
    remote_dialect: str = "sparql11"  # the remote store's extras: "sparql11" (none), "virtuoso", "oxigraph"
    remote_graph_store: str = ""  # its Graph Store Protocol URL, for `load` (default: derived from the dialect)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build settings from a mapping such as os.environ.

        :raises SettingsError: a value cannot be used; the message names its key.
        """
        host = environ.get("HOST", cls.host)
        port = _integer(environ, "PORT", cls.port, 1, 65535)
        base_url = environ.get("BASE_URL") or f"http://{_authority(host, port)}/"
        store = environ.get("STORE", cls.store)
        if store not in ("embedded", "remote"):
            raise SettingsError(f"STORE must be 'embedded' or 'remote', not {store!r}")
        remote = environ.get("REMOTE_ENDPOINT", "")
        if store == "remote":
            _check_url("REMOTE_ENDPOINT", remote)
        release_dir = Path(environ.get("RELEASE_DIR", str(cls.release_dir)))
        return cls(
            host=host,
            port=port,
            base_url=_check_url("BASE_URL", base_url if base_url.endswith("/") else base_url + "/"),
            release_dir=release_dir,
            store=store,
            remote_endpoint=remote,
            query_timeout=_number(environ, "QUERY_TIMEOUT", cls.query_timeout),
            max_concurrent_queries=_integer(environ, "MAX_CONCURRENT_QUERIES", cls.max_concurrent_queries, 1, 1024),
            max_body_bytes=_integer(environ, "MAX_BODY_BYTES", cls.max_body_bytes, 1024, 64 * 1024 * 1024),
            service_allowlist=tuple(u for u in environ.get("SERVICE_ALLOWLIST", "").split() if u),
            query_processes=_integer(environ, "QUERY_PROCESSES", cls.query_processes, 1, 64),
            heavy_query_processes=_integer(environ, "HEAVY_QUERY_PROCESSES", cls.heavy_query_processes, 1, 64),
            cheap_query_seconds=_number(environ, "CHEAP_QUERY_SECONDS", cls.cheap_query_seconds),
            query_memory_mb=_integer(environ, "QUERY_MEMORY_MB", cls.query_memory_mb, 32, 1024 * 1024),
            max_answer_bytes=_integer(environ, "MAX_ANSWER_BYTES", cls.max_answer_bytes, 1024, 2**31 - 1),
            cache_bytes=_integer(environ, "CACHE_BYTES", cls.cache_bytes, 0, 1 << 40),
            header_read_timeout=_at_most(60, "HEADER_READ_TIMEOUT", _number(environ, "HEADER_READ_TIMEOUT", 10.0)),
            body_read_timeout=_number(environ, "BODY_READ_TIMEOUT", cls.body_read_timeout),
            max_body_reads=_integer(environ, "MAX_BODY_READS", cls.max_body_reads, 1, 1024),
            max_requests_per_client=_integer(
                environ, "MAX_REQUESTS_PER_CLIENT", cls.max_requests_per_client, 1, 1 << 20
            ),
            remote_dialect=_remote_dialect(environ),
            remote_graph_store=_check_url("REMOTE_GRAPH_STORE", g) if (g := environ.get("REMOTE_GRAPH_STORE")) else "",
        )


def _authority(host: str, port: int) -> str:
    try:
        if ipaddress.ip_address(host).version == 6:
            return f"[{host}]:{port}"
    except ValueError:
        pass
    return f"{host}:{port}"


def _check_url(key: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingsError(f"{key} must be an absolute http(s) URL without query or fragment, not {value!r}")
    return value


def _integer(environ: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = environ.get(key)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{key} must be an integer, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{key} must be between {low} and {high}, not {value}")
    return value


def _number(environ: Mapping[str, str], key: str, default: float, allow_zero: bool = False) -> float:
    raw = environ.get(key)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a number, not {raw!r}") from None
    if value < 0 or (value == 0 and not allow_zero):
        raise SettingsError(f"{key} must be positive, not {value}")
    return value


def _at_most(high: float, key: str, value: float) -> float:
    if value > high:
        raise SettingsError(f"{key} must be at most {high}, not {value}")
    return value


def _remote_dialect(environ: Mapping[str, str]) -> str:
    """Which store REMOTE_ENDPOINT is, for its extras (per-query timeout, loading): sparql11, virtuoso, oxigraph."""
    dialect = environ.get("REMOTE_DIALECT", Settings.remote_dialect)
    if dialect not in ("sparql11", "virtuoso", "oxigraph"):
        raise SettingsError(f"REMOTE_DIALECT must be 'sparql11', 'virtuoso' or 'oxigraph', not {dialect!r}")
    return dialect
