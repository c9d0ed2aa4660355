"""Fixtures of the summarize tests: the seed articles as a two-outlet story."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.model import Article


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> list[Article]:
    """The two seed articles, published the same Friday."""
    return [
        Article(id=p.stem, text=p.read_text(encoding="utf-8"), published="2018-12-07")
        for p in sorted(seeds_dir.glob("*.txt"))
    ]
