"""A small thread-safe LRU cache (question vectors here; whole answers in the service).

Web workers answer requests on several threads at once, so every read and write takes a lock;
both are dictionary operations, far cheaper than what the cache saves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class LRUCache(Generic[Key, Value]):
    """Keeps the ``capacity`` most recently used entries; a capacity of 0 keeps nothing."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Key, Value] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key) -> Value | None:
        """The cached value (now the most recent), or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Key, value: Value) -> None:
        """Store ``value``, evicting the least recently used entry when full."""
        if self.capacity <= 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def get_or_compute(self, key: Key, compute: Callable[[], Value]) -> tuple[Value, bool]:
        """(value, True) from the cache, or (compute(), False) after storing it.

        ``compute`` runs outside the lock: two threads missing the same key both compute it,
        which is cheaper than making every other request wait.
        """
        cached = self.get(key)
        if cached is not None:
            return cached, True
        value = compute()
        self.put(key, value)
        return value, False
