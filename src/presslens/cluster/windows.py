"""Story clustering spread over a cluster: time windows with margins, merged at their borders.

Two dated articles further apart than :func:`~presslens.cluster.index.max_gap_days` are never
compared (their time weight is under the edge floor), so a dated corpus can be cut into
windows of ``cluster.window_days`` and each clustered on its own worker, with the articles
within that gap of its borders as a margin.  An article belongs to the window its date falls
in (its *core* window); a margin article also sits in its neighbour, and the story it joins
there is merged with the story it joins at home.  That is how stories cross a border.

An undated article has no window: it goes to the window whose articles share most of its five
heaviest terms (the "salient terms" of the clustering issue), or, sharing none, to a window
of the undated articles alone.  No worker holds the corpus: each holds one window.

Where the result may differ from clustering the corpus at once: a story's consolidation
(merges, splits, fragments) sees one window at a time; an undated article can only join the
stories of the window it was routed to; a story's memberships are scored inside each window,
and its thread is linked over summaries whose TF-IDF weights come from their windows.
``bench/partition.py`` measures the difference (B-cubed between the two outputs).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import scipy.sparse as sp

from presslens.cluster.features import Featurizer, article_text, published_day, word_counts
from presslens.cluster.index import (
    SUMMARY_TERMS,
    StoryIndex,
    max_gap_days,
    story_id,
    syndication_groups,
)
from presslens.cluster.threads import StorySummary, build_threads, summary_vectors
from presslens.config import ClusterConfig
from presslens.groups import DisjointSets
from presslens.model import Article, Membership, Story
from presslens.pipeline import Grouping, Mapper
from presslens.syndication.index import lineage_key

# An undated article is routed by its heaviest terms (count x IDF): five is enough to name
# the event's people and places, few enough that common words rarely decide.  Set by hand.
_ROUTING_TERMS = 5
# An undated article follows the dated articles that share at least this many of its heaviest
# terms (one shared term is mostly a common word), each weighing the square of the shared
# terms' summed IDF, so the window holding its story's articles (which share its rare names)
# outvotes windows whose articles merely share the words of the kind of event.
_ROUTING_SHARED = 2
# Each article's most frequent terms travel back from the workers for the routing; the five
# heaviest are among them unless a text repeats twenty other words more often.
_COUNTED_TERMS = 20
# Articles per task when the terms are counted.
_TERM_CHUNK = 512
# A story's summary keeps this many terms per window for its thread (twice what the thread
# uses, so that merged parts still have their true heaviest terms).
_PART_TERMS = 2 * SUMMARY_TERMS


@dataclass(frozen=True)
class _Window:
    """The articles one worker clusters, and those of them whose home it is."""

    articles: tuple[Article, ...]
    core: frozenset[str]


@dataclass(frozen=True)
class _Part:
    """What a worker found in one window."""

    #: every article of the window (core and margin) → the story it joined there
    story_of: dict[str, str]
    #: the window's stories (over core and margin articles), without threads
    stories: dict[str, Story]
    #: each story's summed TF-IDF over its core articles: raw term → weight (heaviest terms)
    sums: dict[str, dict[str, float]]


def _top_terms(articles: Sequence[Article]) -> list[list[tuple[str, int]]]:
    return [word_counts(article_text(a)).most_common(_COUNTED_TERMS) for a in articles]


def _cluster_window(job: tuple[ClusterConfig, _Window]) -> _Part:
    """Cluster one window (a task of the spread cluster stage)."""
    config, window = job
    index = StoryIndex(config)
    index.add(window.articles)
    # threads are linked over the whole corpus once the windows are merged (_with_threads)
    stories = {s.id: s for s in index.stories(linked=False)}
    story_of = index.assignments()
    sums = {
        sid: index.term_sums((a for a in story.article_ids if a in window.core), _PART_TERMS)
        for sid, story in stories.items()
    }
    return _Part(story_of, stories, sums)


def _route(
    articles: Sequence[Article], homes: dict[str, int], mapper: Mapper
) -> dict[str, int | None]:
    """The window of each undated article: the one whose articles share most of its heaviest
    terms (``None``: it shares none with any window)."""
    chunks = [articles[k : k + _TERM_CHUNK] for k in range(0, len(articles), _TERM_CHUNK)]
    counted = [c for part in mapper(_top_terms, chunks) for c in part]
    df: Counter[str] = Counter(t for terms in counted for t, _ in terms)
    n = len(articles)
    top = [
        [t for t, _ in sorted(terms, key=lambda tc: -tc[1] * math.log(n / df[tc[0]]))][
            :_ROUTING_TERMS
        ]
        for terms in counted
    ]
    holders: dict[str, list[str]] = defaultdict(list)
    for a, terms in zip(articles, top, strict=True):
        if a.id in homes:
            for t in terms:
                holders[t].append(a.id)
    route: dict[str, int | None] = {}
    for a, terms in zip(articles, top, strict=True):
        if a.id in homes:
            continue
        shared: defaultdict[str, list[str]] = defaultdict(list)
        for t in terms:
            for d in holders.get(t, ()):
                shared[d].append(t)
        votes: defaultdict[int, float] = defaultdict(float)
        for d, common in shared.items():
            if len(common) >= _ROUTING_SHARED:
                votes[homes[d]] += sum(math.log(n / df[t]) for t in common) ** 2
        route[a.id] = min(votes, key=lambda w: (-votes[w], w)) if votes else None
    return route


def _plan(articles: Sequence[Article], config: ClusterConfig, mapper: Mapper) -> list[_Window]:
    """The windows of ``articles`` (fewer than two: not worth spreading)."""
    days = {a.id: published_day(a.published) for a in articles}
    dated = [a for a in articles if days[a.id] is not None]
    if not dated:
        return []
    start = min(d for d in days.values() if d is not None)
    width = config.window_days
    margin = math.ceil(max_gap_days(config.time_scale_days))
    homes = {a.id: int((days[a.id] or 0) - start) // int(width) for a in dated}
    if len(set(homes.values())) < 2:
        return []
    route = _route(articles, homes, mapper)
    members: dict[int | None, list[Article]] = defaultdict(list)
    for a in articles:
        members[homes[a.id] if a.id in homes else route[a.id]].append(a)
    windows = []
    for k in sorted(w for w in members if w is not None):
        lo, hi = start + k * width, start + (k + 1) * width
        core = members[k]
        edge = [
            a for a in dated if homes[a.id] != k and lo - margin <= (days[a.id] or 0) < hi + margin
        ]
        windows.append(_Window(tuple(core + edge), frozenset(a.id for a in core)))
    if members.get(None):
        alone = members[None]
        windows.append(_Window(tuple(alone), frozenset(a.id for a in alone)))
    return windows


def group_in_windows(
    articles: Sequence[Article], config: ClusterConfig, mapper: Mapper
) -> Grouping | None:
    """The stories of ``articles``, clustered window by window with ``mapper``'s tasks and
    merged at the windows' borders; ``None`` when the corpus spans fewer than two windows."""
    windows = _plan(articles, config, mapper)
    if len(windows) < 2:
        return None
    parts: list[_Part] = mapper(_cluster_window, [(config, w) for w in windows])
    home: dict[str, tuple[int, str]] = {}
    for w, (window, part) in enumerate(zip(windows, parts, strict=True)):
        for a in window.core:
            home[a] = (w, part.story_of[a])
    joined = DisjointSets(sorted(set(home.values())))
    for w, (window, part) in enumerate(zip(windows, parts, strict=True)):
        for a, local in part.story_of.items():
            if a not in window.core:
                joined.union(home[a], (w, local))
    by_root: dict[tuple[int, str], list[str]] = defaultdict(list)
    for a, node in home.items():
        by_root[joined.find(node)].append(a)
    by_id = {a.id: a for a in articles}
    stories = [
        _merged(sorted((by_id[a] for a in ids), key=_lineage), windows, parts, home)
        for ids in by_root.values()
    ]
    stories.sort(key=lambda s: (-len(s.article_ids), s.id))
    return Grouping(tuple(_with_threads(stories, parts, home, config)))


