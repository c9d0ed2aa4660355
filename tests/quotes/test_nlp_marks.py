"""Quotation marks in raw text."""

from __future__ import annotations

from presslens.quotes.marks import find_quote_spans


def spans(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quote_spans(text)]


def test_straight_and_curly_marks() -> None:
    text = 'He said "we will go now," and she said “not yet.” Then: “done”'
    assert spans(text) == ["we will go now", "not yet.", "done"]


def test_multi_paragraph_quote_reopens_each_paragraph() -> None:
    text = "He said: “First part of it\n\n“second part of it\n\n“and the end.” She left."
    found = find_quote_spans(text)
    assert len(found) == 1
    assert found[0].multi_paragraph
    assert text[found[0].start : found[0].end].startswith("First part")
    assert text[found[0].start : found[0].end].endswith("and the end.")


def test_unclosed_quote_closes_at_paragraph_end() -> None:
    text = "“Never closed here\n\nNext paragraph is plain."
    assert spans(text) == ["Never closed here"]


def test_single_marks_are_quotes_but_apostrophes_are_not() -> None:
    text = "Pakistan military wants US to leave as a ‘friend’\n\nIt’s the army’s view, not ours."
    assert spans(text) == ["friend"]


def test_odd_input_does_not_crash() -> None:
    for text in ("", "“", "”", '"', "‘’", "\n\n\n"):
        assert find_quote_spans(text) == [], text
    # marks that reopen every paragraph and never close: one quote to the end of the text
    text = "“a\n\n“b\n\n“"
    (span,) = find_quote_spans(text)
    assert 0 < span.start < span.end <= len(text)


def test_two_apostrophes_are_a_double_mark() -> None:
    text = (
        "''It is going to take a lot more,'' he said. ''Nobody knows.''\n\nIt's the ''real'' deal."
    )
    assert spans(text) == ["It is going to take a lot more", "Nobody knows.", "real"]


def test_two_apostrophes_reopen_a_continued_paragraph() -> None:
    text = "He said: ''First part of it\n\n''and the end.'' She left."
    found = find_quote_spans(text)
    assert len(found) == 1 and found[0].multi_paragraph
    assert text[found[0].start : found[0].end] == "First part of it\n\n''and the end."
