"""The comparison of a story: alignment, support, unique, omissions, discrepancies."""

from __future__ import annotations

import dataclasses

from presslens.compare.core import compare, compare_story
from presslens.config import CompareConfig
from presslens.model import Article, Discrepancy, StoryArticles

from .conftest import MakeStory

BASE = (
    "The finance minister resigned on Monday after the audit office found missing funds.\n\n"
    "Opposition leaders demanded a parliamentary inquiry into the procurement contracts.\n\n"
    "Protesters gathered outside the ministry building in the capital until late evening."
)


def test_seeds_war_length_is_a_discrepancy_between_the_outlets(seeds_story: StoryArticles) -> None:
    story = compare(seeds_story).story
    war = [d for d in story.discrepancies or () if d.subject == "war"]
    assert len(war) == 1
    d = war[0]
    assert d.kind == "number" and d.quantity == "duration"
    by_value = {v.normalised: v for v in d.values}
    assert set(by_value) >= {"17 years", "40 years"}
    assert by_value["17 years"].article_ids != by_value["40 years"].article_ids
    for v in d.values:
        assert v.evidence and all(
            e.text in " ".join(a.text for a in seeds_story.articles) for e in v.evidence
        )
        assert any(v.value in e.text for e in v.evidence)


def test_seeds_so_called_war_on_terror_for_press_tv_only(seeds_story: StoryArticles) -> None:
    story = compare(seeds_story).story
    framing = {f.source: f for f in story.framing or ()}
    marked = {(d.marker, d.term) for d in framing["presstv"].distancing}
    assert ("so-called", "war on terror") in marked
    assert not any(d.term == "war on terror" for d in framing["arabnews"].distancing)


def test_seeds_unique_information(seeds_story: StoryArticles) -> None:
    story = compare(seeds_story).story
    unique = {u.source: " ".join(s.text for s in u.sentences) for u in story.unique or ()}
    assert "Talat Masood" in unique["arabnews"] and "Tahir Malik" in unique["arabnews"]
    assert "Doha in 2013" in unique["presstv"]
    assert "Doha" not in unique["arabnews"]


def test_offsets_point_into_the_article_text(seeds_story: StoryArticles) -> None:
    story = compare(seeds_story).story
    texts = {a.id: a.text for a in seeds_story.articles}
    refs = [s for g in story.alignment or () for s in g.sentences]
    refs += [s for u in story.unique or () for s in u.sentences]
    assert refs
    for r in refs:
        assert texts[r.article_id][r.start : r.end] == r.text


def test_support_counts_independent_sources_not_articles(make_story: MakeStory) -> None:
    a = Article(id="a", text=BASE, source="wire", syndication_group="g1")
    copy = Article(id="b", text=BASE, source="reprint", syndication_group="g1")
    reworded = BASE.replace("gathered outside", "assembled in front of").replace(
        "demanded", "called for"
    )
    c = Article(id="c", text=reworded, source="daily")
    story = compare(make_story(a, copy, c)).story
    assert story.alignment
    for g in story.alignment:
        assert {s.article_id for s in g.sentences} == {"a", "b", "c"}
        assert g.support == 2
    assert not story.discrepancies


def test_unique_and_omissions(make_story: MakeStory) -> None:
    extra = "\n\nThe central bank governor warned that the currency could fall sharply this week."
    arts = [
        Article(id="a", text=BASE + extra, source="one"),
        Article(id="b", text=BASE + extra, source="two"),
        Article(id="c", text=BASE + extra, source="three"),
        Article(id="d", text=BASE, source="four"),
    ]
    story = compare(make_story(*arts)).story
    omitted = {(o.article_id, o.evidence.text.split()[1]) for o in story.omissions or ()}
    assert ("d", "central") in omitted
    assert all(o.support == 3 for o in story.omissions or ())
    assert not story.unique


def test_changed_figure_in_a_matching_sentence_is_a_discrepancy(make_story: MakeStory) -> None:
    a = Article(
        id="a", text="The agency said 240 homes were flooded in the eastern district on Monday."
    )
    b = Article(
        id="b", text="The agency said 420 homes were flooded in the eastern district on Monday."
    )
    d = compare(make_story(a, b)).story.discrepancies or ()
    assert len(d) == 1 and d[0].kind == "number"
    assert {v.normalised for v in d[0].values} == {"240 homes", "420 homes"}


