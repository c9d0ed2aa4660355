"""Quantities and facts in a sentence, normalised so that outlets can be compared.

Every fact becomes an interval ``[lo, hi]`` in a unit: "17-year" is 16.5-17.5 years, "about
1,500" is 1,275-1,725, "more than 40" is 40-inf, "decades" is 20-100 years, "December 4-6"
is three days as ordinal day numbers.  Two values agree when their intervals overlap, so the
same value written another way ("seventeen years", "17 years") never counts as a conflict.

A fact carries a ``key`` when the text names what it measures ("17-year war" → the war's
duration, "Sen. Ted Cruz" → Cruz's role), and ``counted`` when it qualifies what a figure
counts ("12 Russian intelligence officers", "a 48-page indictment", one side of a vote
tally); facts with neither ("$5 million", "on Thursday") are compared only inside sentences
that say the same thing.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from presslens.model import calendar_date
from presslens.text.dates import MONTHS, WEEKDAYS, resolve
from presslens.text.sentences import dateline_end
from presslens.text.words import (
    FUNCTION_WORDS,
    NUMBER_SCALES,
    NUMBER_WORDS,
    SMALL_NUMBERS,
    light_stem,
)

_NUMWORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_WORDNUM = rf"(?:a\s+dozen|(?:{_NUMWORD})(?:[\s-]+(?:and[\s-]+)?(?:{_NUMWORD}))*)"
_DIGITNUM = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+(?:hundred|thousand|million|billion|trillion))?"
)
NUM = rf"(?:{_DIGITNUM}|{_WORDNUM})"
_HEDGE = (
    r"(?P<hedge>about|around|roughly|approximately|some|nearly|almost|more\s+than|over|"
    r"at\s+least|fewer\s+than|less\s+than|under|up\s+to|as\s+many\s+as|upwards\s+of)\s+"
)
_HEDGE_FACTORS: dict[str, tuple[float, float]] = {
    # Reporters round hedged figures; 15% either side keeps "about 1,500" with "1,523" and
    # still separates clearly different figures (set by hand on the seeds and BASIL DEV).
    "about": (0.85, 1.15), "around": (0.85, 1.15), "roughly": (0.85, 1.15),
    "approximately": (0.85, 1.15), "some": (0.85, 1.15), "nearly": (0.85, 1.0),
    "almost": (0.85, 1.0), "more than": (1.0, math.inf), "over": (1.0, math.inf),
    "at least": (1.0, math.inf), "upwards of": (1.0, math.inf), "fewer than": (0.0, 1.0),
    "less than": (0.0, 1.0), "under": (0.0, 1.0), "up to": (0.0, 1.0),
    "as many as": (0.0, 1.0),
}  # fmt: skip
# An unhedged figure may be rounded: it covers half a unit of its last non-zero digit, but
# never more than 5% of its value ("40" is 38-42, "1.5 million" 1.45-1.55 million).
_MAX_ROUNDING = 0.05

_DURATION_UNITS = {
    "minute": 1 / 525600, "hour": 1 / 8760, "day": 1 / 365, "week": 1 / 52, "month": 1 / 12,
    "year": 1.0, "decade": 10.0, "century": 100.0, "centurie": 100.0,
}  # fmt: skip
_UNIT = r"(?P<unit>minute|hour|day|week|month|year|decade|century|centurie)s?"
# Vague plural durations: "decades-old" means at least two decades.
_VAGUE_DURATION = {
    "decades": (20.0, 100.0), "years": (2.0, 30.0), "months": (2 / 12, 2.0),
    "weeks": (2 / 52, 0.5), "centuries": (200.0, 5000.0),
}  # fmt: skip
# Nouns that name the same long-running event; news uses them interchangeably.
_SAME_EVENT = {
    "war": "war", "conflict": "war", "militancy": "war", "insurgency": "war",
    "fighting": "war", "occupation": "war", "civil": "war",
}  # fmt: skip
# Things a story usually has one of, so that their durations can be compared across
# outlets on the noun alone; other nouns ("a two-year extension", "a 13-month extension")
# are compared only inside matching sentences (generic nouns gave false alarms on BASIL DEV).
# "investigation", "inquiry", "probe" ("a two-year FBI investigation", "two years of
# investigation"): on BASIL DEV they found 3 more changed figures and no report on an
# unchanged story; on ECB+ DEV no story gained a report.
_KEYED_HEADS = frozenset(
    [
        "war",
        "sentence",
        "prison",
        "ban",
        "moratorium",
        "ceasefire",
        "truce",
        "siege",
        "blockade",
        "presidency",
        "tenure",
        "reign",
        "rule",
        "career",
        "marriage",
        "term",
        "dispute",
        "feud",
        "standoff",
        "strike",
        "lockout",
        "drought",
        "investigation",
        "inquiry",
        "probe",
    ]
)
_PERSON_NOUNS = frozenset(
    [
        "man",
        "woman",
        "boy",
        "girl",
        "child",
        "son",
        "daughter",
        "mother",
        "father",
        "student",
        "suspect",
        "victim",
        "soldier",
        "officer",
        "teenager",
        "teen",
        "gunman",
        "driver",
        "resident",
        "worker",
        "mom",
        "dad",
        "wife",
        "husband",
        "baby",
    ]
)
_PREDICATES = {
    "killed": "killed", "dead": "killed", "died": "killed", "deaths": "killed",
    "death": "killed", "slain": "killed", "murdered": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured",
    "arrested": "arrested", "detained": "arrested", "charged": "charged",
    "missing": "missing", "evacuated": "evacuated", "displaced": "evacuated",
    "homeless": "evacuated", "striking": "striking", "strike": "striking",
    "strikers": "striking",
    "rescued": "rescued", "fired": "fired", "deported": "deported", "voted": "voted",
    "votes": "voted",
}  # fmt: skip
# Words after a number that make it something other than a count of things.
_COUNT_NOUN_BLOCK = frozenset(
    [
        "minutes",
        "hours",
        "days",
        "weeks",
        "months",
        "years",
        "decades",
        "centuries",
        "percent",
        "times",
        "dollars",
        "pounds",
        "euros",
        "cents",
        "am",
        "pm",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "the",
        "a",
        "an",
    ]
)

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
# Days either side of a relative date in weeks, months or years: half the unit.
_RELATIVE_SLACK = {"week": 3, "month": 15, "year": 183}

# Titles before a name; each maps to (canonical office, family).  Offices of one family
# exclude each other (a senator is not a governor) unless one names the other (military
# ranks); offices of two families given to one person also conflict: outlets name a general
# who became president by the office he holds, and past titles ("former", "then-") are not
# extracted.  On BASIL DEV the cross-family comparison added no report on unchanged stories.
# Positions a legislator also holds (leader, speaker) are left out.
_OFFICES: dict[str, tuple[str, str]] = {
    "president": ("president", "political"),
    "vice president": ("vice president", "political"),
    "prime minister": ("prime minister", "political"),
    "pm": ("prime minister", "political"),
    "senator": ("senator", "political"),
    "sen.": ("senator", "political"),
    "state senator": ("state senator", "political"),
    "representative": ("representative", "political"),
    "rep.": ("representative", "political"),
    "congressman": ("representative", "political"),
    "congresswoman": ("representative", "political"),
    "governor": ("governor", "political"),
    "gov.": ("governor", "political"),
    "lieutenant governor": ("lieutenant governor", "political"),
    "lt. gov.": ("lieutenant governor", "political"),
    "mayor": ("mayor", "political"),
    "secretary of state": ("secretary of state", "political"),
    "attorney general": ("attorney general", "political"),
    "foreign minister": ("foreign minister", "political"),
    "defense minister": ("defense minister", "political"),
    "defence minister": ("defense minister", "political"),
    "interior minister": ("interior minister", "political"),
    "finance minister": ("finance minister", "political"),
    "chancellor": ("chancellor", "political"),
    "ambassador": ("ambassador", "diplomatic"),
    "special envoy": ("special envoy", "diplomatic"),
    "general": ("general", "military"),
    "gen.": ("general", "military"),
    "lieutenant general": ("lieutenant general", "military"),
    "lt. gen.": ("lieutenant general", "military"),
    "major general": ("major general", "military"),
    "major-general": ("major general", "military"),
    "maj. gen.": ("major general", "military"),
    "brigadier general": ("brigadier general", "military"),
    "brig. gen.": ("brigadier general", "military"),
    "colonel": ("colonel", "military"),
    "col.": ("colonel", "military"),
    "lieutenant colonel": ("lieutenant colonel", "military"),
    "lt. col.": ("lieutenant colonel", "military"),
    "admiral": ("admiral", "military"),
    "adm.": ("admiral", "military"),
    "vice admiral": ("vice admiral", "military"),
    "rear admiral": ("rear admiral", "military"),
    "captain": ("captain", "military"),
    "capt.": ("captain", "military"),
    "sergeant": ("sergeant", "military"),
    "sgt.": ("sergeant", "military"),
}
# Words that change an office when prefixed ("vice president" is not "president").
_OFFICE_QUALIFIERS = frozenset({"vice", "lieutenant", "deputy", "assistant", "prime", "state"})


def _capitalised(title: str) -> str:
    if title == "pm":
        return "PM"
    return " ".join(
        w if w == "of" else "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
        for w in title.split()
    )


_TITLE = "|".join(
    r"\s+".join(re.escape(w).replace(r"\-", "[- ]") for w in _capitalised(t).split())
    for t in sorted(_OFFICES, key=len, reverse=True)
)
_NAME = r"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w’'-]+){0,2})"
# Capitalised words after a title that are not a person ("General Assembly", "General Motors").
_NOT_NAMES = frozenset(
    [
        "assembly",
        "motors",
        "electric",
        "staff",
        "counsel",
        "services",
        "office",
        "accounting",
        "hospital",
        "court",
        "election",
        "elections",
        "secretary",
        "house",
        "senate",
        "committee",
        "council",
        "department",
        "ministry",
    ]
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One quantity or fact in a sentence.

    ``start``/``end`` are offsets into the sentence; ``unit`` says which facts can be
    compared; ``key`` names the subject when the text does, else ``None``.  ``vague``
    marks values without a figure ("decades"), ``approximate`` those hedged or vague
    ("about 3,000"), ``yearless`` dates whose year was guessed from the article's date,
    ``relative_day`` days named by weekday ("on Thursday"), resolved to the latest such day.
    ``counted`` says what a figure counts when the text qualifies its noun or unit ("12
    Russian intelligence officers" → ``n:officer|intelligence russian``, "234 miles of steel
    wall" → ``m|of:wall``, "a 48-page indictment" → ``n:page|indictment``): figures of two
    outlets with the same ``counted`` are about one thing, however the sentences differ.
    """

    quantity: str
    value: str
    normalised: str
    lo: float
    hi: float
    unit: str
    key: str | None
    subject: str
    start: int
    end: int
    vague: bool = False
    yearless: bool = False
    approximate: bool = False
    relative_day: bool = False
    counted: str | None = None


