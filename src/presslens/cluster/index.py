"""Incremental story clustering: a similarity graph over a candidate index, and stories on it.

A story is one event.  Membership rests on pairwise evidence (two articles' similarity and
dates), bounded in time for dated pairs, so a corpus can be clustered in time windows and
merged at their borders:

1. each article's TF-IDF vector is built (:mod:`presslens.cluster.features`);
2. it is compared with the earlier articles (a sparse product, a block of rows at a time):
   dated pairs only within :func:`max_gap_days` (beyond it even identical texts fall under
   the edge floor), undated articles with every article;
3. each candidate's cosine similarity is weighted by the time between the two articles
   (:func:`~presslens.cluster.features.pair_time_weight`: ``1 / (1 + (gap /
   time_scale_days)^2)`` at every distance, one half when a date is unknown) and kept as an
   edge when above a floor;
4. the article joins the story with the best average edge weight over the story's articles
   (missing edges count as 0; each article keeps its 64 strongest edges and a big story is
   averaged over 64 articles) when that reaches ``threshold``, else it opens a new story.

Every ``consolidate_every`` articles (and at the end of each :meth:`StoryIndex.add`) the
stories touched are consolidated: members are reassigned once to their best story, stories
whose average pairwise link reaches the same ``threshold`` are merged (best pair first), and
a story is split in two when, with IDF recomputed inside the story and the time between
dated articles weighed as in linking, its two halves are far less alike than each half is
inside (two events of the same kind share the words of the kind, but not the names, places,
figures and days).  Last, a fragment (fewer than ``split_min_part``
articles) joins a story (not another fragment) when its average link goes clearly more to
that story than to any other (``fragment_ratio``).

Stories of one ongoing matter are then linked into threads from story-level summaries
(:mod:`presslens.cluster.threads`).

A batch run sorts its articles by date then id first, so its result does not depend on the
input order.  Story ids come from their founding article and survive later additions; no two
live stories share one (an article that leaves the story it founded founds one with a
derived id).
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from presslens.cluster.features import Featurizer, pair_time_weight, published_day
from presslens.cluster.graph import EDGE_FLOOR, shared_reasons, strongest
from presslens.cluster.threads import StorySummary, build_threads, summary_vectors
from presslens.config import ClusterConfig
from presslens.model import Article, Membership, Story, SyndicationGroup, Thread
from presslens.syndication.index import lineage_key

# The edge floor also bounds which dated pairs are compared at all: see `max_gap_days`.
_EDGE_FLOOR = EDGE_FLOOR
# Rows compared per sparse product; bounds memory whatever the corpus size.
_BLOCK = 2000
# Each article keeps at most this many edges (its strongest); a story is scored on the mean
# over at most this many of its articles, so a story of thousands (or thousands of near-empty
# articles that all look alike) costs no more than one of 64.
_MAX_EDGES = 64
# Stories larger than this are not checked for a split (the check is quadratic in size).
_SPLIT_MAX = 400
# A story's thread summary keeps this many of its heaviest terms: enough for its names,
# places and figures.  On DEV ECB+ 16 / 32 / 64 join again 5 / 4 / 4 of the 11 split gold
# stories with 1 / 0 / 0 threads joining two gold stories; BASIL is the same for all three.
SUMMARY_TERMS = 32


def max_gap_days(scale: float) -> float:
    """The gap beyond which even identical dated articles fall under the edge floor.

    ``time_weight(gap) < _EDGE_FLOOR`` there, so such pairs are never compared: the cost per
    article stays flat as a dated corpus grows, and no pair that could matter is skipped.
    """
    return scale * math.sqrt(1.0 / _EDGE_FLOOR - 1.0)


def story_id(founder: str) -> str:
    """The id of a story founded by article ``founder``."""
    return "story-" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:12]


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

    def _day_arrays(
        self, members: Iterable[int]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """The publication day of each of ``members`` (0 when undated) and whether it is dated."""
        days = [self.days[i] for i in members]
        return (
            np.array([d if d is not None else 0 for d in days], dtype=np.int64),
            np.array([d is not None for d in days], dtype=bool),
        )

    def _link(self, new: list[int]) -> None:
        """Add the similarity edges between the new articles and every comparable article."""
        cfg = self.config
        max_gap = max_gap_days(cfg.time_scale_days)
        n_all = len(self.ids)
        days, dated = self._day_arrays(range(n_all))
        new_arr = np.asarray(new, dtype=np.int64)
        for b in range(0, len(new_arr), _BLOCK):
            rows = new_arr[b : b + _BLOCK]
            if dated[rows].all():
                lo, hi = days[rows].min() - max_gap, days[rows].max() + max_gap
                cols = np.flatnonzero(~dated | ((days >= lo) & (days <= hi)))
            else:
                cols = np.arange(n_all)
            prod = sp.csr_matrix(self.x[rows] @ self.x[cols].T)
            # a time weight is at most 1: a pair under the edge floor before it stays under (with
            # embeddings mixed in, a pair must still share words to be linked)
            prod.data[prod.data < _EDGE_FLOOR] = 0.0
            prod.eliminate_zeros()
            cand = prod.tocoo()
            r_idx, c_idx = rows[cand.row], cols[cand.col]
            sims = np.asarray(cand.data)
            keep_pair = r_idx != c_idx
            r_idx, c_idx, sims = r_idx[keep_pair], c_idx[keep_pair], sims[keep_pair]
            if len(r_idx) == 0:
                continue
            if self.embeddings is not None:
                emb = np.einsum("ij,ij->i", self.embeddings[r_idx], self.embeddings[c_idx])
                sims = (1 - cfg.embed_weight) * sims + cfg.embed_weight * emb
            sims = sims * pair_time_weight(
                days[r_idx], days[c_idx], dated[r_idx], dated[c_idx], cfg.time_scale_days
            )
            ok = sims >= _EDGE_FLOOR
            r_idx, c_idx, sims = r_idx[ok], c_idx[ok], sims[ok]
            keep = strongest(r_idx, c_idx, sims, _MAX_EDGES)
            for i, j, s in zip(
                r_idx[keep].tolist(), c_idx[keep].tolist(), sims[keep].tolist(), strict=True
            ):
                self._add_edge(i, j, s)

    def _add_edge(self, i: int, j: int, s: float) -> None:
        """Link ``i`` and ``j``; an article at its edge limit drops its weakest edge."""
        for a, b in ((i, j), (j, i)):
            nbrs = self.edges[a]
            nbrs[b] = s
            if len(nbrs) > _MAX_EDGES:
                # the weakest edge, the latest article among equals: two C-level passes
                # instead of a key function per neighbour (this runs for most new edges)
                low = min(nbrs.values())
                weakest = max(k for k, w in nbrs.items() if w == low)
                del nbrs[weakest]
                self.edges[weakest].pop(a, None)

    def _scores(self, i: int, exclude_self: bool = False) -> dict[int, float]:
        """Average edge weight from article ``i`` to each story it has an edge into."""
        sums: defaultdict[int, float] = defaultdict(float)
        for j, s in self.edges[i].items():
            key = self.label[j]
            if key >= 0:
                sums[key] += s
        out: dict[int, float] = {}
        for key, total in sums.items():
            size = len(self.stories_by_key[key].members)
            if exclude_self and self.label[i] == key:
                size -= 1
            if size > 0:
                out[key] = total / min(size, _MAX_EDGES)
        return out

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
        best = self._best(self._scores(i))
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
        """Move each fragment among ``keys`` into the story it is clearly closest to.

        The target must be a story (``split_min_part`` articles or more): two fragments
        joined on weak links alone would make a story that no pair of its articles supports.
        """
        cfg = self.config
        touched = set(keys)
        for key in sorted(keys):
            state = self.stories_by_key.get(key)
            if state is None or len(state.members) >= cfg.split_min_part:
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
                or avgs[0][0] < cfg.threshold / cfg.fragment_ratio
                or len(self.stories_by_key[-avgs[0][1]].members) < cfg.split_min_part
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

    def _merge(self, keys: set[int]) -> set[int]:
        """Merge stories whose average link reaches ``threshold``, strongest pair first."""
        th = self.config.threshold
        version: defaultdict[int, int] = defaultdict(int)
        heap: list[tuple[float, int, int, int, int]] = []

        def push(key: int) -> None:
            size = min(len(self.stories_by_key[key].members), _MAX_EDGES)
            for other, total in self._links(key).items():
                avg = total / (size * min(len(self.stories_by_key[other].members), _MAX_EDGES))
                if avg >= th:
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
        # Time is evidence here as in linking: two events of one kind weeks apart are cut
        # where their dates part.  An unknown gap weighs neither way inside a story (with the
        # linking's one half, undated articles were cut away from dated ones of their event:
        # ECB+ 0.903 -> 0.900).
        day, dated = self._day_arrays(members)
        sim *= pair_time_weight(
            day[:, None],
            day[None, :],
            dated[:, None],
            dated[None, :],
            cfg.time_scale_days,
            unknown=1.0,
        )
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
                    a.is_original,
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
                is_original=o,
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

    def stories(
        self,
        only: set[str] | None = None,
        threads: dict[str, Thread] | None = None,
        *,
        linked: bool = True,
    ) -> list[Story]:
        """The stories (all, or those with ids in ``only``), largest first, then by id.

        Each carries its thread, linked over all the stories of the index (``threads``, when
        the caller has them from :meth:`threads` already); with ``linked`` false none does,
        for a caller that links threads over more than this index (a window of the corpus).
        """
        if threads is None and linked:
            threads = self.threads()
        out = [
            self._story(state)
            if threads is None
            else replace(self._story(state), thread=threads[state.sid])
            for state in self.stories_by_key.values()
            if only is None or state.sid in only
        ]
        out.sort(key=lambda s: (-len(s.article_ids), s.id))
        return out

    def threads(self) -> dict[str, Thread]:
        """The thread of every story, by story id (see :mod:`presslens.cluster.threads`)."""
        states = sorted(self.stories_by_key.values(), key=lambda st: st.sid)
        summaries: list[StorySummary] = []
        rows: list[int] = []
        cols: list[int] = []
        for n, state in enumerate(states):
            members = sorted(state.members, key=self._lineage)
            dates = sorted(d for i in members if (d := self._published(i)) is not None)
            summaries.append(
                StorySummary(
                    story_id=state.sid,
                    title=self._title(members),
                    first_published=dates[0] if dates else None,
                    last_published=dates[-1] if dates else None,
                    articles=len(members),
                    first_day=published_day(dates[0]) if dates else None,
                    last_day=published_day(dates[-1]) if dates else None,
                )
            )
            rows.extend([n] * len(members))
            cols.extend(members)
        member_of = sp.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(states), len(self.ids))
        )
        vectors = summary_vectors(member_of @ self.x, SUMMARY_TERMS)
        return build_threads(
            summaries,
            vectors,
            self.config.thread_threshold,
            self.config.thread_time_scale_days,
            self.featurizer.label,
            self.featurizer.is_entity,
        )

    def term_sums(self, article_ids: Iterable[str], limit: int) -> dict[str, float]:
        """The ``limit`` heaviest terms (vocabulary form) of the summed TF-IDF rows of
        ``article_ids``, with their weights: what a story's summary is made of."""
        rows = [self._by_id[a] for a in article_ids]
        if not rows:
            return {}
        total = np.asarray(self.x[rows].sum(axis=0)).ravel()
        top = np.argsort(-total, kind="stable")[:limit]
        return {self.featurizer.terms[t]: float(total[t]) for t in top if total[t] > 0}

    def _published(self, i: int) -> str | None:
        """Article ``i``'s ``published`` value when it names a day, else ``None``."""
        return self.articles[i].published if self.days[i] is not None else None

    def _title(self, members: list[int]) -> str | None:
        """The title of the story of ``members`` (in lineage order): its most central
        article's, preferring articles with a title."""
        size = len(members)
        key = self.label[members[0]]

        def score(i: int) -> float:
            if size == 1:
                return 1.0
            links = sum(s for j, s in self.edges[i].items() if self.label[j] == key)
            return round(links / min(size - 1, _MAX_EDGES), 4)

        central = max(
            range(size),
            key=lambda k: (self.articles[members[k]].title is not None, score(members[k]), -k),
        )
        art = self.articles[members[central]]
        return art.title or _first_line(art.text)

    def _story(self, state: _StoryState) -> Story:
        members = sorted(state.members, key=self._lineage)
        rows = self.x[members]
        total = np.asarray(rows.sum(axis=0)).ravel()
        memberships = [
            self._membership(i, rows, k, total, len(members)) for k, i in enumerate(members)
        ]
        arts = [self.articles[i] for i in members]
        dates = sorted(d for i in members if (d := self._published(i)) is not None)
        syndication = syndication_groups(arts)
        return Story(
            id=state.sid,
            article_ids=tuple(a.id for a in arts),
            title=self._title(members),
            sources=tuple(sorted({a.source for a in arts if a.source})),
            independent_sources=len({a.syndication_group or a.id for a in arts}),
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
            syndication=syndication,
            memberships=tuple(memberships),
        )

    def _membership(
        self, i: int, rows: sp.csr_matrix, k: int, total: npt.NDArray[np.float64], size: int
    ) -> Membership:
        """Article ``i``'s membership of its story: its average link and what it shares
        (its vector is row ``k`` of the story's ``rows``, whose sum is ``total``)."""
        if size == 1:
            return Membership(article_id=self.ids[i], score=1.0)
        key = self.label[i]
        links = sum(s for j, s in self.edges[i].items() if self.label[j] == key)
        terms, ents = shared_reasons(
            rows, k, total, self.featurizer.label, self.featurizer.is_entity
        )
        return Membership(
            article_id=self.ids[i],
            score=round(links / min(size - 1, _MAX_EDGES), 4),
            shared_terms=terms,
            shared_entities=ents,
        )


def syndication_groups(articles: Sequence[Article]) -> tuple[SyndicationGroup, ...]:
    """The syndication groups with several members among a story's ``articles`` (in lineage
    order), from the articles' syndication fields, by group id."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        groups[a.syndication_group or a.id].append(a)
    return tuple(_group(gid, group) for gid, group in sorted(groups.items()) if len(group) > 1)


def _group(gid: str, members: Sequence[Article]) -> SyndicationGroup:
    """The syndication group ``gid`` as far as ``members`` (in lineage order) are in a story.

    When the group's original is in another story, the story's earliest member stands in for
    it; each copy keeps its similarity with the group's original.
    """
    original = next((a for a in members if a.is_original), members[0])
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
    """What the index keeps of an article: what its stories read (source, title, date), its
    syndication fields and its first line (a title stand-in); no more than :meth:`StoryIndex.state`
    saves, so an index read back from the store holds the same articles."""
    return Article(
        id=article.id,
        text=_first_line(article.text) or "",
        source=article.source,
        title=article.title,
        published=article.published,
        syndication_group=article.syndication_group,
        is_original=article.is_original,
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
