"""Plain-text normalisation: layout is repaired, characters are not."""

from __future__ import annotations

import pytest

from presslens.clean.text import join_wrapped_lines, normalise_chars, normalise_text


def test_nfc_composes_but_keeps_curly_quotes_and_compatibility_characters() -> None:
    decomposed = "Cafe\u0301 \u201cquoted\u201d \u2018x\u2019 \ufb01 \u00bd"
    assert normalise_chars(decomposed) == "Caf\u00e9 \u201cquoted\u201d \u2018x\u2019 \ufb01 \u00bd"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Islamabad\u00a0said", "Islamabad said"),
        ("narrow\u202fspace and\ttab", "narrow space and tab"),
        ("zero\u200bwidth\ufeff here\u2060", "zerowidth here"),
        ("soft\u00adhyphen", "softhyphen"),
        ("bell\x07 and null\x00", "bell and null"),
    ],
)
def test_invisible_and_odd_spaces_are_fixed(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_joiners_that_shape_scripts_are_kept() -> None:
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    emoji = "\U0001f469\u200d\U0001f4bb"
    assert normalise_text(f"{persian} {emoji}") == f"{persian} {emoji}"


def test_line_ends_spaces_and_blank_runs() -> None:
    raw = "  First   line.\r\nSecond line.\r\rThird.\u2028Fourth.\n\n\n\n\nFifth.  \n\n"
    assert normalise_text(raw) == "First line.\nSecond line.\n\nThird.\nFourth.\n\nFifth."


def test_hard_wrap_inside_a_sentence_is_joined() -> None:
    raw = (
        "The council met on Tuesday and\nagreed to the plan, which\nwill cost 3 million.\n"
        "It starts in May."
    )
    assert normalise_text(raw) == (
        "The council met on Tuesday and agreed to the plan, which will cost 3 million.\n"
        "It starts in May."
    )


def test_wrap_at_a_hyphen_keeps_the_hyphen_without_a_space() -> None:
    assert join_wrapped_lines(["a well-", "known case"]) == ["a well-known case"]
    assert join_wrapped_lines(["a pause -", "then more"]) == ["a pause - then more"]


@pytest.mark.parametrize(
    "lines",
    [
        ["He left.", "then came back"],  # sentence ended
        ["He said:", "we will stay"],  # a colon ends the line
        ["“We will stay.”", "and they did"],  # quote after the full stop
        ["The minister", "Ilse Varnholt spoke"],  # next line starts upper-case
        ["Paragraph one", "", "and a new paragraph"],  # blank line between
    ],
)
def test_lines_that_are_not_a_broken_sentence_stay_apart(lines: list[str]) -> None:
    assert join_wrapped_lines(lines) == lines


def test_real_text_is_not_fixed() -> None:
    text = "Professor Tahir Malik, an international affairs analyst, saidthat Pakistan was willing."
    assert normalise_text(text) == text


def test_normalisation_is_idempotent_on_a_messy_sample() -> None:
    raw = " a\u00a0b\r\n\r\n\r\nc-\nd e\u200b\n\n\n\nF \t g "
    once = normalise_text(raw)
    assert normalise_text(once) == once