def test_role_conflict(make_story: MakeStory) -> None:
    a = Article(id="a", text="Sen. Maria Lopez criticised the plan on Tuesday in the capital.")
    b = Article(id="b", text="Gov. Maria Lopez criticised the plan in a speech to the chamber.")
    c = Article(id="c", text="Senator Maria Lopez has long opposed the spending plan.")
    d = compare(make_story(a, b, c)).story.discrepancies or ()
    roles = [x for x in d if x.kind == "role"]
    assert len(roles) == 1
    assert {v.normalised for v in roles[0].values} == {"senator", "governor"}


def test_candidate_pairs_not_all_pairs(seeds_story: StoryArticles) -> None:
    c = compare(seeds_story)
    assert 0 < c.candidate_pairs < c.all_pairs


def test_single_article_and_empty_articles(make_story: MakeStory) -> None:
    one = compare(make_story(Article(id="a", text=BASE, source="x"))).story
    assert one.unique == () and one.omissions == () and one.discrepancies == ()
    empty = compare(make_story(Article(id="a", text=""), Article(id="b", text="  \n"))).story
    assert empty.alignment == ()


def test_compare_story_keeps_the_story_and_config_thresholds(make_story: MakeStory) -> None:
    docs = make_story(Article(id="a", text=BASE), Article(id="b", text=BASE))
    strict = compare_story(docs, dataclasses.replace(CompareConfig(), align_threshold=1.0))
    loose = compare_story(docs)
    assert strict.story.id == docs.story.id and strict.articles == docs.articles
    assert len(loose.story.alignment or ()) >= len(strict.story.alignment or ())


def test_same_fact_in_differently_built_sentences_is_matched(make_story: MakeStory) -> None:
    a = Article(
        id="a",
        text="The storm destroyed 240 homes in Alderbrook, officials said on Monday. "
        "Rebuilding will take months.",
    )
    b = Article(
        id="b",
        text="In Alderbrook, where the storm struck on Sunday night, 420 homes were destroyed, "
        "according to a council statement released after an emergency meeting.",
    )
    c = Article(id="c", text="The storm destroyed 240 homes in Marsh End, a separate report said.")
    d = compare(make_story(a, b)).story.discrepancies or ()
    numbers = [x for x in d if x.kind == "number"]
    assert [{v.normalised for v in x.values} for x in numbers] == [{"240 homes", "420 homes"}]
    # Another place named next to the figure is another fact, not a conflict.
    d2 = compare(make_story(b, c)).story.discrepancies or ()
    assert not [x for x in d2 if x.kind == "number"]


def test_figure_both_outlets_give_is_not_held_against_its_neighbour(make_story: MakeStory) -> None:
    a = Article(id="a", text="The plan moves $600 million from a Treasury forfeiture fund.")
    b = Article(
        id="b",
        text="The plan moves about $200 million from the Department of Homeland Security "
        "and another $600 million from a Treasury forfeiture fund.",
    )
    d = compare(make_story(a, b)).story.discrepancies or ()
    assert not [x for x in d if x.kind == "number"]
    # another figure for the same fund is held against it
    other = dataclasses.replace(b, text=b.text.replace("another $600", "another $900"))
    d = compare(make_story(a, other)).story.discrepancies or ()
    assert [x.kind for x in d if x.kind == "number"] == ["number"]


def test_vague_count_against_a_figure_is_soft(make_story: MakeStory) -> None:
    a = Article(id="a", text="About 2,400 dockers remained on strike at the port of Saltmere.")
    b = Article(id="b", text="Thousands of dockers in the port of Saltmere extended their strike.")
    d = compare(make_story(a, b)).story.discrepancies or ()
    assert [x.kind for x in d] == ["vague"]


def test_parenthesised_abbreviation_does_not_split_a_name(make_story: MakeStory) -> None:
    a = Article(id="a", text="General (retd.) Talat Masood, a security analyst, told the paper.")
    story = compare(make_story(a, Article(id="b", text="Unrelated words here today."))).story
    texts = [s.text for u in story.unique or () for s in u.sentences]
    assert any(t.startswith("General (retd.) Talat Masood") for t in texts)


def test_name_after_an_honorific_is_a_name_not_a_sentence_start(make_story: MakeStory) -> None:
    filler = "\n\nThe storm closed schools across the region.\n\nFarmers counted losses."
    a = Article(
        id="a",
        text="The spending bill was signed by Mr. Trump on Friday in Palm Beach." + filler,
    )
    b = Article(
        id="b",
        text="Officials said Trump signed the spending bill on Monday, Sanders said." + filler,
    )
    d = compare(make_story(a, b)).story.discrepancies or ()
    assert [x.kind for x in d] == ["date"]


