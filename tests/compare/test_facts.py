"""Facts: numbers, durations, dates and roles normalised so that formats do not conflict."""

from __future__ import annotations

import math
from datetime import date

import pytest

from presslens.compare.facts import compatible, extract_facts, parse_number, roles_compatible


def one(text: str, quantity: str, published: date | None = None):  # type: ignore[no-untyped-def]
    found = [f for f in extract_facts(text, published) if f.quantity == quantity]
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,500", 1500.0), ("1.5 million", 1.5e6), ("forty-two", 42.0), ("two hundred", 200.0),
     ("a dozen", 12.0), ("seventeen", 17.0), ("three thousand", 3000.0)],
)  # fmt: skip
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_parse_number_rejects_words() -> None:
    assert parse_number("many") is None


def test_same_duration_in_another_format_is_compatible() -> None:
    a = one("the 17-year war", "duration")
    b = one("after seventeen years of war", "duration")
    assert a.key == b.key == "duration:war"
    assert compatible(a, b)


def test_war_synonyms_share_a_key_and_conflict() -> None:
    a = one("to end a 17-year-old war there", "duration")
    b = one("ends the 40-years-long war in the country", "duration")
    c = one("to end the decades-old conflict", "duration")
    assert a.key == b.key == c.key
    assert not compatible(a, b)
    assert c.vague and not a.vague
    assert not compatible(a, c)  # "decades" is at least twenty years
    assert compatible(b, c)


def test_hedged_and_open_ended_counts() -> None:
    at_least = one("At least 15 people were killed", "count")
    exact = one("The flood killed 12 people", "count")
    about = one("About 3,000 people have been evacuated", "count")
    assert at_least.key == exact.key == "count:killed:people"
    assert math.isinf(at_least.hi)
    assert not compatible(at_least, exact)
    assert about.approximate and compatible(about, one("3,140 residents were evacuated", "count"))


def test_money_and_percent_rounding() -> None:
    assert compatible(one("a $1.5 million deal", "money"), one("a $1,520,000 deal", "money"))
    assert not compatible(one("a $1.5 million deal", "money"), one("a $2 million deal", "money"))
    assert one("nearly 40 percent of voters", "percent").unit == "%"


def test_weekday_and_range_resolve_against_published_date() -> None:
    published = date(2018, 12, 7)  # a Friday
    thursday = one("the embassy said on Thursday", "date", published)
    assert thursday.normalised == "2018-12-06"
    visit = one("his visit to Islamabad from December 4-6", "date", published)
    assert visit.normalised == "2018-12-04/2018-12-06"
    assert compatible(thursday, visit)
    ago = one("was named three months ago as envoy", "date", published)
    assert ago.normalised.startswith("2018-09")


def test_weekday_without_published_date_stays_a_weekday() -> None:
    f = one("He said on Thursday", "date")
    assert f.unit == "weekday" and f.normalised == "Thursday"


def test_date_without_year_is_compared_by_month_and_day() -> None:
    published = date(2010, 5, 20)
    a = one("at that March 2 event", "date", published)
    b = one("in Norwalk in March 2008", "date", published)
    assert a.yearless and compatible(a, b)


def test_roles() -> None:
    cruz = one("Sen. Ted Cruz spoke", "role")
    assert (cruz.normalised, cruz.key) == ("senator", "role:cruz")
    gen = one("Major-General Asif Ghafoor said", "role")
    assert gen.normalised == "major general"
    assert roles_compatible("general", "major general", "role:military")
    assert not roles_compatible("president", "vice president", "role:political")
    assert not roles_compatible("senator", "governor", "role:political")
    assert not [f for f in extract_facts("former Sen. Ted Cruz said") if f.quantity == "role"]


def test_odd_input_does_not_crash() -> None:
    for text in ("", "$", "99999999999999999999 percent", "‘’“”" * 50, "December 45-47", "1e308"):
        facts = extract_facts(text, date(2020, 1, 1))
        assert all(0 <= f.start < f.end <= len(text) for f in facts), text
    # nonsense gives no fact, an overlong figure still a well-formed one
    assert extract_facts("December 45-47", date(2020, 1, 1)) == []
    (huge,) = extract_facts("99999999999999999999 percent")
    assert (huge.quantity, huge.start, huge.end) == ("percent", 0, 28)