def parse_number(text: str) -> float | None:
    """The value of a number written in digits ("1,500", "1.5 million") or words."""
    t = text.lower().replace(",", "").strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+(hundred|thousand|million|billion|trillion))?", t)
    if m:
        return float(m.group(1)) * (NUMBER_SCALES[m.group(2)] if m.group(2) else 1.0)
    if t == "a dozen":
        return 12.0
    total = 0.0
    current = 0.0
    seen = False
    for w in re.split(r"[\s-]+", t):
        if w == "and":
            continue
        if w in SMALL_NUMBERS:
            current += SMALL_NUMBERS[w]
        elif w == "hundred":
            current = (current or 1.0) * 100
        elif w in NUMBER_SCALES:
            total += (current or 1.0) * NUMBER_SCALES[w]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def _rounding(text: str, value: float) -> float:
    """Half a unit of the last non-zero digit written, capped at 5% of the value."""
    t = text.lower().replace(",", "")
    m = re.match(r"(\d+)(?:\.(\d+))?", t)
    scale = 1.0
    for name, s in NUMBER_SCALES.items():
        if name in t:
            scale = s
    if m is None:
        digits = str(int(value))
        place = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if value else 1.0
        scale = 1.0
    elif m.group(2):
        place = 10.0 ** -len(m.group(2))
    else:
        d = m.group(1)
        place = 10.0 ** (len(d) - len(d.rstrip("0"))) if d.strip("0") else 1.0
    return min(place * scale / 2, _MAX_ROUNDING * abs(value))


def _interval(num_text: str, value: float, hedge: str | None) -> tuple[float, float]:
    if hedge:
        lo_f, hi_f = _HEDGE_FACTORS[" ".join(hedge.lower().split())]
        return value * lo_f, value * hi_f
    r = _rounding(num_text, value)
    return value - r, value + r


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


def _words_after(text: str, pos: int, n: int) -> list[re.Match[str]]:
    return list(re.finditer(r"[A-Za-z][\w’'-]*", text[pos : pos + 80]))[:n]


# --- numbers: durations, ages, money, percentages, counts -------------------------------

