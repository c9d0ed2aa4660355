"""Compare one story's articles: corroboration, unique reporting, omissions, discrepancies
and framing, filled into the story's optional fields."""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass

from presslens import embed
from presslens.compare.align import Alignment, Sent, align, build_sentences
from presslens.compare.discrepancies import find_discrepancies
from presslens.compare.framing import framing
from presslens.config import CompareConfig
from presslens.embed import TextEncoder
from presslens.model import AlignedGroup, Correction, Omission, Story, StoryArticles, UniqueInfo


@dataclass(frozen=True, slots=True)
class Comparison:
    """A compared story and what the comparison cost (for benchmarks and progress)."""

    story: Story
    sentences: int
    candidate_pairs: int
    all_pairs: int


def compare(
    docs: StoryArticles, config: CompareConfig | None = None, encoder: TextEncoder | None = None
) -> Comparison:
    """Compare the articles of ``docs`` and return the story with its comparison sections.

    With ``config.embed`` sentences are also compared by their embeddings, from ``encoder``
    or, when none is given, the process's shared model (extra ``embed``; loaded lazily).
    """
    cfg = config or CompareConfig()
    articles = docs.articles
    sents = build_sentences(articles)
    if not cfg.embed:
        encoder = None
    elif encoder is None:
        encoder = embed.default_embedder("comparison with --embed")
    alignment = align(
        sents,
        threshold=cfg.align_threshold,
        min_terms=cfg.min_terms,
        min_shared_terms=cfg.min_shared_terms,
        max_df_share=cfg.max_df_share,
        max_df_floor=cfg.max_df_floor,
        encoder=encoder,
        embed_weight=cfg.embed_align_weight,
    )
    groups = _groups(sents, alignment)
    n_sources = len({s.group for s in sents})
    story = dataclasses.replace(
        docs.story,
        alignment=groups,
        unique=_unique(docs, sents, alignment, cfg.min_terms) if n_sources > 1 else (),
        omissions=_omissions(docs, sents, groups, n_sources, cfg.omission_min_share),
        discrepancies=tuple(
            find_discrepancies(
                sents,
                alignment.pairs,
                min_similarity=(
                    cfg.discrepancy_threshold
                    if encoder is None
                    else cfg.embed_discrepancy_threshold
                ),
                aligned_similarity=cfg.align_threshold,
                encoder=encoder,
                embed_weight=cfg.embed_discrepancy_weight,
            )
        ),
        framing=tuple(
            framing(
                articles,
                sents,
                docs.story.quotes,
                prior_strength=cfg.framing_prior,
                min_z=cfg.framing_min_z,
                top_terms=cfg.framing_top,
            )
        ),
        corrections=corrections(docs),
    )
    return Comparison(story, len(sents), alignment.candidate_pairs, alignment.all_pairs)


def corrections(docs: StoryArticles) -> tuple[Correction, ...] | None:
    """Every revision of the story's articles as a correction by its outlet, oldest first;
    ``None`` when no article of the story changed after it was first read."""
    out = [
        Correction(a.id, a.source, r.version, r.at, r.changes)
        for a in docs.articles
        for r in a.revisions
    ]
    if not out:
        return None
    return tuple(sorted(out, key=lambda c: (c.at, c.article_id, c.version)))


def compare_story(
    docs: StoryArticles, config: CompareConfig | None = None, encoder: TextEncoder | None = None
) -> StoryArticles:
    """``docs`` with its story's ``alignment``, ``unique``, ``omissions``, ``discrepancies``,
    ``framing`` and (when an article was changed after it was first read) ``corrections``
    filled in."""
    return dataclasses.replace(docs, story=compare(docs, config, encoder).story)


def _groups(sents: list[Sent], alignment: Alignment) -> tuple[AlignedGroup, ...]:
    out = []
    for k, members in enumerate(alignment.groups):
        out.append(
            AlignedGroup(
                id=f"g{k}",
                support=len({sents[i].group for i in members}),
                sentences=tuple(sents[i].ref for i in members),
            )
        )
    out.sort(key=lambda g: (-g.support, g.sentences[0].article_id, g.sentences[0].start))
    return tuple(dataclasses.replace(g, id=f"g{k}") for k, g in enumerate(out))


def _unique(
    docs: StoryArticles, sents: list[Sent], alignment: Alignment, min_terms: int
) -> tuple[UniqueInfo, ...]:
    """Sentences whose information no other independent source carries."""
    shared: set[int] = set()
    for members in alignment.groups:
        if len({sents[i].group for i in members}) > 1:
            shared.update(members)
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sents):
        if i not in shared and len(s.terms) >= min_terms:
            by_article[s.ref.article_id].append(i)
    out = []
    for art in docs.articles:
        idx = by_article.get(art.id)
        if idx:
            out.append(UniqueInfo(art.id, art.source, tuple(sents[i].ref for i in idx)))
    return tuple(out)


def _omissions(
    docs: StoryArticles,
    sents: list[Sent],
    groups: tuple[AlignedGroup, ...],
    n_sources: int,
    min_share: float,
) -> tuple[Omission, ...]:
    """Groups carried by most independent sources, reported for each article without them."""
    need = max(2, math.floor(min_share * n_sources) + 1)
    if n_sources < 3:
        return ()
    group_of = {s.ref.article_id: s.group for s in sents}
    out = []
    for g in groups:
        if g.support < need or g.support == n_sources:
            continue
        carried = {group_of[r.article_id] for r in g.sentences}
        for art in docs.articles:
            if art.id in group_of and group_of[art.id] not in carried:
                out.append(Omission(art.id, art.source, g.id, g.support, g.sentences[0]))
    return tuple(out)
