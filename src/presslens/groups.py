"""Disjoint sets (union-find): how boilerplate, quote variants, sentence alignment and
discrepancies gather items that were linked pair by pair into groups.

Syndication keeps its own array-based version: it is persisted as the syndication stage's state and
always keeps the smallest index as the root (the lineage order).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class DisjointSets(Generic[K]):
    """Union-find over hashable items with path halving; an item is a set of its own until
    joined, and is known from the first time it is named."""

    def __init__(self, items: Iterable[K] = ()) -> None:
        self._parent: dict[K, K] = {x: x for x in items}

    def find(self, x: K) -> K:
        """The root of ``x``'s set."""
        parent = self._parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: K, b: K) -> None:
        """Join ``a``'s set to ``b``'s (``b``'s root stays the root)."""
        self._parent[self.find(a)] = self.find(b)

    def groups(self) -> dict[K, list[K]]:
        """Each set's members by root, both in the order the items were first named."""
        out: dict[K, list[K]] = {}
        for x in list(self._parent):
            out.setdefault(self.find(x), []).append(x)
        return out
