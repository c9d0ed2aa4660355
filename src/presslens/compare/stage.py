"""The compare stage: every story gains alignment, unique, omissions, discrepancies, framing,
and the corrections its outlets made to their articles (when a page was read again)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from presslens.compare.core import compare_story
from presslens.config import CompareConfig, Config
from presslens.embed import TextEncoder
from presslens.model import StoryArticles
from presslens.pipeline import Scope, StoryStage, contract, register


@register
class CompareStage(StoryStage):
    """Compare each story's articles (runs after quotes so voices can use them)."""

    name = "compare"
    contract = contract(
        Scope.STORY,
        reads={"story", "article.text", "article.source", "article.published"},
        uses={"story.quotes", "article.syndication", "article.revisions"},
        writes={
            "story.alignment",
            "story.unique",
            "story.omissions",
            "story.discrepancies",
            "story.framing",
            "story.corrections",
        },
    )

    def __init__(
        self, config: CompareConfig | None = None, encoder: TextEncoder | None = None
    ) -> None:
        self.config = config or CompareConfig()
        # Used only with config.embed; None takes the shared model when first needed.
        self.encoder = encoder

    @classmethod
    def from_config(cls, config: Config) -> CompareStage:
        """Build from the run's ``[compare]`` section."""
        return cls(config.compare)

    def run(self, items: Iterable[StoryArticles]) -> Iterator[StoryArticles]:
        """Yield each story with its comparison sections filled in."""
        for docs in items:
            yield compare_story(docs, self.config, self.encoder)
