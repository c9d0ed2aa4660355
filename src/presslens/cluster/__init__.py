"""Story clustering: features, a candidate index, incremental assignment and consolidation.

:func:`cluster_articles` clusters a corpus in one batch; :class:`StoryIndex` does it
incrementally, and the cluster stage keeps it in a store between ``ingest`` runs.
"""

from presslens.cluster.index import StoryIndex, cluster_articles, story_id

__all__ = ["StoryIndex", "cluster_articles", "story_id"]
