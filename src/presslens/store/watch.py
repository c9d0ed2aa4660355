"""The store's tables for ``watch``: sources and their health, pages read, robots.txt per host,
and the queries ``changes`` asks of the story log and the article versions.

Times are UTC ISO strings with milliseconds (``2026-03-01T06:00:00.000+00:00``), the form the
store writes everywhere, so that they compare as strings.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any


def utc_iso(moment: datetime) -> str:
    """``moment`` as the store writes times (UTC, milliseconds)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def utc_now() -> str:
    """Now, as the store writes times."""
    return utc_iso(datetime.now(UTC))


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source ``watch`` polls: a feed, or a front page whose links are articles.

    ``kind`` is ``feed`` or ``page`` once the first answer said which (``None`` before);
    ``failures`` counts failed checks in a row, ``next_check_at`` is when it is due again
    (later than the round interval while it is backed off); ``entries`` is how many entries
    or links its last good answer listed, ``articles`` how many new articles it brought in
    all.
    """

    url: str
    name: str | None = None
    kind: str | None = None
    added_at: str = ""
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    checked_at: str | None = None
    ok_at: str | None = None
    next_check_at: str | None = None
    failures: int = 0
    last_status: str | None = None
    last_error: str | None = None
    entries: int = 0
    articles: int = 0


@dataclass(frozen=True, slots=True)
class PageRow:
    """An article page ``watch`` has seen listed, keyed by its canonical URL.

    ``article_url`` is the URL the article is stored under (the page's own canonical link
    when it names one); ``entry_hash`` what the listing said of it last (title, date,
    summary), so a changed entry sends the page to be read again, and ``entry_title`` and
    ``entry_published`` the title and date it gave, which a page read again keeps; ``etag``,
    ``last_modified`` and ``body_hash`` tell an unchanged page without reading it twice;
    ``next_check_at`` is when it is looked at again for corrections (``None``: never).
    """

    url: str
    source_url: str | None = None
    article_url: str | None = None
    entry_hash: str | None = None
    entry_title: str | None = None
    entry_published: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    first_seen_at: str = ""
    fetched_at: str | None = None
    next_check_at: str | None = None
    checks: int = 0
    failures: int = 0
    last_error: str | None = None


_SOURCE_COLUMNS = ", ".join(f.name for f in fields(SourceRow))
_PAGE_COLUMNS = ", ".join(f.name for f in fields(PageRow))


def _upsert(table: str, columns: str, key: str) -> str:
    names = columns.split(", ")
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != key)
    marks = ", ".join("?" for _ in names)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )


_PUT_SOURCE = _upsert("sources", _SOURCE_COLUMNS, "url")
_PUT_PAGE = _upsert("pages", _PAGE_COLUMNS, "url")


@dataclass(frozen=True, slots=True)
class StoryState:
    """One ``story_log`` row: a story as it was written at ``recorded_at``."""

    story_id: str
    recorded_at: str
    removed: bool
    title: str | None
    articles: int
    sources: tuple[str, ...]
    independent_sources: int | None
    discrepancies: dict[str, list[str]]


_IN_CHUNK = 500
"""Keys bound to one ``IN (...)`` query: well under SQLite's limit of bound parameters
(32,766 since 3.32, 999 before)."""


def _rows_in(conn: sqlite3.Connection, sql: str, keys: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` for the distinct ``keys``, :data:`_IN_CHUNK` keys a query; ``sql``
    holds ``{marks}`` where the list of placeholders goes (``... IN ({marks})``)."""
    wanted = list(dict.fromkeys(keys))
    for i in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[i : i + _IN_CHUNK]
        yield from conn.execute(sql.format(marks=", ".join("?" * len(chunk))), chunk).fetchall()


_LOG_COLUMNS = (
    "story_id, recorded_at, removed, title, articles, sources, independent_sources, discrepancies"
)


def _state(row: tuple[Any, ...]) -> StoryState:
    story_id, at, removed, title, articles, sources, independent, discrepancies = row
    return StoryState(
        story_id,
        at,
        bool(removed),
        title,
        int(articles),
        tuple(json.loads(sources)),
        independent,
        json.loads(discrepancies),
    )


