"""``changes`` measures "not covered yet" against the outlets of a story's thread (the stories
of one ongoing matter, as the cluster stage writes them) and falls back on the outlets active
since the time asked when a story has no thread."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from presslens.model import Article
from presslens.store import Store
from presslens.watch.changes import changes_since, render_changes_markdown


def _article(aid: str, source: str) -> Article:
    return Article(
        id=aid,
        text=f"Text of {aid}.",
        source=source,
        url=f"https://{source.lower().replace(' ', '')}.example/{aid}",
        title=f"Title {aid}",
        published="2026-03-05",
        cleaned=True,
    )


def _story(sid: str, articles: list[Article], thread: list[str] | None) -> dict[str, Any]:
    story: dict[str, Any] = {
        "id": sid,
        "title": f"Story {sid}",
        "article_ids": [a.id for a in articles],
        "sources": sorted({a.source for a in articles if a.source}),
        "independent_sources": len({a.source for a in articles}),
    }
    if thread:
        story["thread"] = {
            "id": "t1",
            "title": "The trial",
            "stories": [
                {
                    "story_id": s,
                    "title": None,
                    "first_published": None,
                    "last_published": None,
                    "articles": 1,
                    "score": 1.0,
                }
                for s in thread
            ],
        }
    return story


def test_not_covered_yet_is_measured_against_the_thread(tmp_path: Path) -> None:
    first = [_article("a1", "Meridian Wire"), _article("b1", "Vale Watch")]
    later = [_article("a2", "Meridian Wire")]
    other = _article("c1", "Harbour Post")
    with Store(tmp_path / "s.db") as store:
        for a in first:
            store.add_article(a)
        store.put_stories([_story("s1", first, None)])
        time.sleep(0.01)
        since = store.story_states("s1", "9999")[1].recorded_at + "1"
        time.sleep(0.01)
        for a in [*later, other]:
            store.add_article(a)
        store.commit_update(
            states={},
            stories=[_story("s2", later, ["s1", "s2"]), _story("s3", [other], None)],
        )
        doc = changes_since(store, since)
    by_id = {s["id"]: s for s in doc["new_stories"]}
    assert set(by_id) == {"s2", "s3"}
    # s2's thread holds s1, covered by Meridian Wire and Vale Watch: Vale Watch has not yet
    assert by_id["s2"]["not_covered_by"] == ["Vale Watch"]
    # s3 has no thread: measured against the outlets that published since then
    assert by_id["s3"]["not_covered_by"] == ["Meridian Wire"]
    assert doc["not_covered_basis"] == "mixed"
    assert "Vale Watch" in render_changes_markdown(doc)
