"""Sparse similarity graphs shared by stories and threads: strongest edges, average linkage."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

#: Links weaker than this are not kept, between articles or between stories: they cannot lift
#: an average to any useful threshold, and dropping them keeps the graphs sparse.
EDGE_FLOOR = 0.04
#: A member of a story or a thread shows at most this many shared terms, and as many entities.
TOP_REASONS = 5


def strongest(
    rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], score: npt.NDArray[Any], k: int
) -> npt.NDArray[np.int64]:
    """Positions of each row's ``k`` highest-scoring pairs (ties to the smaller column).

    Ordered by row, then strongest first, so edges are added in the same order whatever the
    input order of the pairs.
    """
    order = np.lexsort((cols, -score, rows))
    ranked = rows[order]
    rank = np.arange(len(ranked)) - np.searchsorted(ranked, ranked, side="left")
    return order[rank < k]


def average_linkage(
    n: int,
    edges: Sequence[Mapping[int, float]],
    threshold: float,
    order: Callable[[int], Any],
) -> list[int]:
    """Group ``n`` nodes by average linkage over a sparse graph; return each node's root.

    ``edges[i]`` maps neighbour to similarity (symmetric; a missing edge counts as 0).  Two
    groups join while the mean similarity over all their cross pairs reaches ``threshold``,
    the strongest pair first; a group's root is its member that sorts first by ``order``.
    The result does not depend on the order of ``edges``' entries.
    """
    root = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    links: dict[int, dict[int, float]] = {i: dict(edges[i]) for i in range(n)}
    version = [0] * n
    heap: list[tuple[float, Any, Any, int, int, int, int]] = []

    def push(a: int) -> None:
        for b, total in links[a].items():
            avg = total / (len(members[a]) * len(members[b]))
            if avg >= threshold:
                x, y = (a, b) if order(a) <= order(b) else (b, a)
                heapq.heappush(heap, (-avg, order(x), order(y), x, y, version[x], version[y]))

    for a in range(n):
        push(a)
    while heap:
        _, _, _, a, b, va, vb = heapq.heappop(heap)
        if a not in members or b not in members or version[a] != va or version[b] != vb:
            continue
        # `a` sorts first, so it stays the root; `b`'s links move over to it
        members[a].extend(members.pop(b))
        for c, total in links.pop(b).items():
            if c == a:
                continue
            links[a][c] = links[a].get(c, 0.0) + total
            links[c][a] = links[c].get(a, 0.0) + total
            del links[c][b]
        links[a].pop(b, None)
        version[a] += 1
        version[b] += 1
        push(a)
    for r, group in members.items():
        for i in group:
            root[i] = r
    return root


def shared_reasons(
    rows: sp.csr_matrix,
    k: int,
    total: npt.NDArray[np.float64],
    label: Callable[[int], str],
    is_entity: Callable[[int], bool],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The terms and the entities (at most :data:`TOP_REASONS` each) that a member shares
    most with the rest of its group, heaviest first.

    The member's vector is row ``k`` of ``rows`` (read from the CSR arrays: indexing a row
    costs more than the rest of this), ``total`` the sum of its group's rows; a column weighs
    the member's weight times the rest's.  ``label`` and ``is_entity`` describe a column.
    """
    terms: list[str] = []
    ents: list[str] = []
    lo, hi = rows.indptr[k], rows.indptr[k + 1]
    indices, data = rows.indices[lo:hi], rows.data[lo:hi]
    contrib = data * (total[indices] - data)
    for c in np.argsort(-contrib, kind="stable"):
        if contrib[c] <= 0 or (len(terms) >= TOP_REASONS and len(ents) >= TOP_REASONS):
            break
        tid = int(indices[c])
        bucket = ents if is_entity(tid) else terms
        if len(bucket) < TOP_REASONS:
            bucket.append(label(tid))
    return tuple(terms), tuple(ents)
