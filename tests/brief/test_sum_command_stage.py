"""`presslens summarize` and the brief stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.brief.stage import BriefStage
from presslens.cli import main
from presslens.config import load_config
from presslens.model import Article, Story, StoryArticles
from presslens.pipeline import Pipeline, registered

FLOOD = (
    "Heavy rain flooded the river town of Aldmoor on Monday, forcing 2,000 residents to leave. "
    "Mayor Ines Carvalho said the water rose faster than in any flood since 1998. "
    "Rescue teams used boats to reach families trapped on the upper floors of their homes. "
    "The regional government promised emergency funds of 40 million euros for the repairs."
)


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_story_records_with_their_own_budget(tmp_path: Path) -> None:
    src = tmp_path / "stories.jsonl"
    stories = [
        {"story": "s1", "words": 20, "articles": [{"id": "a", "text": FLOOD}]},
        {"story": "s2", "articles": [{"id": "b", "text": FLOOD}, {"id": "c", "text": FLOOD}]},
    ]
    src.write_text("".join(json.dumps(s) + "\n" for s in stories), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["brief", str(src), "-o", str(out), "--words", "60", "--quiet"]) == 0
    s1, s2 = _lines(out)
    assert s1["story"] == "s1" and s1["words"] == 20
    assert s2["words"] == 60
    for rec in (s1, s2):
        brief = rec["brief"]
        assert isinstance(brief, list) and brief
        for sent in brief:
            assert {"text", "cites", "support"} <= set(sent)
    assert sum(len(b["text"].split()) for b in s2["brief"]) <= 60  # type: ignore[index,union-attr]
    assert all(b["cites"] == ["b", "c"] for b in s2["brief"])  # type: ignore[index,union-attr]
    assert isinstance(s1["timeline"], list)


def test_article_records_grouped_by_story_and_bad_lines_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "articles.jsonl"
    src.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": FLOOD, "story": "x", "published": "2024-03-05"}),
                "{not json",
                json.dumps({"id": "b", "text": FLOOD, "story": "y"}),
                json.dumps([1, 2]),
                json.dumps({"id": "c", "html": "<p>hi</p>"}),
                json.dumps({"id": "d", "text": FLOOD, "story": "x"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["summarize", str(src), "-o", str(out)]) == 0
    recs = {r["story"]: r for r in _lines(out)}
    assert set(recs) == {"x", "y"}
    assert {c for s in recs["x"]["brief"] for c in s["cites"]} == {"a", "d"}  # type: ignore[attr-defined]
    err = capsys.readouterr().err
    assert "articles.jsonl:2: not valid JSON" in err
    assert "articles.jsonl:4: record is a list, not a JSON object" in err
    assert "articles.jsonl:5: no text (an HTML record needs `presslens analyze`" in err
    assert "3 input(s) skipped" in err


def test_nothing_to_summarize_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_text("\n{broken\n", encoding="utf-8")
    assert main(["brief", str(src), "-o", str(tmp_path / "o.jsonl"), "--quiet"]) == 2
    assert main(["brief", str(tmp_path / "missing.jsonl"), "--quiet"]) == 2


def test_stage_is_registered_and_fills_brief_and_timeline() -> None:
    assert registered()["brief"] is BriefStage
    assert "story.brief" in BriefStage.contract.writes
    assert "brief" in Pipeline.default(load_config()).names
    stage = BriefStage.from_config(load_config(overrides={"brief": {"words": 30}}))
    arts = (
        Article(id="a", text=FLOOD, published="2024-03-05"),
        Article(id="b", text="Nothing here"),
    )
    empty = StoryArticles(Story(id="e", article_ids=()), ())
    done = list(stage.run([StoryArticles(Story(id="s", article_ids=("a", "b")), arts), empty]))
    story = done[0].story
    assert story.brief and sum(len(s.text.split()) for s in story.brief) <= 30
    assert story.timeline and [e.date for e in story.timeline] == ["2024-03-04"]
    assert story.brief_rejected is None
    assert done[1].story.brief == () and done[1].story.timeline == ()


def test_story_records_headlines_are_read_from_their_title_field(tmp_path: Path) -> None:
    title = "Aldmoor flood forces 2,000 residents from their homes"
    body = FLOOD.split(". ", 1)[1]  # the flood's opening sentence is left to the headline
    src = tmp_path / "stories.jsonl"
    story = {
        "story": "s",
        "words": 25,
        "articles": [{"id": "a", "title": title, "text": body}, {"id": "b", "text": FLOOD}],
    }
    src.write_text(json.dumps(story) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["summarize", str(src), "-o", str(out), "--quiet"]) == 0
    (rec,) = _lines(out)
    heads = [b for b in rec["brief"] if b.get("located_in") == "title"]  # type: ignore[attr-defined]
    assert heads, rec["brief"]
    assert heads[0]["article_id"] == "a" and "a" in heads[0]["cites"]
    assert heads[0]["text"] == title + "." and heads[0]["repair"] == "period"
    assert title[heads[0]["start"] : heads[0]["end"]] == title
