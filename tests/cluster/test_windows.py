"""Story clustering in time windows (what a Dask cluster runs with ``cluster.window_days``)."""

from __future__ import annotations

import pickle
from dataclasses import replace
from typing import Any

from test_story_clustering import _follow_ups, _quake_articles, _syndicated

from presslens.cluster.index import cluster_articles
from presslens.cluster.stage import ClusterStage
from presslens.cluster.windows import group_in_windows
from presslens.config import ClusterConfig
from presslens.model import Article

TASKS: list[str] = []


def _mapper(fn: Any, items: Any) -> list[Any]:
    """A stand-in for a cluster: every job must survive being sent to a worker."""
    TASKS.extend([fn.__name__] * len(items))
    return [fn(pickle.loads(pickle.dumps(x))) for x in items]


def _partition(stories: Any) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in stories}


def _corpus() -> list[Article]:
    """The quakes on their dates, the same events again a year apart, and follow-ups."""
    arts, _ = _quake_articles()
    later = [
        replace(a, id=a.id + "-again", published=f"2010{(a.published or '')[4:]}") for a in arts
    ]
    return _syndicated([*arts, *later, *_follow_ups()])


def test_windows_find_the_stories_of_one_run() -> None:
    arts = _corpus()
    TASKS.clear()
    spread = group_in_windows(arts, ClusterConfig(window_days=30), _mapper)
    assert spread is not None
    assert "_cluster_window" in TASKS and "_top_terms" in TASKS
    whole = cluster_articles(arts).stories()
    assert _partition(spread.stories) == _partition(whole)
    by_id = {s.id: s for s in spread.stories}
    for story in spread.stories:
        # every story comes out whole: its syndication, memberships and thread
        assert {m.article_id for m in story.memberships or ()} == set(story.article_ids)
        assert story.thread is not None and story.id in {t.story_id for t in story.thread.stories}
        assert story.title
    quake = next(s for s in spread.stories if "q0-0" in s.article_ids)
    follow = next(s for s in spread.stories if "year-later" in s.article_ids)
    assert quake.thread == follow.thread == by_id[quake.id].thread


def test_a_story_across_a_window_border_is_merged() -> None:
    arts = _corpus()
    # one quake's reports spread over twenty days: windows of ten days cut through them
    first = [a for a in arts if a.id.startswith("q0-")]
    spread_out = [replace(a, published=f"2009-10-{1 + 4 * k:02d}") for k, a in enumerate(first)]
    rest = [a for a in arts if not a.id.startswith("q0-")]
    grouping = group_in_windows([*spread_out, *rest], ClusterConfig(window_days=10), _mapper)
    assert grouping is not None
    story = next(s for s in grouping.stories if "q0-0" in s.article_ids)
    assert {a.id for a in spread_out} <= set(story.article_ids)


def test_an_undated_report_goes_to_the_window_of_its_story() -> None:
    arts = _syndicated(_quake_articles()[0])  # two quakes three months apart
    undated = replace(arts[1], id="undated-copy", published=None, syndication_group=None)
    grouping = group_in_windows([*arts, undated], ClusterConfig(window_days=30), _mapper)
    assert grouping is not None
    story = next(s for s in grouping.stories if "undated-copy" in s.article_ids)
    assert arts[1].id in story.article_ids


def test_one_window_is_not_worth_spreading() -> None:
    arts, _ = _quake_articles()
    assert group_in_windows(_syndicated(arts), ClusterConfig(window_days=365), _mapper) is None


def test_the_stage_spreads_only_on_a_cluster_and_only_when_asked() -> None:
    arts = _corpus()
    stage = ClusterStage(ClusterConfig(window_days=30))
    TASKS.clear()
    here = stage.group(arts, stage.new_state(), None)
    assert TASKS == []
    spread = stage.group(arts, stage.new_state(), _mapper)
    assert "_cluster_window" in TASKS
    assert _partition(here.stories) == _partition(spread.stories)
    TASKS.clear()
    plain = ClusterStage(ClusterConfig())
    plain.group(arts, plain.new_state(), _mapper)
    assert TASKS == []