_DURATION_RE = re.compile(
    rf"(?:\b{_HEDGE})?\b(?P<num>{NUM})[\s-]+{_UNIT}(?:[\s-]+(?P<ol>old|long))?\b"
    rf"|\b(?P<vague>decades|years|months|weeks|centuries)-(?P<vol>old|long)\b",
    re.IGNORECASE,
)
_OF_HEAD = re.compile(r"^\s+of\s+(?P<head>[a-z][\w’'-]*)")
_AGE_APPOSITION = re.compile(
    r"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}),\s+(?:aged\s+)?(?P<num>\d{1,3}),"
)
_LOWER_WORD_AFTER = re.compile(r"\s+[a-z]+\b")
_CAP_WORDS = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?"
# "Malia and Sasha Obama, aged 16 and 13 respectively": each age belongs to its own name.
_AGES_RESPECTIVELY = re.compile(
    rf"(?P<n1>{_CAP_WORDS})\s+and\s+(?P<n2>{_CAP_WORDS}),?\s+(?:aged|ages)\s+"
    r"(?P<a1>\d{1,3})\s+and\s+(?P<a2>\d{1,3}),?\s+respectively\b"
)
_CUR = r"(?:US\$|\$|£|€)"
_MONEY_RE = re.compile(
    rf"(?:\b{_HEDGE})?(?:(?P<cur>{_CUR})\s?(?P<num>{_DIGITNUM})"
    rf"|\b(?P<num2>{NUM})\s+(?P<cur2>dollars|pounds|euros)\b)",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(
    rf"(?:\b{_HEDGE})?\b(?P<num>{NUM})\s?(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)",
    re.IGNORECASE,
)
_COUNT_RE = re.compile(
    rf"(?:\b{_HEDGE})?\b(?P<num>{NUM})\s+(?P<w1>[a-z][\w’'-]*)(?:\s+(?P<w2>[a-z][\w’'-]*))?",
    re.IGNORECASE,
)
# Count nouns that are not plural in form.
_COUNT_NOUNS = frozenset(
    ["people", "police", "children", "men", "women", "personnel", "staff", "troops"]
)
# Nouns that count people in general; outlets swap them freely ("3,140 residents").
_PEOPLE = {w: "people" for w in ["persons", "residents", "civilians", "villagers", "inhabitants"]}
# Words between a number and the counted noun ("19 other states").
_COUNT_ADJECTIVES = frozenset(["other", "more", "additional", "new", "separate", "different"])


def _count_noun(w1: str, w2: str | None) -> str | None:
    """The counted noun of "12 people", "12 Afghan soldiers", or None."""

    def nounish(w: str) -> bool:
        lw = w.lower()
        if w[:1].isupper():
            # "33 Senate Democrats": capitalised group names count when plural.
            return lw.endswith("s") and not lw.endswith("ss") and len(lw) > 3
        return lw in _COUNT_NOUNS or lw.endswith("s") or lw in _PREDICATES

    second = w2 is not None and nounish(w2) and w2.lower() not in _COUNT_NOUN_BLOCK
    if w2 and second and (w1.lower() in _PREDICATES or w1.lower() in _COUNT_ADJECTIVES):
        return w2.lower()  # "2,400 striking dockers", "19 other states": the noun is second
    if w1.lower() in _COUNT_ADJECTIVES and w2:
        return w2.lower() if nounish(w2) and w2.lower() not in _COUNT_NOUN_BLOCK else None
    if w1.lower() in FUNCTION_WORDS or w1.lower() in _COUNT_NOUN_BLOCK:
        return None
    if not nounish(w1) and w1[:1].isupper() and w2 and w2[:1].isupper() and nounish(w2):
        return w2.lower()  # "27 Russian Officers" in a headline-cased phrase
    if nounish(w1):
        return w1.lower()
    if w2 and nounish(w2) and w2.lower() not in _COUNT_NOUN_BLOCK:
        return w2.lower()
    return w1.lower() if w1[:1].islower() and w2 is None else None


_CURRENCY = {"$": "USD", "us$": "USD", "dollars": "USD", "£": "GBP", "pounds": "GBP",
             "€": "EUR", "euros": "EUR"}  # fmt: skip


# "solvent for the next 75 years", "jailed for 10 years": the word before "for" says what
# lasts that long.
_FOR_BEFORE = re.compile(
    r"\b(?P<word>[a-z][\w’'-]*)\s+for\s+(?:(?:the|a|another)\s+)?(?:(?:next|past|last|first)\s+)?$"
)


def _durations(s: str, out: list[Fact], taken: list[tuple[int, int]]) -> None:
    for m in _DURATION_RE.finditer(s):
        if m.group("vague"):
            lo, hi = _VAGUE_DURATION[m.group("vague").lower()]
            unit_word, ol, vague = "year", m.group("vol").lower(), True
            norm = m.group("vague").lower()
        else:
            value = parse_number(m.group("num"))
            if value is None or s[m.end() :].lstrip().lower().startswith("ago"):
                continue
            unit_word = m.group("unit").lower()
            per_year = _DURATION_UNITS[unit_word]
            lo, hi = _interval(m.group("num"), value, m.group("hedge"))
            lo, hi = lo * per_year, hi * per_year
            ol = (m.group("ol") or "").lower()
            vague = False
            norm = f"{_fmt(value)} {unit_word.rstrip('e')}{'s' if value != 1 else ''}"
            if m.group("hedge"):
                norm = f"{' '.join(m.group('hedge').lower().split())} {norm}"
        hyphenated = "-" in m.group(0) or bool(ol)
        after = _words_after(s, m.end(), 3)
        key: str | None = None
        subject = ""
        quantity = "duration"
        if hyphenated and after:
            first = after[0].group()
            if ol == "old" and first[:1].isupper() and unit_word == "year":
                quantity, subject = "age", first
                key = f"age:{light_stem(first)}"
            else:
                head = next((w.group() for w in after if w.group().lower() in _SAME_EVENT), None)
                if head is None:
                    head = next(
                        (w.group() for w in after if w.group()[:1].islower()
                         and w.group().lower() not in FUNCTION_WORDS), None,
                    )  # fmt: skip
                if head:
                    h = head.lower()
                    if ol == "old" and h in _PERSON_NOUNS and unit_word == "year":
                        quantity = "age"
                    subject = h
                    cls = _SAME_EVENT.get(h, light_stem(h))
                    if quantity == "age" or cls in _KEYED_HEADS:
                        key = f"{quantity}:{cls}"
        elif not hyphenated:
            of = _OF_HEAD.match(s[m.end() :])
            head = of.group("head").lower() if of else ""
            cls = _SAME_EVENT.get(head, light_stem(head))
            if head in _SAME_EVENT or cls in _KEYED_HEADS:
                subject = head
                key = f"duration:{cls}"
        if key is None and not hyphenated:
            state = _FOR_BEFORE.search(s, max(0, m.start() - 40), m.start())
            if state and state.group("word").lower() not in FUNCTION_WORDS:
                subject = state.group("word").lower()
                key = f"duration:for:{light_stem(subject)}"
        if quantity == "age":
            norm = f"{_fmt(lo + (hi - lo) / 2)} years old" if not vague else norm
        approx = vague or bool(m.groupdict().get("hedge"))
        out.append(Fact(quantity, m.group(0), norm, lo, hi, "year", key, subject,
                        m.start(), m.end(), vague, approximate=approx))  # fmt: skip
        taken.append((m.start(), m.end()))
    for m in _AGE_APPOSITION.finditer(s):
        age = float(m.group("num"))
        # Whatever its size, a number set off after a name is the age given ("Weiner, 145,"
        # is a misprint for another outlet's "Weiner, 46," and worth showing).
        if age <= 0:
            continue
        name = m.group("name")
        last = name.split()[-1]
        if last.lower() in FUNCTION_WORDS or last.lower() in MONTHS:
            continue
        if len(name.split()) < 2 and not _LOWER_WORD_AFTER.match(s, m.end()):
            continue  # a lone capitalised word is a name only before a verb ("Weiner, 46, is")
        start = m.start("num")
        out.append(Fact("age", m.group("num"), f"{int(age)} years old", age, age, "year",
                        f"age:{light_stem(last)}", name, start, m.end("num")))  # fmt: skip
        taken.append((start, m.end("num")))
    for m in _AGES_RESPECTIVELY.finditer(s):
        one, two = m.group("n1").split(), m.group("n2").split()
        # "Malia and Sasha Obama" share the family name: each is known by the first name,
        # as other outlets write "Malia, 16," (so too "Ann Smith and Bob Smith").
        by_first = len(one) < len(two) or one[-1] == two[-1]
        for words, group in ((one, "a1"), (two, "a2")):
            if _overlaps(m.start(group), m.end(group), taken):
                continue
            age = float(m.group(group))
            known_as = words[0] if by_first else words[-1]
            out.append(Fact("age", m.group(group), f"{int(age)} years old", age, age, "year",
                            f"age:{light_stem(known_as)}", " ".join(words), m.start(group),
                            m.end(group)))  # fmt: skip
            taken.append((m.start(group), m.end(group)))


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


def _money(s: str, out: list[Fact], taken: list[tuple[int, int]]) -> None:
    for m in _MONEY_RE.finditer(s):
        num = m.group("num") or m.group("num2")
        cur = _CURRENCY[(m.group("cur") or m.group("cur2")).lower()]
        value = parse_number(num)
        if value is None or _overlaps(m.start(), m.end(), taken):
            continue
        lo, hi = _interval(num, value, m.group("hedge"))
        out.append(Fact("money", m.group(0), f"{cur} {_fmt(value)}", lo, hi, cur, None, "",
                        m.start(), m.end(), approximate=bool(m.group("hedge"))))  # fmt: skip
        taken.append((m.start(), m.end()))


# A share's holder is the last name in its clause; these marks end a clause (quotation marks
# do not: 'Romney's remark about the "47 percent"').
_CLAUSE_END = re.compile(r"[,;:()\[\]—–]|\s-\s")
_HOLDER = re.compile(r"\b[A-Z][a-z]*[A-Z]?[a-z]{2,}\b")
# "Huckabee (14 percent)": a share in brackets belongs to the name just before them.
_BRACKETED_AFTER = re.compile(r"\b([A-Z][a-z]*[A-Z]?[a-z]{2,})\s*\(\s*$")


# "among Tea Party supporters": the share is of a subgroup, not of everyone asked.
_AMONG = re.compile(r"\bamong\s+(?P<group>(?:[\w’'-]+\s+){0,3}?[\w’'-]+?)(?=\s*[,;:(.)]|$)")


def _share_holder(s: str, start: int) -> str:
    """The name a percentage belongs to ("Romney leads the pack at 21 percent", "Huckabee
    (14 percent)") with the subgroup it is of ("Romney among Tea Party supporters"), or ""
    when its clause names nobody."""
    name = _holder_name(s, start)
    among = list(_AMONG.finditer(s, 0, start))
    if name and among:
        return f"{name} among {among[-1].group('group')}"
    return name


# What marks a capitalised word as a person's name: a first name or a title before it, or
# a possessive after it ("Mitt Romney", "Mr. Romney", "McCarthy's").  "The Kathimerini
# newspaper gave a 4.5 percent margin" names a paper, not whose share it is.
_FIRST_OR_TITLE_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Adm|Maj|Prof)\.|"
    r"\b(?P<first>[A-Z][a-z]+)|\b[A-Z]\.)\s+$"
)
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")


