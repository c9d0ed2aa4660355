"""The cluster stage: the corpus's articles in, stories (with their articles) out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from presslens.cluster.index import StoryIndex
from presslens.config import ClusterConfig, Config, DedupConfig
from presslens.model import Article, StoryDocs
from presslens.pipeline import GroupStage, register


@register
class ClusterStage(GroupStage):
    """Groups articles into stories; every story carries syndication and membership reasons."""

    name = "cluster"
    order = 30

    def __init__(
        self, config: ClusterConfig | None = None, dedup: DedupConfig | None = None
    ) -> None:
        self.config = config or ClusterConfig()
        self.dedup = dedup or DedupConfig()

    @classmethod
    def from_config(cls, config: Config) -> ClusterStage:
        """Build the stage from the ``cluster`` and ``dedup`` sections."""
        return cls(config.cluster, config.dedup)

    def run(self, items: Iterable[Article]) -> Iterator[StoryDocs]:
        """Yield one :class:`StoryDocs` per story, largest first."""
        articles: dict[str, Article] = {}
        for a in items:
            articles.setdefault(a.id, a)
        index = StoryIndex(self.config, self.dedup)
        index.reuse_syndication = True
        if self.config.embed:
            from presslens.cluster.embed import Embedder

            index.embedder = Embedder()
        index.add(articles.values())
        synd = index.syndication.result()
        for story in index.stories():
            yield StoryDocs(story, tuple(synd.annotate(articles[i]) for i in story.article_ids))
