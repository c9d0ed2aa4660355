"""The compare stage and the ``presslens compare`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.cli import main
from presslens.compare.stage import CompareStage
from presslens.config import CompareConfig, Config, load_config
from presslens.errors import ConfigError
from presslens.model import Article
from presslens.pipeline import registered

from .conftest import MakeStory


def test_stage_registered_and_runs(make_story: MakeStory) -> None:
    assert registered()["compare"] is CompareStage
    assert "story.quotes" in CompareStage.contract.uses
    stage = CompareStage.from_config(Config())
    docs = make_story(Article(id="a", text="One two three four five."), Article(id="b", text="x"))
    (out,) = list(stage.run([docs]))
    assert out.story.alignment is not None and out.story.framing is not None


def test_config_validation(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="align_threshold"):
        CompareConfig(align_threshold=1.5).validate()
    cfg = tmp_path / "p.toml"
    cfg.write_text("[compare]\nalign_threshold = 0.6\n", encoding="utf-8")
    assert load_config(cfg).compare.align_threshold == 0.6


def test_command_groups_by_story_and_counts_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = {
        ("a1", "one", "s1"): "Sen. Maria Lopez opposed the plan on Tuesday in the chamber.",
        ("a2", "two", "s1"): "Gov. Maria Lopez opposed the plan in a long speech.",
        ("b1", "one", "s2"): "The harbour reopened after the storm passed.",
    }
    rows = [{"id": i, "source": src, "story": st, "text": t} for (i, src, st), t in texts.items()]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([*map(json.dumps, rows), "{not json"]) + "\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["compare", str(path), "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    stories = {s["id"]: s for s in doc["stories"]}
    assert set(stories) == {"s1", "s2"}
    assert stories["s1"]["discrepancies"][0]["kind"] == "role"
    assert "1 input(s) skipped" in capsys.readouterr().err


def test_command_with_nothing_to_compare(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("garbage\n", encoding="utf-8")
    assert main(["compare", str(src), "-o", str(tmp_path / "o.json"), "--quiet"]) == 2
