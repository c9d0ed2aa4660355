"""Sentences that lean on their context, and how the brief repairs or avoids them."""

from __future__ import annotations

from presslens.brief.repair import (
    assess,
    complete_quotes,
    find_speaker,
    repair,
    strip_attribution,
)
from presslens.text.sentences import strip_dateline


def _fixed(texts: list[str], k: int) -> tuple[bool, str]:
    done, closer = complete_quotes(texts, [False] * len(texts))
    how = assess(done, k, closer[k])
    return how.ok, repair(done[k], how)


def test_connective_openings_are_dropped() -> None:
    assert _fixed(["The talks began.", "Earlier, the envoy met Khan."], 1) == (
        True,
        "The envoy met Khan.",
    )
    assert _fixed(["A first.", "But the army disagreed."], 1)[1] == "The army disagreed."


def test_dangling_pronoun_gets_the_speaker_of_the_sentences_before() -> None:
    texts = [
        "Army spokesman Major-General Asif Ghafoor said on Thursday that war had failed.",
        "He also said Islamabad supports the talks.",
    ]
    assert _fixed(texts, 1) == (True, "Ghafoor also said Islamabad supports the talks.")


def test_dangling_pronoun_without_a_named_speaker_is_left_out() -> None:
    ok, _ = _fixed(["The weather was bad.", "He said the match was off."], 1)
    assert not ok


def test_opaque_openings_are_left_out_but_demonstratives_with_a_noun_are_not() -> None:
    assert not _fixed(["A.", "It was the first such visit."], 1)[0]
    assert not _fixed(["A.", "This is a problem."], 1)[0]
    assert _fixed(["A.", "This week the talks resumed in Doha."], 1)[0]


def test_bare_quote_gets_its_speaker_and_multi_sentence_quotes_are_closed() -> None:
    texts = [
        "Asif Ghafoor said on Thursday that talks matter.",
        "“We will help.",
        "We will do what we can,” he said.",
    ]
    assert _fixed(texts, 1) == (True, "“We will help,” Ghafoor said.")
    assert _fixed(texts, 2) == (True, "“We will do what we can,” Ghafoor said.")


def test_quote_without_any_speaker_is_left_out() -> None:
    assert not _fixed(["The sky was grey.", '"We will win."'], 1)[0]


def test_find_speaker_prefers_the_nearest_named_speaker_and_ignores_organisations() -> None:
    assert find_speaker(["Imran Khan said yes.", "said Zalmay Khalilzad on Friday."]) == (
        "Khalilzad"
    )
    assert find_speaker(["The White House said nothing."]) is None


def test_datelines_are_stripped() -> None:
    assert strip_dateline("OSLO (Reuters) - China and others agreed.") == (
        "China and others agreed."
    )
    assert strip_dateline("SEOUL, South Korea — There was one event.") == "There was one event."
    assert strip_dateline("US - China talks resumed.") == "US - China talks resumed."
    assert strip_dateline("(CNN) - The plan was dropped.") == "The plan was dropped."
    assert strip_dateline("(it was late) - Nobody came.") == "(it was late) - Nobody came."


def test_attributions_are_trimmed_from_reported_facts() -> None:
    assert strip_attribution(
        "Thirty-five percent of the full-time staff are women, the campaign told The Hill Sunday."
    ) == ("Thirty-five percent of the full-time staff are women.")
    assert strip_attribution(
        "Kim has been out of public view for several days, according to officials cited by NBC."
    ) == ("Kim has been out of public view for several days.")
    assert strip_attribution(
        "According to the ministry, forty people died in the floods near the capital."
    ) == ("Forty people died in the floods near the capital.")
    assert strip_attribution(
        "The river rose by three metres overnight in the town, said Mayor Jane Doe."
    ) == ("The river rose by three metres overnight in the town.")


def test_attributions_that_carry_information_are_kept() -> None:
    kept = [
        # a quotation's speaker is part of what was said
        '"We will rebuild every house in the valley," Mayor Doe said.',
        # a pronoun speaker points at someone the brief may name
        "The storm killed forty people in three provinces of the country, he said.",
        # too little claim left without its source
        "Prices rose, the bank said.",
        # a clause ending in a verb of saying is not an attribution
        "Roy Moore, who lost the 2017 Senate election, announced Thursday that he will run.",
    ]
    for text in kept:
        assert strip_attribution(text) == text


def test_a_day_after_the_verb_of_saying_is_not_the_speaker() -> None:
    texts = [
        "“No money was paid, not anything else.",
        "This is not the old way!” Trump tweeted Friday.",
    ]
    done, closer = complete_quotes(texts, [False, False])
    how = assess(done, 0, closer[0])
    assert how.name == "Trump"
    assert repair(done[0], how) == "“No money was paid, not anything else,” Trump said."
    # a surname that is also a month still counts
    assert find_speaker(["“We will leave,” said May."]) == "May"


def test_a_stray_closing_mark_is_not_completed_into_a_quotation() -> None:
    texts = ['Trump, Defiant ‘We must always arrest illegals".', "Trump held the line."]
    done, _ = complete_quotes(texts, [True, True])
    assert done == texts
    assert not assess(done, 0).ok
    # a mark that opens a quotation running into the next sentence is still closed
    done, _ = complete_quotes(['He said "this is the end.', 'It is," he added.'], [True, False])
    assert done == ['He said "this is the end."', '"It is," he added.']


def test_the_one_spoken_to_is_not_the_speaker() -> None:
    assert find_speaker(["Jane Doe told CBS Sacramento about the attack."]) == "Doe"
    assert find_speaker(["The police asked Smith to wait."]) is None
    assert find_speaker(["“Go,” said Khan."]) == "Khan"


def test_the_speaker_is_the_person_not_the_body() -> None:
    quote = "“The water came up,” Tomas Eckley of the Provincial Emergency Service said."
    assert find_speaker([quote]) == "Eckley"
    assert find_speaker(["The opposition Vale Alliance said the repairs were postponed."]) is None


def test_a_time_named_only_by_the_sentence_before_is_left_out() -> None:
    texts = ["The talks will begin on Tuesday.", "The union said it would strike until then."]
    assert not _fixed(texts, 1)[0]


def test_a_pronoun_behind_an_opening_phrase_still_leans_on_the_sentence_before() -> None:
    texts = ["The United States did not push Pakistan.", "Instead, on Thursday, it sought help."]
    assert not _fixed(texts, 1)[0]
    assert _fixed(["A.", "On Thursday, the embassy sought help."], 1)[0]


def test_what_a_dropped_connective_leaves_must_stand_alone() -> None:
    before = "Asif Ghafoor said the talks matter."
    assert not _fixed([before, "But he really did make it all by himself."], 1)[0]
    assert not _fixed([before, "Earlier, they met in Doha."], 1)[0]
    assert _fixed([before, "But the army disagreed."], 1) == (True, "The army disagreed.")
