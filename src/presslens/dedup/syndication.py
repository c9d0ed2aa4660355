"""Exact and near-duplicate detection (MinHash + LSH over word shingles) and lineage.

Pairs come from two places: texts whose normalised hash is equal, and LSH candidates whose
exact shingle Jaccard reaches ``DedupConfig.min_jaccard``.  Groups are the connected
components of those verified pairs, so the result does not depend on the input order: the
pair set is symmetric and the union-find only joins.

Lineage: the original of a group is the member published first.  Members without a date rank
after every dated one; ties (same ``published`` string) go to the smallest id.  A group's id is
derived from its original's id, so it can change when an earlier copy arrives later.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from presslens.config import DedupConfig
from presslens.dedup.shingles import Hashes, exact_jaccard, shingle_hashes, words
from presslens.model import Article, SyndicationGroup, content_hash

_MASK32 = np.uint64(0xFFFFFFFF)


def lineage_key(published: str | None, article_id: str) -> tuple[bool, str, str]:
    """Sort key of lineage: dated before undated, earlier before later, then smaller id."""
    return (published is None, published or "", article_id)


def group_id(original_id: str) -> str:
    """The id of the syndication group whose original is ``original_id``."""
    return "syn-" + hashlib.sha1(original_id.encode("utf-8")).hexdigest()[:12]


def _identity(value: Any) -> int:
    return int(value)


@dataclass
class SyndicationResult:
    """Groups of a corpus, every article's group, and counts of what needed special care."""

    groups: list[SyndicationGroup]
    group_of: dict[str, str]
    original: dict[str, bool]
    counts: Counter[str] = field(default_factory=Counter)

    def annotate(self, article: Article) -> Article:
        """``article`` with ``syndication_group`` and ``original`` set."""
        return replace(
            article,
            syndication_group=self.group_of.get(article.id),
            original=self.original.get(article.id),
        )