def test_titles_of_two_families_for_one_person_conflict(make_story: MakeStory) -> None:
    a = Article(id="a", text="Attorney General Jeff Sessions recused himself from the inquiry.")
    b = Article(id="b", text="Adm. Jeff Sessions recused himself from the inquiry last year.")
    c = Article(id="c", text="Attorney General Jeff Sessions spoke to reporters on Monday.")
    d = compare(make_story(a, b, c)).story.discrepancies or ()
    assert [(x.kind, {v.normalised for v in x.values}) for x in d] == [
        ("role", {"attorney general", "admiral"})
    ]


_FILLER_A = (
    "Republicans in Congress had accused the administration of a cover-up for months.\n\n"
    "The correspondence runs to about a hundred pages.\n\n"
)
_FILLER_B = (
    "Critics said the release answered none of their questions about the attack.\n\n"
    "The administration had resisted publishing the documents for weeks.\n\n"
)


def _two_outlets(make_story: MakeStory, published: str, text_a: str, text_b: str) -> StoryArticles:
    """A story of two outlets whose last paragraphs are ``text_a`` and ``text_b``."""
    a = Article(id="a", source="one", published=published, text=_FILLER_A + text_a)
    b = Article(id="b", source="two", published=published, text=_FILLER_B + text_b)
    return make_story(a, b)


def _date_reports(story: StoryArticles) -> list[Discrepancy]:
    """The date discrepancies the comparison reports for ``story``."""
    return [d for d in compare(story).story.discrepancies or () if d.kind == "date"]


def _emails_story(make_story: MakeStory, day: str) -> StoryArticles:
    return _two_outlets(
        make_story,
        "2013-05-16",
        f"E-mails released by the White House on {day} revealed a fierce "
        "internal fight over the official talking points.",
        "The White House on Wednesday released the full set of emails "
        "surrounding the talking points.\n\nIn a briefing at the White House on Wednesday "
        "afternoon, officials used the emails to show who drove the changes.",
    )


def test_reworded_date_that_another_outlet_repeats_is_a_discrepancy(
    make_story: MakeStory,
) -> None:
    dates = _date_reports(_emails_story(make_story, "Saturday"))
    assert len(dates) == 1
    assert {v.article_ids for v in dates[0].values} == {("a",), ("b",)}
    assert not _date_reports(_emails_story(make_story, "Wednesday"))


def test_a_stretch_of_days_is_not_set_against_a_day(make_story: MakeStory) -> None:
    a = Article(
        id="a",
        published="2015-04-01",
        text="The religious freedom law enacted last week drew protests across Indiana.",
    )
    b = Article(
        id="b",
        published="2015-04-01",
        text="The religious freedom law enacted on Monday drew protests across Indiana.",
    )
    assert not _date_reports(make_story(a, b))
    # one day against another is
    thursday = dataclasses.replace(a, text=a.text.replace("last week", "on Thursday"))
    assert len(_date_reports(make_story(thursday, b))) == 1


def test_a_weekday_is_not_taken_for_a_name_that_sets_two_sentences_apart(
    make_story: MakeStory,
) -> None:
    def story(day: str) -> StoryArticles:
        return _two_outlets(
            make_story,
            "2013-05-22",
            "Lerner told the oversight committee at Wednesday's hearing that "
            "she had done nothing wrong and broken no rules.",
            f"Lerner told lawmakers at {day}'s hearing of the oversight "
            "committee that she had broken no rules and done nothing wrong.",
        )

    assert len(_date_reports(story("Saturday"))) == 1
    assert not _date_reports(story("Wednesday"))


def test_one_group_counted_under_two_nouns_is_compared(make_story: MakeStory) -> None:
    filler = (
        "\n\nShares of the chain fell in early trading.\n\nThe hearing lasted all morning."
        "\n\nAnalysts expect a ruling by summer.\n\nOther cases were set aside."
    )
    a = Article(
        id="a",
        text="The lawyer said the class includes 544 store managers who are accused of "
        "discrimination at the retailer." + filler,
    )
    b = Article(
        id="b",
        text="The lawyer pointed to 1,091 women who serve as store managers and who are "
        "accused of discrimination at the retailer." + filler,
    )
    d = compare(make_story(a, b)).story.discrepancies or ()
    assert [x.kind for x in d if x.kind == "number"] == ["number"]
    # A count of another thing named in neither sentence is not set against it.
    c = Article(
        id="c",
        text="The lawyer said the class includes 1,091 complaints of discrimination at the "
        "retailer." + filler,
    )
    d2 = compare(make_story(a, c)).story.discrepancies or ()
    assert not [x for x in d2 if x.kind == "number"]


