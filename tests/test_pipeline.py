"""Pipeline: registry order, families, and the local executor's bookkeeping."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from presslens.config import Config
from presslens.executors.local import run_local
from presslens.model import Article, Skip, Story, StoryDocs
from presslens.pipeline import ArticleStage, GroupStage, Pipeline, StoryStage, registered


class Upper(ArticleStage):
    name = "upper"
    order = 1

    def run(self, items: Iterable[Article]) -> Iterator[Article | Skip]:
        for a in items:
            if not a.text:
                yield Skip(a.origin or a.id, "empty")
            else:
                yield dataclasses.replace(a, text=a.text.upper())


class OneStory(GroupStage):
    name = "one"
    order = 2

    def run(self, items: Iterable[Article]) -> Iterator[StoryDocs]:
        arts = tuple(items)
        yield StoryDocs(Story("s1", tuple(a.id for a in arts)), arts)


class Title(StoryStage):
    name = "title"
    order = 3

    def run(self, items: Iterable[StoryDocs]) -> Iterator[StoryDocs]:
        for sd in items:
            yield dataclasses.replace(
                sd, story=dataclasses.replace(sd.story, title=sd.articles[0].text)
            )


def test_local_executor_runs_families_in_order() -> None:
    pipe = Pipeline((Upper(),), OneStory(), (Title(),))
    seen: list[str] = []
    res = run_local(
        pipe,
        [Article("a", "hello"), Article("b", "", origin="b.txt")],
        lambda stage, done, total: seen.append(stage),
    )
    assert [a.text for a in res.articles] == ["HELLO"]
    assert res.skipped == [Skip("b.txt", "empty")]
    assert res.stories[0].story.title == "HELLO"
    assert set(res.timings) == {"upper", "one", "title"}
    assert pipe.names == ["upper", "one", "title"]
    assert {"upper", "one", "title"} <= set(seen)


def test_without_group_stage_there_are_no_stories() -> None:
    res = run_local(Pipeline((Upper(),), None, (Title(),)), [Article("a", "x")])
    assert res.stories == []
    assert "title" not in res.timings


def test_default_pipeline_is_ordered_and_skippable() -> None:
    stages = registered()
    pipe = Pipeline.default(Config())
    orders = [stages[n].order for n in pipe.names]
    assert orders == sorted(orders)
    if pipe.names:
        first = pipe.names[0]
        assert first not in Pipeline.default(Config(), skip=[first]).names
