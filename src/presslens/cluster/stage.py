"""The cluster stage: articles in, stories (with syndication and membership reasons) out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from presslens.cluster.index import StoryIndex
from presslens.cluster.windows import group_in_windows
from presslens.codec import pack_state, unpack_state
from presslens.config import ClusterConfig, Config
from presslens.errors import ConfigError, StoreError
from presslens.model import Article
from presslens.pipeline import Grouping, GroupStage, Mapper, Scope, contract, register


@register
class ClusterStage(GroupStage):
    """Groups articles into stories; every story carries syndication and membership reasons."""

    name = "cluster"
    contract = contract(
        Scope.CORPUS,
        reads={
            "article.text",
            "article.title",
            "article.source",
            "article.published",
            "article.syndication",
        },
        writes={"story"},
        state="story index: TF-IDF rows, similarity edges and story memberships",
        partition="publication time: candidates lie within a few time scales of each other",
    )

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()

    @classmethod
    def from_config(cls, config: Config) -> ClusterStage:
        """Build the stage from the ``cluster`` section."""
        return cls(config.cluster)

    def group(
        self,
        articles: Sequence[Article],
        state: Any,
        mapper: Mapper | None,
        revised: Sequence[Article] = (),
    ) -> Grouping:
        """Place ``articles`` in the index's stories; the stories touched come out, largest
        first (every story, for an index that was empty), each with its thread, and the
        untouched stories whose thread changed with their new thread.

        On a cluster (a ``mapper``) with ``cluster.window_days`` set, a corpus that starts
        from nothing is clustered in time windows instead (:mod:`presslens.cluster.windows`).
        """
        index: StoryIndex = state
        if mapper is not None and self.config.window_days and not index.ids:
            spread = group_in_windows(articles, self.config, mapper)
            if spread is not None:
                return spread
        before = {s.sid for s in index.stories_by_key.values()}
        threads_before = index.threads() if before else {}
        touched = index.add(articles)
        # an article already in a saved index (a run that stopped before its stories were
        # written) is skipped by ``add``; its story must still be written
        touched.update(sid for a in articles if (sid := index.story_of(a.id)) is not None)
        touched |= index.revise(revised)
        after = {s.sid for s in index.stories_by_key.values()}
        threads = index.threads()
        return Grouping(
            stories=tuple(index.stories(only=touched, threads=threads)),
            removed=tuple(sorted(before - after)),
            rethreaded={
                sid: thread
                for sid, thread in threads.items()
                if sid not in touched and threads_before.get(sid) != thread
            },
            counts=dict(index.counts),
        )

    def new_state(self) -> StoryIndex:
        """An empty index (with the sentence encoder when ``cluster.embed`` is set)."""
        embedder = None
        if self.config.embed:
            from presslens.cluster.embed import Embedder

            embedder = Embedder()
        return StoryIndex(self.config, embedder)

    def check_incremental(self) -> None:
        """Refuse ``cluster.embed``: the stored story index keeps no embeddings."""
        if self.config.embed:
            raise ConfigError(
                "--embed is not supported with --db: the stored story index has no embeddings"
            )

    def load_state(self, parts: Mapping[str, bytes]) -> StoryIndex:
        """The index saved by :meth:`dump_state`."""
        self.check_incremental()
        try:
            meta, arrays = unpack_state(parts)
            return StoryIndex.from_state(meta, arrays, self.config)
        except (ValueError, KeyError) as exc:
            raise StoreError(f"the saved story index is damaged: {exc}") from exc

    def dump_state(self, state: Any) -> dict[str, bytes]:
        """The index as the store keeps it."""
        index: StoryIndex = state
        meta, arrays = index.state()
        return pack_state(meta, arrays)
