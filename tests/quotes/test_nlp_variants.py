"""Grouping and classifying renderings of one utterance (no spaCy needed)."""

from __future__ import annotations

from presslens.config import QuotesConfig
from presslens.model import Quote
from presslens.quotes.variants import classify, group_variants, similarity


def quote(article: str, text: str, speaker: str | None, kind: str = "direct") -> Quote:
    return Quote(text, 0, len(text), speaker, None, None, speaker, "said", kind, article_id=article)


def test_bracketed_insertions_do_not_lower_similarity() -> None:
    plain = "We wish that US leaves Afghanistan as a friend"
    assert similarity(plain, "We wish that (the) US leaves Afghanistan as a friend") >= 95
    assert similarity(plain, "We wish [that] US leaves Afghanistan as a friend") >= 95
    assert similarity(plain, "The weather in Lahore was cold and wet on Friday") < 50


def test_classification() -> None:
    ref = quote("a", "We will not accept any deal that leaves our farmers worse off", "X")
    assert (
        classify(
            ref, quote("b", "We will not accept any deal that leaves our farmers worse off.", "X")
        )
        == "verbatim"
    )
    assert classify(ref, quote("b", "We will not accept any deal", "X")) == "truncated"
    assert (
        classify(
            ref,
            quote(
                "b",
                "We will not accept any deal that leaves our farmers worse off, ever again",
                "X",
            ),
        )
        == "extended"
    )
    assert (
        classify(
            ref, quote("b", "We will not accept a deal that leaves our farmers worse off", "X")
        )
        == "minor wording"
    )
    assert (
        classify(ref, quote("b", "farmers must not lose from any agreement", "X", "indirect"))
        == "paraphrase"
    )


def test_groups_need_two_articles_and_compatible_speakers() -> None:
    text = "We will not accept any deal that leaves our farmers worse off"
    quotes = [
        quote("a", text, "Jane Doe"),
        quote("b", text.replace("any", "a"), "Doe"),
        quote("c", "Completely different words about the weather in town today", "Jane Doe"),
    ]
    out, variants = group_variants(quotes, QuotesConfig())
    assert len(variants) == 1
    assert {r.article_id for r in variants[0].renderings} == {"a", "b"}
    assert out[0].group == out[1].group == variants[0].group
    assert out[2].group is None
    assert not variants[0].speaker_conflict


def test_same_words_different_speakers_are_flagged() -> None:
    text = "We will not accept any deal that leaves our farmers worse off"
    quotes = [quote("a", text, "Jane Doe"), quote("b", text, "John Smith")]
    _, variants = group_variants(quotes, QuotesConfig())
    assert len(variants) == 1
    assert variants[0].speaker_conflict
    assert set(variants[0].speakers) == {"Jane Doe", "John Smith"}


def test_most_common_rendering_is_the_reference() -> None:
    common = "Our troops will stay until the job is finished"
    quotes = [
        quote("a", common, "X"),
        quote("b", common, "X"),
        quote("c", "Our troops will stay until the job is done", "X"),
    ]
    _, variants = group_variants(quotes, QuotesConfig())
    assert variants[0].reference == common
    labels = {r.article_id: r.classification for r in variants[0].renderings}
    assert labels == {"a": "verbatim", "b": "verbatim", "c": "minor wording"}