def _holder_name(s: str, start: int) -> str:
    bracketed = _BRACKETED_AFTER.search(s, max(0, start - 30), start)
    if bracketed:
        return bracketed.group(1)
    before = s[:start]
    ends = list(_CLAUSE_END.finditer(before))
    clause_start = ends[-1].end() if ends else dateline_end(s)
    for m in reversed(list(_HOLDER.finditer(before, clause_start))):
        word = m.group().lower()
        if word in FUNCTION_WORDS or word in MONTHS or word in WEEKDAYS:
            continue
        title = _FIRST_OR_TITLE_BEFORE.search(before, max(0, m.start() - 20), m.start())
        first = title.group("first") if title else None
        person = title is not None and (first is None or first.lower() not in FUNCTION_WORDS)
        if person or _POSSESSIVE_AFTER.match(before, m.end()):
            return m.group()
    return ""


def _percents(s: str, out: list[Fact], taken: list[tuple[int, int]]) -> None:
    for m in _PERCENT_RE.finditer(s):
        value = parse_number(m.group("num"))
        if value is None or _overlaps(m.start(), m.end(), taken):
            continue
        points = "point" in m.group(0).lower()
        lo, hi = _interval(m.group("num"), value, m.group("hedge"))
        unit = "points" if points else "%"
        out.append(Fact("percent", m.group(0), f"{_fmt(value)}{'' if points else '%'}"
                        f"{' points' if points else ''}", lo, hi, unit, None,
                        _share_holder(s, m.start()), m.start(), m.end(),
                        approximate=bool(m.group("hedge"))))  # fmt: skip
        taken.append((m.start(), m.end()))


# Words after a people count that say they left their homes ("forced 3,140 residents from
# their homes"): the same figure other outlets give as evacuated.
_FROM_HOMES = re.compile(r"^\s+from\s+(?:their|his|her)\s+homes?\b", re.IGNORECASE)


def _count_subject(s: str, noun: str, start: int, end: int) -> tuple[str, str | None, str | None]:
    """(counted noun, predicate, key) of a count: what was counted and what happened to it."""
    if noun in _PREDICATES:
        pred: str | None = _PREDICATES[noun]
        noun = "people"  # "12 dead", "40 wounded"
    else:
        tail = [w.group().lower() for w in _words_after(s, end, 5)]
        before = re.findall(r"[A-Za-z]+", s[max(0, start - 30) : start])
        inside = re.findall(r"[A-Za-z]+", s[start:end])
        near = [noun, *tail, *(w.lower() for w in [*before[-3:], *inside])]
        pred = next((_PREDICATES[w] for w in near if w in _PREDICATES), None)
        noun = _PEOPLE.get(noun, noun)
        if pred is None and noun == "people" and _FROM_HOMES.match(s[end:]):
            pred = "evacuated"
    key = f"count:{pred}:{light_stem(noun)}" if pred else None
    return noun, pred, key


