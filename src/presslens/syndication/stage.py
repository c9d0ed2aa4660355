"""The syndication stage: every article's group of near-duplicate texts and its lineage.

What a text contributes (its normalised hash, shingles and MinHash signature) is computed
per article, wherever the executor runs it; grouping needs the corpus and runs in :meth:`fit`
over those features, on the stage's :class:`SyndicationIndex` (fresh for ``analyze``, the
store's for ``ingest``, so syndication is computed once per article).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from presslens.codec import pack_state, unpack_state
from presslens.config import Config, SyndicationConfig
from presslens.errors import StoreError
from presslens.model import Article, Skip
from presslens.pipeline import ArticleStage, Mapper, Scope, contract, register
from presslens.syndication.index import (
    SyndicationIndex,
    SyndicationResult,
    TextFeatures,
    text_features,
)


@dataclass(frozen=True)
class SyndicationModel:
    """The groups after a fit, and the earlier articles whose fields it changed."""

    result: SyndicationResult
    changed: tuple[str, ...]


@register
class SyndicationStage(ArticleStage):
    """Sets every article's syndication fields; drops none.

    Articles that needed care (no text, very short text, exact duplicates, truncated) are
    tallied in the result's counts.
    """

    name = "syndication"
    contract = contract(
        Scope.CORPUS,
        reads={"article.text", "article.published"},
        writes={"article.syndication"},
        state="syndication index: each text's shingles, LSH band keys and verified pairs",
        partition="LSH band key: two texts are compared only when they share a band",
    )

    def __init__(self, config: SyndicationConfig | None = None) -> None:
        self.config = config or SyndicationConfig()

    @classmethod
    def from_config(cls, config: Config) -> SyndicationStage:
        """Build the stage from the ``dedup`` section."""
        return cls(config.syndication)

    def observe(self, articles: Sequence[Article]) -> list[Any]:
        """Each article's :class:`TextFeatures` (hash, shingles, signature)."""
        return list(text_features(articles, self.config))

    def fit(
        self,
        articles: Sequence[Article],
        observed: Sequence[Any],
        state: Any,
        mapper: Mapper | None,
    ) -> SyndicationModel:
        """Add the batch to the index and group it with everything the index holds."""
        index: SyndicationIndex = state
        before = index.result() if len(index) else None
        features: list[TextFeatures] = list(observed)
        index.add_features(articles, features, mapper)
        result = index.result()
        changed: tuple[str, ...] = ()
        if before is not None:
            changed = tuple(i for i in before.group_of if before.fields(i) != result.fields(i))
        return SyndicationModel(result, changed)

    def finish(self, articles: Sequence[Article], model: Any) -> list[Article | Skip]:
        """Each article with its group, lineage and similarity to its original."""
        result: SyndicationResult = model.result
        return [result.annotate(a) for a in articles]

    def revised(self, model: Any) -> tuple[str, ...]:
        """Articles of earlier runs whose group or original this fit changed."""
        changed: tuple[str, ...] = model.changed
        return changed

    def new_state(self) -> SyndicationIndex:
        """An empty index."""
        return SyndicationIndex(self.config)

    def load_state(self, parts: Mapping[str, bytes]) -> SyndicationIndex:
        """The index saved by :meth:`dump_state`."""
        try:
            meta, arrays = unpack_state(parts)
        except ValueError as exc:
            raise StoreError(f"the saved syndication index is damaged: {exc}") from exc
        return SyndicationIndex.from_state({**meta, **arrays}, self.config)

    def dump_state(self, state: Any) -> dict[str, bytes]:
        """The index as the store keeps it."""
        index: SyndicationIndex = state
        saved = index.state()
        arrays = {k: v for k, v in saved.items() if isinstance(v, np.ndarray)}
        meta = {k: v for k, v in saved.items() if k not in arrays}
        return pack_state(meta, arrays)
