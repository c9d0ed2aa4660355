"""The brief stage: every story gains a cited brief and a timeline."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from presslens.brief.story import summarize_story
from presslens.config import BriefConfig, Config
from presslens.model import StoryArticles
from presslens.pipeline import Scope, StoryStage, contract, register


@register
class BriefStage(StoryStage):
    """Fill ``Story.brief``, ``Story.timeline`` and (LLM path) ``Story.brief_rejected``."""

    name = "brief"
    contract = contract(
        Scope.STORY,
        reads={"story", "article.text", "article.published"},
        uses={"article.title", "article.syndication"},
        writes={"story.brief", "story.timeline", "story.brief_rejected"},
    )

    def __init__(self, config: BriefConfig | None = None) -> None:
        self.config = config or BriefConfig()

    @classmethod
    def from_config(cls, config: Config) -> BriefStage:
        """Build the stage from the ``summarize`` section."""
        return cls(config.brief)

    def run(self, items: Iterable[StoryArticles]) -> Iterator[StoryArticles]:
        """Summarize each story; a story without usable text gets an empty brief."""
        for bundle in items:
            result = summarize_story(bundle.articles, self.config, bundle.story.brief_words)
            story = dataclasses.replace(
                bundle.story,
                brief=result.brief,
                timeline=result.timeline,
                brief_rejected=result.rejected if self.config.llm_url else None,
                brief_method=result.method,
                brief_error=result.error,
            )
            yield dataclasses.replace(bundle, story=story)