def test_each_count_meets_the_count_of_its_own_noun(make_story: MakeStory) -> None:
    a = Article(
        id="a",
        published="2024-03-27",
        text="About 2,400 dockers stayed on strike at the port, leaving more than 30 cargo "
        "ships waiting at anchor in the bay.",
    )
    b = Article(
        id="b",
        published="2024-03-27",
        text="Thousands of dockers stayed on strike at the port, leaving cargo ships waiting "
        "at anchor in the bay.",
    )
    d = compare(make_story(a, b)).story.discrepancies or ()
    # dockers with dockers (2,400 against thousands); the 30 ships meet no count of ships
    assert [(x.kind, {v.normalised.split()[-1] for v in x.values}) for x in d] == [
        ("vague", {"dockers"})
    ]


def test_a_toll_of_another_event_the_story_recalls_is_not_its_toll(
    make_story: MakeStory,
) -> None:
    ostrey = (
        "The river burst through the embankment at Ostrey on Tuesday.\n\n"
        "Ostrey residents began clearing their homes.\n\n"
        "The Ostrey council opened a rest centre.\n\n"
    )
    a = Article(
        id="a",
        published="2024-04-10",
        text=ostrey + "The flood early on Tuesday killed three people and damaged 430 homes.",
    )
    b = Article(
        id="b",
        published="2024-04-10",
        text=ostrey + "The flood comes a month after a flash flood on the River Tess killed 12 "
        "people in Marrowby.",
    )
    d = compare(make_story(a, b)).story.discrepancies or ()
    assert not [x for x in d if x.kind == "number"]
    # the same toll in the story's own town is compared
    c = dataclasses.replace(
        b, text=ostrey + "The flood at Ostrey on Tuesday killed 12 people, officials said."
    )
    d2 = compare(make_story(a, c)).story.discrepancies or ()
    assert [x.kind for x in d2 if x.kind == "number"] == ["number"]


def test_updates_from_different_days_are_not_a_date_conflict(make_story: MakeStory) -> None:
    def story(pub_b: str, day_b: str) -> StoryArticles:
        a = Article(
            id="a",
            published="2024-03-27",
            text="About 2,400 dockers stayed on strike on Wednesday, leaving cargo ships waiting "
            "at anchor in Saltmere bay.",
        )
        b = Article(
            id="b",
            published=pub_b,
            text=f"Dockers stayed on strike on {day_b}, leaving cargo ships waiting at anchor in "
            "Saltmere bay.",
        )
        return make_story(a, b)

    # Friday's paper tells Friday's news, Wednesday's paper Wednesday's
    assert not _date_reports(story("2024-03-29", "Friday"))
    # the same day's papers giving two days for it do disagree
    assert len(_date_reports(story("2024-03-27", "Monday"))) == 1


def test_two_outlets_that_both_name_two_days_do_not_disagree(make_story: MakeStory) -> None:
    a = Article(
        id="a",
        published="2024-03-16",
        text="The wall failed on Tuesday night, flooding the town.\n\n"
        "The emergency service said on Thursday that crews were still searching the town.",
    )
    b = Article(
        id="b",
        published="2024-03-16",
        text="The emergency service said on Tuesday that crews were searching the town.\n\n"
        "By Thursday the water had gone down.",
    )
    assert not _date_reports(make_story(a, b))
    # a wall that failed on another night is a disagreement
    failed = "The wall failed on Friday night, flooding the town.\n\n"
    friday = dataclasses.replace(b, text=failed + b.text)
    assert len(_date_reports(make_story(a, friday))) == 1


def test_a_day_after_the_other_article_came_out_is_another_event(
    make_story: MakeStory,
) -> None:
    def story(pub_b: str) -> StoryArticles:
        a = Article(
            id="a",
            published="2024-03-16",
            text=_FILLER_A + "The last people reported missing in Marrowby were still being "
            "searched for on Thursday, the emergency service said.",
        )
        b = Article(
            id="b",
            published=pub_b,
            text=_FILLER_B + "The last people reported missing in Marrowby were found safe "
            "on Sunday, the emergency service said.",
        )
        return make_story(a, b)

    # Monday's paper tells of Sunday, which Saturday's paper could not have known
    assert not _date_reports(story("2024-03-18"))
    # a paper of the same Saturday giving Sunday (a week earlier) does disagree
    assert len(_date_reports(story("2024-03-16"))) == 1
