"""Schema versions: new stores, migration of old ones, refusal of newer ones, read-only opens."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store import SCHEMA_VERSION, Store, schema

V1_SQL = Path(__file__).with_name("data") / "store_v1.sql"


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _set_user_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
    finally:
        conn.close()


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    finally:
        conn.close()
    return {r[0] for r in rows}


@pytest.fixture
def v1_store(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    try:
        conn.executescript(V1_SQL.read_text(encoding="utf-8"))
    finally:
        conn.close()
    assert _user_version(path) == 1
    return path


def test_new_store_is_current_and_in_wal_mode(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION == len(schema.MIGRATIONS) >= 2
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    assert {"articles", "articles_fts", "stories", "story_articles", "runs"} <= _tables(store.path)
    assert store.integrity_check()


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(StoreError, match="not in the store"):
        store.put_stories([{"id": "s", "article_ids": ["ghost"]}])
    # The check is SQLite's too, not only the store's own pre-check.
    with pytest.raises(sqlite3.IntegrityError):
        store._conn.execute(
            "INSERT INTO story_articles (story_id, article_id, position) VALUES ('s', 'x', 0)"
        )


def test_v1_store_migrates_on_open(v1_store: Path) -> None:
    with Store(v1_store) as store:
        assert store.schema_version == SCHEMA_VERSION
        old = store.get_article("old1")
        assert old is not None and old.title == "Grain talks resume" and old.cleaned
        assert [r.reason for r in old.removed] == ["boilerplate"]
        other = store.get_article("old2")
        assert other is not None and (other.syndication_group, other.is_original) == ("g1", True)
        assert {h.id for h in store.search("wheat")} == {"old1", "old2"}
        # Tables of version 2 exist and work.
        store.put_stories([{"id": "s1", "article_ids": ["old1", "old2"]}])
        assert store.stories_for_article("old2") == ["s1"]
        assert store.record_run({"articles": 2}) == 1
        added = store.add_article(Article(id="new", text="Fresh copy."))
        assert added.inserted
        assert store.integrity_check()
    assert _user_version(v1_store) == SCHEMA_VERSION


def test_readonly_open_of_old_store_is_refused(v1_store: Path) -> None:
    with pytest.raises(StoreError, match=r"version 1 is older than version \d"):
        Store(v1_store, readonly=True)
    assert _user_version(v1_store) == 1


@pytest.mark.parametrize("readonly", [False, True])
def test_newer_store_is_refused_naming_both_versions(store_path: Path, readonly: bool) -> None:
    Store(store_path).close()
    newer = SCHEMA_VERSION + 3
    _set_user_version(store_path, newer)
    with pytest.raises(StoreError) as info:
        Store(store_path, readonly=readonly)
    message = str(info.value)
    assert f"version {newer}" in message and f"version {SCHEMA_VERSION}" in message
    assert _user_version(store_path) == newer


def test_appended_migrations_run_in_order(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(store_path) as store:
        store.add_article(Article(id="a", text="one two three"))
        store.add_article(Article(id="b", text="four five"))

    def backfill(conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT id, text FROM articles").fetchall()
        conn.executemany(
            "INSERT INTO lengths (id, chars) VALUES (?, ?)", [(i, len(t)) for i, t in rows]
        )

    sql = "CREATE TABLE lengths (id TEXT PRIMARY KEY REFERENCES articles (id), chars INTEGER);"
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, sql, backfill])
    with Store(store_path) as store:
        assert store.schema_version == SCHEMA_VERSION + 2
        rows = store._conn.execute("SELECT id, chars FROM lengths ORDER BY id").fetchall()
        assert rows == [("a", 13), ("b", 9)]
        assert store.integrity_check()


def test_failed_migration_leaves_previous_version(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(store_path).close()
    broken = "CREATE TABLE half (x); INSERT INTO no_such_table VALUES (1);"
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
        with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1} failed"):
            Store(store_path)
    assert _user_version(store_path) == SCHEMA_VERSION
    assert "half" not in _tables(store_path)
    with Store(store_path) as store:
        assert store.integrity_check()


def test_statements_keeps_triggers_and_strings_whole() -> None:
    script = (
        "CREATE TABLE t (x);\n"
        "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;\n"
        "INSERT INTO t VALUES ('a;b') -- no final semicolon"
    )
    parts = list(schema.statements(script))
    assert len(parts) == 3
    assert parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")
    conn = sqlite3.connect(":memory:")
    try:
        for part in parts:
            conn.execute(part)
        assert conn.execute("SELECT x FROM t").fetchall() == [("a;b",)]
    finally:
        conn.close()
    with pytest.raises(StoreError, match="incomplete"):
        list(schema.statements("INSERT INTO t VALUES ('unterminated"))


def test_two_writers_opening_a_new_store_migrate_once(store_path: Path) -> None:
    errors: list[BaseException] = []

    def open_and_add(i: int) -> None:
        try:
            with Store(store_path) as store:
                store.add_article(Article(id=f"t{i}", text=f"thread {i}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_and_add, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(store_path, readonly=True) as store:
        assert store.count_articles() == 4 and store.schema_version == SCHEMA_VERSION


def test_file_that_is_not_a_store(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        Store(junk)
    with pytest.raises(StoreError):
        Store(junk, readonly=True)
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "absent.db", readonly=True)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(StoreError, match="not a presslens store"):
        Store(empty, readonly=True)


def test_readonly_beside_a_writer(store_path: Path) -> None:
    with Store(store_path) as writer:
        writer.add_article(Article(id="a", text="first grain", title="A"))
        with Store(store_path, readonly=True) as reader:
            assert reader.count_articles() == 1
            writer.add_article(Article(id="b", text="second grain", title="B"))
            # A committed write is visible to the reader's next statement.
            assert reader.count_articles() == 2
            assert {h.id for h in reader.search("grain")} == {"a", "b"}
            assert reader.integrity_check()

            seen: list[int] = []

            def read_in_thread() -> None:
                with Store(store_path, readonly=True) as other:
                    seen.append(other.count_articles())
                # The writer's store object is usable from another thread too.
                seen.append(reader.count_articles())

            worker = threading.Thread(target=read_in_thread)
            worker.start()
            worker.join()
            assert seen == [2, 2]
    # After the writer closed (WAL files gone), a read-only open still works.
    with Store(store_path, readonly=True) as reader:
        assert reader.get_article("b") is not None


def test_path_with_uri_characters(tmp_path: Path) -> None:
    path = tmp_path / "odd dir?#%" / "store&x=1.db"
    with Store(path) as writer:
        writer.add_article(Article(id="a", text="text"))
    with Store(path, readonly=True) as reader:
        assert reader.count_articles() == 1
