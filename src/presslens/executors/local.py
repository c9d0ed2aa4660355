"""Run a :class:`~presslens.pipeline.Pipeline` in this process, stage after stage."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from presslens.model import Article, Skip, StoryDocs
from presslens.pipeline import Pipeline, StoryStage

#: called as progress(stage_name, done, total or None)
ProgressFn = Callable[[str, int, int | None], None]


@dataclass
class RunResult:
    """What a local run produced."""

    articles: list[Article]
    stories: list[StoryDocs]
    skipped: list[Skip] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def no_progress(stage: str, done: int, total: int | None) -> None:
    """A :data:`ProgressFn` that shows nothing."""
    return None


def run_story_stages(
    stages: Iterable[StoryStage],
    stories: list[StoryDocs],
    progress: ProgressFn = no_progress,
    timings: dict[str, float] | None = None,
) -> list[StoryDocs]:
    """Run story stages over ``stories`` (all of a corpus, or only those an update touched)."""
    for stage in stages:
        t0 = time.perf_counter()
        out: list[StoryDocs] = []
        for sd in stage.run(stories):
            out.append(sd)
            progress(stage.name, len(out), len(stories))
        stories = out
        if timings is not None:
            timings[stage.name] = time.perf_counter() - t0
    return stories


def run_local(
    pipeline: Pipeline, articles: Iterable[Article], progress: ProgressFn = no_progress
) -> RunResult:
    """Run every stage of ``pipeline`` over ``articles`` and collect articles, stories, skips."""
    current = list(articles)
    skipped: list[Skip] = []
    timings: dict[str, float] = {}
    for stage in pipeline.article_stages:
        t0 = time.perf_counter()
        kept: list[Article] = []
        total = len(current)
        for item in stage.run(current):
            if isinstance(item, Skip):
                skipped.append(item)
            else:
                kept.append(item)
            progress(stage.name, len(kept) + len(skipped), total)
        current = kept
        timings[stage.name] = time.perf_counter() - t0
    stories: list[StoryDocs] = []
    if pipeline.group_stage is not None:
        t0 = time.perf_counter()
        stories = list(pipeline.group_stage.run(current))
        progress(pipeline.group_stage.name, len(stories), len(stories))
        timings[pipeline.group_stage.name] = time.perf_counter() - t0
        stories = run_story_stages(pipeline.story_stages, stories, progress, timings)
    return RunResult(articles=current, stories=stories, skipped=skipped, timings=timings)
