"""Where outlets disagree: the same fact given different values by independent sources.

Facts meet in two ways.  A fact whose text names its subject ("17-year war", "Sen. Ted
Cruz", "12 people killed") meets every fact with the same key in the story.  Any other fact
meets the facts of the same quantity and unit in other independent sources whose *context*
is alike: the words next to each figure (what it measures: "death toll", "dockers", the verb
of a date) and, with less weight, the rest of its sentence (which event it is about), so
that "12 people died in Marrowby" and "Marrowby's death toll of 15" meet however differently
the two sentences are built.  Between two sources, figures that agree are paired first, and
a figure already paired that way is not also set against another, so "$600 million" said by
both outlets is not held against "$200 million" said next to it by one.

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

from rapidfuzz import fuzz

from presslens.compare.align import Pair, Sent
from presslens.compare.facts import Fact, compatible
from presslens.compare.text import STOPWORDS, content_terms
from presslens.model import Discrepancy, DiscrepancyValue, SentenceRef
from presslens.words import light_stem

_KIND = {"date": "date", "role": "role", "name": "name"}
# Content words either side of a figure that describe what it counts.
_WINDOW = 6
# A context word next to the figure weighs twice one elsewhere in the sentence: next to it,
# it says what the figure measures; elsewhere, only which event the sentence is about.
_NEAR_WEIGHT = 1.0
_FAR_WEIGHT = 0.5
# Words that are themselves the value of a date, so never evidence of the same subject.
_DATE_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
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
_PERSON = re.compile(r"(?<![\w.])([A-Z][a-z]+)\s+([A-Z][a-z]{2,})\b")
# Two spellings of one first name ("Mohammad"/"Muhammad") score at least this similar;
# different people sharing a surname ("Donald"/"Melania") score far below.  Set by hand on
# the seeds and BASIL DEV names.
_NAME_SIMILARITY = 75.0
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


def _window(sent: Sent, fact: Fact) -> set[str]:
    text = sent.ref.text
    before = content_terms(text[: fact.start])[-_WINDOW:]
    after = content_terms(text[fact.end :])[:_WINDOW]
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
        if word not in _DATE_WORDS and word not in STOPWORDS:
            out.add(word)
    return frozenset(out)


def _context(sent: Sent, fact: Fact, idf: dict[str, float]) -> dict[str, float]:
    """IDF-weighted context words of a fact: near ones full weight, the rest of the sentence
    less."""
    near = _window(sent, fact)
    vec = {t: _FAR_WEIGHT * idf.get(t, 0.0) for t in sent.terms if t not in _DATE_WORDS}
    for t in near:
        vec[t] = _NEAR_WEIGHT * idf.get(t, 0.0)
    if fact.unit.startswith("n:"):
        # What a count counts is its strongest context: "dockers" is rare in a story and
        # says much, "people" is common and says little.
        vec[fact.unit[2:]] = _NEAR_WEIGHT * idf.get(fact.unit[2:], 0.0)
    return vec


def _context_similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Mean of cosine and containment of two context vectors (as for sentences)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    if not dot or not na or not nb:
        return 0.0
    return 0.5 * (dot / (na * nb) + dot / min(na, nb) ** 2)


def find_discrepancies(
    sents: Sequence[Sent],
    pairs: Sequence[Pair],
    *,
    min_similarity: float,
    aligned_similarity: float,
) -> list[Discrepancy]:
    """Every subject that independent sources give incompatible values for.

    Facts without a key meet when their contexts are at least ``min_similarity`` alike; in
    sentences aligned from ``aligned_similarity`` the only figure of its kind in each
    sentence meets the other even without such words.
    """
    parent: dict[Occurrence, Occurrence] = {}

    def find(x: Occurrence) -> Occurrence:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: Occurrence, b: Occurrence) -> None:
        parent[find(a)] = find(b)

    keyed: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
    for si, s in enumerate(sents):
        for fi, f in enumerate(s.facts):
            if f.key is not None:
                # A person's titles of every family meet ("Gen." and "Attorney General").
                keyed[(f.key, f.quantity if f.quantity == "role" else f.unit)].append((si, fi))
    for occs in keyed.values():
        names = [_near_names(sents[si], sents[si].facts[fi]) for si, fi in occs]
        for x, o in enumerate(occs):
            find(o)
            names_o = names[x]
            for y in range(x + 1, len(occs)):
                o2, names_2 = occs[y], names[y]
                # The same key about other places or people ("12 killed in Marrowby" in a
                # story about Ostrey) is another event.
                if not (names_o and names_2) or names_o & names_2:
                    union(o, o2)

    # Incompatible values count only between facts that met directly (a shared key or a
    # conflict match): a vague "hundreds of homes" agreeing with both "about 430 homes" and
    # "about 700 homes" of other passages must not set those two against each other.
    direct: set[frozenset[Occurrence]] = set()
    for (o1, o2), _ in _matches(sents, pairs, min_similarity, aligned_similarity):
        union(o1, o2)
        direct.add(frozenset((o1, o2)))

    components: dict[Occurrence, list[Occurrence]] = defaultdict(list)
    for o in list(parent):
        components[find(o)].append(o)
    out = [d for occs in components.values() if (d := _judge(sents, occs, direct)) is not None]
    out.extend(_names(sents))
    rank = {"number": 0, "date": 0, "role": 0, "name": 1, "vague": 2}
    out.sort(key=lambda d: (rank[d.kind], -len(d.values), d.subject))
    return out


def _matches(
    sents: Sequence[Sent],
    pairs: Sequence[Pair],
    min_similarity: float,
    aligned_similarity: float,
) -> list[tuple[tuple[Occurrence, Occurrence], float]]:
    """Pairs of facts from different independent sources that are about the same subject."""
    df: Counter[str] = Counter()
    for s in sents:
        df.update(s.terms)
    n = max(len(sents), 1)
    idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
    cap = max(_MAX_DF_FLOOR, int(_MAX_DF_SHARE * n))
    contexts: dict[Occurrence, dict[str, float]] = {}
    nears: dict[Occurrence, set[str]] = {}
    names: dict[Occurrence, frozenset[str]] = {}
    postings: dict[tuple[str, str, str], list[Occurrence]] = defaultdict(list)
    for si, s in enumerate(sents):
        for fi, f in enumerate(s.facts):
            if f.quantity == "role":
                continue  # a title always names its person: matched by key
            ctx = _context(s, f, idf)
            contexts[(si, fi)] = ctx
            nears[(si, fi)] = _window(s, f)
            names[(si, fi)] = _near_names(s, f)
            for t in ctx:
                if df[t] <= cap:
                    postings[(f.quantity, f.unit, t)].append((si, fi))
    aligned = {(p.a, p.b): p.sim for p in pairs if p.sim >= aligned_similarity}
    aligned.update({(b, a): sim for (a, b), sim in list(aligned.items())})

    def alone(si: int, f: Fact) -> bool:
        return sum(1 for g in sents[si].facts if (g.quantity, g.unit) == (f.quantity, f.unit)) == 1

    scored: dict[tuple[Occurrence, Occurrence], float] = {}
    for post in postings.values():
        for x, o1 in enumerate(post):
            for o2 in post[x + 1 :]:
                if sents[o1[0]].group == sents[o2[0]].group or (o1, o2) in scored:
                    continue
                f1, f2 = sents[o1[0]].facts[o1[1]], sents[o2[0]].facts[o2[1]]
                if f1.key is not None and f2.key is not None:
                    continue  # both name their subject: the keys decide
                sc = _context_similarity(contexts[o1], contexts[o2])
                if not (nears[o1] & contexts[o2].keys() or nears[o2] & contexts[o1].keys()):
                    sc = 0.0  # nothing next to either figure recurs around the other
                if names[o1] and names[o2] and not names[o1] & names[o2]:
                    sc = 0.0  # about different people or places ("Murray" / "Inslee")
                sim = aligned.get((o1[0], o2[0]))
                if sim is not None and alone(o1[0], f1) and alone(o2[0], f2):
                    sc = max(sc, sim)
                if sc > 0.0:
                    scored[(o1, o2)] = sc
    # Between two sources, figures that agree are paired first; a conflict is kept only when
    # it is a far closer match than any agreement either figure already has.
    best: dict[tuple[Occurrence, str], float] = {}
    ordered = sorted(scored.items(), key=lambda kv: -kv[1])
    out = []
    for (o1, o2), sc in ordered:
        f1, f2 = sents[o1[0]].facts[o1[1]], sents[o2[0]].facts[o2[1]]
        if compatible(f1, f2):
            # Values that agree can at most make a soft note ("about 2,400" and "thousands
            # of dockers"), so they are paired from the lower agreement level.
            if sc >= _AGREEMENT_SHARE * min_similarity:
                out.append(((o1, o2), sc))
            for o, other in ((o1, o2), (o2, o1)):
                k = (o, sents[other[0]].group)
                best[k] = max(best.get(k, 0.0), sc)
    for (o1, o2), sc in ordered:
        f1, f2 = sents[o1[0]].facts[o1[1]], sents[o2[0]].facts[o2[1]]
        if compatible(f1, f2) or sc < min_similarity:
            continue
        k1, k2 = (o1, sents[o2[0]].group), (o2, sents[o1[0]].group)
        if max(best.get(k1, 0.0), best.get(k2, 0.0)) < _AGREEMENT_SHARE * sc:
            out.append(((o1, o2), sc))
            best[k1] = best[k2] = math.inf
    return out


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
            met = (fa.key is not None and fa.key == fb.key) or frozenset(
                ((si, fi), (sj, fj))
            ) in direct
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
    common = [w for w, c in words.most_common() if c > 1 and w not in STOPWORDS][:3]
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
