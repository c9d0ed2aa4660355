"""Word shingles of a text, hashed to 64-bit integers, and their exact Jaccard similarity."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import numpy.typing as npt

from presslens.model import normalise_for_hash

_WORD = re.compile(r"\w+")
# Odd 64-bit multiplier of the rolling combination of word hashes (any odd constant works;
# this one is the 64-bit golden ratio, which spreads nearby values well).
_MIX = np.uint64(0x9E3779B97F4A7C15)

Hashes = npt.NDArray[np.uint64]


def words(text: str, max_words: int | None = None) -> list[str]:
    """The ``\\w+`` words of the normalised text (NFKC, case-folded), at most ``max_words``."""
    return normalised_words(normalise_for_hash(text), max_words)


def normalised_words(normalised: str, max_words: int | None = None) -> list[str]:
    """:func:`words` of a text already passed through :func:`normalise_for_hash`."""
    found = _WORD.findall(normalised)
    return found if max_words is None else found[:max_words]


# Word hashes are memoised: news vocabulary is small next to the word count of a corpus.  The
# memo is dropped when it grows past this many words, so memory stays bounded.
_MEMO_MAX = 1_000_000
_memo: dict[str, int] = {}


def _hash_word(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def word_hashes(tokens: list[str]) -> Hashes:
    """The stable 64-bit hash of every token, in order."""
    memo = _memo
    # Only the text's distinct unseen words are hashed in Python; the per-token lookup is a
    # C-level map over the memo.
    missing = set(tokens).difference(memo)
    if len(memo) + len(missing) > _MEMO_MAX:
        memo.clear()
        missing = set(tokens)
    for w in missing:
        memo[w] = _hash_word(w)
    return np.fromiter(map(memo.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


def shingle_hashes(tokens: list[str], size: int) -> Hashes:
    """Sorted, unique 64-bit hashes of the ``size``-word shingles of ``tokens``.

    A text shorter than ``size`` words gives one shingle of all its words; no words give an
    empty array.  Hashes depend only on the words, never on the process (no salted ``hash``).
    """
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    ids = word_hashes(tokens)
    n = max(1, len(ids) - size + 1)
    acc = ids[:n].copy()
    with np.errstate(over="ignore"):
        for k in range(1, min(size, len(ids))):
            acc *= _MIX
            acc ^= ids[k : k + n]
    return np.unique(acc)


def shared_count(a: Hashes, b: Hashes) -> int:
    """How many hashes two sorted unique hash arrays have in common."""
    return len(np.intersect1d(a, b, assume_unique=True))


def exact_jaccard(a: Hashes, b: Hashes) -> float:
    """Jaccard similarity of two sorted unique hash arrays (0.0 when both are empty)."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    inter = shared_count(a, b)
    return inter / (len(a) + len(b) - inter)


def containment(a: Hashes, b: Hashes) -> float:
    """The share of the smaller of two sorted unique hash arrays found in the other (0.0 when
    either is empty)."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    return shared_count(a, b) / min(len(a), len(b))
