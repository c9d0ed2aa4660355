"""Sentence alignment across a story's articles, from an inverted index of salient terms.

Only sentence pairs that share at least ``min_shared_terms`` salient terms (terms rare in the
story) are ever scored, so the cost follows the number of such pairs, not the square of the
number of sentences.  A scored pair is aligned when its IDF-weighted cosine clears the
threshold, its capitalised names are not disjoint and its figures do not contradict each
other; a pair that says the same thing with different figures is kept for the discrepancy
finder instead.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from presslens.compare.facts import Fact, compatible, extract_facts
from presslens.embed import TextEncoder
from presslens.groups import DisjointSets
from presslens.model import Article, SentenceRef, published_date
from presslens.text.sentences import split_sentences
from presslens.text.words import capitalised_names, light_terms


@dataclass(frozen=True, slots=True)
class Sent:
    """A sentence with what the comparison needs to know about it."""

    ref: SentenceRef
    group: str
    source: str | None
    terms: frozenset[str]
    names: frozenset[str]
    facts: tuple[Fact, ...]
    published: date | None


@dataclass(frozen=True, slots=True)
class Pair:
    """Two sentences of different articles with their similarity."""

    a: int
    b: int
    sim: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """Aligned sentence groups (indices into the sentence list) and every scored pair."""

    groups: tuple[tuple[int, ...], ...]
    pairs: tuple[Pair, ...]
    candidate_pairs: int
    all_pairs: int


def independent_group(article: Article) -> str:
    """The independent source an article belongs to: its syndication group, else itself."""
    return article.syndication_group or f"article:{article.id}"


def build_sentences(articles: Sequence[Article]) -> list[Sent]:
    """Split every article and annotate each sentence with terms, names and facts."""
    out: list[Sent] = []
    for art in articles:
        published = published_date(art.published)
        for k, (start, end) in enumerate(split_sentences(art.text)):
            text = art.text[start:end]
            ref = SentenceRef(f"{art.id}#s{k}", art.id, start, end, text)
            out.append(
                Sent(
                    ref=ref,
                    group=independent_group(art),
                    source=art.source,
                    # Figures are compared as facts, not as words: a changed number must
                    # not make a sentence look unrelated.
                    terms=frozenset(t for t in light_terms(text) if not t[:1].isdigit()),
                    names=frozenset(capitalised_names(text)),
                    facts=tuple(extract_facts(text, published)),
                    published=published,
                )
            )
    return out


def cosine_containment(dot: float, norm_a: float, norm_b: float) -> float:
    """Mean of the IDF-weighted cosine and containment of the smaller sentence.

    Containment lets a sentence that another outlet extended ("..., Ghafoor said during a
    news conference in Rawalpindi") still align; the cosine half keeps two long sentences
    that share one clause below a sentence that is the same throughout.
    """
    if not norm_a or not norm_b:
        return 0.0
    return 0.5 * (dot / (norm_a * norm_b) + dot / min(norm_a, norm_b) ** 2)


def figures_agree(a: Sent, b: Sent) -> bool:
    """False when a figure of one sentence has a same-unit counterpart in the other and
    none of the counterparts is compatible with it."""
    for fa in a.facts:
        others = [fb for fb in b.facts if fb.unit == fa.unit and fb.quantity == fa.quantity]
        if others and not any(compatible(fa, fb) for fb in others):
            return False
    return True


def align(
    sents: Sequence[Sent],
    *,
    threshold: float,
    min_terms: int,
    min_shared_terms: int,
    max_df_share: float,
    max_df_floor: int,
    encoder: TextEncoder | None = None,
    embed_weight: float = 0.0,
) -> Alignment:
    """Align sentences of different articles; keep the scored pairs from ``threshold``.

    With an ``encoder`` the similarity of a candidate pair is mixed at ``embed_weight`` with
    the cosine of the two sentences' embeddings: a reworded sentence keeps its meaning where
    it loses words.  Candidates still come from shared salient terms, and only their
    sentences are encoded.
    """
    usable = [i for i, s in enumerate(sents) if len(s.terms) >= min_terms]
    df: dict[str, int] = defaultdict(int)
    for i in usable:
        for t in sents[i].terms:
            df[t] += 1
    n = max(len(usable), 1)
    idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
    cap = max(max_df_floor, int(max_df_share * n))
    postings: dict[str, list[int]] = defaultdict(list)
    for i in usable:
        for t in sents[i].terms:
            if df[t] <= cap:
                postings[t].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for post in postings.values():
        for x in range(len(post)):
            ia = post[x]
            art_a = sents[ia].ref.article_id
            for ib in post[x + 1 :]:
                if sents[ib].ref.article_id != art_a:
                    shared[(ia, ib)] += 1
    norms = {i: math.sqrt(math.fsum(idf[t] ** 2 for t in sents[i].terms)) for i in usable}
    by_article: dict[str, int] = defaultdict(int)
    for i in usable:
        by_article[sents[i].ref.article_id] += 1
    total = sum(by_article.values())
    all_pairs = (total * total - sum(c * c for c in by_article.values())) // 2

    sets = DisjointSets(range(len(sents)))
    scored: list[tuple[int, int, float]] = []
    for (ia, ib), count in shared.items():
        if count < min_shared_terms:
            continue
        dot = math.fsum(idf[t] ** 2 for t in sents[ia].terms & sents[ib].terms)
        scored.append((ia, ib, cosine_containment(dot, norms[ia], norms[ib])))
    if encoder is not None:
        scored = _mix_embeddings(sents, scored, encoder, embed_weight)
    pairs: list[Pair] = []
    for ia, ib, sim in scored:
        if sim < threshold:
            continue
        a, b = sents[ia], sents[ib]
        pairs.append(Pair(ia, ib, sim))
        names_ok = not (a.names and b.names) or bool(a.names & b.names)
        if names_ok and figures_agree(a, b) and figures_agree(b, a):
            sets.union(ia, ib)
    groups = tuple(
        tuple(m) for m in sets.groups().values() if len({sents[i].ref.article_id for i in m}) > 1
    )
    return Alignment(groups, tuple(pairs), len(scored), all_pairs)


def _mix_embeddings(
    sents: Sequence[Sent], scored: list[tuple[int, int, float]], encoder: TextEncoder, weight: float
) -> list[tuple[int, int, float]]:
    """Each pair's similarity mixed with the cosine of its sentences' embeddings."""
    ids = sorted({i for ia, ib, _ in scored for i in (ia, ib)})
    rows = np.asarray(encoder.encode_texts([sents[i].ref.text for i in ids]), dtype=np.float32)
    vec = {i: rows[k] for k, i in enumerate(ids)}
    return [
        (ia, ib, (1.0 - weight) * sim + weight * max(0.0, float(np.dot(vec[ia], vec[ib]))))
        for ia, ib, sim in scored
    ]
