"""The brief stage: every story gains a cited brief and a timeline."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from presslens.config import Config, SummarizeConfig
from presslens.model import StoryDocs
from presslens.pipeline import Scope, StoryStage, contract, register
from presslens.summarize.story import summarize_story


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

    def __init__(self, config: SummarizeConfig | None = None) -> None:
        self.config = config or SummarizeConfig()

    @classmethod
    def from_config(cls, config: Config) -> BriefStage:
        """Build the stage from the ``summarize`` section."""
        return cls(config.summarize)

    def run(self, items: Iterable[StoryDocs]) -> Iterator[StoryDocs]:
        """Summarize each story; a story without usable text gets an empty brief."""
        for sd in items:
            result = summarize_story(sd.articles, self.config, sd.story.brief_words)
            story = dataclasses.replace(
                sd.story,
                brief=result.brief,
                timeline=result.timeline,
                brief_rejected=result.rejected if self.config.llm_url else None,
                brief_method=result.method,
                brief_error=result.error,
            )
            yield dataclasses.replace(sd, story=story)
