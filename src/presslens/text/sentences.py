"""A fast rule-based sentence splitter for news text (no model, no download).

Summarization splits every article of every story, so it cannot afford a parser.  The rules
cover what news copy needs: abbreviations (``Mr.``, ``Gen.``, ``Jan.``, ``U.S.``), initials
(``George W. Bush``), quotations whose full stop sits inside the closing quote, and paragraphs
(a line break ends a sentence unless the line was hard-wrapped mid-sentence), and the wire
dateline in front of an article's first sentence.
"""

from __future__ import annotations

import re

from presslens.text.dates import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

#: words that end with a full stop without ending the sentence (compared case-folded,
#: without the dot).  Titles, months, street/company forms and Latin abbreviations.
ABBREVIATIONS: frozenset[str] = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "messrs",
        "dr",
        "prof",
        "gen",
        "sen",
        "rep",
        "reps",
        "gov",
        "lt",
        "col",
        "capt",
        "cpt",
        "sgt",
        "cmdr",
        "adm",
        "maj",
        "brig",
        "pvt",
        "st",
        "jr",
        "sr",
        "fr",
        "rev",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "amb",
        "atty",
        "gens",
        "sens",
        *MONTH_ABBREVIATIONS,
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "inc",
        "corp",
        "co",
        "ltd",
        "llc",
        "bros",
        "dept",
        "univ",
        "assn",
        "ave",
        "blvd",
        "rd",
        "hwy",
        "mt",
        "ft",
        "est",
        "no",
        "nos",
        "vol",
        "vols",
        "pp",
        "fig",
        "approx",
        "vs",
        "v",
        "cf",
        "al",
        "ca",
    ]
)

#: words that, after a dotted acronym such as ``U.S.``, show that a new sentence starts.
_STARTERS: frozenset[str] = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "our",
        "this",
        "that",
        "these",
        "those",
        "there",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "when",
        "while",
        "if",
        "as",
        "by",
        "with",
        "from",
        "to",
        "of",
        "however",
        "meanwhile",
        "still",
        "then",
        "now",
        "also",
        "officials",
        "police",
        "authorities",
    ]
)

#: words that go on with a clock time ("3 a.m. Tuesday", "5 p.m. ET"): no sentence ends there
_AFTER_CLOCK: frozenset[str] = frozenset(
    [*WEEKDAYS, *MONTHS, "et", "est", "edt", "pt", "pst", "pdt", "ct", "cst", "cdt", "gmt",
     "utc", "bst", "cet"]
)  # fmt: skip

#: how a sentence of running text ends; a line ending otherwise is a headline, a byline, a
#: caption or a credit
SENTENCE_END: tuple[str, ...] = (".", "!", "?", "”", '"', "’", "'", ")")

