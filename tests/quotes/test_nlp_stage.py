"""The quotes stage, the CLI commands and the configuration section."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from presslens.cli import main
from presslens.config import Config, QuotesConfig, load_config
from presslens.errors import ConfigError
from presslens.model import Article, Story, StoryArticles
from presslens.pipeline import registered
from presslens.quotes.load import load_nlp
from presslens.quotes.stage import QuotesStage


def test_stage_is_registered_and_fills_the_story(nlp: Any, seed_texts: dict[str, str]) -> None:
    assert registered()["quotes"] is QuotesStage
    assert QuotesStage.contract.scope == "story"
    stage = QuotesStage.from_config(Config())
    articles = tuple(Article(id=k, text=v) for k, v in seed_texts.items())
    items = [
        StoryArticles(Story("s1", tuple(seed_texts)), articles),
        StoryArticles(Story("empty", ("e",)), (Article(id="e", text=""),)),
    ]
    out = list(stage.run(items))
    assert [d.story.id for d in out] == ["s1", "empty"]
    s1 = out[0].story
    assert s1.entities and s1.quotes and s1.quote_variants
    assert {q.article_id for q in s1.quotes} == set(seed_texts)
    assert out[1].story.quotes == () and out[1].story.quote_variants == ()


def test_config_section_validates() -> None:
    assert load_config(None, {"quotes": {"batch_size": 4}}).quotes.batch_size == 4
    with pytest.raises(ConfigError, match=r"quotes\.variant_min_similarity"):
        QuotesConfig(variant_min_similarity=0).validate()
    with pytest.raises(ConfigError, match="batch_size"):
        load_config(None, {"quotes": {"batch_size": 0}})


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="not installed"):
        load_nlp("no_such_spacy_pipeline_xyz")


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_quotes_and_entities_commands(
    nlp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "“We are ready to talk,” Foreign Minister Shah Mahmood Qureshi said on Monday."
    src = _write(
        tmp_path / "in.jsonl",
        [json.dumps({"id": "a1", "text": text, "source": "x"}), "{not json"],
    )
    out = tmp_path / "q.jsonl"
    assert main(["quotes", str(src), "-o", str(out)]) == 0
    assert "skipped" in capsys.readouterr().err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a1"]
    q = records[0]["quotes"][0]
    assert set(q) == {
        "text", "start", "end", "speaker", "speaker_start", "speaker_end",
        "speaker_canonical", "cue", "kind",
    }  # fmt: skip
    assert text[q["start"] : q["end"]] == q["text"]
    assert q["speaker_canonical"] == "Shah Mahmood Qureshi"

    ents = tmp_path / "e.jsonl"
    assert main(["entities", str(src), "-o", str(ents)]) == 0
    rec = json.loads(ents.read_text(encoding="utf-8").splitlines()[0])
    names = {e["name"]: e for e in rec["entities"]}
    assert names["Shah Mahmood Qureshi"]["type"] == "person"
    assert names["Shah Mahmood Qureshi"]["mentions"] == 1


def test_commands_with_no_articles_exit_2(tmp_path: Path) -> None:
    src = _write(tmp_path / "bad.jsonl", ["{not json", "[]"])
    assert main(["quotes", str(src), "-o", str(tmp_path / "o.jsonl"), "--quiet"]) == 2