# "Thousands of dockers": a count without a figure, from twice to twenty times the unit
# (below that a writer would say "a few thousand"; above it "tens of thousands").
_VAGUE_COUNT_RE = re.compile(
    r"\b(?P<scale>(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores|hundreds|"
    r"thousands|millions)\s+of\s+(?P<w1>[a-z][\w’'-]*)(?:\s+(?P<w2>[a-z][\w’'-]*))?",
    re.IGNORECASE,
)
_VAGUE_SCALE = {"dozens": 12.0, "scores": 20.0, "hundreds": 100.0, "thousands": 1e3,
                "millions": 1e6}  # fmt: skip


def _vague_counts(s: str, out: list[Fact], taken: list[tuple[int, int]]) -> None:
    for m in _VAGUE_COUNT_RE.finditer(s):
        noun = _count_noun(m.group("w1"), m.group("w2"))
        if noun is None or _overlaps(m.start(), m.end(), taken):
            continue
        words_ = m.group("scale").lower().split()
        unit = _VAGUE_SCALE[words_[-1]] * (10.0 if words_[0] == "tens" else 1.0)
        unit *= 100.0 if words_[0] == "hundreds" and len(words_) > 1 else 1.0
        end = m.end("w1") if noun == m.group("w1").lower() else m.end()
        noun, pred, key = _count_subject(s, noun, m.start(), end)
        subject = f"{noun} {pred}" if pred and pred != noun else noun
        out.append(Fact("count", s[m.start() : end], f"{' '.join(words_)} of {noun}",
                        2 * unit, 20 * unit, f"n:{light_stem(noun)}", key, subject, m.start(), end,
                        vague=True, approximate=True))  # fmt: skip
        taken.append((m.start(), end))


_LENGTH_UNITS = {
    "millimetre": 0.001, "millimeter": 0.001, "mm": 0.001, "centimetre": 0.01,
    "centimeter": 0.01, "cm": 0.01, "metre": 1.0, "meter": 1.0, "kilometre": 1000.0,
    "kilometer": 1000.0, "km": 1000.0, "foot": 0.3048, "feet": 0.3048, "ft": 0.3048,
    "inch": 0.0254, "inche": 0.0254, "yard": 0.9144, "mile": 1609.344,
}  # fmt: skip
# A bare "m" is left out: in news it is as often "million" ("£5m") as metres.
_LENGTH_RE = re.compile(
    rf"(?:\b{_HEDGE})?\b(?P<num>{NUM})[\s-]?(?P<unit>(?:milli|centi|kilo)?met(?:re|er)s?|"
    r"mm|cm|km|feet|foot|ft|inch(?:es)?|yards?|miles?)\b",
    re.IGNORECASE,
)


def _lengths(s: str, out: list[Fact], taken: list[tuple[int, int]]) -> None:
    for m in _LENGTH_RE.finditer(s):
        value = parse_number(m.group("num"))
        if value is None or _overlaps(m.start(), m.end(), taken):
            continue
        word = m.group("unit").lower()
        word = word[:-1] if word.endswith("s") and word not in ("ms",) else word
        factor = _LENGTH_UNITS.get(word, _LENGTH_UNITS.get(word.rstrip("s"), 1.0))
        lo, hi = _interval(m.group("num"), value, m.group("hedge"))
        norm = f"{_fmt(value * factor)} m"
        if m.group("hedge"):
            norm = f"{' '.join(m.group('hedge').lower().split())} {norm}"
        out.append(Fact("length", m.group(0), norm, lo * factor, hi * factor, "m", None, "",
                        m.start(), m.end(), approximate=bool(m.group("hedge")),
                        counted=_counted("m", [], s[m.end() :])))  # fmt: skip
        taken.append((m.start(), m.end()))


# Words a counted noun may stand behind ("27 Russian intelligence officers", "seven U.S.
# Capitol Police officers"); beyond this the figure is taken to count nothing named.
_MAX_MODIFIERS = 4


def _distant_noun(s: str, pos: int) -> tuple[str | None, int]:
    """The plural noun after a few modifiers, and where it ends; or (None, pos)."""
    for w in list(re.finditer(r"[A-Za-z][\w’'.-]*", s[pos : pos + 80]))[: _MAX_MODIFIERS + 1]:
        lw = w.group().lower().rstrip(".")
        if lw in _COUNT_ADJECTIVES:
            continue
        if lw in FUNCTION_WORDS or lw in _COUNT_NOUN_BLOCK or s[pos + w.start() - 1] in ",;:(":
            break
        if w.group()[:1].islower() and (
            lw in _COUNT_NOUNS or (lw.endswith("s") and not lw.endswith("ss") and len(lw) > 3)
        ):
            return lw, pos + w.start() + len(w.group().rstrip("."))  # not the full stop
    return None, pos


# Words before a counted noun that say how many, not what ("11 million", "19 other").
_NOT_MODIFIERS = frozenset([*NUMBER_WORDS, *_COUNT_ADJECTIVES])
_OF_PHRASE = re.compile(
    r"\s+of\s+(?:(?:the|its|their|his|her)\s+)?(?P<words>[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*)?)"
)


def _of_head(after: str) -> str | None:
    """The noun of an "of" phrase just after a counted noun ("miles of border wall" → wall),
    or None; a verb ends the phrase ("pages of e-mails showed ...")."""
    m = _OF_PHRASE.match(after)
    if m is None:
        return None
    words: list[str] = []
    for w in m.group("words").split():
        lw = w.lower()
        if lw in FUNCTION_WORDS or lw.endswith("ed"):
            break
        words.append(lw)
    return light_stem(words[-1].replace("-", "")) if words else None


def _counted(unit: str, modifiers: list[str], after: str) -> str | None:
    """``unit`` qualified by the words before its noun and the noun of an "of" phrase after
    it, or None when nothing qualifies it ("23 states": many things come in states)."""
    mods = {
        light_stem(w.lower().replace("-", ""))
        for w in modifiers
        if w.lower() not in FUNCTION_WORDS and w.lower() not in _NOT_MODIFIERS and w[:1].isalpha()
    }
    of = _of_head(after)
    if of:
        mods.add(f"of:{of}")
    return f"{unit}|{' '.join(sorted(mods))}" if mods else None


# "a 48-page indictment", "a five-member panel": a figure joined to its unit, before the noun
# the whole describes.  Durations and lengths ("17-year war", "10-mile") are read before.
_COMPOUND_RE = re.compile(
    rf"\b(?P<num>{NUM})-(?P<unit>[a-z]+)\s+(?P<head>[a-z][\w’'-]*)", re.IGNORECASE
)


