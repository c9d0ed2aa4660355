"""Story clustering: features, a candidate index, incremental assignment and consolidation.

:func:`cluster_articles` clusters a corpus in one batch; :class:`StoryIndex` does it
incrementally and :func:`assign_incremental` keeps it in a store between runs.
"""

from presslens.cluster.index import StoryIndex, cluster_articles, story_id
from presslens.cluster.persist import IncrementalUpdate, assign_incremental, load_index, save_index

__all__ = [
    "IncrementalUpdate",
    "StoryIndex",
    "assign_incremental",
    "cluster_articles",
    "load_index",
    "save_index",
    "story_id",
]
