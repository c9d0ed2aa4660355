"""The rule-based sentence splitter."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from presslens.text.sentences import split_sentences


def _split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_initials_and_dates_do_not_end_sentences() -> None:
    text = (
        "Mr. Smith met Gen. Jones and Dr. Lee on Jan. 5 in Washington. "
        "George W. Bush spoke next. Prices rose 5.5 percent."
    )
    assert _split(text) == [
        "Mr. Smith met Gen. Jones and Dr. Lee on Jan. 5 in Washington.",
        "George W. Bush spoke next.",
        "Prices rose 5.5 percent.",
    ]


def test_dotted_acronym_ends_a_sentence_only_before_a_sentence_start() -> None:
    assert _split("He moved to the U.S. The next day he left.") == [
        "He moved to the U.S.",
        "The next day he left.",
    ]
    assert _split("The U.S. Army said so.") == ["The U.S. Army said so."]


def test_quotes_keep_their_closing_mark_and_attribution() -> None:
    text = '"Go home," he said. "Why?" she asked. He said: "Done." Then he left.'
    assert _split(text) == [
        '"Go home," he said.',
        '"Why?" she asked.',
        'He said: "Done."',
        "Then he left.",
    ]


def test_lines_end_sentences_but_hard_wrapping_does_not() -> None:
    text = "Headline Without Stop\n\nThe body was wrapped\nacross two lines. Next one."
    assert _split(text) == [
        "Headline Without Stop",
        "The body was wrapped\nacross two lines.",
        "Next one.",
    ]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t\n ") == []


@given(st.text(alphabet=st.sampled_from(list('ab .?!"“”\nMrUS')), max_size=200))
def test_spans_are_ordered_trimmed_and_cover_every_visible_character(text: str) -> None:
    spans = split_sentences(text)
    last = 0
    covered = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        covered += sum(not ch.isspace() for ch in text[s:e])
        last = e
    assert covered == sum(not ch.isspace() for ch in text)


def test_no_break_space_after_a_full_stop_still_ends_the_sentence() -> None:
    assert _split("They met in Doha.\xa0In recent months, talks grew.") == [
        "They met in Doha.",
        "In recent months, talks grew.",
    ]


def test_an_abbreviation_in_brackets_inside_a_name_does_not_end_the_sentence() -> None:
    text = "General (retd.) Talat Masood spoke. A source (Ed.) Ends here."
    assert _split(text) == ["General (retd.) Talat Masood spoke.", "A source (Ed.) Ends here."]
    assert _split("They left (see below.) Then it rained.") == [
        "They left (see below.)",
        "Then it rained.",
    ]


def test_sentences_glued_by_lost_markup_are_split() -> None:
    text = "There is no risk of jail time.Struthers will appear in court."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "There is no risk of jail time.",
        "Struthers will appear in court.",
    ]
    for whole in ("The U.S.Army won.", "Shop at Amazon.Com today.", "It rose 3.5 percent."):
        assert [whole[s:e] for s, e in split_sentences(whole)] == [whole]


def test_a_clock_time_ends_a_sentence_unless_a_day_or_zone_follows() -> None:
    text = "It burst shortly after 3 a.m. Water spread across the estates."
    assert _split(text) == ["It burst shortly after 3 a.m.", "Water spread across the estates."]
    for whole in ("It burst at 3 a.m. Tuesday and spread.", "The vote is at 5 p.m. ET today."):
        assert _split(whole) == [whole]
