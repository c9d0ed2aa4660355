"""Fixtures of the nlp tests: the spaCy pipeline and the seed story, built once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from presslens.config import QuotesConfig
from presslens.model import Article, Entity, Quote, QuoteVariant, Story, StoryArticles
from presslens.quotes.analyze import analyze_docs
from presslens.quotes.load import load_nlp

Analysis = tuple[tuple[Entity, ...], tuple[Quote, ...], tuple[QuoteVariant, ...]]


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The spaCy pipeline, loaded once (skips when it is not installed)."""
    pytest.importorskip("spacy")
    return load_nlp(None)


@pytest.fixture(scope="session")
def analyse(nlp: Any) -> Callable[[dict[str, str]], Analysis]:
    """Entities, quotes and variants of a story made of ``texts`` (article id → text)."""

    def run(texts: dict[str, str]) -> Analysis:
        articles = tuple(Article(id=k, text=v) for k, v in texts.items())
        story = StoryArticles(Story("s", tuple(texts)), articles)
        return analyze_docs(story, [nlp(a.text) for a in articles], QuotesConfig())

    return run


@pytest.fixture(scope="session")
def seed_texts(seeds_dir: Path) -> dict[str, str]:
    """The two seed articles by file stem."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_story(
    analyse: Callable[[dict[str, str]], Analysis], seed_texts: dict[str, str]
) -> Analysis:
    """The seed story analysed once."""
    return analyse(seed_texts)
