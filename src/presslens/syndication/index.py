"""Exact and near-duplicate detection (MinHash + LSH over word shingles) and lineage.

Pairs come from three places: texts whose normalised hash is equal, LSH candidates whose
exact shingle Jaccard reaches ``SyndicationConfig.min_jaccard``, and texts of which one mostly
lies inside the other (``SyndicationConfig.min_containment`` of the shorter text's shingles), as
a reprint of a wire story's first paragraphs does.  Containment candidates are the texts that share
sampled shingles: those whose hash is 0 modulo ``_SAMPLE_MOD``, the same ones in every text,
so two texts sharing a passage share its samples.  A text that holds two texts which share
nothing with each other is a page of news in brief, not a story: it links neither, so
unrelated stories are not joined through it (counted as ``roundup``).  Groups are the connected
components of those verified pairs, so the result of a batch does not depend on its order: the
pair set is symmetric, the union-find only joins, and the round-up test sees everything the
batch brings (a text arriving in a later batch is judged against what was linked before).

MinHash signatures are computed for a whole batch at once with numpy: permutation ``k`` maps a
64-bit shingle hash ``x`` to ``(x ^ b_k) * a_k`` (``a_k`` odd, so a bijection of 64-bit
integers), and the signature keeps the top 32 bits of each minimum.  The LSH cuts a signature
into the bands datasketch's ``MinHashLSH`` picks for ``lsh_threshold``; texts sharing a band
are candidates.  A bucket holding very many texts (boilerplate) pairs each member with its
first ``_BUCKET_PAIRS`` members in a content-derived order only, so candidates stay bounded,
and a candidate already in the same group is not verified again.

Lineage: the original of a group is the member published first.  Members without a date rank
after every dated one; ties (same ``published`` string) go to the smallest id.  A group's id is
derived from its original's id, so it can change when an earlier copy arrives later.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from datasketch import MinHashLSH

from presslens.config import SyndicationConfig
from presslens.model import Article, SyndicationGroup, hash_normalised, normalise_for_hash
from presslens.pipeline import Mapper
from presslens.syndication.shingles import (
    Hashes,
    containment,
    exact_jaccard,
    normalised_words,
    shared_count,
    shingle_hashes,
)

Signatures = npt.NDArray[np.uint32]

# Shingles hashed per numpy pass when signatures are computed (bounds the temporary
# `num_perm x chunk` matrix to about 32 MB at 128 permutations).
_CHUNK_SHINGLES = 32_768
# Within one LSH bucket, each text is paired with the bucket's first this many members (in
# the order of a content fingerprint).  Real buckets on the DEV perturbation set hold a few
# texts; only boilerplate fills one, and bounding its pairs keeps the cost linear.
_BUCKET_PAIRS = 16
# One shingle in this many (by hash) is a containment sample; a text of 20 shingles has
# about 2.5, so a short reprint still shares two with its source.
_SAMPLE_MOD = np.uint64(8)
# Texts sharing at least this many samples are verified for containment (a sample held by
# many texts, boilerplate, pairs each with a bounded number of them, as an LSH bucket does).
_SAMPLE_MIN_SHARED = 2
# Two texts held by one longer text are unrelated (so the longer one is a round-up) when they
# share less than this share of the shorter one's shingles.
_UNRELATED = 0.1
# Candidate pairs verified per task when the linking is spread over a cluster: a task then
# carries at most twice this many texts' shingles (a few MB).
_PAIRS_PER_TASK = 1000
# Tasks of candidate pairs sent out at once; the pairs of a wave are checked against the groups
# that earlier waves formed.
_TASKS_PER_WAVE = 8
# Odd multipliers that fold the rows of a band into one 64-bit key (any odd constants work).
_FOLD = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)


def lineage_key(published: str | None, article_id: str) -> tuple[bool, str, str]:
    """Sort key of lineage: dated before undated, earlier before later, then smaller id."""
    return (published is None, published or "", article_id)


def group_id(original_id: str) -> str:
    """The id of the syndication group whose original is ``original_id``."""
    return "syn-" + hashlib.sha1(original_id.encode("utf-8")).hexdigest()[:12]


def permutations(num_perm: int, seed: int) -> tuple[Hashes, Hashes]:
    """The ``(a, b)`` parameters of the ``num_perm`` MinHash permutations for ``seed``."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**64 - 1, size=num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, 2**64 - 1, size=num_perm, dtype=np.uint64, endpoint=True)
    return a, b


