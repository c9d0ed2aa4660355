"""Story timelines: dated events found in the articles, resolved and merged across outlets.

Dates are found by pattern: explicit ("December 4, 2018", "4 Dec", "March 2016", "in 2016",
"2018-12-04") and relative ("on Thursday", "yesterday", "three months ago", "last year").
Relative ones are resolved against the publication date of the article that wrote them, so
"on Thursday" in a Friday paper is the day before, and "will begin on Tuesday" the coming
Tuesday; an article without a publication date
contributes only dates that carry their year.  The same event told by several outlets (same
date, similar sentence) becomes one event that cites all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from presslens.brief.extractive import Ranking, StoryMatrix, build_matrix, cite, rank
from presslens.brief.repair import repair
from presslens.config import BriefParams
from presslens.model import Article, TimelineEvent, calendar_date, published_date
from presslens.text.dates import MONTHS, WEEKDAYS, resolve

_MONTH = (
    r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_NUMBER_WORDS = (
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"several|a few|\d{1,3})"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# One alternation, most specific first; each branch names what it found.
_DATE = re.compile(
    r"(?P<iso>\b(?:19|20)\d\d-[01]\d-[0-3]\d\b)"
    r"|(?P<md>\b" + _MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!:)(?:,?\s+"
    r"(?P<year1>(?:19|20)\d\d)\b)?)"
    r"|(?P<dm>\b(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH.replace("month", "month2")
    + r"\b(?:,?\s+(?P<year2>(?:19|20)\d\d)\b)?)"
    r"|(?P<my>\b" + _MONTH.replace("month", "month3") + r",?\s+" + _YEAR + r"\b)"
    r"|(?P<weekday>\b(?:(?P<rel>last|next|this)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)\b)"
    r"|(?P<deictic>\b(?:yesterday|today(?![’']s)|tonight|tomorrow)\b)"
    r"|(?P<ago>\b" + _NUMBER_WORDS + r"\s+(?:day|week|month|year)s?\s+ago\b)"
    r"|(?P<lastperiod>\b(?:last|next)\s+(?:month|year)\b)"
    r"|(?P<inyear>\b(?:in|during)\s+(?P<year4>(?:19|20)\d\d)\b(?!-))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in a sentence: where, as written, and resolved."""

    start: int
    end: int
    expression: str
    date: str
    precision: str


def _month_number(name: str) -> int:
    return MONTHS[name[:3].casefold()]


def _format(day: dt.date, precision: str) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


# Words that put what follows in the future: "will begin on Tuesday", "is due to answer
# questions on Thursday", "is expected to reopen on Wednesday".
_FUTURE = re.compile(
    r"\b(?:will|shall|(?:is|are|was|were)\s+(?:due|expected|scheduled|set|planned|"
    r"going)\s+to|to\s+be\s+held|plans?\s+to|until|next)\b",
    re.IGNORECASE,
)
# How far before a weekday a future marker still governs it (characters, same clause).
_FUTURE_REACH = 80


def _future(text: str, at: int) -> bool:
    """Whether the clause before position ``at`` of ``text`` speaks of the future."""
    clause = re.split(r"[.;:!?]|,\s+(?:and|but)\b", text[max(0, at - _FUTURE_REACH) : at])[-1]
    return bool(_FUTURE.search(clause))


def _resolve(m: re.Match[str], base: dt.date | None) -> tuple[dt.date, str] | None:
    g = m.groupdict()
    if g["iso"]:
        d = calendar_date(int(g["iso"][:4]), int(g["iso"][5:7]), int(g["iso"][8:10]))
        return (d, "day") if d else None
    if g["md"] or g["dm"]:
        month = _month_number(g["month"] or g["month2"])
        day = int(g["day"] or g["day2"])
        year_text = g["year1"] or g["year2"]
        if year_text:
            d = calendar_date(int(year_text), month, day)
            return (d, "day") if d else None
        if base is None:
            return None
        d = calendar_date(base.year, month, day)
        # a month-day without year is this year's unless that lies over a month ahead of
        # the article (then it is last year's: "on December 20" in a January paper)
        if d is not None and d > base + dt.timedelta(days=31):
            d = calendar_date(base.year - 1, month, day)
        return (d, "day") if d else None
    if g["my"]:
        d = calendar_date(int(g["year"]), _month_number(g["month3"]), 1)
        return (d, "month") if d else None
    if g["inyear"]:
        return dt.date(int(g["year4"]), 1, 1), "year"
    if base is None:
        return None
    if g["weekday"]:
        target = WEEKDAYS.index(g["wd"].casefold())
        rel = (g["rel"] or "").casefold()
        if rel == "next":
            ahead = (target - base.weekday()) % 7 or 7
            return base + dt.timedelta(days=ahead), "day"
        if rel != "last" and _future(m.string, m.start()):
            # "will begin on Tuesday" in a Friday paper: the coming Tuesday
            return base + dt.timedelta(days=(target - base.weekday()) % 7), "day"
        # news speaks of the most recent such day: "on Thursday" in a Friday paper
        back = (base.weekday() - target) % 7
        if rel == "last" and back == 0:
            back = 7
        return base - dt.timedelta(days=back), "day"
    if g["deictic"]:
        word = g["deictic"].casefold()
        shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
        return base + dt.timedelta(days=shift), "day"
    resolved = resolve(m.group(0).casefold(), base)
    if resolved is None:
        return None
    when, period = resolved
    return when, {"week": "day"}.get(period, period)