def _compound_counts(s: str, out: list[Fact], taken: list[tuple[int, int]]) -> None:
    for m in _COMPOUND_RE.finditer(s):
        unit, head = m.group("unit").lower(), m.group("head").lower()
        if _overlaps(m.start(), m.end("unit"), taken) or unit in FUNCTION_WORDS or unit == "plus":
            continue
        if head in FUNCTION_WORDS:
            continue
        value = parse_number(m.group("num"))
        if value is None or m.group("num").lower() in NUMBER_SCALES:
            continue  # "a million-member union" gives a size, not a figure
        lo, hi = _interval(m.group("num"), value, None)
        stem = light_stem(unit)
        out.append(Fact("count", m.group(0), f"{_fmt(value)} {unit}", lo, hi, f"n:{stem}", None,
                        f"{unit} {head}", m.start(), m.end(),
                        counted=f"n:{stem}|{light_stem(head)}"))  # fmt: skip
        taken.append((m.start(), m.end()))


def _counts(s: str, out: list[Fact], taken: list[tuple[int, int]]) -> None:
    _compound_counts(s, out, taken)
    for m in _COUNT_RE.finditer(s):
        num = m.group("num")
        if _overlaps(m.start("num"), m.end("num"), taken):
            continue
        if m.group("w1").lower() in NUMBER_SCALES:
            continue  # "... to 1.6 million." names no noun: "million" is the figure's scale
        noun = _count_noun(m.group("w1"), m.group("w2"))
        end = m.end("w1") if noun == m.group("w1").lower() else m.end()
        if noun is None:
            noun, end = _distant_noun(s, m.end("num"))
        if noun is None:
            continue
        value = parse_number(num)
        if value is None or (num.isdigit() and 1900 <= value <= 2100 and len(num) == 4):
            continue
        if value == 1 and num.lower() == "one":
            continue  # "one of the", "one person": too often not a count
        noun, pred, key = _count_subject(s, noun, m.start(), end)
        lo, hi = _interval(num, value, m.group("hedge"))
        norm = f"{_fmt(value)} {noun}"
        if m.group("hedge"):
            norm = f"{' '.join(m.group('hedge').lower().split())} {norm}"
        subject = f"{noun} {pred}" if pred and pred != noun else noun
        unit = f"n:{light_stem(noun)}"
        modifiers = re.findall(r"[A-Za-z][\w’'.-]*", s[m.end("num") : end])[:-1]
        counted = _counted(unit, modifiers, s[end:])
        out.append(Fact("count", s[m.start() : end], norm, lo, hi, unit, key, subject, m.start(),
                        end, approximate=bool(m.group("hedge")), counted=counted))  # fmt: skip
        taken.append((m.start(), end))


# --- tallies ----------------------------------------------------------------------------

# "won by a 134-to-63 vote", "by a vote of 134 to 63", "Ms. Pelosi won, 134 to 63", "a 5-4
# decision": two figures of one vote.  A word of voting or winning must stand within the
# reach (characters) before or just after, and no counted noun after ("25 to 30 people
# voted" is a range).  The reach was set by hand; 20 and 80 give the same figures on the BASIL
# DEV benches (bench/figures.py, bench/compare.py) and the same stories with a report on ECB+.
_TALLY_RE = re.compile(
    r"(?<![\w.,$£€-])(?P<a>\d{1,4})(?:-to-|\s+to\s+|\s*[-–]\s*)(?P<b>\d{1,4})(?![\w%]|[.,]\d)"
)
_TALLY_WORDS = re.compile(
    r"\b(?:vot(?:e|es|ed|ing)|won|wins?|defeat(?:ed|s)?|beat|passed|approved|rejected|"
    r"confirmed|margin|tally|decision|rul(?:ed|ing)|ballots?|majority|split)\b",
    re.IGNORECASE,
)
_TALLY_REACH = 40
_WORD_AFTER = re.compile(r"\s+([A-Za-z][\w’'-]*)")


def _tallies(s: str, out: list[Fact], taken: list[tuple[int, int]]) -> None:
    """Each side of a vote tally as a fact of its own, known by the tally's other side.

    Two outlets' tallies are one vote when one side agrees ("134-to-63" / "134 to 196"):
    the side written second is keyed by the first and the other way round, so a changed
    side meets its counterpart and two different votes of a story ("230-190", "52-48")
    never meet.
    """
    for m in _TALLY_RE.finditer(s):
        near = s[max(0, m.start() - _TALLY_REACH) : m.end() + 20]
        if not _TALLY_WORDS.search(near):
            continue
        after = _WORD_AFTER.match(s, m.end())
        word = after.group(1) if after else ""
        if word and word.lower() not in FUNCTION_WORDS and not _TALLY_WORDS.fullmatch(word):
            continue  # "25 to 30 people voted": a range of a count
        a, b = int(m.group("a")), int(m.group("b"))
        norm = f"{a}-{b}"
        for side, (mine, other) in (("a", (a, b)), ("b", (b, a))):
            order = "first" if side == "a" else "second"
            out.append(Fact("tally", m.group(0), norm, float(mine), float(mine), f"tally:{order}",
                            None, "vote", m.start(side), m.end(side),
                            counted=f"tally:{order}|{other}"))  # fmt: skip
        taken.append((m.start(), m.end()))


# --- dates ------------------------------------------------------------------------------

_MDY_RE = re.compile(
    rf"\b{_MONTH}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and|through)\s*"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
)
_DMY_RE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
)
_MY_RE = re.compile(
    rf"\b(?:in|since|by|until|from|during|last|this|of|early|late|mid-)\s+{_MONTH}"
    rf"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b(?!\s+\d)"
)
_YEAR_RE = re.compile(
    r"\b(?:in|since|by|until|from|during|of)\s+(?P<year>(?:19|20)\d\d)\b(?![%\d])"
)
_WEEKDAY_RE = re.compile(
    r"\b(?:on\s+|last\s+|this\s+|next\s+|early\s+|late\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!s)"
)
_DIGIT = re.compile(r"\d")
_RELATIVE_RE = re.compile(
    rf"\b(?:(?P<num>{NUM}|a|an)\s+(?P<unit>day|week|month|year)s?\s+ago|yesterday|"
    r"last\s+(?:week|month|year))\b",
    re.IGNORECASE,
)


def _day(expression: str, base: date) -> date | None:
    found = resolve(expression, base)
    return None if found is None else found[0]


def _day_fact(value: str, start: int, end: int, lo: date, hi: date) -> Fact:
    norm = lo.isoformat() if lo == hi else f"{lo.isoformat()}/{hi.isoformat()}"
    return Fact("date", value, norm, float(lo.toordinal()), float(hi.toordinal()), "day",
                None, "", start, end)  # fmt: skip


