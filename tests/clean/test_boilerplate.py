"""Generic furniture patterns, the trailing footer block, and per-outlet learning."""

from __future__ import annotations

import pytest

from presslens.clean.boilerplate import (
    OutletBoilerplate,
    furniture_reason,
    generic_removals,
    remove_generic,
)
from presslens.config import CleanConfig

PROSE = (
    "The minister said the port would reopen on Monday after three days of talks with the "
    "union, which had threatened to extend the strike to the ferry terminal."
)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Leave a Reply", "comment form"),
        ("Your email address will not be published. Required fields are marked *", "comment form"),
        ("Comments (23)", "comment form"),
        ("You must be logged in to post a comment.", "comment form"),
        ("Source link", "source link"),
        ("Share this:", "share buttons"),
        ("Share on Facebook", "share buttons"),
        ("Click to share on X (Opens in new window)", "share buttons"),
        ("Email this article", "share buttons"),
        ("Facebook Twitter WhatsApp", "share buttons"),
        ("Subscribe to our newsletter", "newsletter prompt"),
        ("Get the Morning Briefing in your inbox: example.org/newsletter", "newsletter prompt"),
        ("Follow us on Facebook, X and Instagram: @Herald", "follow prompt"),
        (
            "Press TV’s website can also be accessed at the following alternate addresses:",
            "alternate-address footer",
        ),
        ("From :Arabnews", "signature line"),
        ("Source: Reuters", "signature line"),
        ("The post Storm hits town appeared first on Town Gazette.", "feed footer"),
        ("Copyright © 2024 The Harbour Herald. All rights reserved.", "copyright line"),
        ("© Radio Calder International 2024.", "copyright line"),
        ("This file photo shows the weir on the River Caddow at Ostrey.", "photo caption"),
        ("Image caption Rescue boats on the river", "photo caption"),
        ("Crowds gather at the port gate. (AFP Photo)", "photo caption"),
        ("Photo: Reuters", "photo credit"),
        ("Frederick M. Brown/Getty Images Entertainment/Getty Images", "photo credit"),
        ("Advertisement", "advertisement"),
        ("Read more: Calder Vale weather warnings, live", "read-more link"),
        ("Related: How the flood unfolded, hour by hour", "read-more link"),
        ("Related", "read-more link"),
        ("More from Calder Vale", "read-more link"),
        ("Topics: Floods, Marrowby", "tag list"),
    ],
)
def test_furniture_lines_are_recognised(line: str, reason: str) -> None:
    assert furniture_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    ["News / Afghanistan", "News \u00a0 / \u00a0 Afghanistan", "Home > World > Asia"],
)
def test_breadcrumbs_are_recognised_only_at_the_head(line: str) -> None:
    assert furniture_reason(line, head=True) == "section breadcrumb"
    assert furniture_reason(line) is None


@pytest.mark.parametrize(
    "line",
    [
        PROSE,
        "Shareholders will share the cost of the copyright dispute, the company said on Monday.",
        "Copyright infringement claims rose by a fifth last year.",
        "He urged people to follow the advice on Facebook and stay indoors until the water fell.",
        "Get ready for a briefing by the minister on Tuesday.",
        "This photo of the minister, taken in 2019, was shared widely before it emerged that it "
        "had been edited, and the ministry said on Friday that it would ask the platform to "
        "remove it along with dozens of similar images that had circulated since the vote.",
        "Related talks between the two sides will resume next week.",
        "Related-party transactions rose by 5% in the year.",
        "Follow us, the protesters chanted, as they marched to the square.",
        "Ukraine/Russia talks resume",
        "Flood kills 12 | Example Courier",
        "“Source: the government,” he said, laughing.",
        "Professor Tahir Malik, an international affairs analyst, saidthat Pakistan was willing.",
    ],
)
def test_prose_that_mentions_furniture_words_stays(line: str) -> None:
    assert furniture_reason(line, head=True) is None
    text, removed = remove_generic(f"{line}\n\n{PROSE}")
    assert removed == []
    assert text.startswith(line)


def test_short_lines_after_a_footer_marker_go_with_it() -> None:
    lines = [
        PROSE,
        "",
        "Radio Calder’s website can also be accessed at the following alternate addresses:",
        "",
        "www.rci-news.example",
        "www.radiocalder.example",
        "RCI News on SmartTV",
    ]
    found = generic_removals(lines)
    assert found == {
        2: "alternate-address footer",
        4: "after alternate-address footer",
        5: "after alternate-address footer",
        6: "after alternate-address footer",
    }


