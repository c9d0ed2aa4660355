"""What changed between two versions of one article: a figure, the headline, a paragraph.

An outlet that corrects a story usually changes a number ("12 dead" becomes "15 dead"),
rewords the headline, adds a paragraph (often a correction notice) or drops one.  The two
texts are compared paragraph by paragraph; paragraphs that stand in the same place and keep
most of their words are compared word by word, so a changed number is told as a ``figure``
change with the new sentence around it, and anything else as ``paragraph edited``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from presslens.model import Change
from presslens.text.words import NUMBER_SCALES, NUMBER_WORDS

#: most changes kept for one version; a page rewritten from top to bottom is told by its
#: first changes and a final ``more`` count rather than paragraph by paragraph
MAX_CHANGES = 20

#: two paragraphs in the same place are one paragraph edited (rather than one removed and
#: another added) when at least this share of their words line up.  A corrected figure or a
#: reworded clause keeps nearly all words; a paragraph replaced by another shares few beyond
#: function words.  Chosen by that reasoning, checked on the invented corrections of the
#: tests; not tuned on data.
SAME_PARAGRAPH = 0.5

_DIGITS = re.compile(r"^(?:\d[\d,.]*%?|\d+(?:st|nd|rd|th))$")
#: "hundreds", "dozens": a vague figure is a figure too
_PLURAL_NUMBERS = frozenset(f"{w}s" for w in (*NUMBER_SCALES, "dozen"))
_TOKEN = re.compile(r"\d[\d,.]*\d%?|\d%?|\w+(?:['’]\w+)*|[^\w\s]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_NOTICE = re.compile(
    r"^\s*(?:correction|clarification|editor['’]?s note|update[d]?)\b\s*[:.\-—–]"
    r"|an earlier version of this (?:article|story|report)"
    r"|this (?:article|story|report) (?:has been|was) (?:corrected|updated|amended)",
    re.IGNORECASE,
)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a cleaned text, whitespace collapsed, empty ones left out."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_figure(tokens: Sequence[str]) -> bool:
    return any(
        _DIGITS.match(t) or t.lower() in NUMBER_WORDS or t.lower() in _PLURAL_NUMBERS
        for t in tokens
    )


def _join(tokens: Sequence[str]) -> str:
    out = ""
    for t in tokens:
        out += t if not out or re.match(r"[^\w\s]", t) else " " + t
    return out


def _sentence_at(paragraph: str, needle: str) -> str:
    """The sentence of ``paragraph`` that holds ``needle`` (the paragraph if none does)."""
    for sentence in _SENTENCE_END.split(paragraph):
        if needle in sentence:
            return sentence
    return paragraph


def _edited(old: str, new: str) -> list[Change]:
    """The changes inside one paragraph: each figure changed, and the rest as an edit."""
    a, b = _tokens(old), _tokens(new)
    out: list[Change] = []
    worded = False
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        before, after = a[i1:i2], b[j1:j2]
        if op == "replace" and _is_figure(before) and _is_figure(after):
            shown = _join(after)
            out.append(Change("figure", _join(before), shown, _sentence_at(new, shown)))
        else:
            worded = True
    if worded:
        out.append(Change("paragraph edited", old, new))
    return out


def _similar(old: str, new: str) -> bool:
    matcher = SequenceMatcher(None, _tokens(old), _tokens(new), autojunk=False)
    return matcher.ratio() >= SAME_PARAGRAPH


def _added(paragraph: str) -> Change:
    kind = "correction notice" if _NOTICE.search(paragraph) else "paragraph added"
    return Change(kind, None, paragraph)


def text_changes(old_text: str, new_text: str) -> list[Change]:
    """Paragraphs added, removed and edited, and figures changed, from ``old_text`` to
    ``new_text`` (both cleaned article texts)."""
    old, new = paragraphs(old_text), paragraphs(new_text)
    out: list[Change] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        removed, added = old[i1:i2], new[j1:j2]
        while removed and added and _similar(removed[0], added[0]):
            out.extend(_edited(removed.pop(0), added.pop(0)))
        out.extend(Change("paragraph removed", p, None) for p in removed)
        out.extend(_added(p) for p in added)
    return out


def changes_between(
    old_title: str | None,
    old_text: str,
    old_published: str | None,
    new_title: str | None,
    new_text: str,
    new_published: str | None,
) -> tuple[Change, ...]:
    """Everything that changed from one version of an article to the next, headline first;
    at most :data:`MAX_CHANGES`, the last then saying how many more there were."""
    out: list[Change] = []
    if " ".join((old_title or "").split()) != " ".join((new_title or "").split()):
        out.append(Change("headline", old_title, new_title))
    if (old_published or None) != (new_published or None):
        out.append(Change("date", old_published, new_published))
    out.extend(text_changes(old_text, new_text))
    if len(out) > MAX_CHANGES:
        more = len(out) - MAX_CHANGES + 1
        out = [*out[: MAX_CHANGES - 1], Change("more", None, f"{more} more changes")]
    return tuple(out)
