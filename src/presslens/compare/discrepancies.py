"""Where outlets disagree: the same fact given different values by independent sources.

Facts meet in two ways. A fact whose text names its subject ("17-year war", "Sen. Ted Cruz",
"12 people killed", "solvent for 75 years") meets every fact with the same key in the story,
and a figure whose text qualifies what it counts ("12 Russian intelligence officers", "234
miles of steel wall", "a 48-page indictment", the second side of a "134-to-63" vote) meets
every figure that counts the same thing, whatever the rest of either sentence says. Any
other fact meets
the facts of the same quantity and unit (counts: of a noun one sentence shares with the
other, "544 store managers" / "544 women who serve as store managers") in other independent
sources whose *context* is alike: the words around each figure, weighted by how close they
stand to it (what it measures: "death toll", "dockers", the verb of a date), and the whole
sentence (which event it is about), so that "12 people died in Marrowby" and "Marrowby's
death toll of 15" meet however differently the two sentences are built. Outlets repeat what
matters: the evidence that another source gives a subject one value adds up over every
passage of that source that gives the value. Between two sources, figures that agree are
paired first, and a figure already paired that way is not also set against another, so "$600
million" said by both outlets is not held against "$200 million" said next to it by one.
Two shares held by one name ("Romney leads the pack at 21 percent") meet as if their contexts
were the same, and so do the only figures of a kind in two sentences that give one precise
figure alike ("800,000 workers ... for 35 days"), both still under that agreement rule.

Facts that met form a subject; it is a discrepancy when two independent sources give it
values that cannot both be true (intervals that do not overlap).  A vague value ("decades",
"thousands of dockers") or a hedged one ("about 3,000") against a precise one is a softer
kind, ``vague``: both can be true, but the reader should see that one outlet is precise.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz

from presslens.compare.align import Pair, Sent, cosine_containment
from presslens.compare.facts import Fact, compatible
from presslens.embed import TextEncoder
from presslens.groups import DisjointSets
from presslens.model import Discrepancy, DiscrepancyValue, SentenceRef
from presslens.text.dates import MONTHS, WEEKDAYS
from presslens.text.words import (
    FUNCTION_WORDS,
    NUMBER_WORDS,
    light_stem,
    light_terms,
    word_spans,
)

_KIND = {"date": "date", "role": "role", "name": "name"}
# Content words either side of a figure that describe what it counts (used to name a
# subject and to find the people or places next to a figure).
_WINDOW = 6
# A context word d words away from its figure weighs 1 / (1 + (d - 1) / 3): the words next
# to a figure say what it measures, those further off mostly which event the sentence is
# about.  Swept 2, 3, 6 words (and exponential decay) on the BASIL DEV perturbation set
# (bench/compare.py): all within two points of recall at the same false-alarm rate.
_DECAY_WORDS = 3.0
# Share of the figure's own neighbourhood in its match score; the rest is the similarity of
# the two whole sentences.  Swept 0, 0.3, 0.5, 0.7, 1 on BASIL DEV (both halves): the
# sentence carries most of the evidence that two passages tell the same event (rewording
# keeps few words next to the figure), the neighbourhood separates two figures of one
# sentence; 0.3 was best on both halves.
_LOCAL_SHARE = 0.3
# A date that names a stretch of this many days or more ("last week", "in March") is
# compared only with other stretches, as a year only with years: set against a day it is
# nearly always about another event (false alarms on BASIL DEV, no lost recall).
_PERIOD_DAYS = 6
# Words that are themselves the value of a date, so never evidence of the same subject.
_DATE_WORDS = frozenset(
    [
        *WEEKDAYS,
        *MONTHS,
        "today",
        "yesterday",
        "tomorrow",
        "week",
        "month",
        "year",
        "day",
        "night",
        "morning",
        "afternoon",
        "evening",
        "last",
        "ago",
    ]
)
# A term in more than this share of the story's sentences (and more than the floor) is not
# used to find candidate fact pairs, as in the aligner: cost follows candidate pairs.
_MAX_DF_SHARE = 0.05
_MAX_DF_FLOOR = 30
# A conflict between two figures stands only when their contexts are at least twice as
# alike as any agreement either has with the other source: "$600 million" that both outlets
# give is not also held against "$200 million" one gives next to it.  Swept 1, 0.5, 0.25 on
# the BASIL DEV perturbation set: 0.5 removed a third of the reports on unchanged stories
# for a small loss of recall; 0.25 changed little more.
_AGREEMENT_SHARE = 0.5
# With embeddings, the words within this many words either side of a figure (the figure
# itself masked, so that two values never look alike or apart by their digits) are encoded
# as what the figure is about.  Swept 6, 10 and the whole sentence on the BASIL DEV
# perturbation set (bench/compare.py --embed, see CompareConfig.embed): 10 had the fewest
# false alarms at equal recall on both halves; the whole sentence is mostly the story's
# topic, which every sentence of the story shares.
_EMBED_WORDS = 10
_MASK = "#"
# One passage alone never makes the summed evidence certain (keeps 1 - score above zero).
_MAX_PASSAGE_SCORE = 0.99
# Capitalised words that head many different names ("River Tess", "River Caddow"): sharing
# one says nothing about being the same place.
_GENERIC_NAMES = frozenset(
    [
        "river",
        "lake",
        "mount",
        "bridge",
        "street",
        "road",
        "island",
        "valley",
        "bay",
        "county",
        "city",
        "province",
        "provincial",
        "state",
        "national",
        "federal",
        "north",
        "south",
        "east",
        "west",
    ]
)
# Number words are capitalised at the start of a sentence behind a dateline ("OSTREY — Three").
_NOT_NAMES = _DATE_WORDS | _GENERIC_NAMES | NUMBER_WORDS
# A name in at least this share of the sentences of the story's most frequent name is one of
# the names the story is about (see _main_names); set on the demo's Ostrey story, where the
# recalled "Marrowby" has 7 sentences against Ostrey's 16 and Caddow's 18.
_MAIN_NAME_SHARE = 0.5
# A day up to this many days before its article's publication is that article's news (a
# morning paper reports yesterday).
_NEWS_DAY_LAG = 1
_PERSON = re.compile(r"(?<![\w.])([A-Z][a-z]+)\s+([A-Z][a-z]{2,})\b")
# Two spellings of one first name ("Mohammad"/"Muhammad") score at least this similar;
# different people sharing a surname ("Donald"/"Melania") score far below.  Set by hand on
# the seeds and BASIL DEV names.
_NAME_SIMILARITY = 75.0
# Two context names this alike are one name spelled two ways ("Paris"/"Parris Island", a
# discrepancy of its own) when deciding whether two figures are about the same place: above
# the first-name bar, since single words of 4-6 letters reach 75 by chance ("Mark"/"Marc").
_SPELLING_SIMILARITY = 85.0
_NOT_FIRST_NAMES = (
    frozenset(
        [
            "president",
            "senator",
            "governor",
            "general",
            "secretary",
            "minister",
            "prime",
            "mayor",
            "ambassador",
            "the",
            "former",
            "chief",
            "foreign",
            "pm",
            "rep",
            "sen",
            "gov",
            "house",
            "senate",
            "white",
            "new",
            "north",
            "south",
            "east",
            "west",
            "united",
            "professor",
            "major",
            "colonel",
        ]
    )
    | _DATE_WORDS
)

Occurrence = tuple[int, int]  # (sentence index, fact index)
# The unit under which facts are grouped by what they count (Fact.counted), apart from keys.
_COUNTED = "counted"


def _window(sent: Sent, fact: Fact) -> set[str]:
    text = sent.ref.text
    before = light_terms(text[: fact.start])[-_WINDOW:]
    after = light_terms(text[fact.end :])[:_WINDOW]
    return {t for t in [*before, *after] if not t[:1].isdigit() and t not in _DATE_WORDS}


_CAPITALISED = re.compile(r"\b([A-Z][a-z]{2,})\b")
# A capitalised word after one of these is a name ("Mr. Trump", "Sen. Cruz"), not the first
# word of a sentence; nor is one after an initial ("Michael D. Cohen").
_HONORIFIC = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Adm|Maj|St|Jr|Prof)|\b[A-Z])\.\s+$"
)


def _near_names(sent: Sent, fact: Fact) -> frozenset[str]:
    """Capitalised words (people, places, bodies) within the window around a fact.

    Whole words only: a word cut by the window ("Thurs" of "Thursday") would be taken for
    another name and keep two figures about the same people apart.
    """
    text = sent.ref.text
    lo = max(0, fact.start - 8 * _WINDOW)
    hi = fact.end + 8 * _WINDOW
    out = set()
    for m in _CAPITALISED.finditer(text):
        if m.end() <= lo or m.start() >= hi:
            continue
        before = text[max(0, m.start() - 8) : m.start()]
        if not before.strip() or (
            re.search(r"[.!?]\s+$", before) and not _HONORIFIC.search(before)
        ):
            continue  # the first word of the sentence
        word = light_stem(m.group(1))
        if word not in _NOT_NAMES and word not in FUNCTION_WORDS:
            out.add(word)
    return frozenset(out)


def _share_name(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of names share one, allowing another spelling ("Paris"/"Parris")."""
    if a & b:
        return True
    return any(x[0] == y[0] and fuzz.ratio(x, y) >= _SPELLING_SIMILARITY for x in a for y in b)


