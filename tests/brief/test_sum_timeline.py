"""Timelines: dates found, resolved against publication dates, merged across outlets."""

from __future__ import annotations

import datetime as dt

from presslens.brief.timeline import build_timeline, find_dates
from presslens.model import Article

FRIDAY = dt.date(2018, 12, 7)


def _resolved(text: str, base: dt.date | None = FRIDAY) -> list[tuple[str, str]]:
    return [(m.date, m.precision) for m in find_dates(text, base)]


def test_weekdays_are_the_most_recent_such_day() -> None:
    assert _resolved("He spoke on Thursday.") == [("2018-12-06", "day")]
    assert _resolved("He spoke on Friday.") == [("2018-12-07", "day")]
    assert _resolved("He spoke last Friday.") == [("2018-11-30", "day")]
    assert _resolved("They meet next Tuesday.") == [("2018-12-11", "day")]


def test_relative_expressions_resolve_against_the_publication_date() -> None:
    assert _resolved("He was named three months ago.") == [("2018-09", "month")]
    assert _resolved("It happened yesterday.") == [("2018-12-06", "day")]
    assert _resolved("Tweets flew last month.") == [("2018-11", "month")]
    assert _resolved("Two days ago the vote failed.") == [("2018-12-05", "day")]


def test_explicit_dates_with_and_without_year() -> None:
    assert _resolved("On Dec. 4, 2018 and 4 December 2018.") == [
        ("2018-12-04", "day"),
        ("2018-12-04", "day"),
    ]
    assert _resolved("The visit ran from December 4-6.") == [("2018-12-04", "day")]
    assert _resolved("It opened in March 2016, and closed in 2017.") == [
        ("2016-03", "month"),
        ("2017", "year"),
    ]
    # a month-day more than a month ahead of the paper is last year's
    assert _resolved("On December 20 it began.", dt.date(2019, 1, 10)) == [("2018-12-20", "day")]


def test_without_a_publication_date_only_dates_with_a_year_resolve() -> None:
    assert _resolved("On Thursday, three months ago, on Dec. 4, 2018.", None) == [
        ("2018-12-04", "day")
    ]


def test_nonsense_dates_are_ignored() -> None:
    assert _resolved("On February 30, 2019 nothing happened.") == []


def test_the_same_event_from_two_outlets_is_merged_and_cites_both() -> None:
    a = Article(
        id="a",
        text=(
            "The envoy Zalmay Khalilzad met Prime Minister Imran Khan in Islamabad on Thursday. "
            "Talks on a settlement in Afghanistan began in 2013 in Doha, officials recalled."
        ),
        published="2018-12-07",
    )
    b = Article(
        id="b",
        text="Prime Minister Imran Khan met the envoy Zalmay Khalilzad in Islamabad yesterday.",
        published="2018-12-07",
    )
    events = build_timeline([a, b])
    assert [e.date for e in events] == ["2013", "2018-12-06"]
    meeting = events[1]
    assert meeting.cites == ("a", "b")
    assert meeting.support == 2
    assert events[0].cites == ("a",)


def test_seed_timeline_is_ordered_and_cited(seed_articles: list[Article]) -> None:
    events = build_timeline(seed_articles, max_events=8)
    assert 0 < len(events) <= 8
    assert [e.date for e in events] == sorted(e.date for e in events)
    ids = {a.id for a in seed_articles}
    for e in events:
        assert e.article_id in e.cites and set(e.cites) <= ids
    # "on Thursday" in papers of Friday 7 December 2018
    assert any(e.date == "2018-12-06" and e.expression == "Thursday" for e in events)


def test_empty_story_has_an_empty_timeline() -> None:
    assert build_timeline([]) == ()
    assert build_timeline([Article(id="a", text="")]) == ()


def test_years_earlier_is_a_comparison_not_a_date() -> None:
    base = dt.date(2024, 3, 28)
    text = "The pension age would rise to 63, still two years earlier than most workers."
    assert find_dates(text, base) == []
    assert [d.date for d in find_dates("He left two years ago.", base)] == ["2022"]


def test_placeholder_publication_dates_resolve_nothing_relative() -> None:
    # CMS placeholders sit at the ends of the calendar: "tomorrow" after 9999-12-31 or
    # "yesterday" before 0001-01-01 does not exist, so such an article counts as undated.
    text = (
        "The council will vote tomorrow on the new budget plan for the city. "
        "Officials met yesterday to discuss the budget plan for the city. "
        "The budget plan for the city was first proposed on December 20, 2018."
    )
    arts = [
        Article(id="a", source="A", published="9999-12-31", text=text),
        Article(id="b", source="B", published="0001-01-01", text=text),
    ]
    assert [e.date for e in build_timeline(arts)] == ["2018-12-20"]


def test_a_weekday_in_the_future_tense_is_the_coming_one() -> None:
    friday = dt.date(2024, 3, 29)

    def dates(text: str) -> list[str]:
        return [d.date for d in find_dates(text, friday)]

    assert dates("The talks will begin on Tuesday in Brennport.") == ["2024-04-02"]
    assert dates("The minister is due to answer questions on Thursday.") == ["2024-04-04"]
    assert dates("The line is expected to reopen on Wednesday.") == ["2024-04-03"]
    # past tense, and a future clause after the date, keep the most recent day
    assert dates("Officials said on Monday they will resume talks.") == ["2024-03-25"]
    assert dates("They met last Tuesday and will meet again.") == ["2024-03-26"]
    # "today's dockers" are the present ones, not a date
    assert dates("Asking today's dockers to pay was always going to fail.") == []


def test_a_wire_dateline_is_not_an_event() -> None:
    art = Article(
        id="a",
        published="2024-03-29",
        text="SALTMERE, Calder Vale, March 29 (Meridian) - The government and the union agreed "
        "on Friday to hold talks next week.",
    )
    (event,) = build_timeline([art])
    assert event.expression == "Friday" and event.text.startswith("The government")


def test_a_headline_is_no_timeline_event_but_its_article_text_is() -> None:
    art = Article(
        id="a",
        title="Aldmoor flooded on Monday as the river broke its banks",
        text="Heavy rain flooded the river town of Aldmoor on Monday, forcing 2,000 residents out.",
        published="2024-03-06",
    )
    events = build_timeline([art])
    assert [e.date for e in events] == ["2024-03-04"]
    assert events[0].text.startswith("Heavy rain")
    assert events[0].start == 0 and art.text[events[0].start : events[0].end] == events[0].text
