"""Fixtures for the comparison tests: stories from plain strings and from the seeds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from presslens.model import Article, Story, StoryArticles

MakeStory = Callable[..., StoryArticles]


def _make_story(*articles: Article) -> StoryArticles:
    return StoryArticles(Story("s", tuple(a.id for a in articles)), tuple(articles))


@pytest.fixture(scope="session")
def make_story() -> MakeStory:
    """Build a story from articles."""
    return _make_story


@pytest.fixture(scope="session")
def seeds_story(seeds_dir: Path) -> StoryArticles:
    """The two seed articles as one story (Arab News and Press TV)."""
    arts = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        source = "presstv" if "Press TV" in text else "arabnews"
        arts.append(Article(id=path.stem, text=text, source=source, published="2018-12-07"))
    return _make_story(*arts)
