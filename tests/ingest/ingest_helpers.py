"""Shared helpers of the ingest tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from presslens.config import IngestConfig
from presslens.ingest import read_inputs
from presslens.model import Article, Skip


def run(paths: Iterable[str | Path], **settings: Any) -> tuple[list[Article], list[Skip]]:
    """Articles and skips of one ``read_inputs`` call, each in output order."""
    config = dataclasses.replace(IngestConfig(), **settings)
    articles: list[Article] = []
    skips: list[Skip] = []
    for item in read_inputs(paths, config):
        (articles if isinstance(item, Article) else skips).append(item)  # type: ignore[arg-type]
    return articles, skips


def one_skip(paths: Iterable[str | Path], **settings: Any) -> Skip:
    """The single Skip of a run that must yield exactly one Skip and no article."""
    articles, skips = run(paths, **settings)
    assert articles == [], articles
    assert len(skips) == 1, skips
    return skips[0]
