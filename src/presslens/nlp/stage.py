"""The ``quotes`` story stage: entities, quotes and quote variants on each story."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from presslens.config import Config, NlpConfig
from presslens.model import StoryDocs
from presslens.nlp.analyze import analyze_stories
from presslens.pipeline import Scope, StoryStage, contract, register


@register
class QuotesStage(StoryStage):
    """Fill ``Story.entities``, ``Story.quotes`` and ``Story.quote_variants``."""

    name = "quotes"
    contract = contract(
        Scope.STORY,
        reads={"story", "article.text"},
        writes={"story.entities", "story.quotes", "story.quote_variants"},
    )

    def __init__(self, config: NlpConfig | None = None) -> None:
        self.config = config or NlpConfig()

    @classmethod
    def from_config(cls, config: Config) -> QuotesStage:
        """Build the stage from the ``nlp`` section."""
        return cls(config.nlp)

    def run(self, items: Iterable[StoryDocs]) -> Iterator[StoryDocs]:
        """Each story with its entities, quotes and quote variants."""
        for item, entities, quotes, variants in analyze_stories(items, self.config):
            story = replace(item.story, entities=entities, quotes=quotes, quote_variants=variants)
            yield replace(item, story=story)
