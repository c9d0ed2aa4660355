"""The shared readers of dates in model.py: ``published_date`` and ``calendar_date``."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from presslens.model import calendar_date, published_date

FEB_3 = dt.date(2019, 2, 3)


@pytest.mark.parametrize(
    "value",
    [
        "2019-02-03",
        "2019-02-03T10:00:00Z",
        "2019-02-03T10:00:00.123456+01:00",
        "2019-02-03 10:00",
        " 2019-02-03\n",
        "20190203",
        "20190203T100000Z",
    ],
)
def test_iso_dates_and_datetimes_give_their_day(value: str) -> None:
    assert published_date(value) == FEB_3


def test_the_day_is_the_one_written_not_the_utc_one() -> None:
    # 23:30 in New York is already the next day in UTC; the paper's "today" is the 3rd.
    assert published_date("2019-02-03T23:30:00-05:00") == FEB_3


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "junk",
        "Feb 3, 2019",
        "03/02/2019",
        "2019-2-3",
        "2019-0203",
        "2019-02-031",
        "201902031",
        "2019-W05-7",
        "+2019-02-03",
        "\u0662\u0660\u0661\u0669-\u0660\u0662-\u0660\u0663",
    ],
)
def test_absent_or_other_notations_give_none(value: str | None) -> None:
    assert published_date(value) is None


@pytest.mark.parametrize("value", ["2019-02-30", "2019-13-01", "2019-00-10", "2018-02-29"])
def test_days_the_calendar_lacks_give_none(value: str) -> None:
    assert published_date(value) is None


def test_leap_day_is_a_day() -> None:
    assert published_date("2020-02-29") == dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    "value", ["0001-01-01", "0000-01-01", "1599-12-31", "2200-01-01", "9999-12-31"]
)
def test_placeholder_years_give_none(value: str) -> None:
    assert published_date(value) is None


@pytest.mark.parametrize("value", ["1600-01-01", "1970-01-01", "2199-12-31"])
def test_years_at_the_edges_of_news_are_kept(value: str) -> None:
    assert published_date(value) == dt.date.fromisoformat(value)


@given(st.dates(min_value=dt.date(1600, 1, 1), max_value=dt.date(2199, 12, 31)), st.text())
def test_any_news_day_round_trips_with_a_time_after_it(day: dt.date, tail: str) -> None:
    assert published_date(day.isoformat()) == day
    assert published_date(f"{day.isoformat()}T{tail}") == day


@given(st.one_of(st.none(), st.text()))
def test_never_raises(value: str | None) -> None:
    got = published_date(value)
    assert got is None or 1600 <= got.year < 2200


def test_calendar_date_refuses_impossible_days() -> None:
    assert calendar_date(2019, 2, 3) == FEB_3
    assert calendar_date(2019, 2, 30) is None
    assert calendar_date(0, 1, 1) is None
    assert calendar_date(10**30, 1, 1) is None