def test_a_long_prose_line_after_a_footer_marker_stays_and_ends_the_block() -> None:
    lines = ["Share this:", PROSE, "Short tail line", "Source link", "Website"]
    found = generic_removals(lines)
    assert found == {0: "share buttons", 3: "source link", 4: "after source link"}


def test_a_short_sentence_after_a_footer_marker_stays() -> None:
    lines = [PROSE, "Share this:", "The inquiry will report in June.", "Website"]
    # The sentence also ends the trailing block: what follows it no longer counts as a footer.
    assert generic_removals(lines) == {1: "share buttons"}


def test_short_lines_with_no_footer_marker_above_them_stay() -> None:
    lines = [PROSE, "Ends", "Reporting by A. Writer"]
    assert generic_removals(lines) == {}


def test_removal_leaves_a_paragraph_break_and_reports_the_line() -> None:
    text, removed = remove_generic(f"{PROSE}\nAdvertisement\n{PROSE}")
    assert text == f"{PROSE}\n\n{PROSE}"
    assert [(r.line, r.reason) for r in removed] == [("Advertisement", "advertisement")]


def _learner(**kw: float) -> OutletBoilerplate:
    return OutletBoilerplate.from_config(CleanConfig(**kw))  # type: ignore[arg-type]


def _story(n: int) -> list[str]:
    return [f"Story {n} paragraph {k} says something new about event number {n}." for k in range(6)]


FOOTER = "Harbour Herald: independent since 1887"


def test_a_line_repeated_across_an_outlets_stories_is_learned() -> None:
    learner = _learner()
    for n in range(3):
        learner.add("harbour-herald", [*_story(n), FOOTER])
    learner.add("harbour-herald", _story(99))
    assert learner.reason("harbour-herald", FOOTER) == "repeated in 3 of 4 harbour-herald articles"
    assert learner.reason("harbour-herald", _story(0)[0]) is None
    assert learner.reason("other-outlet", FOOTER) is None
    assert learner.reason(None, FOOTER) is None
    assert learner.learned("harbour-herald") == {OutletBoilerplate.key(FOOTER): 3}


def test_outlet_names_and_lines_match_loosely() -> None:
    learner = _learner()
    learner.add("Harbour Herald", [*_story(1), FOOTER])
    learner.add("harbour  herald", [*_story(2), FOOTER.upper()])
    # two spellings of one outlet, two casings of one line: one line seen in both articles
    reason = learner.reason("HARBOUR HERALD", f" {FOOTER} ")
    assert reason == "repeated in 2 of 2 Harbour Herald articles"
    assert learner.reason("HARBOUR HERALD", _story(1)[0]) is None


@pytest.mark.parametrize(
    ("settings", "learned"),
    [
        ({}, True),
        ({"boilerplate_min_articles": 3}, False),
        ({"boilerplate_min_share": 0.75}, False),
        ({"boilerplate_max_words": 4}, False),
    ],
)
def test_thresholds_come_from_the_config(settings: dict[str, float], learned: bool) -> None:
    learner = _learner(**settings)
    learner.add("outlet", [*_story(1), FOOTER])
    learner.add("outlet", [*_story(2), FOOTER])
    learner.add("outlet", _story(3))
    assert (learner.reason("outlet", FOOTER) is not None) is learned


def test_reprints_of_one_story_do_not_make_its_sentences_boilerplate() -> None:
    learner = _learner()
    story = _story(7)
    learner.add("wire", [*story, "Updated at 10:00"])
    learner.add("wire", [*story, "Updated at 12:00"])
    assert all(learner.reason("wire", line) is None for line in story)
    assert learner.learned("wire") == {}


def test_a_reused_background_sentence_needs_three_stories() -> None:
    background = "The valley last flooded in 1998, when nobody was killed."
    learner = _learner()
    learner.add("wire", [*_story(1), background])
    learner.add("wire", [*_story(2), background])
    assert learner.reason("wire", background) is None
    learner.add("wire", [*_story(3), background])
    assert learner.reason("wire", background) == "repeated in 3 of 3 wire articles"


def test_a_store_can_feed_existing_lines_later() -> None:
    learner = _learner()
    learner.add("outlet", [*_story(1), FOOTER])
    assert learner.reason("outlet", FOOTER) is None
    assert learner.articles("outlet") == 1
    learner.add("outlet", [*_story(2), FOOTER])
    assert learner.reason("outlet", FOOTER) == "repeated in 2 of 2 outlet articles"
