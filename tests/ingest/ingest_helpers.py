"""Shared helpers of the ingest tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from presslens.config import IngestConfig
from presslens.ingest import read_inputs
from presslens.model import Article, Notice, Skip


def read_all(
    paths: Iterable[str | Path], **settings: Any
) -> tuple[list[Article], list[Skip], list[Notice]]:
    """Articles, skips and notices of one ``read_inputs`` call, each in output order."""
    config = dataclasses.replace(IngestConfig(), **settings)
    articles: list[Article] = []
    skips: list[Skip] = []
    notices: list[Notice] = []
    for item in read_inputs(paths, config):
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, Skip):
            skips.append(item)
        else:
            notices.append(item)
    return articles, skips, notices


def run(paths: Iterable[str | Path], **settings: Any) -> tuple[list[Article], list[Skip]]:
    """Articles and skips of one ``read_inputs`` call (which must give no notice)."""
    articles, skips, notices = read_all(paths, **settings)
    assert notices == [], notices
    return articles, skips


def one_skip(paths: Iterable[str | Path], **settings: Any) -> Skip:
    """The single Skip of a run that must yield exactly one Skip and no article."""
    articles, skips = run(paths, **settings)
    assert articles == [], articles
    assert len(skips) == 1, skips
    return skips[0]
