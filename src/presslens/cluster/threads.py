"""Threads: the stories of one ongoing matter, linked from story-level summaries.

A story is one event; a thread links the stories of one matter: the shooting and the trial
two years later, each week of a shutdown, the meeting and the moratorium.  Threads are built
from what each story is about, never from the corpus's raw articles: a story's summary is
the sum of its articles' TF-IDF vectors cut to its ``summary_terms`` heaviest terms (the
names, places and words its coverage repeats), L2-normalised, with its dates and size.

Two stories are linked by the cosine of their summaries less what their strongest shared
*name* gives it, times the time weight of the gap between their date ranges
(:func:`~presslens.cluster.features.time_weight` on the scale of ``thread_time_scale_days``:
a matter's follow-ups come within a couple of years, two fires at one supermarket chain five
years apart are two matters; an undated story's gap is unknown).  A name is a full name with
its words ("sadiq khan", "sadiq", "khan"), or any other term (:func:`_names`).  One shared
person is not one matter: London's mayor Sadiq Khan and the Khizr Khan family share "khan"
and little else; a governor's campaign launch and his endorsement months later share him
alone.  A follow-up shares more: the accused and the victim, the killer and the town, a name
and the words of its event.  Each story's summary keeps only its heaviest terms, so the
names that reach it are those its coverage repeats.
Stories group into threads by average linkage over those links at ``thread_threshold``: a
story joins a thread when it is, on average, that alike to the thread's stories, so one
shared name does not chain unrelated matters together.  A thread's id comes from its oldest
story, so it survives as later stories join.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from presslens.cluster.features import pair_time_weight
from presslens.cluster.graph import EDGE_FLOOR, average_linkage, shared_reasons, strongest
from presslens.model import Thread, ThreadStory

# Each story keeps links to at most this many other stories (its strongest), and summaries
# are compared this many rows at a time: the cost per story stays bounded.
_MAX_LINKS = 64
_BLOCK = 2000


@dataclass(frozen=True)
class StorySummary:
    """What a thread needs to know of one story."""

    story_id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int
    first_day: int | None = None
    last_day: int | None = None


def thread_id(founder: str) -> str:
    """The id of a thread whose oldest story is ``founder``."""
    return "thread-" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:12]


def summary_vectors(sums: sp.csr_matrix, terms: int) -> sp.csr_matrix:
    """Each row of ``sums`` cut to its ``terms`` heaviest entries and L2-normalised."""
    sums = sp.csr_matrix(sums)
    rows: list[npt.NDArray[np.int64]] = []
    cols: list[npt.NDArray[np.int64]] = []
    vals: list[npt.NDArray[np.float64]] = []
    for r in range(sums.shape[0]):
        lo, hi = sums.indptr[r], sums.indptr[r + 1]
        data, idx = sums.data[lo:hi], sums.indices[lo:hi]
        if hi - lo > terms:
            top = np.argpartition(-data, terms - 1)[:terms]
            data, idx = data[top], idx[top]
        norm = float(np.sqrt(data @ data)) or 1.0
        rows.append(np.full(len(idx), r, dtype=np.int64))
        cols.append(idx.astype(np.int64))
        vals.append(data / norm)
    if not rows:
        return sp.csr_matrix(sums.shape, dtype=np.float64)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=sums.shape
    )


def _time(
    summaries: Sequence[StorySummary],
    r_idx: npt.NDArray[np.int64],
    c_idx: npt.NDArray[np.int64],
    scale: float,
) -> npt.NDArray[np.float64]:
    """Time weight of story pairs: the gap between their date ranges (0 when they overlap)."""
    first = np.array([s.first_day if s.first_day is not None else 0 for s in summaries])
    last = np.array([s.last_day if s.last_day is not None else 0 for s in summaries])
    dated = np.array([s.first_day is not None for s in summaries], dtype=bool)
    gap = np.maximum(0, np.maximum(first[r_idx] - last[c_idx], first[c_idx] - last[r_idx]))
    return pair_time_weight(gap, np.zeros_like(gap), dated[r_idx], dated[c_idx], scale)


def _names(vectors: sp.csr_matrix, label: Callable[[int], str]) -> sp.csr_matrix:
    """The name of each summary term, numbered from 1 within its story, in ``vectors``' layout.

    A story's full names (its terms of several words) are names, heaviest first, and each
    claims those of its words that no heavier full name claimed: in a story of London's mayor,
    "sadiq khan", "sadiq" and "khan" (as an entity and as a plain word) are one name.  Any
    other term is a name of its own, one per word (a word's entity and plain forms are one).
    """
    words: dict[int, str] = {}
    data = np.zeros(vectors.nnz, dtype=np.float64)
    for r in range(vectors.shape[0]):
        lo, hi = int(vectors.indptr[r]), int(vectors.indptr[r + 1])
        terms = vectors.indices[lo:hi].tolist()
        for t in terms:
            if t not in words:
                words[t] = label(t)
        number: dict[str, int] = {}
        for k in np.argsort(-vectors.data[lo:hi], kind="stable").tolist():
            parts = words[terms[k]].split()
            if len(parts) > 1:
                name = number.setdefault(words[terms[k]], len(number) + 1)
                for part in parts:
                    number.setdefault(part, name)
        for k, t in enumerate(terms):
            data[lo + k] = number.setdefault(words[t], len(number) + 1)
    return sp.csr_matrix((data, vectors.indices, vectors.indptr), shape=vectors.shape)


def _strongest_name(
    vectors: sp.csr_matrix,
    names: sp.csr_matrix,
    r_idx: npt.NDArray[np.int64],
    c_idx: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """What the strongest shared name gives each pair's cosine: each side's terms are summed
    by that side's names (:func:`_names`), and the larger of the two sides' largest is taken."""
    prod = sp.csr_matrix(vectors[r_idx].multiply(vectors[c_idx]))
    prod.sort_indices()
    best = np.zeros(len(r_idx), dtype=np.float64)
    if prod.nnz == 0:
        return best
    pair = np.repeat(np.arange(len(r_idx)), np.diff(prod.indptr))
    shared = prod.astype(bool)
    for side in (r_idx, c_idx):
        # the same positions as `prod`'s entries, holding this side's name of each term
        ids = sp.csr_matrix(names[side].multiply(shared))
        ids.sort_indices()
        name = ids.data.astype(np.int64)
        order = np.lexsort((name, pair))
        key = pair[order] * (int(name.max()) + 1) + name[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        np.maximum.at(best, pair[order][starts], np.add.reduceat(prod.data[order], starts))
    return best


def _order(summary: StorySummary) -> tuple[bool, str, str]:
    # dated before undated, oldest first, then the smaller id: the thread's founder sorts first
    return (summary.first_published is None, summary.first_published or "", summary.story_id)


def build_threads(
    summaries: Sequence[StorySummary],
    vectors: sp.csr_matrix,
    threshold: float,
    time_scale_days: float,
    label: Callable[[int], str],
    is_entity: Callable[[int], bool],
) -> dict[str, Thread]:
    """The thread of every story: ``summaries[k]``'s summary vector is row ``k`` of
    ``vectors``; ``label`` and ``is_entity`` describe a column for the reasons."""
    n = len(summaries)
    vectors = sp.csr_matrix(vectors)
    vectors.sort_indices()
    names = _names(vectors, label)
    edges: list[dict[int, float]] = [{} for _ in range(n)]
    for b in range(0, n, _BLOCK):
        prod = sp.csr_matrix(vectors[b : b + _BLOCK] @ vectors.T)
        # the time weight is at most 1: a link under the floor before it stays under
        prod.data[prod.data < EDGE_FLOOR] = 0.0
        prod.eliminate_zeros()
        block = prod.tocoo()
        r_idx = block.row.astype(np.int64) + b
        c_idx = block.col.astype(np.int64)
        sims = np.asarray(block.data, dtype=np.float64)
        off = r_idx != c_idx
        r_idx, c_idx, sims = r_idx[off], c_idx[off], sims[off]
        weight = _time(summaries, r_idx, c_idx, time_scale_days)
        sims = sims * weight
        strong = sims >= EDGE_FLOOR
        r_idx, c_idx, sims, weight = r_idx[strong], c_idx[strong], sims[strong], weight[strong]
        keep = strongest(r_idx, c_idx, sims, _MAX_LINKS)
        r_idx, c_idx, sims, weight = r_idx[keep], c_idx[keep], sims[keep], weight[keep]
        # the link is what the pair shares besides its strongest shared name
        sims = sims - weight * _strongest_name(vectors, names, r_idx, c_idx)
        for k in np.flatnonzero(sims >= EDGE_FLOOR).tolist():
            i, j, s = int(r_idx[k]), int(c_idx[k]), float(sims[k])
            edges[i][j] = s
            edges[j][i] = s
    keys = [_order(s) for s in summaries]
    roots = average_linkage(n, edges, threshold, keys.__getitem__)
    groups: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        groups.setdefault(r, []).append(i)
    out: dict[str, Thread] = {}
    for root, members in groups.items():
        members.sort(key=keys.__getitem__)
        largest = min(members, key=lambda i: (-summaries[i].articles, keys[i]))
        total = np.asarray(vectors[members].sum(axis=0)).ravel()
        thread = Thread(
            id=thread_id(summaries[root].story_id),
            title=summaries[largest].title,
            stories=tuple(
                _linked(summaries[i], i, members, edges, vectors, total, label, is_entity)
                for i in members
            ),
        )
        for i in members:
            out[summaries[i].story_id] = thread
    return out


def _linked(
    summary: StorySummary,
    i: int,
    members: list[int],
    edges: Sequence[dict[int, float]],
    vectors: sp.csr_matrix,
    total: npt.NDArray[np.float64],
    label: Callable[[int], str],
    is_entity: Callable[[int], bool],
) -> ThreadStory:
    """One story of a thread with its average link to the others and what it shares most."""
    terms: tuple[str, ...] = ()
    ents: tuple[str, ...] = ()
    score = 1.0
    if len(members) > 1:
        score = sum(edges[i].get(j, 0.0) for j in members if j != i) / (len(members) - 1)
        terms, ents = shared_reasons(vectors, i, total, label, is_entity)
    return ThreadStory(
        story_id=summary.story_id,
        title=summary.title,
        first_published=summary.first_published,
        last_published=summary.last_published,
        articles=summary.articles,
        score=round(score, 4),
        shared_terms=terms,
        shared_entities=ents,
    )
