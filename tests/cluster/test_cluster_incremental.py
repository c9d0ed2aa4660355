"""Incremental clustering through the store, and the ``presslens cluster`` command."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from test_story_clustering import _follow_ups, _quake_articles

from presslens.api import IngestResult, ingest_into, run_on_store
from presslens.cli import main
from presslens.cluster import StoryIndex, cluster_articles
from presslens.cluster.stage import ClusterStage
from presslens.config import ClusterConfig, Config
from presslens.errors import ConfigError
from presslens.executors.local import InProcess
from presslens.model import Article
from presslens.pipeline import Pipeline
from presslens.store import Store


def test_state_round_trip_goes_on_like_one_run() -> None:
    arts, _ = _quake_articles()
    first, rest = arts[::2], arts[1::2]
    index = StoryIndex()
    index.add(first)
    meta, arrays = index.state()
    restored = StoryIndex.from_state(json.loads(json.dumps(meta)), arrays)
    assert restored.assignments() == index.assignments()
    restored.add(rest)
    together = cluster_articles(arts)
    groups = {frozenset(a for a, s in restored.assignments().items() if s == sid)
              for sid in set(restored.assignments().values())}  # fmt: skip
    expect = {frozenset(a for a, s in together.assignments().items() if s == sid)
              for sid in set(together.assignments().values())}  # fmt: skip
    assert groups == expect
    assert len(expect) == 2  # the two quakes, not every report on its own


def _incremental(db: Path, arts: list[Article], name: str) -> IngestResult:
    src = db.parent / f"{name}.jsonl"
    _write_jsonl(src, arts)
    config = Config()
    pipeline = Pipeline.of(config, ("syndication", "cluster"))
    return run_on_store(pipeline, db, [str(src)], config, InProcess())


def _story_of(db: Path) -> dict[str, str]:
    with Store(db, readonly=True) as store:
        return {a: s.id for s in store.story_records() for a in s.article_ids}


def test_new_articles_join_stored_stories(tmp_path: Path) -> None:
    arts, gold = _quake_articles()
    early = [a for a in arts if a.id.endswith(("-0", "-1"))]
    late = [a for a in arts if a not in early]
    db = tmp_path / "s.db"
    first = _incremental(db, early, "early")
    assert first.inserted == len(early) and first.stories_touched == 2
    before = _story_of(db)
    second = _incremental(db, late, "late")
    after = _story_of(db)
    for a in late:
        assert after[a.id] == before[f"q{gold[a.id]}-0"]
    assert set(after.values()) == set(before.values())
    assert second.result is not None
    assert all(a.syndication_group for a in second.result.articles)
    with Store(db) as store:
        states = store.stage_states()
        assert set(states) == {"syndication", "cluster"}
        index = ClusterStage().load_state(states["cluster"])
        assert len(index.ids) == len(arts)
        doc = store.get_story(next(iter(after.values())))
        assert doc is not None and doc["independent_sources"] >= 2
        assert "memberships" in doc and "embed" not in doc


def test_first_incremental_run_indexes_articles_already_stored(tmp_path: Path) -> None:
    arts, _ = _quake_articles()
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add_articles(arts[:-1])
    result = _incremental(db, arts[-1:], "last")
    assert result.inserted == 1
    story_of = _story_of(db)
    assert len(story_of) == len(arts)
    assert story_of[arts[-1].id] == story_of[arts[-2].id]


def _write_jsonl(path: Path, arts: list[Article]) -> None:
    fields = ("id", "text", "title", "source", "published")
    lines = [json.dumps({f: getattr(a, f) for f in fields}) for a in arts]
    path.write_text("\n".join([*lines, "{not json", ""]), encoding="utf-8")


def test_stories_stored_without_stage_state_are_rebuilt(tmp_path: Path) -> None:
    """A store with stories but no saved index (as ``analyze --db`` leaves it): the stages
    see every stored article, and a stored story the rebuild does not write is removed."""
    arts, _ = _quake_articles()
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add_articles(arts[:-1])
        store.put_stories([{"id": "stale", "title": "old", "article_ids": [arts[0].id]}])
    result = _incremental(db, arts[-1:], "last")
    assert result.result is not None
    written = {bundle.story.id for bundle in result.result.stories}
    with Store(db, readonly=True) as store:
        assert set(store.story_ids()) == written and "stale" not in written
    assert len(_story_of(db)) == len(arts)


def test_cluster_command_writes_one_line_per_article(tmp_path: Path, capsys: object) -> None:
    arts, gold = _quake_articles()
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src, arts)
    assert main(["cluster", str(src), "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [a.id for a in arts]
    assert all(set(r) == {"id", "story", "thread", "syndication_group", "original"} for r in rows)
    by_story: dict[str, set[int]] = {}
    for r in rows:
        by_story.setdefault(r["story"], set()).add(gold[r["id"]])
    assert all(len(v) == 1 for v in by_story.values())
    # one thread per story here: the two earthquakes are two matters
    thread_of = {r["story"]: r["thread"] for r in rows}
    assert len(set(thread_of.values())) == len(thread_of) == 2
    assert all(t.startswith("thread-") for t in thread_of.values())
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "skipped" in err


def test_cluster_command_with_store(tmp_path: Path) -> None:
    arts, _ = _quake_articles()
    src, out, db = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s.db"
    _write_jsonl(src, arts)
    assert main(["cluster", str(src), "-o", str(out), "--db", str(db), "--quiet"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(arts) and all(r["story"] for r in rows)
    assert len({r["story"] for r in rows}) == 2  # one story a quake
    with Store(db) as store:
        assert len(list(store.stories())) == 2


def test_cluster_command_with_store_keeps_a_clashing_id_apart(tmp_path: Path) -> None:
    arts, _ = _quake_articles()
    src, out, db = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s.db"
    _write_jsonl(src, arts)
    with Store(db) as store:  # another text already holds the first article's id
        store.add_article(Article(id=arts[0].id, text="An unrelated harbour report.", source="x"))
    assert main(["cluster", str(src), "-o", str(out), "--db", str(db), "--quiet"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(arts) and all(r["story"] for r in rows)
    assert rows[0]["id"].startswith(arts[0].id + "~")
    with Store(db) as store:
        assert store.count_articles() == len(arts) + 1
        for story in store.stories():
            assert all(store.get_article(a) is not None for a in story["article_ids"])


def test_cluster_command_on_nothing_returns_2(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("{broken\n", encoding="utf-8")
    assert main(["cluster", str(src), "-o", str(tmp_path / "o.jsonl")]) == 2


_NO_EMBED_WITH_DB = "--embed is not supported with --db: the stored story index has no embeddings"


def test_a_pipeline_checks_its_stateful_stages_for_an_incremental_run() -> None:
    Pipeline.default(Config()).check_incremental()
    embedding = Pipeline.default(replace(Config(), cluster=ClusterConfig(embed=True)))
    with pytest.raises(ConfigError, match=_NO_EMBED_WITH_DB):
        embedding.check_incremental()


def test_incremental_clustering_refuses_embeddings(tmp_path: Path) -> None:
    arts, _ = _quake_articles()
    config = replace(Config(), cluster=ClusterConfig(embed=True))
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, arts)
    with pytest.raises(ConfigError, match=_NO_EMBED_WITH_DB):
        ingest_into([src], tmp_path / "s.db", config=config)
    assert not (tmp_path / "s.db").exists()


def test_cluster_command_refuses_embed_with_store_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arts, _ = _quake_articles()
    src, out, db = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s.db"
    _write_jsonl(src, arts)
    assert main(["cluster", str(src), "-o", str(out), "--db", str(db), "--embed"]) == 2
    assert _NO_EMBED_WITH_DB in capsys.readouterr().err
    assert not db.exists() and not out.exists()


def test_a_follow_up_joins_the_thread_and_thread_ids_stay(tmp_path: Path) -> None:
    arts, _ = _quake_articles()
    follow_ups = _follow_ups()
    src, out, db = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s.db"
    _write_jsonl(src, arts)
    assert main(["cluster", str(src), "-o", str(out), "--db", str(db), "--quiet"]) == 0
    first = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    _write_jsonl(src, follow_ups)
    assert main(["cluster", str(src), "-o", str(out), "--db", str(db), "--quiet"]) == 0
    later = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    quake = first["q0-0"]
    assert all(r["story"] != quake["story"] for r in later)
    assert all(r["thread"] == quake["thread"] for r in later)
    with Store(db) as store:
        # the stored first story was not re-clustered, but its thread now lists the follow-ups
        doc = store.get_story(quake["story"])
        assert doc is not None and doc["thread"]["id"] == quake["thread"]
        linked = [ts["story_id"] for ts in doc["thread"]["stories"]]
        assert linked[0] == quake["story"] and {r["story"] for r in later} <= set(linked)
        other = store.get_story(first["q1-0"]["story"])
        assert other is not None and other["thread"]["id"] == first["q1-0"]["thread"]
        assert len(other["thread"]["stories"]) == 1
    # clustering everything in one batch gives the same threads
    _write_jsonl(src, arts + follow_ups)
    assert main(["cluster", str(src), "-o", str(out), "--quiet"]) == 0
    batch = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert batch["q0-0"]["thread"] == quake["thread"] == batch["year-later"]["thread"]