def _guess_year(month: int, published: date | None) -> int | None:
    """The year of a month named without one: the latest not after the article's date."""
    if published is None:
        return None
    return published.year if month <= published.month + 1 else published.year - 1


def _dates(s: str, published: date | None, out: list[Fact], taken: list[tuple[int, int]]) -> None:
    def add(f: Fact) -> None:
        if not _overlaps(f.start, f.end, taken):
            out.append(f)
            taken.append((f.start, f.end))

    # days and years are written with digits; most sentences have none
    with_digits = (_MDY_RE, _DMY_RE) if _DIGIT.search(s) else ()
    for rx in with_digits:
        for m in rx.finditer(s):
            month = MONTHS[m.group("month").lower().rstrip(".")]
            year = int(m.group("year")) if m.group("year") else _guess_year(month, published)
            d1 = int(m.group("d1"))
            d2 = int(m.group("d2")) if "d2" in m.groupdict() and m.group("d2") else d1
            if year is None:
                # Without a year, compare month and day within a fixed leap year.
                a, b = calendar_date(2000, month, d1), calendar_date(2000, month, d2)
                if a and b and a <= b:
                    f = _day_fact(m.group(0), m.start(), m.end(), a, b)
                    add(Fact("date", f.value, f.normalised[5:].replace("/2000-", "/"), f.lo,
                             f.hi, "monthday", None, "", f.start, f.end))  # fmt: skip
                continue
            a, b = calendar_date(year, month, d1), calendar_date(year, month, d2)
            if a and b and a <= b:
                f = _day_fact(m.group(0), m.start(), m.end(), a, b)
                add(dataclasses.replace(f, yearless=not m.group("year")))
    for m in _MY_RE.finditer(s):
        month = MONTHS[m.group("month").lower().rstrip(".")]
        year = int(m.group("year")) if m.group("year") else _guess_year(month, published)
        if year is None:
            continue
        last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        f = _day_fact(m.group(0), m.start("month"), m.end(), date(year, month, 1), last)
        add(Fact("date", f.value, f"{year}-{month:02d}", f.lo, f.hi, "day", None, "",
                 f.start, f.end, yearless=not m.group("year")))  # fmt: skip
    for m in _YEAR_RE.finditer(s) if with_digits else ():
        y = int(m.group("year"))
        # A year alone is compared with other years alone: set against a day ("in 2014" and
        # "on Friday") it is nearly always about another event (false alarms on BASIL DEV).
        add(Fact("date", m.group("year"), str(y), float(date(y, 1, 1).toordinal()),
                 float(date(y, 12, 31).toordinal()), "calendar-year", None, "",
                 m.start("year"), m.end("year")))  # fmt: skip
    for m in _WEEKDAY_RE.finditer(s):
        wd = WEEKDAYS.index(m.group("wd").lower())
        prefix = m.group(0)[: m.start("wd") - m.start()].strip().lower()
        if published is None:
            add(Fact("date", m.group(0), m.group("wd"), float(wd), float(wd), "weekday", None,
                     "", m.start("wd"), m.end()))  # fmt: skip
            continue
        if prefix == "next":
            continue
        # News uses a bare weekday for the latest such day up to the article's own date ("last
        # Friday" in a Friday paper: a week back); counted here, as dateparser counts it too
        back = (published.weekday() - wd) % 7
        if prefix == "last" and back == 0:
            back = 7
        day = published - timedelta(days=back)
        add(dataclasses.replace(_day_fact(m.group(0), m.start("wd"), m.end(), day, day),
                                relative_day=True))  # fmt: skip
    if published is not None:
        for m in _RELATIVE_RE.finditer(s):
            d = _day(m.group(0).lower(), published)
            if d is None:
                continue
            # "last week" or "three months ago" names a stretch, not a day: half the unit
            # either side (a week back from one outlet's date and from the next day's must
            # still agree).
            unit = (m.group("unit") or m.group(0).split()[-1]).lower()
            slack = timedelta(days=_RELATIVE_SLACK.get(unit, 0))
            f = _day_fact(m.group(0), m.start(), m.end(), d - slack, d + slack)
            shown = {"month": d.isoformat()[:7], "year": d.isoformat()[:4]}
            add(dataclasses.replace(f, normalised=shown.get(unit, d.isoformat())))


# --- roles ------------------------------------------------------------------------------

_ROLE_RE = re.compile(rf"(?<![\w.])(?P<title>{_TITLE})\s+{_NAME}")


def _roles(s: str, out: list[Fact]) -> None:
    for m in _ROLE_RE.finditer(s):
        title = m.group("title")
        name = re.sub(r"['’]s$", "", m.group("name"))
        parts = name.split()
        if not all(p[:1].isupper() for p in parts):
            continue
        if parts[0].lower() in _NOT_NAMES or parts[0].lower().rstrip(".") in _OFFICES:
            continue
        before = s[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"(former|ex-|then-|late|acting)\s*$", before):
            continue
        office, family = _OFFICES[
            " ".join(title.lower().replace("major general", "major-general").split())
        ]
        last = parts[-1]
        out.append(Fact("role", f"{title} {name}", office, 0.0, 0.0, f"role:{family}",
                        f"role:{last.lower()}", name, m.start(), m.end()))  # fmt: skip


def roles_compatible(a: str, b: str, family: str) -> bool:
    """Whether two offices can describe the same person at the same time."""
    if a == b:
        return True
    short, long_ = sorted((a.split(), b.split()), key=len)
    n = len(short)
    contained = any(long_[i : i + n] == short for i in range(len(long_) - n + 1))
    if not contained:
        return False
    if family == "role:military":
        return True  # "Gen." is the usual short form of every general's rank
    extra = set(long_) - set(short)
    return not extra & _OFFICE_QUALIFIERS


# --- entry points -----------------------------------------------------------------------

_EXTRACTORS: tuple[Callable[[str, list[Fact], list[tuple[int, int]]], None], ...] = (
    _tallies,
    _durations,
    _money,
    _percents,
    _lengths,
)


# Where a figure can start: a digit or a number word at a word's start (every pattern of
# the numeric extractors starts its number so); and what a vague duration needs.
_NUMBERISH = re.compile(rf"\d|\b(?:{_NUMWORD})", re.IGNORECASE)
_VAGUE_DURATION_HINT = re.compile(r"s-(?:old|long)", re.IGNORECASE)


