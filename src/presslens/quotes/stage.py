"""The ``quotes`` story stage: entities, quotes and quote variants on each story."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from presslens.config import Config, QuotesConfig
from presslens.model import StoryArticles
from presslens.pipeline import Scope, StoryStage, contract, register
from presslens.quotes.analyze import analyze_stories
from presslens.quotes.load import load_nlp


@register
class QuotesStage(StoryStage):
    """Fill ``Story.entities``, ``Story.quotes`` and ``Story.quote_variants``."""

    name = "quotes"
    contract = contract(
        Scope.STORY,
        reads={"story", "article.text"},
        writes={"story.entities", "story.quotes", "story.quote_variants"},
    )

    def __init__(self, config: QuotesConfig | None = None) -> None:
        self.config = config or QuotesConfig()

    @classmethod
    def from_config(cls, config: Config) -> QuotesStage:
        """Build the stage from the ``nlp`` section."""
        return cls(config.quotes)

    def warm(self) -> None:
        """Load the spaCy pipeline."""
        load_nlp(self.config.model)

    def run(self, items: Iterable[StoryArticles]) -> Iterator[StoryArticles]:
        """Each story with its entities, quotes and quote variants."""
        for item, entities, quotes, variants in analyze_stories(items, self.config):
            story = replace(item.story, entities=entities, quotes=quotes, quote_variants=variants)
            yield replace(item, story=story)
