"""Words as summarization compares them: case-folded, light suffix stripping, no stop words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NUMBER = re.compile(r"\d")

#: scikit-learn's English list plus news verbs of saying, which carry no information of their own
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    {"said", "says", "say", "told", "according", "mr", "mrs", "ms", "s", "t", "just", "like"}
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stemmer: plural, ``-ing`` and ``-ed`` endings, possessives.

    Enough to let "talks"/"talk" and "killed"/"kill" meet; nothing language-specific beyond.
    """
    w = word.casefold().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    n = len(w)
    if n > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if n > 4 and w.endswith("sses"):
        return w[:-2]
    if n > 3 and w.endswith("es") and w[-3] in "sxz":
        return w[:-2]
    if n > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    if n > 5 and w.endswith("ing"):
        return w[:-3]
    if n > 4 and w.endswith("ed") and not w.endswith("eed"):
        return w[:-2]
    return w


def tokens(text: str) -> list[str]:
    """Word tokens of ``text`` as written."""
    return _TOKEN.findall(text)


def content_terms(text: str) -> list[str]:
    """Stemmed, case-folded tokens of ``text`` without stop words (numbers kept)."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        low = tok.casefold()
        if low in STOP_WORDS:
            continue
        out.append(stem(low))
    return out


def all_terms(text: str) -> list[str]:
    """Stemmed, case-folded tokens of ``text``, stop words included."""
    return [stem(tok) for tok in _TOKEN.findall(text)]


def numbers(text: str) -> set[str]:
    """The tokens of ``text`` that contain a digit (figures, years, dates)."""
    return {t.casefold() for t in _TOKEN.findall(text) if _NUMBER.search(t)}


def containment(needle: Iterable[str], hay: set[str], weight: dict[str, float]) -> float:
    """Weighted share of the terms of ``needle`` found in ``hay`` (0 when ``needle`` is empty)."""
    total = 0.0
    found = 0.0
    for t in set(needle):
        w = weight.get(t, 1.0)
        total += w
        if t in hay:
            found += w
    return found / total if total else 0.0