def minhash_signatures(shingles: list[Hashes], num_perm: int, seed: int) -> Signatures:
    """One MinHash signature (``num_perm`` uint32 values) per non-empty shingle set."""
    a, b = permutations(num_perm, seed)
    out = np.empty((len(shingles), num_perm), dtype=np.uint32)
    lo = 0
    while lo < len(shingles):
        hi, total = lo, 0
        while hi < len(shingles) and (hi == lo or total + len(shingles[hi]) <= _CHUNK_SHINGLES):
            total += len(shingles[hi])
            hi += 1
        flat = np.concatenate(shingles[lo:hi])
        starts = np.zeros(hi - lo, dtype=np.int64)
        np.cumsum([len(s) for s in shingles[lo : hi - 1]], out=starts[1:])
        vals = flat[None, :] ^ b[:, None]
        vals *= a[:, None]
        mins = np.minimum.reduceat(vals, starts, axis=1)
        out[lo:hi] = (mins >> np.uint64(32)).astype(np.uint32).T
        lo = hi
    return out


def estimate_jaccard(sig_a: Signatures, sig_b: Signatures) -> float:
    """The MinHash estimate of the Jaccard similarity of two signatures."""
    return float(np.mean(sig_a == sig_b))


def band_keys(signatures: Signatures, bands: int, rows: int) -> Hashes:
    """One 64-bit key per (signature, band): the band's ``rows`` values folded together."""
    sig = signatures[:, : bands * rows].astype(np.uint64).reshape(len(signatures), bands, rows)
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    for r in range(rows):
        keys ^= sig[:, :, r]
        keys *= _FOLD[r % len(_FOLD)]
    return keys


def _fingerprint(keys: Hashes) -> Hashes:
    """A content-derived order key per text (so bucket bounding ignores the input order)."""
    out = np.zeros(len(keys), dtype=np.uint64)
    for c in range(keys.shape[1]):
        out ^= keys[:, c]
        out *= _FOLD[0]
    return out


