"""Full-text search: words found, hostile queries harmless, index kept in step."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

from presslens.model import Article
from presslens.store import Store, fts_query

HOSTILE = [
    '"',
    '""',
    "*",
    "-foo",
    "NEAR(",
    "NEAR(grain exports, 2)",
    "'); DROP TABLE articles; --",
    "title:grain",
    "grain OR",
    "AND",
    "(",
    ")",
    "^",
    "grain + - * : ( ) { } [ ]",
    "\x00",
    "\ud800",
    "grain\ud800 wheat",
    "",
    "   ",
    "a" * 10_000,
]


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_articles(
        [
            Article(id="g1", title="Grain exports resume", text="Ships left Odesa with wheat."),
            Article(id="g2", title="Markets", text="Wheat prices fell as grain exports resumed."),
            Article(id="z1", title="Zürich talks", text="Délégués à Zürich; Москва молчит."),
            Article(id="f1", title="Football", text="The final ended 2-1 after extra time."),
            Article(id="n1", title=None, text="Untitled note about NEAR-term grain contracts."),
        ]
    )
    return store


def _ids(store: Store, query: str) -> set[str]:
    return {hit.id for hit in store.search(query)}


def test_words_found_in_title_and_text(filled: Store) -> None:
    assert _ids(filled, "grain") == {"g1", "g2", "n1"}
    assert _ids(filled, "wheat exports") == {"g1", "g2"}
    assert _ids(filled, "Odesa") == {"g1"}
    assert _ids(filled, "cricket") == set()


def test_hits_carry_title_and_marked_snippet(filled: Store) -> None:
    hits = filled.search("odesa")
    assert [(h.id, h.title) for h in hits] == [("g1", "Grain exports resume")]
    assert "[Odesa]" in hits[0].snippet
    custom = filled.search("odesa", highlight=("<b>", "</b>"))
    assert "<b>Odesa</b>" in custom[0].snippet
    untitled = filled.search("contracts")
    assert untitled[0].title is None and "[contracts]" in untitled[0].snippet


def test_limit(filled: Store) -> None:
    assert len(filled.search("grain", limit=2)) == 2
    assert filled.search("grain", limit=0) == []


def test_unicode_case_and_diacritics(filled: Store) -> None:
    assert _ids(filled, "zurich") == {"z1"}
    assert _ids(filled, "ZÜRICH") == {"z1"}
    assert _ids(filled, "délégués") == {"z1"}
    assert _ids(filled, "москва") == {"z1"}


def test_phrases_and_prefixes(filled: Store) -> None:
    assert _ids(filled, "expor*") == {"g1", "g2"}
    assert _ids(filled, "2-1") == {"f1"}
    # Operators are searched as words, not obeyed.
    assert _ids(filled, "NEAR-term") == {"n1"}
    assert _ids(filled, "-grain") == {"g1", "g2", "n1"}


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(filled: Store, query: str) -> None:
    hits = filled.search(query)
    assert isinstance(hits, list)
    assert filled.count_articles() == 5


def test_fts_query_quotes_every_chunk() -> None:
    assert fts_query('say "hi" NEAR(') == '"say" """hi""" "NEAR("'
    assert fts_query("grain* *") == '"grain"*'
    assert fts_query(" - * : ") is None


def test_index_follows_text_updates_and_deletes(filled: Store, store_path: Path) -> None:
    conn = sqlite3.connect(store_path)
    try:
        conn.execute("UPDATE articles SET text = 'Rice instead.' WHERE id = 'g1'")
        conn.execute("DELETE FROM articles WHERE id = 'f1'")
        conn.commit()
    finally:
        conn.close()
    assert _ids(filled, "rice") == {"g1"}
    assert _ids(filled, "odesa") == set()
    assert _ids(filled, "football") == set()
    assert filled.integrity_check()


def test_integrity_check_sees_index_out_of_step(filled: Store, store_path: Path) -> None:
    conn = sqlite3.connect(store_path)
    try:
        conn.execute("DROP TRIGGER articles_fts_delete")
        conn.execute("DELETE FROM articles WHERE id = 'f1'")
        conn.commit()
    finally:
        conn.close()
    assert filled.integrity_check() is False


def test_repeated_terms_are_searched_once(filled: Store) -> None:
    assert fts_query("grain Grain GRAIN grain, wheat grain") == '"grain" "wheat"'
    assert fts_query("grain grain*") == '"grain" "grain"*'
    assert _ids(filled, " ".join(["grain"] * 3000)) == {"g1", "g2", "n1"}


def test_more_distinct_terms_than_the_cap_are_refused(filled: Store) -> None:
    from presslens.errors import QueryRefused
    from presslens.store.store import MAX_SEARCH_TERMS

    words = [f"w{i}" for i in range(MAX_SEARCH_TERMS)]
    assert fts_query(" ".join(words)) is not None
    with pytest.raises(QueryRefused, match=f"{MAX_SEARCH_TERMS + 1} different terms"):
        filled.search(" ".join([*words, "one-more"]))
    with pytest.raises(QueryRefused):
        filled.search_ids(" ".join([*words, "one-more"]))


def test_search_ids_match_like_search(filled: Store) -> None:
    for query in ("grain", "wheat exports", "Zurich", "cricket", "gra*", *HOSTILE):
        assert set(filled.search_ids(query)) == _ids(filled, query), query
    assert len(filled.search_ids("grain", limit=1)) == 1


def test_time_budget_stops_a_long_read(store: Store, synth: ModuleType) -> None:
    from presslens.errors import QueryTimeout

    store.add_articles(synth.articles(1500))
    full = store.search_ids("the")
    assert len(full) > 1000
    with pytest.raises(QueryTimeout, match="time budget"), store.time_budget(1e-9):
        store.search_ids("the")
    # The budget ends with its block, and a generous one changes nothing.
    assert store.search_ids("the") == full
    with store.time_budget(60):
        assert store.search_ids("the") == full


def test_interrupt_from_another_thread_stops_a_read(store: Store) -> None:
    import threading

    from presslens.errors import StoreError

    endless = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    )
    timer = threading.Timer(0.3, store.interrupt)
    timer.start()
    with pytest.raises(StoreError, match="interrupted"), store._read() as conn:
        conn.execute(endless).fetchone()
    timer.join()


def test_summaries_carry_what_a_list_shows(filled: Store) -> None:
    summaries = list(filled.article_summaries())
    assert [s["id"] for s in summaries] == ["g1", "g2", "z1", "f1", "n1"]
    assert summaries[0] == {
        "id": "g1",
        "source": None,
        "title": "Grain exports resume",
        "published": None,
    }
    filled.put_stories(
        [
            {"id": "s1", "title": "Grain", "article_ids": ["g1", "g2"], "sources": ["A", "B"],
             "independent_sources": 1, "first_published": "2024-01-02", "quotes": [{"x": 1}]},
            {"id": "s2", "article_ids": ["f1"]},
        ]
    )  # fmt: skip
    stories = list(filled.story_summaries())
    assert stories == [
        {"id": "s1", "article_ids": ["g1", "g2"], "title": "Grain", "sources": ["A", "B"],
         "independent_sources": 1, "first_published": "2024-01-02"},
        {"id": "s2", "article_ids": ["f1"]},
    ]  # fmt: skip