def extract_facts(sentence: str, published: date | None = None) -> list[Fact]:
    """Every quantity, date and title-before-name in ``sentence``, normalised.

    Relative dates ("on Thursday", "three months ago") are resolved against ``published``
    and left out (weekdays kept by name) when it is unknown.
    """
    out: list[Fact] = []
    taken: list[tuple[int, int]] = []
    # most sentences hold no figure: the extractors that need a number (all but the vague
    # durations, which need "-old"/"-long") are skipped there, with the same facts
    numeric = _NUMBERISH.search(sentence) is not None
    if numeric:
        for fn in _EXTRACTORS:
            fn(sentence, out, taken)
    elif _VAGUE_DURATION_HINT.search(sentence):
        _durations(sentence, out, taken)
    _dates(sentence, published, out, taken)
    _vague_counts(sentence, out, taken)
    if numeric:
        _counts(sentence, out, taken)
    _roles(sentence, out)
    # "MARROWBY, Calder Vale, March 14 (Meridian) - ": the day of filing, not of an event
    body = dateline_end(sentence)
    out = [f for f in out if f.start >= body]
    ranged = [_ranged(sentence, f) for f in out]
    # a figure inside another's range ("$3" of "$3 to $5 million") is that range's end
    kept = [
        f
        for f in ranged
        if not any(g is not f and g.start <= f.start and f.end <= g.end for g in ranged)
    ]
    return [_per_period(sentence, f) for f in kept]


# "between 25 and 30 million crowns", "25 to 30 million", "from 500,000 to 1.6 million": the
# figure is the upper end of a range whose lower end stands just before it.
_RANGE_BEFORE = re.compile(
    rf"(?:\bbetween\s+{_CUR}?(?P<a>{_DIGITNUM})\s+and|\bfrom\s+{_CUR}?(?P<b>{_DIGITNUM})\s+to"
    rf"|(?<![\w.,$£€]){_CUR}?(?P<c>{_DIGITNUM})\s*(?:to|-|–))\s*$",
    re.IGNORECASE,
)


def _ranged(sentence: str, f: Fact) -> Fact:
    """``f`` widened to the whole range when it is the upper end of one."""
    if f.quantity not in {"money", "count"} or f.approximate or not math.isfinite(f.hi):
        return f
    m = _RANGE_BEFORE.search(sentence, max(0, f.start - 40), f.start)
    if m is None:
        return f
    low_text = m.group("a") or m.group("b") or m.group("c")
    low = parse_number(low_text)
    if low is None:
        return f
    value = (f.lo + f.hi) / 2
    scale = next((v for k, v in NUMBER_SCALES.items() if k in f.value.lower()), 1.0)
    if (
        scale > 1.0
        and not any(k in low_text.lower() for k in NUMBER_SCALES)
        and low * scale <= value
    ):
        low *= scale  # "25 and 30 million": the scale word of the upper end serves both
    if not 0 <= low < value:
        return f
    head, _, rest = f.normalised.partition(" ")
    if f.quantity == "money":
        normalised = f"{head} {_fmt(low)}-{rest}"
    else:
        normalised = f"{_fmt(low)}-{f.normalised}"
    return dataclasses.replace(
        f, value=sentence[m.start() : f.end], normalised=normalised, lo=low, start=m.start()
    )


# "4 million crowns a day", "£2bn a year", "each week of the stoppage cost ... 30 million":
# a rate is another quantity than a total, and a daily rate another than a weekly one.
_RATE_AFTER = re.compile(
    r"[\s,]*(?:(?:a|an|per|each|every)\s+(?P<unit>day|week|month|year)\b(?![-’'])"
    r"(?!\s+(?:ago|earlier|later|before|after|off|old|long|or)\b)"
    r"|(?P<adverb>daily|weekly|monthly|yearly|annually)\b)",
    re.IGNORECASE,
)
_RATE_BEFORE = re.compile(r"\b(?:each|every|per)\s+(?P<unit>day|week|month|year)\b", re.IGNORECASE)
_ADVERB_PERIOD = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year",
                  "annually": "year"}  # fmt: skip
# How far before a figure "each week ... cost" still sets its period (characters, same clause).
_RATE_REACH = 60


def _per_period(sentence: str, f: Fact) -> Fact:
    """``f`` as a rate ("n:crown/day") when the sentence gives it per day, week, month or year."""
    if f.quantity not in {"money", "count"}:
        return f
    m = _RATE_AFTER.match(sentence, f.end)
    period = None
    if m:
        period = m.group("unit") or _ADVERB_PERIOD[m.group("adverb").lower()]
    else:
        before = sentence[max(0, f.start - _RATE_REACH) : f.start]
        clause = re.split(r"[;:.!?]", before)[-1]
        found = list(_RATE_BEFORE.finditer(clause))
        if found:
            period = found[-1].group("unit")
    if period is None:
        return f
    period = period.lower()
    return dataclasses.replace(
        f,
        unit=f"{f.unit}/{period}",
        key=None if f.key is None else f"{f.key}/{period}",
        counted=None if f.counted is None else f"{f.counted}/{period}",
        normalised=f"{f.normalised} a {period}",
    )


# "More than 40" names a figure not far above 40: a writer rounds down to the nearest round
# figure, so a figure over twice the bound is another report, not the same one hedged.  Set
# by hand (the seeds and BASIL DEV: "more than $20,000" against "$10,000", "just over
# $200,000" against "$400,000"), not swept.
_OPEN_BOUND = 2.0


def _upper(f: Fact) -> float:
    if math.isinf(f.hi) and f.approximate and not f.vague and f.lo > 0:
        return f.lo * _OPEN_BOUND
    return f.hi


def compatible(a: Fact, b: Fact) -> bool:
    """Whether two facts of the same unit can both be true (their values overlap)."""
    if a.quantity == "role":
        return a.unit == b.unit and roles_compatible(a.normalised, b.normalised, a.unit)
    if a.unit == "day" and (a.relative_day or b.relative_day) and a.lo == a.hi and b.lo == b.hi:
        # "On Thursday" is resolved to the latest Thursday, but news also uses it for the
        # next one: the same weekday within a week either way is the same day.
        same_weekday = (
            date.fromordinal(int(a.lo)).weekday() == date.fromordinal(int(b.lo)).weekday()
        )
        return same_weekday and abs(a.lo - b.lo) <= 7
    if a.unit == "day" and (a.yearless or b.yearless):
        # The year of "March 2" is a guess; compare month and day only.
        return _month_days_overlap(a, b)
    # A tiny slack absorbs float error from unit conversion (months to years).
    eps = 1e-9 * max(1.0, *(abs(x) for x in (a.lo, a.hi, b.lo, b.hi) if math.isfinite(x)))
    return a.lo <= _upper(b) + eps and b.lo <= _upper(a) + eps


def _month_days_overlap(a: Fact, b: Fact) -> bool:
    def md(x: float) -> tuple[int, int]:
        d = date.fromordinal(int(x))
        return d.month, d.day

    if a.hi - a.lo > 300 or b.hi - b.lo > 300:
        return True  # a whole year against a day without a year cannot be judged
    return md(a.lo) <= md(b.hi) and md(b.lo) <= md(a.hi)