def bucket_pairs(
    keys: Hashes, order_key: Hashes, fresh: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """Index pairs ``(i, j)``, ``i < j``, that share a bucket in some band (one of them fresh).

    ``keys`` is ``texts x bands``; pairs come back as rows of a ``(m, 2)`` int64 array.  In
    each bucket, members are ranked by ``order_key`` and each is paired with the first
    ``_BUCKET_PAIRS`` members only, so a bucket of ``L`` texts gives at most
    ``L * _BUCKET_PAIRS`` pairs (every pair while ``L <= _BUCKET_PAIRS + 1``).
    """
    found: list[npt.NDArray[np.int64]] = []
    for band in range(keys.shape[1]):
        col = keys[:, band]
        order = np.lexsort((order_key, col))
        ks = col[order]
        pos = np.arange(len(ks))
        first = np.ones(len(ks), dtype=bool)
        first[1:] = ks[1:] != ks[:-1]
        run_start = np.maximum.accumulate(np.where(first, pos, 0))
        active = np.flatnonzero(~first)
        for d in range(_BUCKET_PAIRS):
            active = active[active - run_start[active] > d]
            if len(active) == 0:
                break
            left, right = order[run_start[active] + d], order[active]
            keep = fresh[left] | fresh[right]
            found.append(np.stack([left[keep], right[keep]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found), axis=1)
    return np.unique(pairs, axis=0)


def sample_pairs(
    samples: Hashes, docs: npt.NDArray[np.int64], fresh: npt.NDArray[np.bool_], share: float
) -> npt.NDArray[np.int64]:
    """Doc pairs ``(i, j)``, ``i < j``, one of them fresh, that share many samples.

    Many: ``_SAMPLE_MIN_SHARED`` and ``share`` of the samples of the one with fewer.
    ``samples`` and ``docs`` are parallel (one row per sampled shingle of a text; a text's
    samples are distinct); ``fresh`` is parallel too.  Each sample is a one-band LSH key, so
    :func:`bucket_pairs` finds the texts that share it.
    """
    rows = bucket_pairs(samples[:, np.newaxis], docs.astype(np.uint64), fresh)
    if len(rows) == 0:
        return np.empty((0, 2), dtype=np.int64)
    unique, counts = np.unique(np.sort(docs[rows], axis=1), axis=0, return_counts=True)
    per_doc = np.bincount(docs)
    fewer = np.minimum(per_doc[unique[:, 0]], per_doc[unique[:, 1]])
    out: npt.NDArray[np.int64] = unique[(counts >= _SAMPLE_MIN_SHARED) & (counts >= share * fewer)]
    return out


def _band_candidates(
    job: tuple[Hashes, Hashes, npt.NDArray[np.bool_]],
) -> npt.NDArray[np.int64]:
    """The candidate pairs of one partition of LSH bands (a task of a spread fit)."""
    keys, order_key, fresh = job
    return bucket_pairs(keys, order_key, fresh)


def _pair_scores(
    job: tuple[list[tuple[int, int]], dict[int, Hashes]],
) -> list[tuple[float, float]]:
    """Jaccard and containment of each pair, from the shingles the job carries."""
    pairs, shingles = job
    out: list[tuple[float, float]] = []
    for i, j in pairs:
        a, b = shingles[i], shingles[j]
        if len(a) == 0 or len(b) == 0:
            out.append((0.0, 0.0))
            continue
        inter = shared_count(a, b)
        out.append((inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))))
    return out


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """What syndication needs of one text, computed wherever the text is.

    ``key`` is the hash of the normalised text (``None`` when it has no words); ``shingles``
    the sorted shingle hashes of its first ``max_words`` words; ``signature`` its MinHash
    signature, or ``None`` when the text is too short to be matched on anything but identity.
    """

    key: str | None
    shingles: Hashes
    truncated: bool
    signature: Signatures | None


def text_features(articles: Sequence[Article], config: SyndicationConfig) -> list[TextFeatures]:
    """The :class:`TextFeatures` of each article (signatures computed for the batch at once)."""
    found: list[tuple[str | None, Hashes, bool, bool]] = []
    for article in articles:
        normalised = normalise_for_hash(article.text)
        tokens = normalised_words(normalised)
        truncated = len(tokens) > config.max_words
        tokens = tokens[: config.max_words]
        if not tokens:
            found.append((None, np.empty(0, dtype=np.uint64), truncated, False))
            continue
        shingles = shingle_hashes(tokens, config.shingle_size)
        found.append(
            (hash_normalised(normalised), shingles, truncated, len(tokens) >= config.min_words)
        )
    wanted = [k for k, (_, _, _, lsh) in enumerate(found) if lsh]
    sigs = (
        minhash_signatures([found[k][1] for k in wanted], config.num_perm, config.seed)
        if wanted
        else None
    )
    row = {k: n for n, k in enumerate(wanted)}
    return [
        TextFeatures(key, sh, trunc, None if sigs is None or k not in row else sigs[row[k]])
        for k, (key, sh, trunc, _) in enumerate(found)
    ]


