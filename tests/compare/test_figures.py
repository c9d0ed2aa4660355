"""Figures keyed by what they count: two outlets that state the same counted thing with values
that cannot both be true disagree, however differently their sentences are built."""

from __future__ import annotations

from presslens.compare.core import compare
from presslens.compare.facts import extract_facts
from presslens.model import Article, Discrepancy

from .conftest import MakeStory


def _hard(make_story: MakeStory, *texts: str) -> list[Discrepancy]:
    arts = [Article(id=f"a{k}", text=t, source=f"outlet{k}") for k, t in enumerate(texts)]
    found = compare(make_story(*arts)).story.discrepancies or ()
    return [d for d in found if d.kind != "vague"]


def _values(d: Discrepancy) -> set[str]:
    return {v.value for v in d.values}


def test_qualified_noun_meets_in_unlike_sentences(make_story: MakeStory) -> None:
    (d,) = _hard(
        make_story,
        "According to the court filing, 12 Varden naval officers are accused of selling charts.",
        "Lawmakers in Ostrey demanded a recall of the envoy on Friday after prosecutors "
        "indicted 15 Varden naval officers.",
    )
    assert d.kind == "number" and d.quantity == "count"
    assert _values(d) == {"12 Varden naval officers", "15 Varden naval officers"}
    assert {v.article_ids for v in d.values} == {("a0",), ("a1",)}


def test_other_qualifiers_count_other_things(make_story: MakeStory) -> None:
    naval = "According to the court filing, 12 Varden naval officers are accused of selling charts."
    customs = (
        "Lawmakers in Ostrey demanded a recall of the envoy on Friday after prosecutors "
        "indicted 15 Varden customs officers."
    )
    assert not _hard(make_story, naval, customs)
    # the same two sentences counting the same officers do disagree
    (d,) = _hard(make_story, naval, customs.replace("customs", "naval"))
    assert _values(d) == {"12 Varden naval officers", "15 Varden naval officers"}


def test_head_of_an_of_phrase_and_a_joined_unit_say_what_is_counted(
    make_story: MakeStory,
) -> None:
    found = _hard(
        make_story,
        "The deal pays for some 234 miles of border wall, an aide told reporters. "
        "Among the charges named in the 48-page indictment is wire fraud.",
        "Nothing in the package matches the $5 billion the mayor demanded for 300 miles of "
        "steel wall. In a 52-page indictment released on Monday, prosecutors list the "
        "payments.",
    )
    assert {frozenset(_values(d)) for d in found} == {
        frozenset({"some 234 miles", "300 miles"}),
        frozenset({"48-page indictment", "52-page indictment"}),
    }


def test_tally_sides_meet_by_the_other_side(make_story: MakeStory) -> None:
    (d,) = _hard(
        make_story,
        "She won by a 134-to-63 vote.",
        "Alvarez defeated her lone challenger, Rep. Tom Reyes, by a vote of 134 to 71.",
    )
    assert d.quantity == "tally"
    assert {v.normalised for v in d.values} == {"134-63", "134-71"}
    # A range is no tally, and two different votes of one story share no side and never meet.
    assert not [
        f for f in extract_facts("Some 25 to 30 people voted early.") if f.quantity == "tally"
    ]
    assert not _hard(
        make_story,
        "The House passed the bill 230-190 after a long debate on the budget.",
        "The Senate later approved the budget bill 52-48 after a long debate.",
    )


def test_ages_listed_respectively_and_ages_of_any_size(make_story: MakeStory) -> None:
    (d,) = _hard(
        make_story,
        "The post said that Anna and Mira Holt, aged 16 and 13 respectively, should behave.",
        "Anna, 19, wore a plaid coat at the ceremony on the lawn.",
    )
    assert d.quantity == "age" and {v.normalised for v in d.values} == {
        "16 years old",
        "19 years old",
    }
    (d,) = _hard(
        make_story,
        "Weiner, 145, is married to an aide of the foreign minister.",
        "Weiner, 46, is married to an aide of the foreign minister.",
    )
    assert {v.normalised for v in d.values} == {"145 years old", "46 years old"}


def test_an_age_is_whose_its_key_names_whatever_names_stand_near(
    make_story: MakeStory,
) -> None:
    (d,) = _hard(
        make_story,
        "Mr. Hunter, 41, becomes the second Republican congressman to be indicted.",
        "Hunter, 44, is a congressman representing San Diego County.",
    )
    assert d.quantity == "age"


def test_share_held_by_one_name(make_story: MakeStory) -> None:
    (d,) = _hard(
        make_story,
        "In the poll, former Gov. Mitt Romney leads the field of contenders with 21 percent "
        "of primary voters surveyed.",
        "A national poll released yesterday shows a close race (Mitt Romney leads the pack "
        "at 25 percent).",
    )
    assert d.subject == "Romney" and _values(d) == {"21 percent", "25 percent"}


def test_share_of_another_candidate_or_subgroup_is_another_fact(make_story: MakeStory) -> None:
    romney = (
        "In the poll, former Gov. Mitt Romney leads the field of contenders with 21 percent "
        "of primary voters surveyed."
    )
    others = (
        "The poll also finds that among Tea Party supporters, Trump comes first, followed by "
        "Romney (17 percent) and Huckabee (14 percent).",
        "A national poll released yesterday shows Mike Huckabee in the field at 17 percent.",
    )
    assert not _hard(make_story, romney, *others)
    # another outlet giving Romney's own share otherwise does disagree
    again = romney.replace("former Gov. ", "").replace("21", "25")
    (d,) = _hard(make_story, romney, *others, again)
    assert _values(d) == {"21 percent", "25 percent"}


def test_shares_named_by_a_paper_have_no_holder() -> None:
    (f,) = extract_facts(
        "The poll published in the Kathimerini newspaper gave a 4.5 percent margin."
    )
    assert f.quantity == "percent" and f.subject == ""
    (g,) = extract_facts("McCarthy’s district is roughly 35 percent Latino.")
    assert g.subject == "McCarthy"


def test_duration_keyed_by_what_lasts(make_story: MakeStory) -> None:
    (d,) = _hard(
        make_story,
        '"Those two changes would keep the pension system solvent for 75 years," she said.',
        "The report says the trust funds would remain solvent for the next 60 years under the "
        "new rules.",
    )
    assert d.quantity == "duration" and _values(d) == {"75 years", "60 years"}


def test_a_shared_precise_figure_pairs_the_sentences_other_figures(
    make_story: MakeStory,
) -> None:
    (d,) = _hard(
        make_story,
        "The stalemate forced an estimated 800,000 government employees to go without pay "
        "for 35 days.",
        "The impasse over border funding closed many federal agencies for 40 days and left "
        "800,000 workers without pay.",
    )
    assert d.quantity == "duration" and _values(d) == {"35 days", "40 days"}


def test_length_of_an_investigation_however_written(make_story: MakeStory) -> None:
    (d,) = _hard(
        make_story,
        "The decision follows a five-year FBI investigation into the congressman's businesses.",
        '"After more than two years of investigation plagued by leaks, this is a vendetta," '
        "his lawyer said.",
    )
    assert d.quantity == "duration" and d.subject == "investigation"
