"""Words as every stage reads them: tokens, stop words, stemmers and content terms.

One tokenizer (letters and digits; an apostrophe inside a word kept), two stemmers and three
stop lists, each used where it was measured to fit:

* :func:`light_stem` (plural and possessive endings) matches words across outlets for the
  comparison and the clustering; a heavier stem merged unrelated terms on the seeds.
* :func:`stem` (also ``-ing`` and ``-ed``) lets the brief's sentences meet their story's
  words; it is the stemmer the brief's figures were measured with.
* :data:`STOP_WORDS` (scikit-learn's English list and news verbs of saying) for the brief and,
  with :data:`EVENTLESS_WORDS`, for the clustering; :data:`FUNCTION_WORDS`, a short list of
  function words, for the comparison, which must keep what the longer list drops: number words
  ("two", "hundred", "first") that facts are made of, and content words such as "fire",
  "bill", "interest" or "system".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from presslens.text.dates import WEEKDAYS

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_DIGIT = re.compile(r"\d")

#: numbers written as words, with their values
SMALL_NUMBERS: Mapping[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
#: number words that multiply the number before them ("three hundred")
NUMBER_SCALES: Mapping[str, float] = {
    "hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}  # fmt: skip
#: numbers written as words ("three", "dozen", "million")
NUMBER_WORDS: frozenset[str] = frozenset([*SMALL_NUMBERS, *NUMBER_SCALES])

#: scikit-learn's English list plus news verbs of saying, which carry no information of their own
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    {"said", "says", "say", "told", "according", "mr", "mrs", "ms", "s", "t", "just", "like"}
)
#: words of news prose that name no event: titles and calendar words (with
#: :data:`STOP_WORDS`, what the clustering ignores)
EVENTLESS_WORDS: frozenset[str] = frozenset(
    {"dr", "also", "would", "could", "new", "year", "years", "today", "yesterday", "week", "time"}
) | frozenset(WEEKDAYS)
#: a short list of English function words and news verbs of saying (the comparison's)
FUNCTION_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "above",
        "according",
        "across",
        "added",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "around",
        "as",
        "at",
        "back",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "dr",
        "during",
        "each",
        "even",
        "few",
        "for",
        "from",
        "further",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "mr",
        "mrs",
        "ms",
        "much",
        "must",
        "my",
        "myself",
        "new",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "s",
        "said",
        "same",
        "say",
        "says",
        "shall",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "t",
        "tell",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "told",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "very",
        "via",
        "was",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)


def words(text: str) -> list[str]:
    """Word tokens of ``text`` (letters and digits; apostrophes inside words kept)."""
    return _WORD.findall(text)


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of each word token of ``text``, as :func:`words` splits it."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def numbers(text: str) -> set[str]:
    """The tokens of ``text`` that contain a digit (figures, years, dates), case-folded."""
    return {t.casefold() for t in _WORD.findall(text) if _DIGIT.search(t)}


@lru_cache(maxsize=200_000)
def light_stem(word: str) -> str:
    """A deliberately light stem: lower case, possessive and plural endings removed.

    Enough to match "talks"/"talk" and "Pakistan's"/"Pakistan" across outlets while keeping
    distinct words distinct; heavier stemming merged unrelated terms on the seeds.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


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


def content_terms(text: str) -> list[str]:
    """Stemmed (:func:`stem`), case-folded tokens of ``text`` without :data:`STOP_WORDS`
    (numbers kept): the terms the brief ranks sentences by."""
    out: list[str] = []
    for tok in _WORD.findall(text):
        low = tok.casefold()
        if low in STOP_WORDS:
            continue
        out.append(stem(low))
    return out


def all_terms(text: str) -> list[str]:
    """Stemmed (:func:`stem`), case-folded tokens of ``text``, stop words included."""
    return [stem(tok) for tok in _WORD.findall(text)]


def light_terms(text: str) -> list[str]:
    """Light stems (:func:`light_stem`) of ``text``'s words, without :data:`FUNCTION_WORDS`
    or one-letter stems: the terms the comparison aligns sentences by."""
    out = []
    for w in _WORD.findall(text):
        s = light_stem(w)
        if len(s) > 1 and s not in FUNCTION_WORDS:
            out.append(s)
    return out


def capitalised_names(text: str) -> set[str]:
    """Light stems of capitalised words that are not the first word of the sentence.

    A cheap stand-in for named entities: used to check that two sentences talk about the
    same people and places.
    """
    out: set[str] = set()
    for i, m in enumerate(_WORD.finditer(text)):
        w = m.group()
        if i == 0 or not w[:1].isupper() or w.lower() in FUNCTION_WORDS:
            continue
        out.add(light_stem(w))
    return out