def _main_names(sents: Sequence[Sent]) -> frozenset[str]:
    """The names the story is mostly about: in at least half as many sentences as the most
    frequent name ("Ostrey", "Caddow"), not the earlier flood it recalls ("Marrowby")."""
    counts: Counter[str] = Counter()
    for s in sents:
        counts.update(n for n in s.names if n not in _NOT_NAMES)
    if not counts:
        return frozenset()
    top = max(counts.values())
    return frozenset(n for n, c in counts.items() if c >= _MAIN_NAME_SHARE * top)


def _same_subject_names(a: frozenset[str], b: frozenset[str], main: frozenset[str]) -> bool:
    """Whether the names around two figures allow them to be about the same thing.

    Both named: they must share a name.  One named: a figure with no name next to it is
    about what the story is about, so the other must name one of the story's main names;
    "killing three people" in a story about Ostrey does not meet "killed 12 people in
    Marrowby", the earlier flood its articles recall.  Neither named: nothing says no.
    """
    if a and b:
        return _share_name(a, b)
    if a or b:
        return bool((a or b) & main)
    return True


def _around(text: str, fact: Fact) -> tuple[list[tuple[int, int, str]], int, int]:
    """The words of ``text``, the index of the figure's first word and of the first word
    after it."""
    spans = word_spans(text)
    first = next((i for i, (_, end, _w) in enumerate(spans) if end > fact.start), len(spans))
    after = next((i for i, (start, _e, _w) in enumerate(spans) if start >= fact.end), len(spans))
    return spans, first, after


