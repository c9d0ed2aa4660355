"""Quotes, reported speech and speakers on short texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from presslens.model import Quote

Analyse = Callable[[dict[str, str]], Any]


def quotes_of(analyse: Analyse, text: str) -> list[Quote]:
    _, quotes, _ = analyse({"a": text})
    return list(quotes)


def find(quotes: list[Quote], fragment: str) -> Quote:
    hits = [q for q in quotes if fragment in q.text]
    assert hits, f"no quote holding {fragment!r} in {[q.text for q in quotes]}"
    return hits[0]


def test_direct_quote_speaker_after(analyse: Analyse) -> None:
    text = (
        "“The talks will resume next week,” Foreign Minister Shah Mahmood Qureshi said on Monday."
    )
    q = find(quotes_of(analyse, text), "talks will resume")
    assert q.kind == "direct"
    assert q.speaker_canonical == "Shah Mahmood Qureshi"
    assert q.cue == "said"
    assert text[q.start : q.end] == q.text
    assert q.speaker_start is not None and q.speaker_end is not None
    assert text[q.speaker_start : q.speaker_end] == q.speaker


def test_indirect_said_that(analyse: Analyse) -> None:
    text = "Senator Maria Lopez said that the budget would be cut by a third next year."
    q = find(quotes_of(analyse, text), "budget would be cut")
    assert q.kind == "indirect"
    assert q.speaker_canonical == "Maria Lopez"


def test_according_to(analyse: Analyse) -> None:
    text = "The bridge will close for two months, according to city engineer John Baker."
    q = find(quotes_of(analyse, text), "bridge will close")
    assert q.cue == "according to"
    assert q.speaker_canonical == "John Baker"
    assert "according" not in q.text


def test_told_outlet_and_stressed_comma_that(analyse: Analyse) -> None:
    text = (
        "Analyst Tahir Malik told Arab News that the region was tired of war.\n\n"
        "He stressed, that “political reconciliation must succeed” to bring peace."
    )
    quotes = quotes_of(analyse, text)
    told = find(quotes, "region was tired")
    assert told.cue == "told" and told.speaker_canonical == "Tahir Malik"
    stressed = find(quotes, "political reconciliation")
    assert stressed.kind == "mixed"
    assert stressed.cue == "stressed"
    assert stressed.speaker == "He"
    assert stressed.speaker_canonical == "Tahir Malik"


def test_interrupted_quote_and_next_sentence_speaker(analyse: Analyse) -> None:
    text = (
        "Governor Anna Reyes spoke to reporters.\n\n"
        "“We are ready,” she said, “and we will not wait for Washington.”\n\n"
        "“Help is on the way for every family in the state,” the governor added."
    )
    quotes = quotes_of(analyse, text)
    ready = find(quotes, "We are ready")
    assert ready.speaker == "she"
    assert ready.speaker_canonical == "Anna Reyes"
    assert "will not wait" in ready.text
    help_ = find(quotes, "Help is on the way")
    assert help_.cue == "added"
    assert help_.speaker_canonical == "Anna Reyes"


def test_role_resolves_to_nearest_fitting_person(analyse: Analyse) -> None:
    text = (
        "Prime Minister Imran Khan met Foreign Office spokesperson Mohammad Faisal.\n\n"
        "“We have been saying this for 15 years,” the premier said."
    )
    q = find(quotes_of(analyse, text), "saying this")
    assert q.speaker == "the premier"
    assert q.speaker_canonical == "Imran Khan"


def test_colon_introduced_quote(analyse: Analyse) -> None:
    text = "The spokesman for the ministry, Ali Raza, said: “Talks with the US have resumed.”"
    q = find(quotes_of(analyse, text), "Talks with the US")
    assert q.kind == "direct"
    assert q.speaker_canonical == "Ali Raza"


def test_scare_quotes_are_not_quotes(analyse: Analyse) -> None:
    text = "The United States has not pushed Pakistan to “do more” this year."
    assert not [q for q in quotes_of(analyse, text) if q.text == "do more"]


def test_empty_and_odd_articles(analyse: Analyse) -> None:
    for text in ("", "   ", "“", "said said said", "\n\n“unclosed\n\n“"):
        _, quotes, variants = analyse({"a": text})
        assert all(0 <= q.start <= q.end <= len(text) for q in quotes)
        assert variants == ()
