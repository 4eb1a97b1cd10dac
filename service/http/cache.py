"""A thread-safe least-recently-used cache that holds at most a budget of bytes, whatever the keys it is given."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

# What one entry costs besides its value: the key, the ordered dict's node and the size record (measured roughly).
ENTRY_OVERHEAD = 200


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
        self.hits = self.misses = self.evictions = 0

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
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
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


def _size_of(value: Any) -> int:
    """The memory a bytes or str value takes (what `sys.getsizeof` reports); other values must be given a size."""
    if isinstance(value, bytes | bytearray | str):
        return sys.getsizeof(value)
    raise TypeError(f"give the size of a {type(value).__name__} value explicitly")
