"""The syndication stage: buffers the corpus, then marks every article's group and lineage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from presslens.config import Config, DedupConfig
from presslens.dedup.syndication import find_syndication
from presslens.model import Article, Skip
from presslens.pipeline import ArticleStage, register


@register
class SyndicationStage(ArticleStage):
    """Sets ``syndication_group`` and ``original`` on every article; drops none.

    Articles that needed care (no text, very short text, exact duplicates, truncated) are
    tallied in :attr:`counts` after a run.
    """

    name = "syndication"
    order = 20

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self.counts: Counter[str] = Counter()

    @classmethod
    def from_config(cls, config: Config) -> SyndicationStage:
        """Build the stage from the ``dedup`` section."""
        return cls(config.dedup)

    def run(self, items: Iterable[Article]) -> Iterator[Article | Skip]:
        """Yield every article of ``items``, in input order, with its syndication fields."""
        buffered = list(items)
        result = find_syndication(buffered, self.config)
        self.counts = result.counts
        for article in buffered:
            yield result.annotate(article)
