"""Bounded in-process memories of rendered bytes.

They hold only what follows from database contents (the key says which contents), so a
process that has never seen a key simply renders it and gets the same bytes as its peers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LRU(Generic[V]):
    """Least-recently-used mapping capped by entry count and by the total size of its values."""

    def __init__(self, max_entries: int, max_bytes: int, size: Callable[[V], int]) -> None:
        self.max_entries, self.max_bytes, self._size = max_entries, max_bytes, size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self.total = 0
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> V | None:
        value = self._items.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.total -= self._size(old)
        self._items[key] = value
        self.total += self._size(value)
        while self._items and (len(self._items) > self.max_entries or self.total > self.max_bytes):
            _, evicted = self._items.popitem(last=False)
            self.total -= self._size(evicted)

    def clear(self) -> None:
        self._items.clear()
        self.total = 0