_OPEN = "\"'“‘([«"
_CLOSE = "\"'”’)]»"
# A candidate end: terminal punctuation (an ellipsis counts once), closing quotes/brackets.
_END = re.compile(r"[.!?…]+[" + re.escape(_CLOSE) + r"]*")
_WORD_BEFORE = re.compile(r"([\w.\-']+)$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_NEXT_WORD = re.compile(r"[\w'’\-]+")
_NEWLINE = re.compile(r"\n")
# An abbreviation in brackets inside a name ("General (retd.) Talat Masood"), ending at the dot.
_BRACKETED_ABBREVIATION = re.compile(r"\((?:retd|ret|rtd|hon|ed|eds)$", re.IGNORECASE)
# How far back from a full stop the word before it is looked for: a `$`-anchored search from
# the start of the text would scan the whole text at every full stop (quadratic).  A "word"
# of dots, letters and hyphens longer than this is not an abbreviation or an initial.
_LOOK_BACK = 100


def _ends_here(text: str, dot: int, after: int) -> bool:
    """Whether the punctuation at ``dot`` (its run ending at ``after``) ends a sentence."""
    j = after
    n = len(text)
    if j < n and not text[j].isspace():
        return _glued(text, dot, after)
    while j < n and text[j].isspace() and text[j] not in "\r\n":
        j += 1
    if j >= n or text[j] in "\r\n":
        return True
    nxt = text[j]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPEN):
        return False
    if text[dot] != ".":
        return True
    if after - dot > 1 and text[dot + 1] == ".":
        return True  # an ellipsis followed by a capital
    if text[dot + 1 : after] == ")" and _BRACKETED_ABBREVIATION.search(
        text, max(0, dot - _LOOK_BACK), dot
    ):
        return False
    if text[dot + 1 : after].strip(_CLOSE) == "" and after - dot > 1:
        return True  # full stop inside a closing quote: `... home." Then`
    m = _WORD_BEFORE.search(text, max(0, dot - _LOOK_BACK), dot)
    if m is None:
        return True
    word = m.group(1)
    if word.casefold() in ("a.m", "p.m"):
        # "shortly after 3 a.m. Water spread": a clock time ends a sentence unless a day, a
        # month or a time zone goes on with it ("3 a.m. Tuesday", "5 p.m. ET")
        following = _NEXT_WORD.match(text, j)
        return following is not None and following.group(0).casefold() not in _AFTER_CLOCK
    if _DOTTED.match(word + "."):
        following = _NEXT_WORD.match(text, j)
        return following is not None and following.group(0).casefold() in _STARTERS
    bare = word.split(".")[-1]
    if bare.casefold() in ABBREVIATIONS:
        return False
    # a single capital is an initial (``George W. Bush``); a lone digit before a dot is not
    return not (len(bare) == 1 and bare.isalpha() and bare.isupper())


def _glued(text: str, dot: int, after: int) -> bool:
    """Whether two sentences meet with no space between them ("jail time.Struthers said").

    Scraped copy loses the space where markup stood between two sentences.  Only a lower-case
    word before the stop and a capitalised word after it count, so "U.S.Army" and domain
    names such as "Amazon.Com" stay whole.
    """
    if not (after + 1 < len(text) and text[after].isupper() and text[after + 1].islower()):
        return False
    m = _WORD_BEFORE.search(text, max(0, dot - _LOOK_BACK), dot)
    word = m.group(1) if m else ""
    return len(word) >= 2 and word.isalpha() and word.islower()


def _hard_wrapped(text: str, nl: int) -> bool:
    """Whether the line break at ``nl`` continues a sentence (lowercase on both sides)."""
    k = nl - 1
    while k >= 0 and text[k] in " \t\r":
        k -= 1
    m = nl + 1
    while m < len(text) and text[m] in " \t":
        m += 1
    if k < 0 or m >= len(text) or text[m] == "\n":
        return False
    return ((text[k].isalpha() and text[k].islower()) or text[k] in ",;") and text[m].islower()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, whitespace trimmed, in order.

    Offsets are Python string indices into ``text``; ``text[start:end]`` is the sentence.
    """
    cuts: list[int] = []
    for m in _END.finditer(text):
        if _ends_here(text, m.start(), m.end()):
            cuts.append(m.end())
    cuts.extend(m.start() for m in _NEWLINE.finditer(text) if not _hard_wrapped(text, m.start()))
    cuts.sort()
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in [*cuts, len(text)]:
        if cut <= start:
            continue
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = cut
    return spans


# "SEOUL, South Korea — ", "OSLO (Reuters) - ", "SALTMERE, Calder Vale, March 29 (Meridian) - ",
# "WASHINGTON (AP) — ", or the agency's credit alone, "(CNN) - ": a dateline belongs to the
# article, not to its first sentence (a brief's sentence, a fact's date, an outlet's terms).
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’\-]{2,}(?:[ ,]+(?:[A-Z][\w.'’\-]*|[0-3]?\d\b)){0,5}\s*(?:\([^()]{1,40}\))?"
    r"|\([A-Z][\w.&'’ ]{0,30}\))\s*[—–-]{1,2}\s+(?=[A-Z\"“‘'])"
)


def dateline_end(text: str) -> int:
    """Where the text after a leading dateline ("OSLO (Reuters) - ") starts; 0 without one."""
    m = _DATELINE.match(text)
    return m.end() if m else 0


def strip_dateline(text: str) -> str:
    """``text`` without a leading dateline ("OSLO (Reuters) - ")."""
    return text[dateline_end(text) :]
