"""What one app keeps in memory between requests, and how much it may take: the one place to read it.

Everything kept lives in one of two stores, both on the app's state (`AppState.cache` and `AppState.built`):

- `ByteBudgetCache`, at most `CACHE_BYTES` (settings.cache_bytes, per worker process), for everything whose key
  a request chooses: whole responses (http/response_cache.py), negotiated documents and pages per format and
  language (http/documents.py), whole graphs in a format (routes/things/graphs.py), SPARQL answers
  (routes/sparql/endpoint.py) and compressed large bodies (http/compression.py). Distinct keys cost evictions,
  never memory: no sequence of requests can grow it past its budget.
- `BuiltOnce`, for what the code itself builds a fixed number of times (once, or once per language or format):
  the VoID and DCAT graphs and their serialisations, the home pages and the sitemap (routes/about/described.py),
  the search index, the charts, the OpenAPI document, whole named graphs and their names, the endpoint's graph
  sizes. Never evicted: its keys come from the code, not from requests, so its size is set by the release (a few
  times the data graph at most), and rebuilding would cost store queries to save no memory. A limit of
  `MAX_BUILT` entries turns a key that does come from a request into a logged bug, never a leak.

Outside both, in layers below this one and bounded by count: the text of each `.rq` file (service/queries), the
lexer's scans of short queries (store/lexer.py: 1,024 of at most 4 KiB) and the digests of the queries that
proved expensive (store/query_pool.py CostMemory: 10,000 of 16 bytes).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

# What one entry costs besides its value: the key, the ordered dict's node and the size record (measured roughly).
ENTRY_OVERHEAD = 200
MAX_BUILT = 256  # some forty values are built once per app; more means a request chose a key
Value = TypeVar("Value")


class ByteBudgetCache:
    """Values kept by key while their sizes add up to at most `budget` bytes; the least recently used go first.

    The caller says what a value weighs (`put(key, value, size)`): for bytes and str it is their length, for
    anything else (a parsed graph, a page model) the caller's estimate. A value larger than the whole budget is
    not kept. Every method takes one lock, so worker threads may share one cache.
    """

    def __init__(self, budget: int) -> None:
        if budget < 0:
            raise ValueError(f"a cache budget is a number of bytes >= 0, not {budget}")
        self.budget = budget
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.evictions = 0

    @property
    def max_item(self) -> int:
        """The largest body worth keeping: one large dump must not flush every page."""
        return self.budget // 8

    @property
    def bytes(self) -> int:
        """The bytes the cache accounts for now (values plus a fixed overhead per entry): never over the budget."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any | None:
        """The value kept for `key` (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: Any, size: int | None = None) -> bool:
        """Keep `value` under `key`, evicting the least recently used entries to stay within the budget.

        `size` defaults to the memory a bytes or str value takes; give it for any other value. Returns whether
        the value was kept (a value over the whole budget is not).
        """
        cost = (size if size is not None else _size_of(value)) + ENTRY_OVERHEAD + sys.getsizeof(key)
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous[1]
            if cost > self.budget:
                return False
            while self._bytes + cost > self.budget and self._entries:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._bytes -= evicted
                self.evictions += 1
            self._entries[key] = (value, cost)
            self._bytes += cost
            return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


class BuiltOnce:
    """Values built on first use and kept while the app lives; their keys are fixed by the code, never by requests.

    Each value is built once even when the first requests arrive together: a build holds its key's lock, not the
    others', so a build may ask for another value (the home page asks for the VoID graph).
    """

    def __init__(self, limit: int = MAX_BUILT) -> None:
        self.limit = limit
        self._values: dict[Hashable, Any] = {}
        self._building: dict[Hashable, threading.RLock] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Hashable, build: Callable[[], Value]) -> Value:
        """The value kept for `key`, built by `build()` on first use."""
        with self._lock:
            if key in self._values:
                kept: Value = self._values[key]
                return kept
            building = self._building.setdefault(key, threading.RLock())
        with building:
            with self._lock:
                if key in self._values:
                    kept = self._values[key]
                    return kept
            try:
                value = build()
            except BaseException:
                with self._lock:
                    self._building.pop(key, None)
                raise
            with self._lock:
                if len(self._values) < self.limit:
                    self._values[key] = value
                else:
                    logging.getLogger(__name__).error("not kept, %d values are built already: %r", self.limit, key)
                self._building.pop(key, None)
            return value


def _size_of(value: Any) -> int:
    """The memory a bytes or str value takes (what `sys.getsizeof` reports); other values must be given a size."""
    if isinstance(value, bytes | bytearray | str):
        return sys.getsizeof(value)
    raise TypeError(f"give the size of a {type(value).__name__} value explicitly")
