"""Quotation marks: where quoted spans open and close in raw article text.

Handles straight and curly double marks, two apostrophes standing for a double mark (``''``,
the convention of newswire archives such as the New York Times' and of tokenised corpora), the
convention that a quote running over several paragraphs leaves each paragraph open and reopens
the next one with a mark, and single curly marks (common in headlines) when they cannot be
apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPENERS = {"“": "”", "„": "“", "«": "»", '"': '"'}
_CLOSERS = {"”", "»", '"', "“"}
_PARAGRAPH = re.compile(r"[^\n]+")
_TRIM_TAIL = ",;: \t\r\n"
#: two apostrophes written for one double mark (''like this'')
_TWO_APOSTROPHES = "''"
#: any double quotation mark, two apostrophes first so that they read as one mark; the scan
#: jumps from mark to mark instead of looking at every character
_MARK = re.compile(_TWO_APOSTROPHES + "|[" + "".join(sorted(set(_OPENERS) | _CLOSERS)) + "]")
#: longest single-quoted span taken as a quotation: longer ones are apostrophe confusion.
_MAX_SINGLE_WORDS = 30


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """The content of one quotation (marks excluded); ``start``/``end`` index the text."""

    start: int
    end: int
    #: the span reopened over at least one paragraph break
    multi_paragraph: bool = False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in _TRIM_TAIL:
        end -= 1
    return start, end


def _mark(m: re.Match[str]) -> str:
    """The mark a match of :data:`_MARK` stands for (``''`` read as ``"``)."""
    return '"' if m.group() == _TWO_APOSTROPHES else m.group()


def _paragraph_quotes(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quote spans of one paragraph, and the content start of a quote left open."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closer = ""
    for m in _MARK.finditer(text, start, end):
        ch = _mark(m)
        if open_at is None:
            if ch in _OPENERS:
                open_at = m.end()
                closer = _OPENERS[ch]
        elif ch == closer or (ch in _CLOSERS and ch != "“" and closer != '"'):
            spans.append((open_at, m.start()))
            open_at = None
        elif ch == "“" and closer == "”":
            # an opening mark inside an open quote: the previous one was never closed
            open_at = m.end()
    return spans, open_at


def _single_quotes(
    text: str, start: int, end: int, taken: list[tuple[int, int]]
) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    i = start
    while i < end:
        if text[i] == "‘" and (i == start or not text[i - 1].isalnum()):
            j = i + 1
            while j < end:
                if text[j] == "’" and (j + 1 >= end or not text[j + 1].isalnum()):
                    break
                j += 1
            if j < end and 0 < len(text[i + 1 : j].split()) <= _MAX_SINGLE_WORDS:
                s, e = _trim(text, i + 1, j)
                if s < e and not any(a <= s < b for a, b in taken):
                    out.append(QuoteSpan(s, e))
                i = j
        i += 1
    return out


def _opens_with_mark(text: str, start: int, end: int) -> int | None:
    """Content start after the opening mark that begins a paragraph, if it begins with one."""
    i = start
    while i < end and text[i].isspace():
        i += 1
    m = _MARK.match(text, i, end)
    return m.end() if m is not None and _mark(m) in _OPENERS else None


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quoted span of ``text`` in order, multi-paragraph quotes as one span."""
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    out: list[QuoteSpan] = []
    carried: int | None = None
    for k, (p_start, p_end) in enumerate(paragraphs):
        spans, open_at = _paragraph_quotes(text, p_start, p_end)
        continued = False
        if carried is not None:
            reopened = _opens_with_mark(text, p_start, p_end)
            if spans and spans[0][0] == reopened:
                s, e = _trim(text, carried, spans.pop(0)[1])
                out.append(QuoteSpan(s, e, multi_paragraph=True))
            elif open_at == reopened:
                open_at, continued = carried, True
            carried = None
        for a, b in spans:
            s, e = _trim(text, a, b)
            if s < e:
                out.append(QuoteSpan(s, e))
        if open_at is not None:
            following = paragraphs[k + 1] if k + 1 < len(paragraphs) else None
            if following is not None and _opens_with_mark(text, *following) is not None:
                carried = open_at
            else:
                s, e = _trim(text, open_at, p_end)
                if s < e:
                    out.append(QuoteSpan(s, e, multi_paragraph=continued))
        taken = [(q.start, q.end) for q in out]
        out.extend(_single_quotes(text, p_start, p_end, taken))
    out.sort(key=lambda q: q.start)
    return out
