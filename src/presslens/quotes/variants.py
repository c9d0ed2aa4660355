"""One quote across outlets: group the renderings of one utterance and show how they differ.

Two quotes of different articles of a story are one utterance when their words align closely
(rapidfuzz on normalised words, where a bracketed editorial insertion such as "[and]" or
"(the)" may be present or absent) and their speakers are compatible.  Each group is compared
word by word against its most common rendering and each rendering classified as verbatim,
minor wording, truncated, extended or paraphrase.  Near-identical words attributed to
different speakers are grouped anyway and flagged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from presslens.config import QuotesConfig
from presslens.groups import DisjointSets
from presslens.model import DiffOp, Quote, QuoteVariant, Rendering, RenderingDiff

_WORD = re.compile(r"[\w’']+")
_BRACKETED = re.compile(r"[\[(]([^\[\]()]{1,40})[\])]")
#: shorter renderings are compared by partial alignment from this many words: below it a
#: fragment ("as a friend") would match too much.  Set by hand, checked on the seeds.
_MIN_PARTIAL_WORDS = 6
#: a rendering holding at least this share of the words of the other, in order, merely
#: shortens or lengthens it (truncated/extended).  Set by hand, checked on the unit cases.
_CONTAINED_SHARE = 0.9
#: word-level similarity (0-100) from which the difference is minor wording rather than a
#: paraphrase; the seed pair ("a friend to the region [and]" / "friend of the region,") is 90.
_MINOR_WORDING = 75.0
_SEVERITY = ("verbatim", "minor wording", "truncated", "extended", "paraphrase")


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``, bracket marks dropped (the words inside kept)."""
    return [
        w.strip("’'") for w in _WORD.findall(text.casefold().replace("’", "'")) if w.strip("’'")
    ]


def _forms(text: str) -> tuple[str, str]:
    """The words with bracketed insertions kept, and with them left out."""
    return " ".join(words(text)), " ".join(words(_BRACKETED.sub(" ", text)))


def similarity(a: str, b: str) -> float:
    """0-100 similarity of two renderings, tolerant of bracketed insertions and truncation."""
    return _forms_similarity(_forms(a), _forms(b))


def _forms_similarity(a: tuple[str, str], b: tuple[str, str], floor: float = 0.0) -> float:
    """:func:`similarity` of two renderings given as their :func:`_forms`.

    A similarity below ``floor`` may come out as any other value below it: rapidfuzz then
    stops early, and the two forms of a text without brackets are compared once.
    """
    best = 0.0
    for x in dict.fromkeys(a):
        for y in dict.fromkeys(b):
            if not x or not y:
                continue
            best = max(best, fuzz.ratio(x, y, score_cutoff=floor))
            if min(len(x.split()), len(y.split())) >= _MIN_PARTIAL_WORDS:
                best = max(best, fuzz.partial_ratio(x, y, score_cutoff=floor + 5.0) - 5.0)
    return best


def _compatible(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    x, y = set(a.casefold().split()), set(b.casefold().split())
    return bool(x & y)


def _diff(reference: str, text: str) -> tuple[DiffOp, ...]:
    ref = reference.split()
    ren = text.split()
    ops = SequenceMatcher(
        None, [" ".join(words(w)) for w in ref], [" ".join(words(w)) for w in ren], autojunk=False
    )
    return tuple(
        DiffOp(tag, " ".join(ref[i1:i2]), " ".join(ren[j1:j2]))
        for tag, i1, i2, j1, j2 in ops.get_opcodes()
    )


def classify(reference: Quote, rendering: Quote) -> str:
    """How ``rendering`` differs from ``reference`` (see the module docstring)."""
    ref_forms, ren_forms = _forms(reference.text), _forms(rendering.text)
    if set(ref_forms) & set(ren_forms):
        return "verbatim"
    ref, ren = ref_forms[1].split(), ren_forms[1].split()
    matched = sum(
        b.size for b in SequenceMatcher(None, ref, ren, autojunk=False).get_matching_blocks()
    )
    if len(ren) < len(ref) and matched >= _CONTAINED_SHARE * len(ren):
        return "truncated"
    if len(ren) > len(ref) and matched >= _CONTAINED_SHARE * len(ref):
        return "extended"
    if (
        reference.kind == rendering.kind
        and similarity(reference.text, rendering.text) >= _MINOR_WORDING
    ):
        return "minor wording"
    return "paraphrase"


def group_variants(
    quotes: Sequence[Quote], config: QuotesConfig
) -> tuple[tuple[Quote, ...], tuple[QuoteVariant, ...]]:
    """Quotes with their ``group`` set, and the groups spanning at least two articles."""
    sets = DisjointSets(range(len(quotes)))
    conflicts: set[int] = set()
    forms = [_forms(q.text) for q in quotes]
    bags = [set(f[0].split()) for f in forms]
    # below both thresholds a pair's exact similarity does not matter
    floor = min(config.variant_min_similarity, config.conflict_min_similarity)
    postings: dict[str, list[int]] = {}
    for i, bag in enumerate(bags):
        for w in bag:
            postings.setdefault(w, []).append(i)
    for i, a in enumerate(quotes):
        if len(bags[i]) < 3:
            continue
        # only pairs sharing a third of the shorter one's words can align: skips most pairs
        shared = Counter(j for w in bags[i] for j in postings[w] if j > i)
        for j, n in sorted(shared.items()):
            b = quotes[j]
            if b.article_id == a.article_id or len(bags[j]) < 3:
                continue
            if n * 3 < min(len(bags[i]), len(bags[j])):
                continue
            sim = _forms_similarity(forms[i], forms[j], floor)
            same = _compatible(a.speaker_canonical, b.speaker_canonical)
            if (
                same and sim >= config.variant_min_similarity
            ) or sim >= config.conflict_min_similarity:
                sets.union(i, j)
                if not same:
                    conflicts.add(j)
    members = sets.groups()
    out_quotes = list(quotes)
    variants: list[QuoteVariant] = []
    for root, idx in sorted(members.items(), key=lambda kv: min(kv[1])):
        if len({quotes[i].article_id for i in idx}) < 2:
            continue
        gid = f"q{len(variants) + 1}"
        group = [quotes[i] for i in idx]
        counts = Counter(forms[i][1] for i in idx)
        top = max(counts.values())
        reference = quotes[next(i for i in idx if counts[forms[i][1]] == top)]
        renderings = []
        diffs = []
        for q in group:
            label = "verbatim" if q is reference else classify(reference, q)
            renderings.append(
                Rendering(q.article_id, q.text, q.start, q.end, q.speaker_canonical, label)
            )
            diffs.append(RenderingDiff(q.article_id, q.start, label, _diff(reference.text, q.text)))
        speakers = tuple(dict.fromkeys(q.speaker_canonical for q in group if q.speaker_canonical))
        named = Counter(q.speaker_canonical for q in group if q.speaker_canonical)
        conflict = any(sets.find(i) == root for i in conflicts) and len(speakers) > 1
        variants.append(
            QuoteVariant(
                group=gid,
                speaker=named.most_common(1)[0][0] if named else None,
                kind=reference.kind,
                reference=reference.text,
                classification=max((r.classification for r in renderings), key=_SEVERITY.index),
                renderings=tuple(renderings),
                diff=tuple(diffs),
                speakers=speakers,
                speaker_conflict=conflict,
            )
        )
        for i in idx:
            out_quotes[i] = replace(quotes[i], group=gid)
    return tuple(out_quotes), tuple(variants)
