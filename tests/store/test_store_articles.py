"""Articles in the store: keys, idempotent re-ingest, id collisions, round trips."""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from presslens.errors import StoreError
from presslens.model import Article, Removed
from presslens.store import Store, record_key


def _art(ident: str, text: str, **fields: object) -> Article:
    return Article(id=ident, text=text, **fields)  # type: ignore[arg-type]


def test_record_key_follows_text_and_provenance() -> None:
    base = _art("a", "Grain  talks RESUMED.", source="wire", url="u", title="t", published="p")
    # Whitespace and case are normalised away; the id and non-key fields do not count.
    same = dataclasses.replace(base, id="b", text="grain talks resumed.", author="x")
    assert record_key(same) == record_key(base)
    for change in ({"text": "grain talks stalled."}, {"source": "daily"}, {"url": "v"},
                   {"title": "T"}, {"published": None}):  # fmt: skip
        assert record_key(dataclasses.replace(base, **change)) != record_key(base), change
    # None and "" are different provenance.
    assert record_key(dataclasses.replace(base, source="")) != record_key(
        dataclasses.replace(base, source=None)
    )


def test_round_trip_keeps_every_field(store: Store) -> None:
    article = _art(
        "x1",
        "Officials in Zürich said the deal holds.\nMore later.",
        source="wire",
        url="https://wire.example/1",
        title="Deal holds",
        published="2024-03-01T10:00:00+00:00",
        author="A. Writer",
        origin="in.jsonl:3",
        source_from="jsonl",
        removed=(Removed("Subscribe now", "boilerplate"), Removed("Ad", "short")),
        cleaned=True,
        extra={"lang": "en", "tags": ["a", "b"], "n": 3},
        syndication_group="g1",
        is_original=False,
    )
    result = store.add_article(article)
    assert (result.id, result.inserted, result.renamed_from) == ("x1", True, None)
    assert result.key == record_key(article)
    assert store.get_article("x1") == article
    assert store.get_article("missing") is None


def test_html_is_not_stored(store: Store) -> None:
    store.add_article(_art("h", "text", html="<p>text</p>"))
    got = store.get_article("h")
    assert got is not None and got.html is None and got.text == "text"


def test_identical_reingest_adds_nothing(store: Store, synth: ModuleType) -> None:
    first = store.add_articles(synth.articles(120))
    digest = store.content_digest()
    again = store.add_articles(synth.articles(120))
    assert first.inserted == 120 and first.existing == 0
    assert (again.inserted, again.existing, again.renamed) == (0, 120, 0)
    assert store.count_articles() == 120
    assert store.content_digest() == digest
    # A copy differing only in whitespace and case is the same record.
    original = synth.article(5)
    respaced = dataclasses.replace(original, text="  " + original.text.upper().replace(" ", "\n"))
    assert store.add_article(respaced).inserted is False


def test_same_text_from_two_outlets_is_two_rows(store: Store) -> None:
    text = "The same wire copy, word for word."
    a = store.add_article(_art("w1", text, source="wire"))
    b = store.add_article(_art("d1", text, source="daily"))
    assert a.inserted and b.inserted and a.key != b.key
    assert store.count_articles() == 2


def test_id_collision_stores_under_suffixed_id(store: Store) -> None:
    first = store.add_article(_art("dup", "first text", source="wire"))
    second = store.add_article(_art("dup", "second text", source="wire"))
    assert second.inserted
    assert second.id == f"dup~{second.key[:8]}"
    assert second.renamed_from == "dup"
    got_first, got_second = store.get_article("dup"), store.get_article(second.id)
    assert got_first is not None and got_first.text == "first text"
    assert got_second is not None and got_second.text == "second text"
    # Re-adding the renamed record finds it by key under its stored id.
    again = store.add_article(_art("dup", "second text", source="wire"))
    assert (again.inserted, again.id) == (False, second.id)
    assert first.id == "dup"


def test_hostile_ids_still_get_a_free_id(store: Store) -> None:
    victim = _art("v", "victim text")
    key = record_key(victim)
    store.add_article(_art("v", "holder"))
    store.add_article(_art(f"v~{key[:8]}", "squatter one"))
    store.add_article(_art(f"v~{key}", "squatter two"))
    result = store.add_article(victim)
    assert result.inserted and result.id == f"v~{key}~2"
    assert store.count_articles() == 4


def test_add_articles_counts_renames(store: Store, synth: ModuleType) -> None:
    counts = store.add_articles(synth.articles(200))
    # ingest_child reuses an id every 50th article.
    assert counts.inserted == 200 and counts.renamed == 4


