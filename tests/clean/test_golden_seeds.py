"""Golden test on the two seed articles: exactly these lines go, every other line stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.clean import clean_articles
from presslens.config import CleanConfig
from presslens.model import Article

SOURCES = {"000": "arabnews-mirror", "004": "presstv"}

MUST_GO = {
    "000": [
        "From :Arabnews",
        "Source link",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ],
    "004": [
        "News   /   Afghanistan",
        "This file photo shows Pakistan army spokesman Major-General Asif Ghafoor addressing a "
        "news conference.",
        "Press TV’s website can also be accessed at the following alternate addresses:",
        "Press TV News Roku",
    ],
}


def _shape(line: str) -> str:
    return " ".join(line.split())


def _article(path: Path) -> Article:
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    return Article(
        id=path.stem,
        title=lines[first],
        text="\n".join(lines[first + 1 :]),
        source=SOURCES[path.name[:3]],
        origin=str(path),
    )


@pytest.fixture(scope="module")
def cleaned(seeds_dir: Path) -> dict[str, tuple[Article, Article]]:
    originals = [_article(p) for p in sorted(seeds_dir.glob("*.txt"))]
    assert {a.id[:3] for a in originals} == set(MUST_GO)
    out = list(clean_articles(originals, CleanConfig()))
    assert all(isinstance(a, Article) for a in out)
    by_id = {a.id: a for a in out if isinstance(a, Article)}
    return {a.id[:3]: (a, by_id[a.id]) for a in originals}


@pytest.mark.parametrize("seed", sorted(MUST_GO))
def test_exactly_the_furniture_lines_are_removed(
    cleaned: dict[str, tuple[Article, Article]], seed: str
) -> None:
    _, after = cleaned[seed]
    assert [_shape(r.line) for r in after.removed] == [_shape(x) for x in MUST_GO[seed]]
    assert all(r.reason for r in after.removed)
    text_lines = {_shape(line) for line in after.text.split("\n")}
    for gone in MUST_GO[seed]:
        assert _shape(gone) not in text_lines


@pytest.mark.parametrize("seed", sorted(MUST_GO))
def test_every_other_line_survives_verbatim(
    cleaned: dict[str, tuple[Article, Article]], seed: str
) -> None:
    before, after = cleaned[seed]
    kept = {_shape(line) for line in after.text.split("\n")}
    assert after.title is not None
    kept.add(_shape(after.title))
    must_go = {_shape(x) for x in MUST_GO[seed]}
    expected = [
        _shape(line)
        for line in [before.title or "", *before.text.split("\n")]
        if line.strip() and _shape(line) not in must_go
    ]
    assert expected
    missing = [line for line in expected if line not in kept]
    assert missing == []


def test_the_run_together_word_is_not_repaired(
    cleaned: dict[str, tuple[Article, Article]],
) -> None:
    _, after = cleaned["000"]
    assert "saidthat Pakistan" in after.text


def test_a_breadcrumb_title_gives_way_to_the_headline(
    cleaned: dict[str, tuple[Article, Article]],
) -> None:
    assert cleaned["004"][1].title == "Pakistan army wants US to leave Afghanistan"
    assert cleaned["000"][1].title == "Pakistan military wants US to leave as a ‘friend’"
