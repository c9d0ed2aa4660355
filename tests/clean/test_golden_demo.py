"""Golden test on the demo corpus (tests/data/demo_expected.json): furniture goes, content stays.

The articles are read simply here (txt: first line is the title; JSONL with ``json``; the feed
with ``feedparser``; HTML handed whole to the cleaner), so that this test checks cleaning alone.
All articles are cleaned in one batch, as the pipeline does, so outlet learning takes part.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pytest

from presslens.clean import clean_articles
from presslens.config import CleanConfig
from presslens.model import Article, Skip


def _shape(line: str) -> str:
    return " ".join(line.split())


def _paragraphs(fragment: str) -> str:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return "\n\n".join(_shape(p.text_content()) for p in root.iter("p"))


def _read(demo: Path, expected: dict[str, Any]) -> list[Article]:
    articles: list[Article] = []
    for ref, exp in expected.items():
        fmt = exp["format"]
        if fmt == "txt":
            lines = (demo / ref).read_text(encoding="utf-8").split("\n")
            first = next(i for i, line in enumerate(lines) if line.strip())
            articles.append(
                Article(
                    id=ref,
                    title=lines[first],
                    text="\n".join(lines[first + 1 :]),
                    source=ref.split("/")[0],
                    origin=ref,
                )
            )
        elif fmt == "html":
            html = (demo / ref).read_text(encoding="utf-8")
            articles.append(
                Article(id=ref, text="", html=html, source=exp["source"], url=exp["url"])
            )
    for line in (demo / "aggregator-export.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        articles.append(
            Article(
                id=rec["id"],
                text=rec["text"],
                title=rec["title"],
                source=rec["source"],
                url=rec["url"],
                published=rec["published"],
            )
        )
    feed = feedparser.parse((demo / "ostrey-gazette.rss").read_text(encoding="utf-8"))
    for entry in feed.entries:
        articles.append(
            Article(
                id=entry.link,
                text=_paragraphs(entry.content[0].value),
                title=entry.title,
                source=feed.feed.title,
                url=entry.link,
            )
        )
    return articles


EXPECTED_FILE = Path(__file__).resolve().parents[1] / "data" / "demo_expected.json"
EXPECTED: dict[str, Any] = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="module")
def corpus(demo_dir: Path) -> tuple[dict[str, Article], dict[str, Article]]:
    originals = _read(demo_dir, EXPECTED)
    assert {a.id for a in originals} == set(EXPECTED)
    out = list(clean_articles(originals, CleanConfig()))
    assert [s for s in out if isinstance(s, Skip)] == []
    return {a.id: a for a in originals}, {a.id: a for a in out if isinstance(a, Article)}


@pytest.mark.parametrize("ref", sorted(EXPECTED))
def test_boilerplate_goes_and_content_stays(
    corpus: tuple[dict[str, Article], dict[str, Article]], ref: str
) -> None:
    before, after = corpus[0][ref], corpus[1][ref]
    exp = EXPECTED[ref]
    assert after.cleaned and after.html is None
    lines = [_shape(line) for line in after.text.split("\n")]
    for gone in exp["boilerplate_lines"]:
        assert _shape(gone) not in lines, gone
        assert _shape(gone) not in _shape(after.text), gone
    for kept in exp["content_lines_sample"]:
        assert _shape(kept) in lines, kept
    assert after.title == exp["title"]
    if exp["format"] != "html":
        removed = {_shape(r.line) for r in after.removed}
        source_lines = {_shape(line) for line in [before.title or "", *before.text.split("\n")]}
        for gone in exp["boilerplate_lines"]:
            if _shape(gone) in source_lines:
                assert _shape(gone) in removed, gone


@pytest.mark.parametrize("ref", sorted(r for r, e in EXPECTED.items() if e["format"] == "html"))
def test_html_metadata_is_filled_from_the_page(
    corpus: tuple[dict[str, Article], dict[str, Article]], ref: str
) -> None:
    after = corpus[1][ref]
    assert after.published == EXPECTED[ref]["published"]
    assert [r.reason for r in after.removed].count("html-extraction") == 1


def test_nothing_but_furniture_and_optional_lines_is_removed(
    corpus: tuple[dict[str, Article], dict[str, Article]],
) -> None:
    for ref, after in corpus[1].items():
        allowed = {_shape(x) for x in EXPECTED[ref]["boilerplate_lines"]}
        allowed |= {_shape(x) for x in EXPECTED[ref]["optional_lines"]}
        for r in after.removed:
            if r.reason != "html-extraction":
                assert _shape(r.line) in allowed, (ref, r)