@dataclass
class SyndicationResult:
    """Groups of a corpus, every article's group, and counts of what needed special care."""

    groups: list[SyndicationGroup]
    group_of: dict[str, str]
    original: dict[str, bool]
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._copy: dict[str, tuple[float, float]] = {
            c: (g.similarity.get(c, 0.0), g.shared.get(c, 0.0))
            for g in self.groups
            for c in g.copies
        }

    def annotate(self, article: Article) -> Article:
        """``article`` with its syndication fields set."""
        similarity, shared = self._copy.get(article.id, (None, None))
        return replace(
            article,
            syndication_group=self.group_of.get(article.id),
            is_original=self.original.get(article.id),
            copy_similarity=similarity,
            copy_shared=shared,
        )

    def fields(self, article_id: str) -> tuple[str | None, bool | None, float | None, float | None]:
        """The syndication fields :meth:`annotate` gives the article ``article_id``."""
        similarity, shared = self._copy.get(article_id, (None, None))
        return (self.group_of.get(article_id), self.original.get(article_id), similarity, shared)


class SyndicationIndex:
    """Incremental syndication over a growing corpus; :meth:`result` gives the groups so far.

    ``counts`` tallies the articles that were handled specially: ``no_text`` (never grouped),
    ``short_text`` (matched on identical text only), ``exact_duplicate``, ``truncated``
    (shingled on the first ``max_words`` words) and ``roundup`` (holds unrelated texts, so
    linked to none of them by containment).
    """

    def __init__(self, config: SyndicationConfig | None = None) -> None:
        self.config = config or SyndicationConfig()
        self.config.validate()
        # datasketch's choice of bands and rows for the threshold (it minimises the weighted
        # false positive and false negative areas); its tables are not used.
        lsh = MinHashLSH(threshold=self.config.lsh_threshold, num_perm=self.config.num_perm)
        self.bands, self.rows = int(lsh.b), int(lsh.r)
        self.ids: list[str] = []
        self.published: list[str | None] = []
        self.shingles: list[Hashes] = []
        self._parent: list[int] = []
        self._by_id: dict[str, int] = {}
        self._by_hash: dict[str, int] = {}
        # LSH state: the indices of the texts that have a signature, and their band keys.
        self._sig_docs = np.empty(0, dtype=np.int64)
        self._keys: Hashes = np.empty((0, self.bands), dtype=np.uint64)
        # Containment samples: each sampled shingle hash and the text it belongs to.
        self._samples: Hashes = np.empty(0, dtype=np.uint64)
        self._sample_docs = np.empty(0, dtype=np.int64)
        self.jaccard: dict[tuple[int, int], float] = {}
        # each text that others were linked to by containment, and those others
        self.contains: dict[int, list[int]] = {}
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

    def add(self, article: Article) -> None:
        """Add one article (an id already present is ignored) and link it to its copies.

        Each call scans the LSH bands of the whole index once; add many with :meth:`add_all`.
        """
        self.add_all([article])

    def add_all(self, articles: Iterable[Article]) -> None:
        """Add every article of ``articles`` (one batch: signatures and LSH run once for all)."""
        batch = list(articles)
        self.add_features(batch, text_features(batch, self.config))

    def add_features(
        self,
        articles: Sequence[Article],
        features: Sequence[TextFeatures],
        mapper: Mapper | None = None,
    ) -> None:
        """:meth:`add_all` with each article's :func:`text_features` already computed
        (anywhere: they depend on the text and the configuration only); with a ``mapper``,
        the linking is spread over its tasks, partitioned by LSH band."""
        start = len(self.ids)
        pending: list[int] = []
        signatures: list[Signatures] = []
        for article, feats in zip(articles, features, strict=True):
            i = self._register(article, feats)
            if i is not None and feats.signature is not None:
                pending.append(i)
                signatures.append(feats.signature)
        if not pending:
            return
        sigs = np.stack(signatures)
        self._sig_docs = np.concatenate([self._sig_docs, np.asarray(pending, dtype=np.int64)])
        self._keys = np.concatenate([self._keys, band_keys(sigs, self.bands, self.rows)])
        self._add_samples(pending)
        self._link(start, mapper)

    def _add_samples(self, docs: Iterable[int]) -> None:
        """Record the containment samples of ``docs`` (a text too short to contain has none)."""
        hashes: list[Hashes] = [self._samples]
        owners: list[npt.NDArray[np.int64]] = [self._sample_docs]
        for i in docs:
            sh = self.shingles[i]
            if len(sh) < self.config.containment_min_shingles:
                continue
            picked = sh[sh % _SAMPLE_MOD == 0]
            hashes.append(picked)
            owners.append(np.full(len(picked), i, dtype=np.int64))
        self._samples = np.concatenate(hashes)
        self._sample_docs = np.concatenate(owners)

    def _enter(self, article: Article) -> int | None:
        """Give ``article`` an index (its shingles are the caller's); ``None`` for a known id."""
        if article.id in self._by_id:
            self.counts["repeated_id"] += 1
            return None
        i = len(self.ids)
        self.ids.append(article.id)
        self.published.append(article.published)
        self._parent.append(i)
        self._by_id[article.id] = i
        return i

    def _register(self, article: Article, feats: TextFeatures) -> int | None:
        """Record ``article``; its index when it needs an LSH signature, else ``None``."""
        i = self._enter(article)
        if i is None:
            return None
        if feats.truncated:
            self.counts["truncated"] += 1
        if feats.key is None:
            self.counts["no_text"] += 1
            self.shingles.append(np.empty(0, dtype=np.uint64))
            return None
        first = self._by_hash.get(feats.key)
        if first is not None:
            self.counts["exact_duplicate"] += 1
            self.shingles.append(self.shingles[first])
            self.jaccard[(first, i)] = 1.0
            self._union(first, i)
            return None
        self._by_hash[feats.key] = i
        self.shingles.append(feats.shingles)
        if feats.signature is None:
            self.counts["short_text"] += 1
            return None
        return i

    def _link(self, start: int, mapper: Mapper | None = None) -> None:
        """Verify the LSH candidates that involve a text added from index ``start`` on.

        With a ``mapper`` the work is spread: one task per LSH band finds that band's
        candidates, and the pairs are verified in tasks that carry only their texts' shingles.
        The result is the same: candidates are the union over bands either way, and every
        candidate not already joined is verified.
        """
        docs = self._sig_docs
        order_key, fresh = _fingerprint(self._keys), docs >= start
        if mapper is None:
            pairs = bucket_pairs(self._keys, order_key, fresh)
        else:
            parts = mapper(
                _band_candidates,
                [(self._keys[:, b : b + 1], order_key, fresh) for b in range(self.bands)],
            )
            pairs = np.unique(np.concatenate([np.empty((0, 2), np.int64), *parts]), axis=0)
        candidates = np.sort(docs[pairs], axis=1).tolist()
        min_jac = self.config.min_jaccard
        # A candidate already in the group is not verified (in a crowded bucket of copies that
        # saves all but one pair per copy); spread, the candidates go out in waves so that
        # later waves still skip what earlier ones joined.
        wave = 1 if mapper is None else _PAIRS_PER_TASK * _TASKS_PER_WAVE
        for k in range(0, len(candidates), wave):
            todo = self._unjoined(candidates[k : k + wave])
            for (i, j), (jac, _) in zip(todo, self._scores(todo, mapper), strict=True):
                if jac >= min_jac:
                    self.jaccard[(i, j)] = jac
                    self._union(i, j)
        self._link_contained(start, mapper)

    def _unjoined(self, pairs: list[list[int]]) -> list[tuple[int, int]]:
        """The pairs whose texts are not in one group yet."""
        return [(i, j) for i, j in pairs if self._find(i) != self._find(j)]

    def _scores(
        self, pairs: list[tuple[int, int]], mapper: Mapper | None
    ) -> list[tuple[float, float]]:
        """(Jaccard, containment) of each pair's shingles, here or in the mapper's tasks."""
        if mapper is None:
            return _pair_scores((pairs, {i: self.shingles[i] for p in pairs for i in p}))
        jobs = [
            (chunk, {i: self.shingles[i] for p in chunk for i in p})
            for chunk in (
                pairs[k : k + _PAIRS_PER_TASK] for k in range(0, len(pairs), _PAIRS_PER_TASK)
            )
        ]
        return [score for part in mapper(_pair_scores, jobs) for score in part]

    def _link_contained(self, start: int, mapper: Mapper | None = None) -> None:
        """Link the texts added from ``start`` on that lie inside another, or hold another.

        Every candidate of the batch is verified before any is linked, so the round-up test
        sees all that a text holds whatever the input order.
        """
        min_contained = self.config.min_containment
        held: dict[int, dict[int, float]] = {}
        # a text with containment c shares about c of its samples: half of that is a bound
        # that a true pair misses only by a freak of sampling
        candidates = sample_pairs(
            self._samples, self._sample_docs, self._sample_docs >= start, min_contained / 2
        )
        todo = self._unjoined(candidates.tolist())
        for (i, j), (jac, contained) in zip(todo, self._scores(todo, mapper), strict=True):
            if contained >= min_contained:
                short, long = (i, j) if len(self.shingles[i]) <= len(self.shingles[j]) else (j, i)
                held.setdefault(long, {})[short] = jac
        for long in sorted(held):
            earlier = self.contains.get(long, [])
            new = sorted(held[long])
            if self._holds_unrelated(earlier, new):
                self.counts["roundup"] += 1
                continue
            for short in new:
                self.jaccard[(min(short, long), max(short, long))] = held[long][short]
                self._union(short, long)
            self.contains[long] = earlier + new

    def _holds_unrelated(self, earlier: list[int], new: list[int]) -> bool:
        """Whether a text of ``new`` shares less than ``_UNRELATED`` of the shorter's shingles
        with another of ``new`` or one of ``earlier`` (which were checked with each other)."""
        for k, p in enumerate(new):
            for q in new[k + 1 :] + earlier:
                if containment(self.shingles[p], self.shingles[q]) < _UNRELATED:
                    return True
        return False

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
            groups.append(
                SyndicationGroup(
                    id=gid,
                    original=self.ids[head],
                    copies=copies,
                    similarity={self.ids[k]: round(self._similarity(head, k), 4) for k in idx[1:]},
                    shared={
                        self.ids[k]: round(containment(self.shingles[head], self.shingles[k]), 4)
                        for k in idx[1:]
                    },
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
            "lsh_docs": self._sig_docs,
            "lsh_keys": self._keys,
            "pairs": np.array([p for p, _ in pairs], dtype=np.int64).reshape(-1, 2),
            "pair_jaccard": np.array([v for _, v in pairs], dtype=np.float64),
            "contains": np.array(
                [(long, short) for long, shorts in self.contains.items() for short in shorts],
                dtype=np.int64,
            ).reshape(-1, 2),
            "counts": dict(self.counts),
        }

    @classmethod
    def from_state(
        cls, state: dict[str, Any], config: SyndicationConfig | None = None
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
        index._keys = np.asarray(state["lsh_keys"], dtype=np.uint64).reshape(-1, index.bands)
        index._sig_docs = np.asarray(state["lsh_docs"], dtype=np.int64)
        # samples are a function of the shingles, so they are rebuilt rather than stored
        index._add_samples(index._sig_docs.tolist())
        index.jaccard = {
            (int(a), int(b)): float(v)
            for (a, b), v in zip(state["pairs"], state["pair_jaccard"], strict=True)
        }
        index.contains = {}
        # an index saved before containment was matched has no "contains"
        for long, short in np.asarray(state.get("contains", []), dtype=np.int64).reshape(-1, 2):
            index.contains.setdefault(int(long), []).append(int(short))
        index.counts = Counter({str(k): int(v) for k, v in state["counts"].items()})
        return index


def find_syndication(
    articles: Iterable[Article], config: SyndicationConfig | None = None
) -> SyndicationResult:
    """Group ``articles`` into syndication groups (each article in exactly one group)."""
    index = SyndicationIndex(config)
    index.add_all(articles)
    return index.result()
