"""Stories and run summaries in the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store import Store


@pytest.fixture
def with_articles(store: Store) -> Store:
    store.add_articles(Article(id=f"a{i}", text=f"article number {i}") for i in range(6))
    return store


def _story(ident: str, ids: list[str], **more: Any) -> dict[str, Any]:
    return {"id": ident, "article_ids": ids, **more}


def test_stories_round_trip(with_articles: Store) -> None:
    docs = [
        _story("s1", ["a0", "a1"], title="Grain talks", scores={"x": 0.5}, brief=[{"t": "ü"}]),
        _story("s2", ["a2"], title=None),
        _story("s3", ["a1", "a3", "a4"]),
    ]
    assert with_articles.put_stories(docs) == 3
    assert list(with_articles.stories()) == docs
    assert with_articles.get_story("s1") == docs[0]
    assert with_articles.get_story("nope") is None
    assert with_articles.stories_for_article("a1") == ["s1", "s3"]
    assert with_articles.stories_for_article("a5") == []


def test_replacing_a_story_keeps_its_place(with_articles: Store) -> None:
    with_articles.put_stories([_story("s1", ["a0", "a1"]), _story("s2", ["a2"])])
    with_articles.put_stories([_story("s1", ["a3"], title="Revised")])
    assert [s["id"] for s in with_articles.stories()] == ["s1", "s2"]
    assert with_articles.get_story("s1") == {"id": "s1", "article_ids": ["a3"], "title": "Revised"}
    assert with_articles.stories_for_article("a0") == []
    assert with_articles.stories_for_article("a3") == ["s1"]
    assert with_articles.integrity_check()


def test_bad_story_batch_writes_nothing(with_articles: Store) -> None:
    with_articles.put_stories([_story("keep", ["a0"])])
    with pytest.raises(StoreError, match="not in the store"):
        with_articles.put_stories([_story("s1", ["a1"]), _story("s2", ["a2", "ghost"])])
    assert [s["id"] for s in with_articles.stories()] == ["keep"]
    bad: dict[str, Any]
    for bad in ({"article_ids": []}, {"id": "x"}, {"id": 3, "article_ids": []},
                {"id": "x", "article_ids": [1]}):  # fmt: skip
        with pytest.raises(StoreError):
            with_articles.put_stories([bad])
    assert with_articles.get_story("x") is None


def test_duplicate_article_in_story_and_tuple_ids(with_articles: Store) -> None:
    with_articles.put_stories([{"id": "s", "article_ids": ("a0", "a0", "a1")}])
    assert with_articles.stories_for_article("a0") == ["s"]
    assert with_articles.get_story("s") == {"id": "s", "article_ids": ["a0", "a0", "a1"]}


def test_many_stories_stream_in_order(with_articles: Store) -> None:
    docs = [_story(f"s{i:04d}", [f"a{i % 6}"]) for i in range(1200)]
    with_articles.put_stories(docs)
    assert [s["id"] for s in with_articles.stories()] == [d["id"] for d in docs]
    assert len(with_articles.stories_for_article("a0")) == 200


def test_runs_recorded_in_order_with_times(store: Store, store_path: Path) -> None:
    first = store.record_run({"articles": 10, "skipped": {"empty": 2}, "out": store_path})
    second = store.record_run({"articles": 0})
    assert second > first
    runs = store.runs()
    assert [r["id"] for r in runs] == [first, second]
    assert runs[0]["summary"] == {"articles": 10, "skipped": {"empty": 2}, "out": str(store_path)}
    assert all(r["recorded_at"].endswith("+00:00") for r in runs)
    assert runs[0]["recorded_at"] <= runs[1]["recorded_at"]


def test_stories_visible_to_readonly(with_articles: Store) -> None:
    with_articles.put_stories([_story("s1", ["a0"])])
    with Store(with_articles.path, readonly=True) as reader:
        assert reader.get_story("s1") == _story("s1", ["a0"])
        assert reader.stories_for_article("a0") == ["s1"]
        with pytest.raises(StoreError, match="read-only"):
            reader.put_stories([_story("s2", ["a1"])])


def test_stage_state_round_trip(store: Store, store_path: Path) -> None:
    assert store.stage_states() == {}
    first = {"meta": b"\x78\x9c first", "arrays": bytes(range(256)) * 40}
    store.commit_update(states={"cluster": first, "syndication": {"meta": b"s"}})
    assert store.stage_states() == {"cluster": first, "syndication": {"meta": b"s"}}
    # a second save replaces one stage's whole state, parts it does not name included
    store.commit_update(states={"cluster": {"meta": b"second"}})
    expected = {"cluster": {"meta": b"second"}, "syndication": {"meta": b"s"}}
    assert store.stage_states() == expected
    with Store(store_path, readonly=True) as reader:
        assert reader.stage_states() == expected
        with pytest.raises(StoreError, match="read-only"):
            reader.commit_update(states={"cluster": first})
    with Store(store_path) as reopened:
        assert reopened.stage_states() == expected


def test_commit_update_is_one_transaction(with_articles: Store) -> None:
    with_articles.put_stories([_story("old", ["a0"])])
    with pytest.raises(StoreError, match="not in the store"):
        with_articles.commit_update(
            states={"cluster": {"meta": b"new"}},
            stories=[_story("s1", ["a1"]), _story("bad", ["nope"])],
            removed=["old"],
            run={"inputs": []},
        )
    # nothing of the failed update landed: no state, the old story kept, no run recorded
    assert with_articles.stage_states() == {}
    assert with_articles.story_ids() == ["old"]
    assert with_articles.runs() == []
    with_articles.commit_update(
        states={"cluster": {"meta": b"new"}}, stories=[_story("s1", ["a1"])], removed=["old"]
    )
    assert with_articles.story_ids() == ["s1"]


def test_work_is_kept_until_cleared(store: Store, store_path: Path) -> None:
    assert store.work_get("shard", "k") is None
    store.work_put("shard", "k", b"one")
    store.work_put("shard", "k", b"two")
    with Store(store_path, readonly=True) as reader:
        assert reader.work_get("shard", "k") == b"two"
    store.work_clear()
    assert store.work_get("shard", "k") is None
