"""Incremental story clustering: a similarity graph over a candidate index, and stories on it.

How an arriving article finds its story:

1. its TF-IDF vector is built (:mod:`presslens.cluster.features`);
2. candidates are the earlier articles that share one of its ``salient_terms`` heaviest terms
   (an inverted index, computed as a sparse product of the salient-term matrices) and lie
   within 7 ``time_scale_days`` of it (undated articles are compared with every article);
   articles further apart are candidates when the shared salient term is a rare one (a name,
   a place), a bounded number per article;
3. each candidate's cosine similarity ``s`` is weighted by the time between the two articles,
   ``max(s / (1 + (gap / time_scale_days)^2), s - follow_up_margin)`` (a follow-up months
   later that names the same people keeps most of its similarity, two events of one kind
   share too little to keep any), and kept as an edge when above a floor;
4. the article joins the story with the best average edge weight over the story's articles
   (missing edges count as 0; each article keeps its 64 strongest edges and a big story is
   averaged over 64 articles) when that reaches ``threshold``, else it opens a new story.
   An undated article is scored against the undated members of stories only (it carries no
   temporal evidence; see :meth:`StoryIndex._assign`).

Every ``consolidate_every`` articles (and at the end of each :meth:`StoryIndex.add`) the
stories touched are consolidated: members are reassigned once to their best story, stories
whose average pairwise similarity reaches ``merge_threshold`` are merged (best pair first; a
dated and an undated story also need a link as strong as the looser one's own cohesion), and
a story is split in two when, with IDF recomputed inside the story, its two halves are far
less alike than each half is inside (two events of the same kind share the words of the kind,
but not the names, places and figures).  Last, a story of at most ``fragment_max`` articles
joins a larger story when its average link goes clearly more to that story than to any other.

A batch run sorts its articles by date then id first, so its result does not depend on the
input order.  Story ids come from their founding article and survive later additions; no two
live stories share one (an article that leaves the story it founded founds one with a
derived id).
"""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from presslens.cluster.features import Featurizer, published_day
from presslens.config import ClusterConfig
from presslens.dedup.syndication import lineage_key
from presslens.model import Article, Membership, Story, SyndicationGroup

# Edges weaker than this are not kept: they cannot lift an average to any useful threshold,
# and dropping them keeps the graph sparse.
_EDGE_FLOOR = 0.04
# Pairs further apart in time than this many `time_scale_days` are not compared: their time
# weight is below 1/50.
_GAP_SCALES = 7.0
# Pairs further apart than that are compared only when they share a salient term found in at
# most this many articles (a name, a place), and each article keeps `_MAX_EDGES` of them at
# most: the cost per article stays bounded.  A cost bound more than a tuned value: on DEV
# ECB+ and BASIL 32, 64 and no bound score the same (16 loses 0.002 F1, 8 loses 0.013).
_RARE_DF = 64
# Far pairs whose similarity is computed per elementwise product; bounds its memory.
_FAR_CHUNK = 8192
# Rows compared per sparse product; bounds memory whatever the corpus size.
_BLOCK = 2000
# Each article keeps at most this many edges (its strongest); a story is scored on the mean
# over at most this many of its articles, so a story of thousands (or thousands of near-empty
# articles that all look alike) costs no more than one of 64.
_MAX_EDGES = 64
# Stories larger than this are not checked for a split (the check is quadratic in size).
_SPLIT_MAX = 400
_TOP_REASONS = 5


def story_id(founder: str) -> str:
    """The id of a story founded by article ``founder``."""
    return "story-" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:12]


def _salient(x: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Binary matrix of each row's ``k`` heaviest terms."""
    rows, cols = [], []
    for r in range(x.shape[0]):
        lo, hi = x.indptr[r], x.indptr[r + 1]
        if hi - lo > k:
            part = np.argpartition(-x.data[lo:hi], k - 1)[:k]
            idx = x.indices[lo:hi][part]
        else:
            idx = x.indices[lo:hi]
        rows.append(np.full(len(idx), r, dtype=np.int64))
        cols.append(idx)
    if not rows:
        return sp.csr_matrix(x.shape, dtype=np.float32)
    r_all, c_all = np.concatenate(rows), np.concatenate(cols)
    return sp.csr_matrix((np.ones(len(r_all), dtype=np.float32), (r_all, c_all)), shape=x.shape)


def _strongest(
    rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], score: npt.NDArray[Any]
) -> npt.NDArray[np.int64]:
    """Positions of each row's ``_MAX_EDGES`` highest-scoring pairs (ties to the smaller column).

    Ordered by row, then strongest first, so edges are added in the same order whatever the
    input order of the pairs.
    """
    order = np.lexsort((cols, -score, rows))
    ranked = rows[order]
    rank = np.arange(len(ranked)) - np.searchsorted(ranked, ranked, side="left")
    return order[rank < _MAX_EDGES]


