"""Optional article embeddings for story clustering (``--embed``, extra ``embed``).

The model and its loading live in :mod:`presslens.embed`, shared with the comparison.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from presslens.cluster.features import article_text
from presslens.embed import default_embedder
from presslens.model import Article

# The model reads 256 word pieces at most; the head of a news article (headline and lead)
# is what says which event it reports.
_MAX_CHARS = 1500


class Embedder:
    """Encodes articles into L2-normalised sentence embeddings."""

    def __init__(self) -> None:
        self._encoder = default_embedder("story clustering with --embed")

    def encode(self, articles: list[Article]) -> npt.NDArray[np.float32]:
        """One normalised embedding per article, in order."""
        texts = [article_text(a)[:_MAX_CHARS] for a in articles]
        # An article is encoded once while clustering: remembering it would only crowd out
        # the sentences the comparison reuses.
        return self._encoder.encode_texts(texts, remember=False)
