"""The store's schema, as an ordered list of migrations.

How to change the schema
------------------------
Append one entry to :data:`MIGRATIONS`; never edit or reorder an entry that has shipped, since
stores written by older code have already run it.  Migration ``n`` (0-based) takes a store from
version ``n`` to version ``n + 1``; :data:`SCHEMA_VERSION` follows from the length of the list
and is kept in ``PRAGMA user_version``.  An entry is either

* a SQL script (statements separated by ``;``, triggers allowed), or
* a function ``(conn: sqlite3.Connection) -> None`` for changes that need Python, such as a
  backfill computed from existing rows.

Each migration runs in its own ``BEGIN IMMEDIATE`` transaction together with the version bump,
so a failing one leaves the store at the version before it.  A migration must not commit,
roll back or call ``executescript`` (which commits).  Foreign keys are enforced; a migration
that rebuilds a referenced table should start with ``PRAGMA defer_foreign_keys = ON``.
Add a test in ``tests/store/`` that opens a store of the previous version and checks the change.

Version history: 1 articles + full-text index; 2 stories, their articles, run summaries;
3 the story index state of incremental clustering; 4 the state of every stateful stage
(``STAGE/PART`` keys; an index saved by version 3 is dropped and rebuilt from the articles)
and the ``work`` table of finished work that an interrupted ingest resumes from; 5 what
``watch`` keeps: the sources it polls and their health, each page it read (validators, body
hash, when to look again), robots.txt per host, every earlier version of an article whose page
changed (the row holds the current text, its ``revisions`` what changed, ``revised_pending``
until its stories are analysed again), and ``story_log``, one row each time a story is written
or removed, from which ``changes`` tells what is new since a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

from presslens.errors import StoreError
from presslens.store.history import log_story

Migration = str | Callable[[sqlite3.Connection], None]

_V1_ARTICLES = """
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    id TEXT NOT NULL UNIQUE,
    source TEXT,
    url TEXT,
    title TEXT,
    published TEXT,
    author TEXT,
    origin TEXT NOT NULL DEFAULT '',
    source_from TEXT NOT NULL DEFAULT 'unknown',
    text TEXT NOT NULL,
    word_count INTEGER NOT NULL,
    removed TEXT NOT NULL DEFAULT '[]',
    cleaned INTEGER NOT NULL DEFAULT 0,
    extra TEXT NOT NULL DEFAULT '{}',
    syndication_group TEXT,
    original INTEGER,
    added_at TEXT NOT NULL
);
CREATE INDEX articles_source ON articles (source, seq);

-- External-content index: the text lives once, in articles; the triggers keep the index in
-- step inside the writing transaction, so a crash can never leave the two apart.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
"""

_V2_STORIES_RUNS = """
CREATE TABLE stories (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT,
    doc TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE story_articles (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (story_id, article_id)
) WITHOUT ROWID;
CREATE INDEX story_articles_article ON story_articles (article_id);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    summary TEXT NOT NULL
);
"""

# The incremental story index: one row per saved part.
_V3_CLUSTER_STATE = """
CREATE TABLE cluster_state (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
"""

# Saved state is now kept per stage; finished work of an interrupted run lives in ``work``.
_V4_STAGE_STATE_WORK = """
DELETE FROM cluster_state;
CREATE TABLE work (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
"""

# What `watch` keeps; timestamps are UTC ISO strings as the store writes them everywhere.
_V5_WATCH = """
ALTER TABLE articles ADD COLUMN revisions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE articles ADD COLUMN revised_pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_pending ON articles (revised_pending) WHERE revised_pending = 1;
CREATE TABLE article_versions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    replaced_at TEXT NOT NULL,
    title TEXT,
    published TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
) WITHOUT ROWID;
CREATE INDEX article_versions_time ON article_versions (replaced_at);
CREATE TABLE sources (
    url TEXT PRIMARY KEY,
    name TEXT,
    kind TEXT,
    added_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    checked_at TEXT,
    ok_at TEXT,
    next_check_at TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    last_status TEXT,
    last_error TEXT,
    entries INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE pages (
    url TEXT PRIMARY KEY,
    source_url TEXT,
    article_url TEXT,
    entry_hash TEXT,
    entry_title TEXT,
    entry_published TEXT,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    first_seen_at TEXT NOT NULL,
    fetched_at TEXT,
    next_check_at TEXT,
    checks INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
) WITHOUT ROWID;
CREATE INDEX pages_due ON pages (next_check_at);
CREATE INDEX pages_article ON pages (article_url);
CREATE TABLE hosts (
    host TEXT PRIMARY KEY,
    robots TEXT,
    robots_status INTEGER,
    robots_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE story_log (
    seq INTEGER PRIMARY KEY,
    story_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    title TEXT,
    articles INTEGER NOT NULL DEFAULT 0,
    sources TEXT NOT NULL DEFAULT '[]',
    independent_sources INTEGER,
    discrepancies TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX story_log_story ON story_log (story_id, seq);
CREATE INDEX story_log_time ON story_log (recorded_at);
"""


def _v5_watch(conn: sqlite3.Connection) -> None:
    """The tables of version 5, and a first ``story_log`` row for every stored story, dated
    when it was last written (so a story already there is not reported as new)."""
    for statement in statements(_V5_WATCH):
        conn.execute(statement)
    rows = conn.execute("SELECT id, updated_at, doc FROM stories ORDER BY seq").fetchall()
    for story_id, updated_at, doc in rows:
        log_story(conn, story_id, updated_at, doc)


MIGRATIONS: list[Migration] = [
    _V1_ARTICLES,
    _V2_STORIES_RUNS,
    _V3_CLUSTER_STATE,
    _V4_STAGE_STATE_WORK,
    _v5_watch,
]
"""Migration ``n`` takes a store from version ``n`` to ``n + 1``; append only."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The version a store has after :func:`migrate`."""


def statements(script: str) -> Iterator[str]:
    """The SQL statements of ``script``, in order (``;`` inside triggers and strings kept)."""
    pending = ""
    *pieces, last = script.split(";")
    for piece in pieces:
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                yield pending.strip()
            pending = ""
    rest = (pending + last).strip()
    if rest:
        # A final statement may lack its ";"; the newline ends a trailing "--" comment.
        if not sqlite3.complete_statement(rest + "\n;"):
            raise StoreError(f"incomplete SQL statement in migration: {rest[:80]!r}")
        yield rest


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the store (0 for a new, empty file)."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def check_version(found: int, where: str) -> None:
    """Raise :class:`StoreError` when a store is newer than this code knows."""
    known = len(MIGRATIONS)
    if found > known:
        raise StoreError(
            f"{where}: store schema version {found} is newer than version {known} known to "
            "this presslens; upgrade presslens to open it"
        )


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the store on ``conn`` (autocommit mode) up to date; return the final version.

    Each step re-reads the version inside its write transaction, so two processes opening
    the same new store at once apply every migration exactly once.
    """
    while True:
        found = 0
        conn.execute("BEGIN IMMEDIATE")
        try:
            found = user_version(conn)
            check_version(found, where)
            if found == len(MIGRATIONS):
                conn.execute("COMMIT")
                return found
            step = MIGRATIONS[found]
            if isinstance(step, str):
                for statement in statements(step):
                    conn.execute(statement)
            else:
                step(conn)
            # PRAGMA takes no parameters; found is an int read from the store itself.
            conn.execute(f"PRAGMA user_version = {found + 1}")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(
                    f"{where}: migration to schema version {found + 1} failed: {exc}"
                ) from exc
            raise
