"""Stage contracts, the order they imply, and the engine running the three families."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pytest

from presslens.config import Config
from presslens.engine import execute
from presslens.errors import PipelineError
from presslens.executors.local import InProcess
from presslens.model import Article, Skip, Story, StoryArticles
from presslens.pipeline import (
    ArticleStage,
    Grouping,
    GroupStage,
    Mapper,
    Pipeline,
    Scope,
    StoryStage,
    contract,
    registered,
)


class Upper(ArticleStage):
    name = "upper"
    contract = contract(Scope.ARTICLE, reads={"article.text"}, writes={"article.text"})

    def prepare(self, articles: Sequence[Article]) -> list[Article | Skip]:
        return [
            dataclasses.replace(a, text=a.text.upper()) if a.text else Skip(a.id, "empty")
            for a in articles
        ]


class Count(ArticleStage):
    """A corpus stage: every article learns how many articles the run has."""

    name = "count"
    contract = contract(
        Scope.CORPUS, reads={"article.text"}, writes={"article.extra"}, partition="none"
    )

    def observe(self, articles: Sequence[Article]) -> list[Any]:
        return [len(a.text) for a in articles]

    def fit(
        self,
        articles: Sequence[Article],
        observed: Sequence[Any],
        state: Any,
        mapper: Mapper | None,
    ) -> int:
        return sum(observed)

    def finish(self, articles: Sequence[Article], model: Any) -> list[Article | Skip]:
        return [dataclasses.replace(a, extra={"corpus_chars": model}) for a in articles]


class OneStory(GroupStage):
    name = "one"
    contract = contract(Scope.CORPUS, reads={"article.text"}, writes={"story"}, partition="nothing")

    def group(
        self,
        articles: Sequence[Article],
        state: Any,
        mapper: Mapper | None,
        revised: Sequence[Article] = (),
    ) -> Grouping:
        return Grouping((Story("s1", tuple(a.id for a in articles)),))


class Title(StoryStage):
    name = "title"
    contract = contract(Scope.STORY, reads={"story", "article.text"}, writes={"story.title"})

    def run(self, items: Iterable[StoryArticles]) -> Iterator[StoryArticles]:
        for bundle in items:
            story = dataclasses.replace(bundle.story, title=bundle.articles[0].text)
            yield dataclasses.replace(bundle, story=story)


def test_order_follows_what_stages_read_and_write() -> None:
    pipe = Pipeline((Title(), OneStory(), Count(), Upper()))
    # Count reads the text Upper writes; stories come after articles; titles after stories
    assert pipe.names == ["upper", "count", "one", "title"]
    assert [s.name for s in pipe.article_stages] == ["upper", "count"]
    assert pipe.group_stage is not None and pipe.group_stage.name == "one"


def test_the_engine_runs_every_family_in_order() -> None:
    pipe = Pipeline((Upper(), Count(), OneStory(), Title()))
    seen: list[str] = []
    res = execute(
        pipe,
        InProcess(),
        config=Config(),
        articles=[Article("a", "hello"), Article("b", "", origin="b.txt"), Article("a", "yo")],
        progress=lambda step, done, total: seen.append(step),
    )
    assert [a.text for a in res.articles] == ["HELLO", "YO"]
    assert [a.id for a in res.articles] == ["a", "a-2"]  # ids made unique in input order
    assert res.skipped == [Skip("b", "empty")]
    assert [a.extra["corpus_chars"] for a in res.articles] == [7, 7]
    assert res.stories[0].story.title == "HELLO"
    assert {"upper", "count", "one", "title", "total"} <= set(res.timings)
    assert {"count", "title"} <= set(seen)


def test_a_read_nobody_writes_is_refused_by_name() -> None:
    with pytest.raises(PipelineError, match=r"stage 'title' reads 'story'"):
        Pipeline((Upper(), Title()))


def test_two_writers_of_one_field_are_refused() -> None:
    class Lower(Upper):
        name = "lower"

    with pytest.raises(PipelineError, match=r"both write 'article\.text'"):
        Pipeline((Upper(), Lower()))


def test_a_cycle_is_refused() -> None:
    class A(ArticleStage):
        name = "a"
        contract = contract(Scope.ARTICLE, reads={"article.x"}, writes={"article.y"})

    class B(ArticleStage):
        name = "b"
        contract = contract(Scope.ARTICLE, reads={"article.y"}, writes={"article.x"})

    with pytest.raises(PipelineError, match="cycle"):
        Pipeline((A(), B()))


def test_an_article_stage_cannot_read_stories() -> None:
    class Peek(ArticleStage):
        name = "peek"
        contract = contract(Scope.ARTICLE, reads={"story.title"})

    with pytest.raises(PipelineError, match="cannot read stories"):
        Pipeline((Peek(), OneStory(), Title()))


def test_a_corpus_stage_names_its_partition_key() -> None:
    with pytest.raises(PipelineError, match="partitioned"):
        contract(Scope.CORPUS, writes={"story"})
    with pytest.raises(PipelineError, match="state"):
        contract(Scope.STORY, state="an index")


def test_the_default_pipeline_and_its_order_are_pinned() -> None:
    pipe = Pipeline.default(Config())
    assert pipe.names == ["clean", "syndication", "cluster", "quotes", "compare", "brief"]
    assert [s.name for s in pipe.stateful()] == ["syndication", "cluster"]
    assert Pipeline.default(Config(), skip=["brief"]).names[-1] == "compare"
    stages = registered()
    # every installed stage, the default ones and the two the single-stage commands add
    assert set(stages) == {*pipe.names, "stories", "given-text"}
    assert not stages["stories"].default and not stages["given-text"].default
    assert stages["cluster"].contract.partition and stages["syndication"].contract.state
