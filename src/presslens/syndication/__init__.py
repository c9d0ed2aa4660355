"""Syndication: exact and near-duplicate texts (MinHash + LSH), grouped, with their lineage.

:func:`find_syndication` groups a corpus in one call; :class:`SyndicationIndex` does the same
incrementally (the store keeps its state between runs).
"""

from presslens.syndication.index import (
    SyndicationIndex,
    SyndicationResult,
    find_syndication,
    lineage_key,
)
from presslens.syndication.shingles import exact_jaccard, shingle_hashes, words

__all__ = [
    "SyndicationIndex",
    "SyndicationResult",
    "exact_jaccard",
    "find_syndication",
    "lineage_key",
    "shingle_hashes",
    "words",
]