def _local_context(sent: Sent, fact: Fact, idf: dict[str, float]) -> dict[str, float]:
    """IDF-weighted words of the sentence, each weighed down by its distance to the figure."""
    spans, first, after = _around(sent.ref.text, fact)
    vec: dict[str, float] = {}
    for i, (start, _end, word) in enumerate(spans):
        if fact.start <= start < fact.end:
            continue
        t = light_stem(word)
        if len(t) <= 1 or t in FUNCTION_WORDS or t in _DATE_WORDS or t[:1].isdigit():
            continue
        distance = first - i if i < first else i - after + 1
        weight = idf.get(t, 0.0) / (1.0 + (distance - 1) / _DECAY_WORDS)
        vec[t] = max(vec.get(t, 0.0), weight)
    return vec


def _dot_norms(a: dict[str, float], b: dict[str, float]) -> tuple[float, float, float]:
    """Dot product and the two norms of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    # fsum: the terms come from sets, whose order changes with the hash seed; an exactly
    # rounded sum keeps every score, and so every report, the same from run to run.
    dot = math.fsum(w * b[t] for t, w in a.items() if t in b)
    return (
        dot,
        math.sqrt(math.fsum(w * w for w in a.values())),
        math.sqrt(math.fsum(w * w for w in b.values())),
    )


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot, na, nb = _dot_norms(a, b)
    return dot / (na * nb) if dot and na and nb else 0.0


def _is_period(f: Fact) -> bool:
    return f.unit == "day" and f.hi - f.lo >= _PERIOD_DAYS


def find_discrepancies(
    sents: Sequence[Sent],
    pairs: Sequence[Pair],
    *,
    min_similarity: float,
    aligned_similarity: float,
    encoder: TextEncoder | None = None,
    embed_weight: float = 0.0,
) -> list[Discrepancy]:
    """Every subject that independent sources give incompatible values for.

    Facts without a key meet when their contexts are at least ``min_similarity`` alike; in
    sentences aligned from ``aligned_similarity`` the only figure of its kind in each
    sentence meets the other even without such words.  With an ``encoder`` the sentence part
    of that score is mixed at ``embed_weight`` with the cosine of the embeddings of the words
    around the two figures: two outlets telling one event in differently built sentences
    ("E-mails released by the White House on Wednesday" / "The White House on Wednesday
    released the emails") share its meaning more than its words.
    """
    sets: DisjointSets[Occurrence] = DisjointSets()
    keyed: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
    for si, s in enumerate(sents):
        for fi, f in enumerate(s.facts):
            if f.key is not None:
                # A person's titles of every family meet ("Gen." and "Attorney General").
                keyed[(f.key, f.quantity if f.quantity == "role" else f.unit)].append((si, fi))
            if f.counted is not None:
                keyed[(f.counted, _COUNTED)].append((si, fi))
    main = _main_names(sents)
    for (key, unit), occs in keyed.items():
        # The key itself names the subject: a person ("age:hunter"; other names near "Hunter,
        # 41, is a congressman representing San Diego" say nothing about whose age it is) or
        # a qualified counted thing ("Russian intelligence officers"; "the 100 pages of
        # e-mails" is the same figure next to "White House" as next to "Petraeus").
        subject_in_key = unit == _COUNTED or key.startswith("age:")
        names = [_near_names(sents[si], sents[si].facts[fi]) for si, fi in occs]
        for x, o in enumerate(occs):
            sets.find(o)
            names_o = names[x]
            for y in range(x + 1, len(occs)):
                o2, names_2 = occs[y], names[y]
                # The same key about other places or people ("12 killed in Marrowby" in a
                # story about Ostrey) is another event.
                if subject_in_key or _same_subject_names(names_o, names_2, main):
                    sets.union(o, o2)

    # Incompatible values count only between facts that met directly (a shared key or a
    # conflict match): a vague "hundreds of homes" agreeing with both "about 430 homes" and
    # "about 700 homes" of other passages must not set those two against each other.
    direct: set[frozenset[Occurrence]] = set()
    matches = _matches(sents, pairs, min_similarity, aligned_similarity, encoder, embed_weight)
    for (o1, o2), _ in matches:
        sets.union(o1, o2)
        direct.add(frozenset((o1, o2)))

    out = [d for occs in sets.groups().values() if (d := _judge(sents, occs, direct)) is not None]
    out.extend(_names(sents))
    rank = {"number": 0, "date": 0, "role": 0, "name": 1, "vague": 2}
    out.sort(key=lambda d: (rank[d.kind], -len(d.values), d.subject))
    return out


def _unit_class(f: Fact) -> str:
    """Which facts may meet by context: counts of any noun, else the same unit only."""
    return "n:" if f.quantity == "count" else f.unit


def _same_counted(s1: Sent, f1: Fact, s2: Sent, f2: Fact) -> bool:
    """Whether two counts of differently named things may count the same thing.

    Outlets name one group several ways ("544 store managers" / "544 women who serve as
    store managers"): counts of different nouns meet when one count's noun is a word of the
    other's sentence, and the context score then decides; otherwise they count other things
    ("33 Democrats" / "33 votes").  A sentence that counts both nouns ("2,400 dockers ...,
    leaving 30 ships waiting") pairs each count with its own noun only.
    """
    if any(g.unit == f1.unit for g in s2.facts) or any(g.unit == f2.unit for g in s1.facts):
        return False  # the other sentence counts this noun itself: that count is its match
    return f1.unit[2:] in s2.terms or f2.unit[2:] in s1.terms


def _matches(
    sents: Sequence[Sent],
    pairs: Sequence[Pair],
    min_similarity: float,
    aligned_similarity: float,
    encoder: TextEncoder | None,
    embed_weight: float,
) -> list[tuple[tuple[Occurrence, Occurrence], float]]:
    """Pairs of facts from different independent sources that are about the same subject."""
    df: Counter[str] = Counter()
    for s in sents:
        df.update(s.terms)
    n = max(len(sents), 1)
    idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
    cap = max(_MAX_DF_FLOOR, int(_MAX_DF_SHARE * n))
    locals_: dict[Occurrence, dict[str, float]] = {}
    names: dict[Occurrence, frozenset[str]] = {}
    sentence_vecs: dict[int, dict[str, float]] = {}
    postings: dict[tuple[str, str, bool, str], list[Occurrence]] = defaultdict(list)
    for si, s in enumerate(sents):
        for fi, f in enumerate(s.facts):
            if f.quantity == "role":
                continue  # a title always names its person: matched by key
            if si not in sentence_vecs:
                sentence_vecs[si] = {t: idf[t] for t in s.terms if t not in _DATE_WORDS}
            locals_[(si, fi)] = _local_context(s, f, idf)
            names[(si, fi)] = _near_names(s, f)
            for t in sentence_vecs[si]:
                if df[t] <= cap:
                    postings[(f.quantity, _unit_class(f), _is_period(f), t)].append((si, fi))
    aligned = {(p.a, p.b): p.sim for p in pairs if p.sim >= aligned_similarity}
    aligned.update({(b, a): sim for (a, b), sim in list(aligned.items())})

    def alone(si: int, f: Fact) -> bool:
        return sum(1 for g in sents[si].facts if (g.quantity, g.unit) == (f.quantity, f.unit)) == 1

    # (neighbourhood, whole sentence, similarity as an aligned pair) of each candidate pair.
    parts: dict[tuple[Occurrence, Occurrence], tuple[float, float, float | None]] = {}
    for post in postings.values():
        for x, o1 in enumerate(post):
            for o2 in post[x + 1 :]:
                s1, s2 = sents[o1[0]], sents[o2[0]]
                if s1.group == s2.group or (o1, o2) in parts:
                    continue
                f1, f2 = s1.facts[o1[1]], s2.facts[o2[1]]
                if f1.key is not None and f2.key is not None:
                    continue  # both name their subject: the keys decide
                if f1.unit != f2.unit and not _same_counted(s1, f1, s2, f2):
                    continue
                # A weekday or month is the value itself, not a person or place: "Lerner said
                # at Saturday's hearing" and "at Wednesday's hearing" are about the same people.
                n1, n2 = s1.names - _DATE_WORDS, s2.names - _DATE_WORDS
                if (names[o1] and names[o2] and not _share_name(names[o1], names[o2])) or (
                    n1 and n2 and not _share_name(n1, n2)
                ):
                    continue  # about different people or places ("Murray" / "Inslee")
                sim = aligned.get((o1[0], o2[0]))
                parts[(o1, o2)] = (
                    _cosine(locals_[o1], locals_[o2]),
                    cosine_containment(*_dot_norms(sentence_vecs[o1[0]], sentence_vecs[o2[0]])),
                    sim if sim is not None and alone(o1[0], f1) and alone(o2[0], f2) else None,
                )
    # Shares held by one name ("Romney leads the pack at 21 percent", "Romney ... with 21
    # percent of primary voters") are about one subject, however the sentences are built;
    # the holder names the subgroup a share is of ("among Tea Party supporters ... Romney
    # (17 percent)"), and the agreement rule of _pair_up still holds.
    by_holder: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
    for o in locals_:
        f = sents[o[0]].facts[o[1]]
        if f.quantity == "percent" and f.subject:
            by_holder[(f.unit, f.subject.lower())].append(o)
    held: set[tuple[Occurrence, Occurrence]] = set()
    for occs in by_holder.values():
        for x, o1 in enumerate(occs):
            for o2 in occs[x + 1 :]:
                if sents[o1[0]].group != sents[o2[0]].group:
                    held.add((o1, o2))
                    parts.setdefault((o1, o2), (0.0, 0.0, None))
    # Two sentences that give the same precise figure ("800,000 workers") tell the same
    # passage: the only figure of another kind in each ("for 35 days") meets the other as in
    # aligned sentences, however differently the rest is worded.
    anchored: dict[tuple[int, int], float] = {}
    by_figure: dict[tuple[str, float], set[int]] = defaultdict(set)
    for si, s in enumerate(sents):
        for f in s.facts:
            if _is_anchor(f):
                # The figure, not what it is said to count ("800,000 employees", "800,000
                # workers").
                by_figure[(f.quantity if f.quantity == "count" else f.unit, _centre(f))].add(si)
    for found in by_figure.values():
        ordered = sorted(found)
        for x, si in enumerate(ordered):
            for sj in ordered[x + 1 :]:
                if sents[si].group != sents[sj].group:
                    anchored[(si, sj)] = aligned_similarity
    for (si, sj), sim in anchored.items():
        for fi, f1 in enumerate(sents[si].facts):
            if (si, fi) not in locals_ or _is_anchor(f1) or not alone(si, f1):
                continue
            for fj, f2 in enumerate(sents[sj].facts):
                if (sj, fj) not in locals_ or f2.unit != f1.unit or not alone(sj, f2):
                    continue
                local, whole, old = parts.get(((si, fi), (sj, fj)), (0.0, 0.0, None))
                parts[((si, fi), (sj, fj))] = (local, whole, max(old or 0.0, sim))
    vecs = None
    if encoder is not None:
        # Only figures of candidate pairs are encoded, so the cost follows those pairs.
        occs = sorted({o for pair in parts for o in pair})
        rows = encoder.encode_texts(
            [_figure_context(sents[si], sents[si].facts[fi]) for si, fi in occs]
        )
        vecs = dict(zip(occs, np.asarray(rows, dtype=np.float32), strict=True))
    scored: dict[tuple[Occurrence, Occurrence], float] = {}
    for (o1, o2), (local, whole, sim) in parts.items():
        if vecs is not None:
            cosine = max(0.0, float(np.dot(vecs[o1], vecs[o2])))
            whole = (1.0 - embed_weight) * whole + embed_weight * cosine
        sc = _LOCAL_SHARE * local + (1.0 - _LOCAL_SHARE) * whole
        if sim is not None:
            sc = max(sc, sim)
        if (o1, o2) in held:
            sc = 1.0  # the holder is the subject: as sure as a shared key
        if sc > 0.0:
            scored[(o1, o2)] = sc
    return _pair_up(sents, scored, min_similarity)


# A figure this large, given exactly by two outlets, marks one passage ("800,000 workers"):
# small figures ("three", "10") recur in unrelated sentences of one story.  Set by hand; 10
# and 1,000 give the same figures on the BASIL DEV benches and the same stories with a
# report on ECB+ DEV.
_ANCHOR_MIN = 100.0


def _is_anchor(f: Fact) -> bool:
    return (
        f.quantity in {"count", "money", "length"}
        and not (f.vague or f.approximate)
        and f.lo >= _ANCHOR_MIN
    )


def _figure_context(sent: Sent, fact: Fact) -> str:
    """The words around a figure with the figure masked: what it is about, not its value."""
    text = sent.ref.text
    spans, first, after = _around(text, fact)
    lo = spans[max(0, first - _EMBED_WORDS)][0] if first > 0 else fact.start
    hi = spans[min(len(spans), after + _EMBED_WORDS) - 1][1] if after < len(spans) else fact.end
    return f"{text[lo : fact.start]}{_MASK}{text[fact.end : hi]}".strip()


def _pair_up(
    sents: Sequence[Sent],
    scored: dict[tuple[Occurrence, Occurrence], float],
    min_similarity: float,
) -> list[tuple[tuple[Occurrence, Occurrence], float]]:
    """Which scored fact pairs meet: agreements first, then conflicts far closer than them.

    The evidence that a fact and another source's value are about one subject is summed over
    every passage of that source giving that value (1 - product of (1 - score)): a figure
    that an outlet repeats in three passages like this one is its figure for this subject
    even when no single passage is worded alike.
    """
    by_value: dict[tuple[Occurrence, str, str], list[tuple[float, Occurrence]]] = defaultdict(list)
    for (o1, o2), sc in scored.items():
        f1, f2 = sents[o1[0]].facts[o1[1]], sents[o2[0]].facts[o2[1]]
        by_value[(o1, sents[o2[0]].group, f2.normalised)].append((sc, o2))
        by_value[(o2, sents[o1[0]].group, f1.normalised)].append((sc, o1))
    combined = []
    for (o, group, _), found in by_value.items():
        miss = 1.0
        for sc, _other in sorted(found):
            miss *= 1.0 - min(sc, _MAX_PASSAGE_SCORE)
        combined.append((1.0 - miss, o, max(found)[1], group))
    combined.sort(key=lambda c: (-c[0], c[1], c[2]))
    by_group: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for sent in sents:
        for f in sent.facts:
            by_group[(sent.group, f.unit)].append(f)
    best: dict[tuple[Occurrence, str], float] = {}
    out = []
    seen: set[frozenset[Occurrence]] = set()
    for sc, o, other, group in combined:
        if compatible(sents[o[0]].facts[o[1]], sents[other[0]].facts[other[1]]):
            # Values that agree can at most make a soft note ("about 2,400" and "thousands
            # of dockers"), so they are paired from the lower agreement level.
            if sc >= _AGREEMENT_SHARE * min_similarity and frozenset((o, other)) not in seen:
                seen.add(frozenset((o, other)))
                out.append(((o, other), sc))
            best[(o, group)] = max(best.get((o, group), 0.0), sc)
    for sc, o, other, group in combined:
        if sc < min_similarity:
            break
        if compatible(sents[o[0]].facts[o[1]], sents[other[0]].facts[other[1]]):
            continue
        if _two_days(sents, by_group, o, other):
            continue
        k1, k2 = (o, group), (other, sents[o[0]].group)
        if max(best.get(k1, 0.0), best.get(k2, 0.0)) < _AGREEMENT_SHARE * sc:
            out.append(((o, other), sc))
            best[k1] = best[k2] = math.inf
    return out


def _two_days(
    sents: Sequence[Sent],
    by_group: dict[tuple[str, str], list[Fact]],
    o1: Occurrence,
    o2: Occurrence,
) -> bool:
    """Whether two different dates are two days of the story rather than one event's date
    told two ways (``by_group``: each independent source's facts by unit).

    - Papers of different days each tell their day's news: "34 ships waited on Friday" in
      Friday's article and "30 ships waited on Wednesday" in Wednesday's are two updates.
    - An article cannot tell of a day after it was published: "found safe on Sunday" in
      Monday's paper is no other date for what Saturday's paper dated Thursday.
    - Two outlets that both write "Tuesday" and "Thursday" tell of two days; pairing one's
      Tuesday with the other's Thursday is an artefact of their sentences being alike.
    """
    s1, s2 = sents[o1[0]], sents[o2[0]]
    f1, f2 = s1.facts[o1[1]], s2.facts[o2[1]]
    if f1.quantity != "date" or f2.quantity != "date":
        return False
    if _news_of_the_day(s1, f1, s2) and _news_of_the_day(s2, f2, s1):
        return True
    if _after_publication(f1, s2) or _after_publication(f2, s1):
        return True
    return any(compatible(g, f2) for g in by_group[(s1.group, f1.unit)]) and any(
        compatible(g, f1) for g in by_group[(s2.group, f2.unit)]
    )


def _after_publication(fact: Fact, other: Sent) -> bool:
    """Whether ``fact`` is a day after the other sentence's article was published."""
    return (
        fact.unit == "day"
        and other.published is not None
        and (int(fact.lo) > other.published.toordinal())
    )


def _news_of_the_day(sent: Sent, fact: Fact, other: Sent) -> bool:
    """Whether ``fact`` is the day its article was published (or the day before) and the
    other sentence's article came out on another day."""
    if fact.unit != "day" or fact.lo != fact.hi or sent.published is None:
        return False
    if other.published is None or other.published == sent.published:
        return False
    return 0 <= sent.published.toordinal() - int(fact.lo) <= _NEWS_DAY_LAG


def _judge(
    sents: Sequence[Sent], occs: list[Occurrence], direct: set[frozenset[Occurrence]]
) -> Discrepancy | None:
    if len({sents[si].group for si, _ in occs}) < 2:
        return None
    hard = soft = False
    for x, (si, fi) in enumerate(occs):
        fa = sents[si].facts[fi]
        for sj, fj in occs[x + 1 :]:
            if sents[sj].group == sents[si].group:
                continue
            fb = sents[sj].facts[fj]
            if fa.normalised == fb.normalised:
                continue
            if compatible(fa, fb):
                # "About 3,000" against "3,140" can both be true, but a reader should see
                # that one outlet is precise where another is not.
                # "19 states" against "about 19 states" is the same figure, not worth a note.
                centre_a, centre_b = _centre(fa), _centre(fb)
                soft = soft or fa.vague != fb.vague
                soft = soft or (fa.approximate != fb.approximate and centre_a != centre_b)
                continue
            met = (
                (fa.key is not None and fa.key == fb.key)
                or (fa.counted is not None and fa.counted == fb.counted)
                or frozenset(((si, fi), (sj, fj))) in direct
            )
            if not met:
                continue
            if fa.vague or fb.vague:
                soft = True
            else:
                hard = True
    if not (hard or soft):
        return None
    first = sents[occs[0][0]].facts[occs[0][1]]
    kind = _KIND.get(first.quantity, "number") if hard else "vague"
    return Discrepancy(
        kind=kind,
        subject=_subject(sents, occs),
        quantity=first.quantity,
        values=_values(sents, occs),
    )


def _centre(f: Fact) -> float:
    """The figure as written: the start of an open interval, else the middle."""
    if not math.isfinite(f.hi):
        return f.lo
    if f.lo == 0.0:
        return f.hi
    return round((f.lo + f.hi) / 2, 6)


def _subject(sents: Sequence[Sent], occs: list[Occurrence]) -> str:
    named = Counter(sents[si].facts[fi].subject for si, fi in occs if sents[si].facts[fi].subject)
    if named:
        return max(named, key=lambda s: (named[s], len(s)))
    words: Counter[str] = Counter()
    for si, fi in occs:
        words.update(_window(sents[si], sents[si].facts[fi]))
    # Ties broken by the word itself: the window's words come from a set, whose order
    # changes with the hash seed.
    ranked = sorted(words.items(), key=lambda wc: (-wc[1], wc[0]))
    common = [w for w, c in ranked if c > 1 and w not in FUNCTION_WORDS][:3]
    return " ".join(common) if common else sents[occs[0][0]].facts[occs[0][1]].quantity


def _values(sents: Sequence[Sent], occs: list[Occurrence]) -> tuple[DiscrepancyValue, ...]:
    by_value: dict[str, list[Occurrence]] = defaultdict(list)
    for si, fi in occs:
        by_value[sents[si].facts[fi].normalised].append((si, fi))
    values = []
    for norm, group in by_value.items():
        facts = [sents[si].facts[fi] for si, fi in group]
        refs: list[SentenceRef] = []
        for si, _ in group:
            if sents[si].ref not in refs:
                refs.append(sents[si].ref)
        values.append(
            DiscrepancyValue(
                value=facts[0].value,
                normalised=norm,
                article_ids=tuple(dict.fromkeys(r.article_id for r in refs)),
                evidence=tuple(refs),
                vague=facts[0].vague,
            )
        )
    values.sort(key=lambda v: (v.vague, -len(v.article_ids), v.normalised))
    return tuple(values)


def _names(sents: Sequence[Sent]) -> list[Discrepancy]:
    """One person's name spelled differently by independent sources ("Mohammad"/"Muhammad")."""
    seen: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for si, s in enumerate(sents):
        for m in _PERSON.finditer(s.ref.text):
            first, last = m.group(1), m.group(2)
            if first.lower() in _NOT_FIRST_NAMES or last.lower() in _NOT_FIRST_NAMES:
                continue
            seen[last][first].append(si)
    out = []
    for last, firsts in seen.items():
        names = sorted(firsts)
        for x, fa in enumerate(names):
            for fb in names[x + 1 :]:
                if fa[0] != fb[0] or fuzz.ratio(fa, fb) < _NAME_SIMILARITY:
                    continue
                ga = {sents[i].group for i in firsts[fa]}
                gb = {sents[i].group for i in firsts[fb]}
                if ga == gb or not (ga - gb and gb - ga):
                    continue
                values = []
                for first in (fa, fb):
                    refs = tuple(dict.fromkeys(sents[i].ref for i in firsts[first]))
                    values.append(
                        DiscrepancyValue(
                            value=f"{first} {last}",
                            normalised=f"{first} {last}".lower(),
                            article_ids=tuple(dict.fromkeys(r.article_id for r in refs)),
                            evidence=refs,
                        )
                    )
                out.append(Discrepancy("name", last, "name", tuple(values)))
    return out
