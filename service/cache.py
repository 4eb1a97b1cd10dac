"""A thread-safe least-recently-used cache bounded by the bytes of what it holds, not by its number of entries."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class ByteBudgetCache:
    """Keeps values whose declared sizes add up to at most `budget` bytes; the least recently used go first.

    A value larger than `max_item` (an eighth of the budget by default) is never kept, so one huge answer cannot
    flush everything else. A budget of 0 keeps nothing.
    """

    def __init__(self, budget: int, max_item: int | None = None) -> None:
        self.budget = budget
        self.max_item = budget // 8 if max_item is None else max_item
        self.size = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.max_item or size > self.budget:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.size -= previous[1]
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.budget:
                _, (_, evicted) = self._entries.popitem(last=False)
                self.size -= evicted

    def __len__(self) -> int:
        return len(self._entries)