class WatchTables:
    """Methods of :class:`~presslens.store.Store` over the tables ``watch`` keeps."""

    if TYPE_CHECKING:

        def _read(self) -> AbstractContextManager[sqlite3.Connection]: ...

        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...

    # --- sources ---------------------------------------------------------------------------

    def add_source(self, url: str, *, name: str | None = None, rename: bool = True) -> bool:
        """Add a source to poll (``True``); for one already listed (``False``) set its
        ``name`` when given (with ``rename=False`` only when it has none yet)."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sources (url, name, added_at) VALUES (?, ?, ?)"
                " ON CONFLICT (url) DO NOTHING",
                (url, name, utc_now()),
            )
            if cursor.rowcount == 0 and name is not None:
                conn.execute(
                    "UPDATE sources SET name = ? WHERE url = ? AND (name IS NULL OR ?)",
                    (name, url, int(rename)),
                )
            return cursor.rowcount > 0

    def remove_source(self, url: str) -> bool:
        """Stop polling ``url``; ``False`` when it was not listed.  Its articles stay."""
        with self._write() as conn:
            return conn.execute("DELETE FROM sources WHERE url = ?", (url,)).rowcount > 0

    def list_sources(self) -> list[SourceRow]:
        """Every source, in the order they were added."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY added_at, url"
            ).fetchall()
        return [SourceRow(*r) for r in rows]

    def put_source(self, source: SourceRow) -> None:
        """Write a source's row as given (after a check)."""
        with self._write() as conn:
            conn.execute(_PUT_SOURCE, astuple(source))

    # --- pages -----------------------------------------------------------------------------

    def get_pages(self, urls: Iterable[str]) -> dict[str, PageRow]:
        """The rows of the pages among ``urls`` that have been seen."""
        sql = f"SELECT {_PAGE_COLUMNS} FROM pages WHERE url IN ({{marks}})"
        with self._read() as conn:
            return {r[0]: PageRow(*r) for r in _rows_in(conn, sql, urls)}

    def pages_with_article(self, article_urls: Iterable[str]) -> set[str]:
        """Those of ``article_urls`` that some page seen so far is stored under."""
        sql = "SELECT DISTINCT article_url FROM pages WHERE article_url IN ({marks})"
        with self._read() as conn:
            return {r[0] for r in _rows_in(conn, sql, article_urls)}

    def due_pages(self, now: str, exclude: Iterable[str] = (), limit: int = 1000) -> list[PageRow]:
        """Pages whose look for corrections is due at ``now`` (soonest first)."""
        skip = set(exclude)
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_PAGE_COLUMNS} FROM pages WHERE next_check_at IS NOT NULL"
                " AND next_check_at <= ? ORDER BY next_check_at LIMIT ?",
                (now, limit + len(skip)),
            ).fetchall()
        return [PageRow(*r) for r in rows if r[0] not in skip][:limit]

    def put_pages(self, pages: Iterable[PageRow]) -> None:
        """Write page rows as given, all in one transaction."""
        rows = [astuple(p) for p in pages]
        if not rows:
            return
        with self._write() as conn:
            conn.executemany(_PUT_PAGE, rows)

    def article_ids_by_url(self, urls: Iterable[str]) -> dict[str, str]:
        """The id of the newest stored article at each of ``urls`` that has one."""
        # In seq order, so the newest article at a URL is the one kept.
        sql = "SELECT url, id FROM articles WHERE url IN ({marks}) ORDER BY seq"
        with self._read() as conn:
            return {u: a for u, a in _rows_in(conn, sql, urls)}

    # --- robots.txt ------------------------------------------------------------------------

    def get_robots(self, host: str) -> tuple[str | None, int | None, str] | None:
        """``(robots.txt text, HTTP status, when fetched)`` kept for ``host``, if any."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT robots, robots_status, robots_at FROM hosts WHERE host = ?", (host,)
            ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def put_robots(self, host: str, text: str | None, status: int | None, at: str) -> None:
        """Keep ``host``'s robots.txt (``None`` with the status when there was none)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO hosts (host, robots, robots_status, robots_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (host) DO UPDATE SET robots = excluded.robots,"
                " robots_status = excluded.robots_status, robots_at = excluded.robots_at",
                (host, text, status, at),
            )

    # --- what changed ----------------------------------------------------------------------

    def stories_logged_since(self, since: str) -> list[str]:
        """Ids of the stories written or removed at or after ``since``, first write first."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT story_id, min(seq) AS first FROM story_log WHERE recorded_at >= ?"
                " GROUP BY story_id ORDER BY first",
                (since,),
            ).fetchall()
        return [r[0] for r in rows]

    def story_states(self, story_id: str, since: str) -> tuple[StoryState | None, StoryState]:
        """The story's last logged state before ``since`` (``None`` when it did not exist
        then) and its newest."""
        with self._read() as conn:
            before = conn.execute(
                f"SELECT {_LOG_COLUMNS} FROM story_log WHERE story_id = ? AND recorded_at < ?"
                " ORDER BY seq DESC LIMIT 1",
                (story_id, since),
            ).fetchone()
            now = conn.execute(
                f"SELECT {_LOG_COLUMNS} FROM story_log WHERE story_id = ? ORDER BY seq DESC"
                " LIMIT 1",
                (story_id,),
            ).fetchone()
        old = None if before is None else _state(before)
        return (None if old is not None and old.removed else old), _state(now)

    def latest_sources(self, story_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """The outlets of each of ``story_ids`` as last logged (none for a story removed
        since); ids never logged are left out."""
        sql = (
            "SELECT story_id, removed, sources FROM story_log WHERE seq IN (SELECT max(seq)"
            " FROM story_log WHERE story_id IN ({marks}) GROUP BY story_id)"
        )
        with self._read() as conn:
            rows = list(_rows_in(conn, sql, story_ids))
        return {i: () if removed else tuple(json.loads(sources)) for i, removed, sources in rows}

    def versions_since(self, since: str) -> Iterator[tuple[str, int, str]]:
        """``(article id, version, replaced at)`` of every version replaced at or after
        ``since``, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT article_id, version, replaced_at FROM article_versions"
                " WHERE replaced_at >= ? ORDER BY replaced_at, article_id",
                (since,),
            ).fetchall()
        for article_id, version, at in rows:
            yield article_id, int(version), at

    def outlets_added_since(self, since: str) -> list[str]:
        """Outlets of the articles stored at or after ``since`` (named ones), sorted."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT DISTINCT source FROM articles WHERE added_at >= ? AND source IS NOT NULL",
                (since,),
            ).fetchall()
        return sorted(r[0] for r in rows)

    def story_extract(self, story_id: str) -> tuple[list[str], list[dict[str, Any]]]:
        """Of a stored story: the ids of the other stories of its thread (when the story
        carries a ``thread``) and its discrepancies, read without the rest of the document."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT json_extract(doc, '$.thread.stories'),"
                " json_extract(doc, '$.discrepancies') FROM stories WHERE id = ?",
                (story_id,),
            ).fetchone()
        if row is None:
            return [], []
        thread = json.loads(row[0]) if isinstance(row[0], str) else []
        others = [
            str(s.get("story_id"))
            for s in thread
            if isinstance(s, dict) and s.get("story_id") not in (None, story_id)
        ]
        discrepancies = json.loads(row[1]) if isinstance(row[1], str) else []
        return others, [d for d in discrepancies if isinstance(d, dict)]

    def article_sources(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The outlet of each of ``article_ids`` that is stored."""
        sql = "SELECT id, source FROM articles WHERE id IN ({marks})"
        with self._read() as conn:
            return {a: s for a, s in _rows_in(conn, sql, article_ids)}

    def has_unfinished(self) -> bool:
        """Whether an article waits to be placed in a story, or a new version of one to have
        its stories analysed again (left by a run that stopped before it committed)."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT 1 FROM articles AS a WHERE a.revised_pending = 1 OR NOT EXISTS"
                " (SELECT 1 FROM story_articles AS sa WHERE sa.article_id = a.id) LIMIT 1"
            ).fetchone()
        return row is not None

    def latest_stories(self, limit: int) -> list[dict[str, Any]]:
        """The ``limit`` stories written most recently, newest first: ``id``, ``title``,
        ``updated_at``, ``sources``, ``independent_sources``, ``articles`` and the first
        sentences of the brief (``brief``), read without the rest of each document."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, title, updated_at, json_extract(doc, '$.sources'),"
                " json_extract(doc, '$.independent_sources'),"
                " json_array_length(doc, '$.article_ids'), json_extract(doc, '$.brief[0].text'),"
                " json_extract(doc, '$.brief[1].text'), json_extract(doc, '$.brief[2].text'),"
                " json_extract(doc, '$.first_published') FROM stories WHERE id IN"
                " (SELECT id FROM stories ORDER BY updated_at DESC, seq DESC LIMIT ?)",
                (limit,),
            ).fetchall()
        out = []
        for ident, title, updated, sources, independent, n, b0, b1, b2, first in rows:
            out.append(
                {
                    "id": ident,
                    "title": title,
                    "updated_at": updated,
                    "sources": json.loads(sources) if isinstance(sources, str) else [],
                    "independent_sources": independent,
                    "articles": n or 0,
                    "brief": [b for b in (b0, b1, b2) if isinstance(b, str)],
                    "first_published": first,
                }
            )
        out.sort(key=lambda s: (s["updated_at"], s["id"]), reverse=True)
        return out

    def last_watch_round(self) -> dict[str, Any] | None:
        """The summary of the newest ``watch`` round recorded in the runs, if any."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT json_extract(summary, '$.watch_round') FROM runs"
                " WHERE json_extract(summary, '$.watch_round') IS NOT NULL"
                " ORDER BY id DESC LIMIT 1"
            ).fetchone()
        return None if row is None or row[0] is None else dict(json.loads(row[0]))