def test_each_article_is_committed_on_its_own(store_path: Path, synth: ModuleType) -> None:
    def failing() -> Iterator[Article]:
        yield from synth.articles(30)
        raise RuntimeError("input broke")

    with Store(store_path) as store, pytest.raises(RuntimeError):
        store.add_articles(failing())
    # A fresh connection sees everything added before the failure.
    with Store(store_path, readonly=True) as reader:
        assert reader.count_articles() == 30


def test_articles_in_insertion_order_and_by_source(store: Store, synth: ModuleType) -> None:
    generated = list(synth.articles(1100))  # more than one page of streaming
    store.add_articles(generated)
    stored = list(store.articles())
    assert [a.text for a in stored] == [a.text for a in generated]
    wire = list(store.articles(source="wire"))
    assert wire and all(a.source == "wire" for a in wire)
    assert (
        len(wire)
        == store.count_articles(source="wire")
        == sum(a.source == "wire" for a in generated)
    )
    assert list(store.articles(source="nobody")) == []


def test_sources_most_first_with_unknown(store: Store) -> None:
    for i in range(3):
        store.add_article(_art(f"w{i}", f"wire {i}", source="wire"))
    store.add_article(_art("d", "daily", source="daily"))
    store.add_article(_art("n1", "no source one"))
    store.add_article(_art("n2", "no source two"))
    assert store.sources() == [("wire", 3), (None, 2), ("daily", 1)]


def test_update_syndication_while_iterating(store: Store, synth: ModuleType) -> None:
    store.add_articles(synth.articles(700))
    for i, article in enumerate(store.articles()):
        assert store.update_syndication(article.id, f"g{i // 2}", i % 2 == 0)
    got = store.get_article("a00003")
    assert got is not None and (got.syndication_group, got.is_original) == ("g1", False)
    assert store.update_syndication("missing", "g", True) is False
    assert store.integrity_check()


def test_odd_articles_are_stored(store: Store) -> None:
    odd = [
        _art("empty", ""),
        _art("nul", "before\x00after", title="t\x00"),
        _art("surrogate", "bad \ud800 half", title="\udfff", extra={"k": "\ud83d"}),
        _art("huge", "word " * 200_000),
        _art("emoji 🗞️ ünïcödé", "Привет, мир — 你好 🌍", source="Ελλάδα"),
        _art("extra", "odd metadata", extra={"when": time, "set": {1}, 3: (1, 2)}),
    ]
    counts = store.add_articles(odd)
    assert counts.inserted == len(odd)
    bad = store.get_article("surrogate")
    assert bad is not None
    assert (bad.text, bad.title, dict(bad.extra)) == ("bad \ufffd half", "\ufffd", {"k": "\ufffd"})
    # Re-ingesting the unstorable original finds the stored record.
    assert store.add_article(odd[2]).inserted is False
    nul = store.get_article("nul")
    assert nul is not None and nul.text == "before\x00after"
    uni = store.get_article("emoji 🗞️ ünïcödé")
    assert uni is not None and uni.text == "Привет, мир — 你好 🌍"
    extra = store.get_article("extra")
    assert extra is not None and extra.extra == {"when": str(time), "set": [1], "3": [1, 2]}
    huge = store.get_article("huge")
    assert huge is not None and len(huge.text) == 1_000_000
    assert store.integrity_check()


def test_no_half_rows_columns_are_complete(store: Store, synth: ModuleType) -> None:
    store.add_articles(synth.articles(50))
    conn = sqlite3.connect(store.path)
    try:
        nulls = conn.execute(
            "SELECT count(*) FROM articles WHERE key IS NULL OR text IS NULL OR added_at IS NULL"
            " OR word_count IS NULL"
        ).fetchone()[0]
        words = conn.execute("SELECT id, word_count FROM articles").fetchall()
    finally:
        conn.close()
    assert nulls == 0
    by_id = {a.id: a.word_count for a in store.articles()}
    assert dict(words) == by_id


def test_readonly_store_refuses_writes(store_path: Path) -> None:
    with Store(store_path) as writer:
        writer.add_article(_art("a", "text"))
    with Store(store_path, readonly=True) as reader:
        with pytest.raises(StoreError, match="read-only"):
            reader.add_article(_art("b", "other"))
        assert reader.count_articles() == 1


def test_closed_store_raises_store_error(store_path: Path) -> None:
    store = Store(store_path)
    store.close()
    store.close()
    with pytest.raises(StoreError):
        store.count_articles()


def test_add_articles_speed(tmp_path: Path, synth: ModuleType) -> None:
    articles = list(synth.articles(2000))
    with Store(tmp_path / "speed.db") as store:
        start = time.perf_counter()
        counts = store.add_articles(articles)
        elapsed = time.perf_counter() - start
    assert counts.inserted == 2000
    assert elapsed < 5.0, f"2,000 articles took {elapsed:.2f} s"