class SyndicationIndex:
    """Incremental syndication over a growing corpus; :meth:`result` gives the groups so far.

    ``counts`` tallies the articles that were handled specially: ``no_text`` (never grouped),
    ``short_text`` (matched on identical text only), ``exact_duplicate`` and ``truncated``
    (shingled on the first ``max_words`` words).
    """

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self.config.validate()
        seed_hash = MinHash(num_perm=self.config.num_perm, seed=self.config.seed)
        self._permutations = seed_hash.permutations
        self._lsh = MinHashLSH(threshold=self.config.lsh_threshold, num_perm=self.config.num_perm)
        self.ids: list[str] = []
        self.published: list[str | None] = []
        self.shingles: list[Hashes] = []
        self.signatures: list[Hashes | None] = []
        self._parent: list[int] = []
        self._by_id: dict[str, int] = {}
        self._by_hash: dict[str, int] = {}
        self.jaccard: dict[tuple[int, int], float] = {}
        self.counts: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self.ids)

    def _find(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def _signature(self, hashes: Hashes) -> Hashes:
        mh = MinHash(
            num_perm=self.config.num_perm,
            seed=self.config.seed,
            hashfunc=_identity,
            permutations=self._permutations,
            scheme="affine32",
        )
        mh.update_batch((hashes & _MASK32).tolist())
        return np.asarray(mh.hashvalues)

    def _minhash(self, signature: Hashes) -> MinHash:
        return MinHash(
            seed=self.config.seed,
            hashvalues=signature,
            permutations=self._permutations,
            scheme="affine32",
        )

    def add(self, article: Article) -> None:
        """Add one article (an id already present is ignored) and link it to its copies."""
        if article.id in self._by_id:
            self.counts["repeated_id"] += 1
            return
        cfg = self.config
        i = len(self.ids)
        self.ids.append(article.id)
        self.published.append(article.published)
        self._parent.append(i)
        self._by_id[article.id] = i
        tokens = words(article.text)
        if len(tokens) > cfg.max_words:
            self.counts["truncated"] += 1
            tokens = tokens[: cfg.max_words]
        if not tokens:
            self.counts["no_text"] += 1
            self.shingles.append(np.empty(0, dtype=np.uint64))
            self.signatures.append(None)
            return
        key = content_hash(article.text)
        first = self._by_hash.get(key)
        if first is not None:
            self.counts["exact_duplicate"] += 1
            self.shingles.append(self.shingles[first])
            self.signatures.append(None)
            self.jaccard[(first, i)] = 1.0
            self._union(first, i)
            return
        self._by_hash[key] = i
        hashes = shingle_hashes(tokens, cfg.shingle_size)
        self.shingles.append(hashes)
        if len(tokens) < cfg.min_words:
            self.counts["short_text"] += 1
            self.signatures.append(None)
            return
        signature = self._signature(hashes)
        self.signatures.append(signature)
        self._link(i, signature)

    def _link(self, i: int, signature: Hashes) -> None:
        minhash = self._minhash(signature)
        for j in self._lsh.query(minhash):
            jac = exact_jaccard(self.shingles[i], self.shingles[j])
            if jac >= self.config.min_jaccard:
                self.jaccard[(min(i, j), max(i, j))] = jac
                self._union(i, j)
        self._lsh.insert(i, minhash)

    def add_all(self, articles: Iterable[Article]) -> None:
        """Add every article of ``articles``."""
        for article in articles:
            self.add(article)

    def result(self) -> SyndicationResult:
        """The groups of every article added so far (singletons included)."""
        members: dict[int, list[int]] = {}
        for i in range(len(self.ids)):
            members.setdefault(self._find(i), []).append(i)
        groups: list[SyndicationGroup] = []
        group_of: dict[str, str] = {}
        original: dict[str, bool] = {}
        for idx in members.values():
            idx.sort(key=lambda k: lineage_key(self.published[k], self.ids[k]))
            head = idx[0]
            gid = group_id(self.ids[head])
            copies = tuple(self.ids[k] for k in idx[1:])
            similarity = {self.ids[k]: round(self._similarity(head, k), 4) for k in idx[1:]}
            groups.append(
                SyndicationGroup(
                    id=gid, original=self.ids[head], copies=copies, similarity=similarity
                )
            )
            for k in idx:
                group_of[self.ids[k]] = gid
                original[self.ids[k]] = k == head
        groups.sort(key=lambda g: g.id)
        return SyndicationResult(groups, group_of, original, Counter(self.counts))

    def _similarity(self, a: int, b: int) -> float:
        known = self.jaccard.get((min(a, b), max(a, b)))
        if known is not None:
            return known
        return exact_jaccard(self.shingles[a], self.shingles[b])

    # --- state, for the store ----------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything needed to rebuild the index, as JSON-able lists and numpy arrays."""
        lengths = np.array([len(s) for s in self.shingles], dtype=np.int64)
        has_sig = np.array([s is not None for s in self.signatures], dtype=bool)
        sigs = [s for s in self.signatures if s is not None]
        pairs = sorted(self.jaccard.items())
        return {
            "ids": list(self.ids),
            "published": list(self.published),
            "hashes": sorted(self._by_hash.items(), key=lambda kv: kv[1]),
            "parent": np.array([self._find(i) for i in range(len(self.ids))], dtype=np.int64),
            "shingle_lengths": lengths,
            "shingles": (
                np.concatenate(self.shingles) if self.shingles else np.empty(0, np.uint64)
            ),
            "has_signature": has_sig,
            "signatures": (
                np.stack(sigs) if sigs else np.empty((0, self.config.num_perm), np.uint64)
            ),
            "pairs": np.array([p for p, _ in pairs], dtype=np.int64).reshape(-1, 2),
            "pair_jaccard": np.array([v for _, v in pairs], dtype=np.float64),
            "counts": dict(self.counts),
        }

    @classmethod
    def from_state(
        cls, state: dict[str, Any], config: DedupConfig | None = None
    ) -> SyndicationIndex:
        """Rebuild an index saved with :meth:`state` (the same ``config`` must be used)."""
        index = cls(config)
        index.ids = [str(x) for x in state["ids"]]
        index.published = [None if p is None else str(p) for p in state["published"]]
        index._by_id = {a: i for i, a in enumerate(index.ids)}
        index._by_hash = {str(h): int(i) for h, i in state["hashes"]}
        index._parent = [int(p) for p in state["parent"]]
        offsets = np.concatenate([[0], np.cumsum(state["shingle_lengths"])])
        flat = np.asarray(state["shingles"], dtype=np.uint64)
        index.shingles = [flat[offsets[k] : offsets[k + 1]] for k in range(len(index.ids))]
        sigs = iter(np.asarray(state["signatures"], dtype=np.uint32))
        index.signatures = [next(sigs) if has else None for has in state["has_signature"]]
        for i, sig in enumerate(index.signatures):
            if sig is not None:
                index._lsh.insert(i, index._minhash(sig))
        index.jaccard = {
            (int(a), int(b)): float(v)
            for (a, b), v in zip(state["pairs"], state["pair_jaccard"], strict=True)
        }
        index.counts = Counter({str(k): int(v) for k, v in state["counts"].items()})
        return index


def find_syndication(
    articles: Iterable[Article], config: DedupConfig | None = None
) -> SyndicationResult:
    """Group ``articles`` into syndication groups (each article in exactly one group)."""
    index = SyndicationIndex(config)
    index.add_all(articles)
    return index.result()