def test_vague_count_lengths_and_evacuations() -> None:
    thousands = one("Thousands of dockers in the port have extended their strike", "count")
    assert thousands.vague and thousands.unit == "n:docker"
    precise = one("About 2,400 dockers remained on strike at the port", "count")
    assert compatible(thousands, precise) and not precise.vague
    rise = one("the gauge recorded a rise of 4.2 metres above normal", "length")
    more = one("the river rose more than four metres after the rain", "length")
    assert rise.unit == more.unit == "m" and compatible(rise, more) and more.approximate
    assert compatible(rise, one("a rise of 420 centimetres", "length"))
    forced = one("the flood forced 3,140 residents from their homes", "count")
    evacuated = one("About 3,000 people have been evacuated", "count")
    assert forced.key == evacuated.key == "count:evacuated:people"
    assert one("27 Russian intelligence officers were charged", "count").unit == "n:officer"


def test_bare_weekdays_and_relative_stretches_across_publication_dates() -> None:
    sunday_article = one("Inslee issued his order Monday", "date", date(2015, 3, 29))
    tuesday_article = one("Inslee issued his order Monday", "date", date(2015, 3, 31))
    assert sunday_article.normalised != tuesday_article.normalised
    assert compatible(sunday_article, tuesday_article)
    assert not compatible(sunday_article, one("he spoke on Thursday", "date", date(2015, 3, 29)))
    a = one("the video was made last week", "date", date(2010, 6, 14))
    b = one("the video was made last week", "date", date(2010, 6, 15))
    assert compatible(a, b)
    assert one("since 2002 in the House", "date").unit == "calendar-year"


def test_age_after_a_lone_surname_before_a_verb() -> None:
    assert one("Weiner, 46, is married to Huma Abedin.", "age").key == "age:weiner"
    assert not [f for f in extract_facts("Greene, 12, 14 and 16 were") if f.quantity == "age"]


def test_open_ended_hedge_stays_near_its_figure() -> None:
    more = one("funnelled more than $20,000 into the campaign", "money")
    assert compatible(more, one("funnelled $25,000 into the campaign", "money"))
    assert not compatible(more, one("funnelled $45,000 into the campaign", "money"))
    assert not compatible(
        one("at least 13 deferments", "count"), one("at least 5 deferments", "count")
    )


def test_rates_carry_their_period() -> None:
    (day,) = extract_facts("The strike costs the port about 4 million crowns a day.")
    assert day.unit == "n:crown/day" and day.normalised.endswith("a day")
    (week,) = extract_facts("Each week of the strike cost the economy 30 million crowns.")
    assert week.unit == "n:crown/week"
    (year,) = extract_facts("The company earns $5 million annually.")
    assert year.unit == "USD/year"
    # "a year ago" and "a day off" say when or what, not how often
    assert extract_facts("He won 12 games a year ago.")[0].unit == "n:game"
    assert extract_facts("They gave 40 people a day off.")[0].unit == "n:people"


def test_ranges_are_one_interval() -> None:
    (f,) = extract_facts("Losses ran between 25 and 30 million crowns.")
    assert (f.lo, f.value) == (25e6, "between 25 and 30 million crowns")
    assert f.normalised == "25000000-30000000 crowns"
    (m,) = extract_facts("It cost $3 to $5 million.")
    assert (m.lo, m.normalised) == (3e6, "USD 3000000-5000000")
    (w,) = extract_facts("Estimates run from 500,000 to 1.6 million women.")
    (precise,) = extract_facts("The suit covers 1.5 million women.")
    assert compatible(w, precise)


def test_a_wire_dateline_gives_no_facts() -> None:
    text = "MARROWBY, Calder Vale, March 14 (Meridian) - A flood on Tuesday killed 12 people."
    facts = extract_facts(text, date(2024, 3, 14))
    assert [f.value for f in facts] == ["on Tuesday", "12 people"]
    assert [f.value for f in extract_facts("NATO said on March 3 that 40 people died.")] == [
        "March 3",
        "40 people",
    ]


def test_a_scale_word_is_not_the_counted_noun() -> None:
    text = "Estimates of how many women the lawsuit covers run from 500,000 to 1.6 million."
    assert not [f for f in extract_facts(text) if f.unit == "n:million"]
    (f,) = extract_facts("As many as 1.5 million women joined the suit.")
    assert (f.unit, f.hi) == ("n:women", 1.5e6)
