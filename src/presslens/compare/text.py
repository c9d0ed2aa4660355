"""Words and terms: the small text toolkit the comparison works on (no model needed)."""

from __future__ import annotations

import re

from presslens.words import light_stem

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
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
        "as",
        "at",
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
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
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
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
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
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
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
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "told",
        "tell",
        "added",
        "according",
        "may",
        "might",
        "must",
        "shall",
        "one",
        "new",
        "mr",
        "mrs",
        "ms",
        "dr",
        "like",
        "get",
        "got",
        "make",
        "made",
        "many",
        "much",
        "well",
        "even",
        "still",
        "back",
        "since",
        "via",
        "per",
        "upon",
        "within",
        "without",
        "around",
        "across",
        "s",
        "t",
    ]
)


def words(text: str) -> list[str]:
    """Word tokens of ``text`` (letters and digits; apostrophes inside words kept)."""
    return _WORD.findall(text)


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of each word token of ``text``, as :func:`words` splits it."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def content_terms(text: str) -> list[str]:
    """Stemmed, lower-cased words of ``text`` without stop words or one-letter tokens."""
    out = []
    for w in words(text):
        s = light_stem(w)
        if len(s) > 1 and s not in STOPWORDS:
            out.append(s)
    return out


def capitalised_names(text: str) -> set[str]:
    """Stems of capitalised words that are not the first word of the sentence.

    A cheap stand-in for named entities: used to check that two sentences talk about the
    same people and places.
    """
    out: set[str] = set()
    for i, m in enumerate(_WORD.finditer(text)):
        w = m.group()
        if i == 0 or not w[:1].isupper() or w.lower() in STOPWORDS:
            continue
        out.add(light_stem(w))
    return out