def _lineage(a: Article) -> tuple[bool, str, str]:
    return lineage_key(a.published, a.id)


def _merged(
    members: list[Article],
    windows: Sequence[_Window],
    parts: Sequence[_Part],
    home: dict[str, tuple[int, str]],
) -> Story:
    """One story out of the parts its core articles joined in their windows."""
    pieces: Counter[tuple[int, str]] = Counter(home[a.id] for a in members)
    largest = min(pieces, key=lambda node: (-pieces[node], node))
    memberships: dict[str, Membership] = {}
    for w, local in pieces:
        for m in parts[w].stories[local].memberships or ():
            if m.article_id in windows[w].core and home[m.article_id] == (w, local):
                memberships[m.article_id] = m
    dates = sorted(p for a in members if (p := a.published) and published_day(p) is not None)
    groups = syndication_groups(members)
    return Story(
        id=story_id(members[0].id),
        article_ids=tuple(a.id for a in members),
        title=parts[largest[0]].stories[largest[1]].title,
        sources=tuple(sorted({a.source for a in members if a.source})),
        independent_sources=len({a.syndication_group or a.id for a in members}),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        syndication=groups,
        memberships=tuple(memberships[a.id] for a in members if a.id in memberships),
    )


def _with_threads(
    stories: list[Story],
    parts: Sequence[_Part],
    home: dict[str, tuple[int, str]],
    config: ClusterConfig,
) -> list[Story]:
    """``stories``, each with its thread linked over every story's summary."""
    sums: list[Counter[str]] = []
    for story in stories:
        total: Counter[str] = Counter()
        for node in {home[a] for a in story.article_ids}:
            total.update(parts[node[0]].sums.get(node[1], {}))
        sums.append(total)
    terms = sorted({t for s in sums for t in s})
    column = {t: i for i, t in enumerate(terms)}
    rows, cols, vals = [], [], []
    for r, s in enumerate(sums):
        for t, v in s.items():
            rows.append(r)
            cols.append(column[t])
            vals.append(v)
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(stories), max(1, len(terms))))
    summaries = [
        StorySummary(
            story_id=s.id,
            title=s.title,
            first_published=s.first_published,
            last_published=s.last_published,
            articles=len(s.article_ids),
            first_day=published_day(s.first_published),
            last_day=published_day(s.last_published),
        )
        for s in stories
    ]
    featurizer = Featurizer()
    featurizer.terms = terms
    threads = build_threads(
        summaries,
        summary_vectors(matrix, SUMMARY_TERMS),
        config.thread_threshold,
        config.thread_time_scale_days,
        featurizer.label,
        featurizer.is_entity,
    )
    return [replace(s, thread=threads[s.id]) for s in stories]
