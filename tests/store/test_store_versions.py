"""What the store keeps for ``watch``: versions of an article read again at its URL, the log
of every story written, and the migration that adds them to a version 4 store."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import pytest

from presslens.model import Article
from presslens.store import Store, schema
from presslens.store.watch import PageRow

TEXT = "Twelve people died in the flood, officials said.\n\nRescue teams arrived on Friday."


def _article(text: str = TEXT, title: str = "Flood kills 12", **kw: object) -> Article:
    fields: dict[str, object] = {
        "id": "wire-1",
        "source": "Meridian Wire",
        "url": "https://wire.example/flood",
        "title": title,
        "published": "2026-03-05",
        "cleaned": True,
        **kw,
    }
    return Article(text=text, **fields)  # type: ignore[arg-type]


def test_a_new_text_at_a_known_url_is_a_version(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.add_article(_article()).inserted
        new = _article(TEXT.replace("Twelve", "Fifteen"), title="Flood kills 15")
        added = store.add_article(new, revise_by_url=True)
        assert added.revised and not added.inserted and added.id == "wire-1"
        assert store.count_articles() == 1
        stored = store.get_article("wire-1")
        assert stored is not None and stored.text.startswith("Fifteen")
        (revision,) = stored.revisions
        assert revision.version == 1
        assert [(c.kind, c.before, c.after) for c in revision.changes] == [
            ("headline", "Flood kills 12", "Flood kills 15"),
            ("figure", "Twelve", "Fifteen"),
        ]
        (old,) = store.article_versions("wire-1")
        assert (old["version"], old["title"], old["text"]) == (1, "Flood kills 12", TEXT)
        assert [a.id for a in store.pending_revisions()] == ["wire-1"]
        assert {h.id for h in store.search("Fifteen")} == {"wire-1"}
        assert store.search("Twelve") == []
        # the same content again is nothing new; a third version is version 2's successor
        assert not store.add_article(new, revise_by_url=True).revised
        third = _article(TEXT.replace("Twelve", "Sixteen"), title="Flood kills 16")
        assert store.add_article(third, revise_by_url=True).revised
        stored = store.get_article("wire-1")
        assert stored is not None and [r.version for r in stored.revisions] == [1, 2]
        assert [v["title"] for v in store.article_versions("wire-1")] == [
            "Flood kills 12",
            "Flood kills 15",
        ]
        store.commit_update(states={}, revised=["wire-1"])
        assert store.pending_revisions() == []
        assert store.integrity_check()


def test_without_revise_by_url_a_new_text_is_another_article(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.add_article(_article())
        added = store.add_article(_article(TEXT.replace("Twelve", "Fifteen")))
        assert added.inserted and added.renamed_from == "wire-1"
        assert store.count_articles() == 2 and store.pending_revisions() == []


def test_every_story_write_and_removal_is_logged(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.add_article(_article())
        store.add_article(_article(id="vale-1", url="https://vale.example/a", source="Vale Watch"))
        story = {
            "id": "s1",
            "title": "Flood",
            "article_ids": ["wire-1"],
            "sources": ["Meridian Wire"],
            "independent_sources": 1,
        }
        store.put_stories([story])
        time.sleep(0.01)  # the log's times have milliseconds: keep the two writes apart
        grown = {
            **story,
            "article_ids": ["wire-1", "vale-1"],
            "sources": ["Meridian Wire", "Vale Watch"],
            "independent_sources": 2,
            "discrepancies": [
                {
                    "kind": "number",
                    "quantity": "count",
                    "subject": "people killed",
                    "values": [{"value": "12", "normalised": "12"}, {"value": "15"}],
                }
            ],
        }
        store.commit_update(states={}, stories=[grown])
        middle = store.story_states("s1", "9999")[1].recorded_at
        store.delete_stories(["s1"])
        rows = store._conn.execute(
            "SELECT story_id, removed, articles, sources, independent_sources, discrepancies"
            " FROM story_log ORDER BY seq"
        ).fetchall()
    assert rows == [
        ("s1", 0, 1, '["Meridian Wire"]', 1, "{}"),
        (
            "s1",
            0,
            2,
            '["Meridian Wire", "Vale Watch"]',
            2,
            json.dumps({"number | count | people killed": ["12", "15"]}),
        ),
        ("s1", 1, 0, "[]", None, "{}"),
    ]
    with Store(tmp_path / "s.db") as store:
        before, latest = store.story_states("s1", middle)
        assert before is not None and before.articles == 1
        assert latest.removed and store.stories_logged_since(middle) == ["s1"]


def test_latest_sources_are_those_last_logged(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.add_article(_article())
        store.add_article(_article(id="vale-1", url="https://vale.example/a", source="Vale Watch"))
        one = {"id": "s1", "article_ids": ["wire-1"], "sources": ["Meridian Wire"]}
        store.put_stories([one, {**one, "id": "s2"}])
        store.put_stories(
            [
                {
                    **one,
                    "article_ids": ["wire-1", "vale-1"],
                    "sources": ["Vale Watch", "Meridian Wire"],
                }
            ]
        )
        store.delete_stories(["s2"])
        assert store.latest_sources(["s1", "s2", "never", "s1"]) == {
            "s1": ("Meridian Wire", "Vale Watch"),
            "s2": (),
        }
        assert store.latest_sources([]) == {}


def test_sources_pages_and_robots_round_trip(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.add_source("https://wire.example/feed", name="Meridian Wire")
        assert not store.add_source("https://wire.example/feed", name="The Wire")
        (row,) = store.list_sources()
        assert row.name == "The Wire" and row.added_at
        store.put_source(replace(row, failures=2, last_error="HTTP 500"))
        (row,) = store.list_sources()
        assert row.failures == 2 and row.last_error == "HTTP 500"
        page = PageRow("https://wire.example/a", first_seen_at="2026-03-05T00:00:00.000+00:00")
        store.put_pages(
            [page, PageRow("https://wire.example/b", first_seen_at="x", next_check_at="2026-03-05")]
        )
        assert store.get_pages(["https://wire.example/a", "https://nowhere.example/"]) == {
            page.url: page
        }
        assert [p.url for p in store.due_pages("2026-03-06")] == ["https://wire.example/b"]
        assert store.due_pages("2026-03-04") == []
        store.put_robots("wire.example", "User-agent: *\nDisallow: /x", 200, "2026-03-05")
        assert store.get_robots("wire.example") == (
            "User-agent: *\nDisallow: /x",
            200,
            "2026-03-05",
        )
        assert store.get_robots("other.example") is None
        assert store.remove_source("https://wire.example/feed")
        assert not store.remove_source("https://wire.example/feed")


def test_lookups_by_many_keys_span_several_queries(tmp_path: Path) -> None:
    """More keys than one ``IN (...)`` query takes (500), repeated keys among them."""
    urls = [f"https://wire.example/{i}" for i in range(1201)]
    with Store(tmp_path / "s.db") as store:
        store.put_pages(PageRow(u, article_url=u, first_seen_at="2026-03-05") for u in urls[::2])
        for i in range(0, 1201, 3):
            store.add_article(_article(f"Story {i}.", id=f"a{i}", url=urls[i], source=f"s{i}"))
        asked = [*urls, *urls[:10], "https://nowhere.example/"]
        assert sorted(store.get_pages(asked)) == sorted(urls[::2])
        assert store.pages_with_article(asked) == set(urls[::2])
        assert store.article_ids_by_url(asked) == {urls[i]: f"a{i}" for i in range(0, 1201, 3)}
        ids = [f"a{i}" for i in range(1201)]
        assert store.article_sources(ids) == {f"a{i}": f"s{i}" for i in range(0, 1201, 3)}


def test_a_version_4_store_migrates_and_logs_its_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v4.db"
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:4])
        with Store(path) as store:
            assert store.schema_version == 4
            store.add_article(_article())
    conn = sqlite3.connect(path)
    try:
        doc = {
            "id": "s1",
            "title": "Flood",
            "article_ids": ["wire-1"],
            "sources": ["Meridian Wire"],
        }
        conn.execute(
            "INSERT INTO stories (id, title, doc, updated_at) VALUES ('s1', 'Flood', ?, ?)",
            (json.dumps(doc), "2026-03-05T06:00:00.000+00:00"),
        )
        conn.execute("INSERT INTO story_articles VALUES ('s1', 'wire-1', 0)")
        conn.commit()
    finally:
        conn.close()
    with Store(path) as store:
        assert store.schema_version == schema.SCHEMA_VERSION == 5
        before, latest = store.story_states("s1", "2026-03-05T07:00")
        assert before is not None and before.sources == ("Meridian Wire",)
        assert latest.recorded_at == "2026-03-05T06:00:00.000+00:00"
        article = store.get_article("wire-1")
        assert article is not None and article.revisions == ()
        assert store.list_sources() == [] and store.integrity_check()