def _append_rows(top: sp.csr_matrix, bottom: sp.csr_matrix) -> sp.csr_matrix:
    """``top`` over ``bottom`` (widened to ``bottom``'s width), copying each array once."""
    indptr = np.concatenate([top.indptr, bottom.indptr[1:] + top.indptr[-1]])
    return sp.csr_matrix(
        (
            np.concatenate([top.data, bottom.data.astype(top.dtype, copy=False)]),
            np.concatenate([top.indices, bottom.indices]),
            indptr,
        ),
        shape=(top.shape[0] + bottom.shape[0], max(top.shape[1], bottom.shape[1])),
    )


@dataclass
class _StoryState:
    sid: str
    founder: int
    members: set[int] = field(default_factory=set)
    # size at the last split check; a story is checked again once it has grown by a quarter
    checked: int = 0


class StoryIndex:
    """Articles, their similarity graph and their stories.

    ``add`` takes a batch of new articles and places them; ``stories`` builds the
    :class:`~presslens.model.Story` records, whose syndication comes from the articles'
    syndication fields (the syndication stage ran before); ``state``/``from_state`` save and
    restore it all (the store keeps it between ``ingest`` runs).  ``embedder`` (an object
    with ``encode(articles) -> array``) mixes sentence embeddings into the similarity.
    """

    def __init__(self, config: ClusterConfig | None = None, embedder: Any = None) -> None:
        self.config = config or ClusterConfig()
        self.config.validate()
        self.featurizer = Featurizer(entity_weight=self.config.entity_weight)
        self.ids: list[str] = []
        self.articles: list[Article] = []
        self.days: list[int | None] = []
        self.x = sp.csr_matrix((0, 1), dtype=np.float64)
        self.salient = sp.csr_matrix((0, 1), dtype=np.float32)
        self.edges: list[dict[int, float]] = []
        self.label: list[int] = []
        self.stories_by_key: dict[int, _StoryState] = {}
        # ids of the live stories: an article moved out of the story it founded founds another,
        # which must not take the first one's id
        self._sids: set[str] = set()
        self._next_key = 0
        self._by_id: dict[str, int] = {}
        self.embedder = embedder
        self.embeddings: npt.NDArray[np.float32] | None = None
        self.counts: defaultdict[str, int] = defaultdict(int)

    # --- adding ------------------------------------------------------------------------------

    def add(self, articles: Iterable[Article]) -> set[str]:
        """Place new articles in stories; return the ids of the stories they touched.

        An id already present is skipped (counted as ``repeated_id``).  The batch is taken in
        (date, id) order, undated articles last.
        """
        fresh: list[Article] = []
        seen: set[str] = set()
        for a in articles:
            if a.id in self._by_id or a.id in seen:
                self.counts["repeated_id"] += 1
                continue
            seen.add(a.id)
            fresh.append(a)
        fresh.sort(key=lambda a: (published_day(a.published) is None, a.published or "", a.id))
        if not fresh:
            return set()
        for a in fresh:
            if not a.text.strip():
                self.counts["no_text"] += 1
            if published_day(a.published) is None:
                self.counts["no_date"] += 1
            if not a.source:
                self.counts["no_source"] += 1
        new_x = self.featurizer.featurize(fresh)
        start = len(self.ids)
        self.x = _append_rows(self.x, new_x)
        self.salient = _append_rows(self.salient, _salient(new_x, self.config.salient_terms))
        for a in fresh:
            self._by_id[a.id] = len(self.ids)
            self.ids.append(a.id)
            self.articles.append(_light(a))
            self.days.append(published_day(a.published))
            self.edges.append({})
            self.label.append(-1)
        new = list(range(start, len(self.ids)))
        if self.embedder is not None:
            self._embed(fresh)
        self._link(new)
        touched: set[int] = set()
        pending: set[int] = set()
        for n, i in enumerate(new, 1):
            key = self._assign(i)
            touched.add(key)
            pending.add(key)
            if n % self.config.consolidate_every == 0:
                self._consolidate(pending)
                pending = set()
        touched |= self._consolidate(pending | touched)
        return {self.stories_by_key[k].sid for k in touched if k in self.stories_by_key}

    def revise(self, articles: Iterable[Article]) -> set[str]:
        """Take new fields for articles already placed; return their stories' ids.

        An earlier copy arriving later changes the original of a group, and with it every
        member's syndication fields; a page read again may have a new headline or date.  The
        stories holding those articles must be written again.  The similarity graph keeps
        each article's first text: a correction changes a few words of an article, not the
        story it belongs to.
        """
        touched: set[str] = set()
        for a in articles:
            i = self._by_id.get(a.id)
            if i is None:
                continue
            self.articles[i] = _light(a)
            touched.add(self.stories_by_key[self.label[i]].sid)
        return touched

    def _embed(self, fresh: list[Article]) -> None:
        vecs = self.embedder.encode(fresh)
        self.embeddings = vecs if self.embeddings is None else np.vstack([self.embeddings, vecs])

    def _link(self, new: list[int]) -> None:
        """Add the similarity edges between the new articles and every comparable article."""
        cfg = self.config
        max_gap = _GAP_SCALES * cfg.time_scale_days
        n_all = len(self.ids)
        days = np.array([d if d is not None else 0 for d in self.days], dtype=np.int64)
        dated = np.array([d is not None for d in self.days], dtype=bool)
        rare = self._rare_salient()
        new_arr = np.asarray(new, dtype=np.int64)
        for b in range(0, len(new_arr), _BLOCK):
            rows = new_arr[b : b + _BLOCK]
            rows_dated = dated[rows]
            if rows_dated.all():
                lo, hi = days[rows].min() - max_gap, days[rows].max() + max_gap
                cols = np.flatnonzero(~dated | ((days >= lo) & (days <= hi)))
            else:
                cols = np.arange(n_all)
            gate = (self.salient[rows] @ self.salient[cols].T).astype(bool)
            cand = (self.x[rows] @ self.x[cols].T).multiply(gate).tocoo()
            r_idx, c_idx = rows[cand.row], cols[cand.col]
            sims = np.asarray(cand.data)
            near = (r_idx != c_idx) & (
                ~(dated[r_idx] & dated[c_idx]) | (np.abs(days[r_idx] - days[c_idx]) <= max_gap)
            )
            r_idx, c_idx, sims = r_idx[near], c_idx[near], sims[near]
            far_r, far_c = self._far_candidates(rows[rows_dated], rare, days, dated, max_gap)
            if len(far_r):
                far_s = [
                    np.asarray(
                        self.x[far_r[k : k + _FAR_CHUNK]]
                        .multiply(self.x[far_c[k : k + _FAR_CHUNK]])
                        .sum(axis=1)
                    ).ravel()
                    for k in range(0, len(far_r), _FAR_CHUNK)
                ]
                r_idx = np.concatenate([r_idx, far_r])
                c_idx = np.concatenate([c_idx, far_c])
                sims = np.concatenate([sims, *far_s])
            if len(r_idx) == 0:
                continue
            if self.embeddings is not None:
                emb = np.einsum("ij,ij->i", self.embeddings[r_idx], self.embeddings[c_idx])
                sims = (1 - cfg.embed_weight) * sims + cfg.embed_weight * emb
            both = dated[r_idx] & dated[c_idx]
            gap = np.abs(days[r_idx] - days[c_idx]).astype(np.float64)
            weight = np.where(both, 1.0 / (1.0 + (gap / cfg.time_scale_days) ** 2), 1.0)
            # A time gap weighs against a link, but a pair as alike as a story's own articles
            # (a follow-up naming the same people and places weeks later) keeps most of it.
            sims = np.maximum(sims * weight, sims - cfg.follow_up_margin)
            ok = sims >= _EDGE_FLOOR
            r_idx, c_idx, sims = r_idx[ok], c_idx[ok], sims[ok]
            keep = _strongest(r_idx, c_idx, sims)
            for i, j, s in zip(
                r_idx[keep].tolist(), c_idx[keep].tolist(), sims[keep].tolist(), strict=True
            ):
                self._add_edge(i, j, s)

    def _rare_salient(self) -> sp.csr_matrix:
        """The salient-term matrix restricted to terms found in at most ``_RARE_DF`` articles."""
        df = self.featurizer.df
        rare = np.zeros(self.salient.shape[1], dtype=np.float32)
        rare[: len(df)] = (df <= _RARE_DF)[: self.salient.shape[1]]
        out = self.salient @ sp.diags(rare)
        out.eliminate_zeros()
        return sp.csr_matrix(out)

    def _far_candidates(
        self,
        rows: npt.NDArray[np.int64],
        rare: sp.csr_matrix,
        days: npt.NDArray[np.int64],
        dated: npt.NDArray[np.bool_],
        max_gap: float,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Dated pairs further apart than ``max_gap`` that share a rare salient term.

        Each row keeps the ``_MAX_EDGES`` candidates sharing the most such terms, so the cost
        per article is bounded whatever the corpus size.
        """
        empty = np.empty(0, dtype=np.int64)
        if len(rows) == 0:
            return empty, empty
        shared = (rare[rows] @ rare.T).tocoo()
        r_idx, c_idx = rows[shared.row], shared.col.astype(np.int64)
        n = np.asarray(shared.data)
        far = dated[c_idx] & (np.abs(days[r_idx] - days[c_idx]) > max_gap)
        r_idx, c_idx, n = r_idx[far], c_idx[far], n[far]
        keep = _strongest(r_idx, c_idx, n)
        return r_idx[keep], c_idx[keep]

    def _add_edge(self, i: int, j: int, s: float) -> None:
        """Link ``i`` and ``j``; an article at its edge limit drops its weakest edge."""
        for a, b in ((i, j), (j, i)):
            nbrs = self.edges[a]
            nbrs[b] = s
            if len(nbrs) > _MAX_EDGES:
                weakest = min(nbrs, key=lambda k: (nbrs[k], -k))
                del nbrs[weakest]
                self.edges[weakest].pop(a, None)

    def _scores(
        self, i: int, exclude_self: bool = False, undated_only: bool = False
    ) -> dict[int, float]:
        """Average edge weight from article ``i`` to each story it has an edge into.

        With ``undated_only`` only the story's undated members count (edges and size).
        """
        sums: defaultdict[int, float] = defaultdict(float)
        for j, s in self.edges[i].items():
            key = self.label[j]
            if key >= 0 and not (undated_only and self.days[j] is not None):
                sums[key] += s
        out: dict[int, float] = {}
        for key, total in sums.items():
            members = self.stories_by_key[key].members
            size = self._undated_size(members) if undated_only else len(members)
            if exclude_self and self.label[i] == key:
                size -= 1
            if size > 0:
                out[key] = total / min(size, _MAX_EDGES)
        return out

    def _undated_size(self, members: set[int]) -> int:
        """Undated members of a story, counted up to ``_MAX_EDGES`` (all a score needs)."""
        n = 0
        for m in members:
            if self.days[m] is None:
                n += 1
                if n >= _MAX_EDGES:
                    break
        return n

    def _best(self, scores: dict[int, float]) -> tuple[int, float] | None:
        if not scores:
            return None
        key = max(scores, key=lambda k: (scores[k], -self.stories_by_key[k].founder))
        return key, scores[key]

    def _new_story(self, i: int) -> int:
        key = self._spare(i)
        self.stories_by_key[key].members.add(i)
        self.label[i] = key
        return key

    def _assign(self, i: int) -> int:
        # An undated article gives no temporal evidence, so it is first grouped with the other
        # undated articles only: scored against dated stories, it would join whichever event
        # already has a story (its own, undated, event has none yet).  Consolidation then
        # moves it, or merges its whole story, into a dated story where the evidence says so.
        undated = self.days[i] is None
        best = self._best(self._scores(i, undated_only=undated))
        if best is not None and best[1] >= self.config.threshold:
            key = best[0]
            self.stories_by_key[key].members.add(i)
            self.label[i] = key
            return key
        return self._new_story(i)

    # --- consolidation -----------------------------------------------------------------------

    def _move(self, i: int, key: int) -> None:
        old = self.label[i]
        state = self.stories_by_key[old]
        state.members.discard(i)
        self.stories_by_key[key].members.add(i)
        self.label[i] = key
        if not state.members:
            self._drop(old)
        elif state.founder == i:
            state.founder = min(state.members, key=self._lineage)

    def _lineage(self, i: int) -> tuple[bool, str, str]:
        return lineage_key(self.articles[i].published, self.ids[i])

    def _consolidate(self, keys: set[int]) -> set[int]:
        """Reassign, merge and split the stories ``keys``; return the stories touched."""
        keys = {k for k in keys if k in self.stories_by_key}
        touched = set(keys)
        th = self.config.threshold
        members = sorted(
            (i for k in keys for i in self.stories_by_key[k].members), key=self._lineage
        )
        for i in members:
            own = self.label[i]
            if len(self.stories_by_key[own].members) == 1:
                scores = self._scores(i)
                best = self._best(scores)
                if best is not None and best[1] >= th and best[0] != own:
                    self._move(i, best[0])
                    touched.add(best[0])
                continue
            scores = self._scores(i, exclude_self=True)
            current = scores.get(own, 0.0)
            best = self._best(scores)
            if best is not None and best[0] != own and best[1] >= th and best[1] > current:
                self._move(i, best[0])
                touched.add(best[0])
            elif current < th and (best is None or best[1] < th):
                self._move(i, self._spare(i))
                touched.add(self.label[i])
        touched = {k for k in touched if k in self.stories_by_key}
        touched = self._merge(touched)
        return self._attach(self._split(touched))

    def _attach(self, keys: set[int]) -> set[int]:
        """Move each fragment among ``keys`` into a larger story it is clearly closest to."""
        cfg = self.config
        touched = set(keys)
        for key in sorted(keys):
            state = self.stories_by_key.get(key)
            if state is None or len(state.members) > cfg.fragment_max:
                continue
            size = len(state.members)
            avgs = sorted(
                (
                    (total / (size * min(len(self.stories_by_key[o].members), _MAX_EDGES)), -o)
                    for o, total in self._links(key).items()
                ),
                reverse=True,
            )
            if (
                not avgs
                or avgs[0][0] < cfg.fragment_floor
                or len(self.stories_by_key[-avgs[0][1]].members) <= size
                or (len(avgs) > 1 and avgs[0][0] < cfg.fragment_ratio * avgs[1][0])
            ):
                continue
            target = -avgs[0][1]
            for i in list(state.members):
                self._move(i, target)
            touched.discard(key)
            touched.add(target)
        return {k for k in touched if k in self.stories_by_key}

    def _spare(self, i: int) -> int:
        """A new, empty story founded by article ``i``, with an id no live story has."""
        key = self._next_key
        self._next_key += 1
        sid, n = story_id(self.ids[i]), 0
        while sid in self._sids:
            n += 1
            sid = story_id(f"{self.ids[i]}#{n}")
        self._sids.add(sid)
        self.stories_by_key[key] = _StoryState(sid=sid, founder=i)
        return key

    def _drop(self, key: int) -> None:
        self._sids.discard(self.stories_by_key.pop(key).sid)

    def _links(self, key: int) -> dict[int, float]:
        """Summed edge weight from story ``key`` to each other story."""
        sums: defaultdict[int, float] = defaultdict(float)
        for i in self.stories_by_key[key].members:
            for j, s in self.edges[i].items():
                other = self.label[j]
                if other != key and other >= 0:
                    sums[other] += s
        return sums

    def _dated(self, key: int) -> bool:
        """Whether story ``key`` has a dated member."""
        return any(self.days[i] is not None for i in self.stories_by_key[key].members)

    def _cohesion(self, key: int) -> float:
        """Average edge weight between two members of story ``key`` (0 for a single article)."""
        members = self.stories_by_key[key].members
        n = min(len(members), _MAX_EDGES)
        if n < 2:
            return 0.0
        total = sum(s for i in members for j, s in self.edges[i].items() if self.label[j] == key)
        return total / (n * (n - 1))

    def _merge(self, keys: set[int]) -> set[int]:
        th = self.config.merge_threshold
        ratio = self.config.undated_merge_ratio
        version: defaultdict[int, int] = defaultdict(int)
        heap: list[tuple[float, int, int, int, int]] = []
        # per story version: (has a dated member, cohesion); computed when first needed
        known: dict[tuple[int, int], tuple[bool, float | None]] = {}

        def facts(key: int, need_cohesion: bool) -> tuple[bool, float | None]:
            got = known.get((key, version[key]))
            if got is None:
                got = (self._dated(key), None)
            if need_cohesion and got[1] is None:
                got = (got[0], self._cohesion(key))
            known[(key, version[key])] = got
            return got

        def mergeable(key: int, other: int, avg: float) -> bool:
            # Two stories of which only one is dated have no temporal evidence between them:
            # the link must be as strong as the looser story's own cohesion, the point at
            # which average linkage would join them anyway.
            if avg < th or facts(key, False)[0] == facts(other, False)[0]:
                return avg >= th
            return avg >= ratio * min(facts(key, True)[1] or 0.0, facts(other, True)[1] or 0.0)

        def push(key: int) -> None:
            size = min(len(self.stories_by_key[key].members), _MAX_EDGES)
            for other, total in self._links(key).items():
                avg = total / (size * min(len(self.stories_by_key[other].members), _MAX_EDGES))
                if mergeable(key, other, avg):
                    a, b = min(key, other), max(key, other)
                    heapq.heappush(heap, (-avg, a, b, version[a], version[b]))

        for key in sorted(keys):
            push(key)
        touched = set(keys)
        while heap:
            _, a, b, va, vb = heapq.heappop(heap)
            if version[a] != va or version[b] != vb:
                continue
            if a not in self.stories_by_key or b not in self.stories_by_key:
                continue
            sa, sb = self.stories_by_key[a], self.stories_by_key[b]
            keep, gone = (
                (a, b) if self._lineage(sa.founder) <= self._lineage(sb.founder) else (b, a)
            )
            for i in list(self.stories_by_key[gone].members):
                self.label[i] = keep
            self.stories_by_key[keep].members |= self.stories_by_key[gone].members
            self._drop(gone)
            version[a] += 1
            version[b] += 1
            touched.discard(gone)
            touched.add(keep)
            push(keep)
        return {k for k in touched if k in self.stories_by_key}

    def _split(self, keys: set[int]) -> set[int]:
        cfg = self.config
        queue = sorted(keys)
        touched = set(keys)
        while queue:
            key = queue.pop()
            state = self.stories_by_key.get(key)
            if state is None or not 2 * cfg.split_min_part <= len(state.members) <= _SPLIT_MAX:
                continue
            if len(state.members) < state.checked * 1.25:
                continue
            state.checked = len(state.members)
            members = sorted(state.members)
            part = self._bisect(members)
            if part is None:
                continue
            moved = [i for i, p in zip(members, part, strict=True) if p]
            if state.founder in moved:
                moved = [i for i, p in zip(members, part, strict=True) if not p]
            founder = min(moved, key=self._lineage)
            new_key = self._spare(founder)
            self.stories_by_key[new_key].founder = founder
            for i in moved:
                self._move(i, new_key)
            state.checked = 0
            touched.add(new_key)
            queue.extend([key, new_key])
        return {k for k in touched if k in self.stories_by_key}

    def _bisect(self, members: list[int]) -> list[bool] | None:
        """Two halves of a story when they are two events, else ``None``."""
        cfg = self.config
        sub = self.x[members]
        # Only the story's own terms, renumbered in order: the cost no longer grows with the
        # corpus vocabulary, and the values (and their summation order) stay the same.
        used, local = np.unique(sub.indices, return_inverse=True)
        sub = sp.csr_matrix((sub.data, local, sub.indptr), shape=(len(members), max(1, len(used))))
        local_df = np.bincount(sub.indices, minlength=sub.shape[1])
        m = len(members)
        idf = np.log((1.0 + m) / (1.0 + local_df)) + 1.0
        sub = sub @ sp.diags(idf)
        norms = np.sqrt(np.asarray(sub.multiply(sub).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        sub = sp.diags(1.0 / norms) @ sub
        sim = (sub @ sub.T).toarray()
        dist = np.clip(1.0 - sim, 0.0, None)
        np.fill_diagonal(dist, 0.0)
        tree = linkage(squareform(dist, checks=False), "average")
        halves = fcluster(tree, 2, "maxclust") == 1
        sizes = int(halves.sum()), int((~halves).sum())
        if min(sizes) < cfg.split_min_part:
            return None
        inter = float(sim[np.ix_(halves, ~halves)].mean())
        intra = [
            float((sim[np.ix_(h, h)].sum() - h.sum()) / (h.sum() * (h.sum() - 1)))
            for h in (halves, ~halves)
        ]
        if inter < cfg.split_ratio * float(np.mean(intra)):
            return [bool(h) for h in halves]
        return None

    # --- state, for the store ----------------------------------------------------------------

    def state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        """Everything needed to go on later: JSON-able metadata and numpy arrays."""
        keys = sorted(self.stories_by_key)
        position = {k: n for n, k in enumerate(keys)}
        pairs = [(i, j, w) for i, nbrs in enumerate(self.edges) for j, w in nbrs.items() if i < j]
        features = self.featurizer.state()
        meta = {
            "featurizer": {k: v for k, v in features.items() if k != "df"},
            "articles": [
                [
                    a.id,
                    a.text,
                    a.source,
                    a.title,
                    a.published,
                    a.syndication_group,
                    a.original,
                    a.copy_similarity,
                    a.copy_shared,
                ]
                for a in self.articles
            ],
            "stories": [[self.stories_by_key[k].sid, self.stories_by_key[k].founder] for k in keys],
            "counts": dict(self.counts),
        }
        arrays: dict[str, npt.NDArray[Any]] = {
            "df": features["df"],
            "x_data": self.x.data.astype(np.float32),
            "x_indices": self.x.indices.astype(np.int64),
            "x_indptr": self.x.indptr.astype(np.int64),
            "label": np.array([position[k] for k in self.label], dtype=np.int64),
            "edges": np.array([(i, j) for i, j, _ in pairs], dtype=np.int64).reshape(-1, 2),
            "edge_weight": np.array([w for _, _, w in pairs], dtype=np.float32),
        }
        return meta, arrays

    @classmethod
    def from_state(
        cls,
        meta: dict[str, Any],
        arrays: dict[str, npt.NDArray[Any]],
        config: ClusterConfig | None = None,
    ) -> StoryIndex:
        """Rebuild an index from what :meth:`state` returned (same configuration)."""
        index = cls(config)
        index.featurizer.load_state({**meta["featurizer"], "df": arrays["df"]})
        index.articles = [
            Article(
                id=i,
                text=t,
                source=s,
                title=ti,
                published=p,
                syndication_group=g,
                original=o,
                copy_similarity=cs,
                copy_shared=ch,
            )
            for i, t, s, ti, p, g, o, cs, ch in meta["articles"]
        ]
        index.ids = [a.id for a in index.articles]
        index._by_id = {a: n for n, a in enumerate(index.ids)}
        index.days = [published_day(a.published) for a in index.articles]
        width = max(1, len(index.featurizer.terms))
        index.x = sp.csr_matrix(
            (
                arrays["x_data"].astype(np.float64),
                arrays["x_indices"],
                arrays["x_indptr"],
            ),
            shape=(len(index.ids), width),
        )
        index.salient = _salient(index.x, index.config.salient_terms)
        index.edges = [{} for _ in index.ids]
        for (i, j), w in zip(arrays["edges"].tolist(), arrays["edge_weight"].tolist(), strict=True):
            index.edges[i][j] = w
            index.edges[j][i] = w
        for key, (sid, founder) in enumerate(meta["stories"]):
            index.stories_by_key[key] = _StoryState(sid=sid, founder=int(founder))
            index._sids.add(sid)
        index._next_key = len(meta["stories"])
        index.label = [int(k) for k in arrays["label"]]
        for i, key in enumerate(index.label):
            index.stories_by_key[key].members.add(i)
        index.counts.update({str(k): int(v) for k, v in meta["counts"].items()})
        return index

    # --- output ------------------------------------------------------------------------------

    def assignments(self) -> dict[str, str]:
        """Story id of every article."""
        return {a: self.stories_by_key[self.label[i]].sid for i, a in enumerate(self.ids)}

    def story_of(self, article_id: str) -> str | None:
        """Story id of one article, or ``None`` when unknown."""
        i = self._by_id.get(article_id)
        return None if i is None else self.stories_by_key[self.label[i]].sid

    def stories(self, only: set[str] | None = None) -> list[Story]:
        """The stories (all, or those with ids in ``only``), largest first, then by id."""
        out = [
            self._story(state)
            for state in self.stories_by_key.values()
            if only is None or state.sid in only
        ]
        out.sort(key=lambda s: (-len(s.article_ids), s.id))
        return out

    def _story(self, state: _StoryState) -> Story:
        members = sorted(state.members, key=self._lineage)
        rows = self.x[members]
        total = np.asarray(rows.sum(axis=0)).ravel()
        memberships = [
            self._membership(i, rows[k], total, len(members)) for k, i in enumerate(members)
        ]
        central = max(
            range(len(members)),
            key=lambda k: (self.articles[members[k]].title is not None, memberships[k].score, -k),
        )
        arts = [self.articles[i] for i in members]
        title = arts[central].title or _first_line(arts[central].text)
        dates = sorted(
            p for a in arts if (p := a.published) is not None and published_day(p) is not None
        )
        groups: dict[str, list[Article]] = defaultdict(list)
        for a in arts:
            groups[a.syndication_group or a.id].append(a)
        syndication = tuple(
            _group(gid, members) for gid, members in sorted(groups.items()) if len(members) > 1
        )
        return Story(
            id=state.sid,
            article_ids=tuple(a.id for a in arts),
            title=title,
            sources=tuple(sorted({a.source for a in arts if a.source})),
            independent_sources=len(groups),
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
            syndication=syndication,
            memberships=tuple(memberships),
        )

    def _membership(
        self, i: int, row: sp.csr_matrix, total: npt.NDArray[np.float64], size: int
    ) -> Membership:
        if size == 1:
            return Membership(article_id=self.ids[i], score=1.0)
        key = self.label[i]
        links = sum(s for j, s in self.edges[i].items() if self.label[j] == key)
        contrib = row.data * (total[row.indices] - row.data)
        order = np.argsort(-contrib, kind="stable")
        terms: list[str] = []
        ents: list[str] = []
        for k in order:
            if contrib[k] <= 0 or (len(terms) >= _TOP_REASONS and len(ents) >= _TOP_REASONS):
                break
            tid = int(row.indices[k])
            bucket = ents if self.featurizer.is_entity(tid) else terms
            if len(bucket) < _TOP_REASONS:
                bucket.append(self.featurizer.label(tid))
        return Membership(
            article_id=self.ids[i],
            score=round(links / min(size - 1, _MAX_EDGES), 4),
            shared_terms=tuple(terms),
            shared_entities=tuple(ents),
        )


def _group(gid: str, members: Sequence[Article]) -> SyndicationGroup:
    """The syndication group ``gid`` as far as ``members`` (in lineage order) are in a story.

    When the group's original is in another story, the story's earliest member stands in for
    it; each copy keeps its similarity with the group's original.
    """
    original = next((a for a in members if a.original), members[0])
    copies = [a for a in members if a is not original]
    return SyndicationGroup(
        id=gid,
        original=original.id,
        copies=tuple(a.id for a in copies),
        similarity={a.id: a.copy_similarity for a in copies if a.copy_similarity is not None},
        shared={a.id: a.copy_shared for a in copies if a.copy_shared is not None},
    )


def _first_line(text: str, limit: int = 120) -> str | None:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if not line:
        return None
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _light(article: Article) -> Article:
    """What the index keeps of an article: its metadata, its syndication fields and its first
    line (a title stand-in)."""
    return Article(
        id=article.id,
        text=_first_line(article.text) or "",
        source=article.source,
        url=article.url,
        title=article.title,
        published=article.published,
        syndication_group=article.syndication_group,
        original=article.original,
        copy_similarity=article.copy_similarity,
        copy_shared=article.copy_shared,
    )


def cluster_articles(
    articles: Iterable[Article], config: ClusterConfig | None = None, embedder: Any = None
) -> StoryIndex:
    """Cluster a corpus in one batch (articles with their syndication fields)."""
    index = StoryIndex(config, embedder)
    index.add(articles)
    return index