def find_dates(text: str, base: dt.date | None) -> list[DateMention]:
    """Dates mentioned in ``text``, resolved against ``base`` (the publication day)."""
    out: list[DateMention] = []
    for m in _DATE.finditer(text):
        resolved = _resolve(m, base)
        if resolved is None:
            continue
        day, precision = resolved
        out.append(DateMention(m.start(), m.end(), m.group(0), _format(day, precision), precision))
    return out


@dataclass(slots=True)
class _Event:
    date: str
    precision: str
    expression: str
    rows: list[int]
    cites: set[str]
    score: float


def timeline_from_matrix(
    matrix: StoryMatrix,
    params: BriefParams,
    max_events: int,
    merge_threshold: float,
    ranking: Ranking | None = None,
) -> tuple[TimelineEvent, ...]:
    """The timeline of the story held by ``matrix`` (see :func:`build_timeline`).

    ``ranking`` is :func:`~presslens.brief.extractive.rank` of ``matrix`` under ``params``
    when the caller has it already.
    """
    if not matrix.candidates:
        return ()
    scored = rank(matrix, params) if ranking is None else ranking
    sim, score = scored.sim, scored.score
    events: list[_Event] = []
    for r, c in enumerate(matrix.candidates):
        # an event's offsets index the article text, so a headline (the title) is no event;
        # the article's text tells the same event with its date
        if not c.eligible or c.located_in != "text":
            continue
        base = published_date(matrix.articles[c.article].published)
        mentions = find_dates(c.text, base)
        if not mentions:
            continue
        # the first date of a sentence is the one its event happened on, as a rule
        first = mentions[0]
        same = [
            e
            for e in events
            if e.date == first.date and max(sim[r, k] for k in e.rows) >= merge_threshold
        ]
        if same:
            same[0].rows.append(r)
            same[0].score = max(same[0].score, float(score[r]))
            continue
        events.append(
            _Event(first.date, first.precision, first.expression, [r], set(), float(score[r]))
        )
    out: list[TimelineEvent] = []
    for e in events:
        best = max(e.rows, key=lambda k: float(score[k]))
        c = matrix.candidates[best]
        text = repair(c.text, c.assessment)
        cites: set[str] = set()
        for k in e.rows:
            other = matrix.candidates[k]
            ids, _ = cite(matrix, repair(other.text, other.assessment), params, own=other.article)
            cites.update(ids)
        ordered = tuple(a.id for a in matrix.articles if a.id in cites)
        support = len({matrix.groups[i] for i, a in enumerate(matrix.articles) if a.id in cites})
        out.append(
            TimelineEvent(
                date=e.date,
                precision=e.precision,
                text=text,
                cites=ordered,
                support=support,
                expression=e.expression,
                article_id=matrix.articles[c.article].id,
                start=c.start,
                end=c.end,
            )
        )
    weight = {id(ev): (ev.support, sc.score) for ev, sc in zip(out, events, strict=True)}
    kept = sorted(out, key=lambda ev: weight[id(ev)], reverse=True)[:max_events]
    return tuple(sorted(kept, key=lambda ev: (ev.date, -ev.support)))


def build_timeline(
    articles: Sequence[Article],
    params: BriefParams | None = None,
    max_events: int = 20,
    merge_threshold: float = 0.3,
) -> tuple[TimelineEvent, ...]:
    """Dated events of the story told by ``articles``, oldest first, each with citations.

    At most ``max_events`` are kept, the best corroborated and most salient first.
    """
    params = params or BriefParams()
    return timeline_from_matrix(build_matrix(articles, params), params, max_events, merge_threshold)
