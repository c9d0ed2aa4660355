"""The SQLite store: articles (with a full-text index), stories, run summaries and the
state of incremental clustering.

One file, WAL journal, one transaction per article written, so a process killed at any moment
loses at most the article in flight and never leaves half a row.  Readers (the web UI) open the
same file with ``Store(path, readonly=True)`` while a writer runs.  The schema and how to change
it live in :mod:`presslens.store.schema`.

Article text is untrusted: strings that cannot be stored as UTF-8 (lone surrogates, which
``json.loads`` happily produces) are replaced by U+FFFD before hashing and storing, and metadata
that is not plain JSON is stored as its ``str``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from presslens.codec import from_jsonable, to_jsonable
from presslens.errors import QueryRefused, QueryTimeout, StoreError
from presslens.model import Article, Removed, Revision, Story, normalise_for_hash, word_count
from presslens.store import schema
from presslens.store.history import LogRow, log_story, story_log_row
from presslens.store.watch import WatchTables, utc_now
from presslens.versions import changes_between

BUSY_TIMEOUT_MS = 10_000
"""How long a statement waits for another connection's lock.  A writer holds the lock for one
article (well under a millisecond here) or one WAL checkpoint, so 10 s only runs out when
something is stuck; chosen as a generous margin, not measured."""


def _while_locked(step: Callable[[], object], timeout_ms: int) -> None:
    """Run ``step``, again while SQLite answers "locked" or "busy", until ``timeout_ms``.

    Switching a new file to WAL and the first migration race when several connections open
    one new store at once, and SQLite reports some of those collisions at once, without
    calling the busy handler (it would deadlock waiting), so the wait happens here.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    pause = 0.005
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


_PAGE = 500
"""Rows fetched per query when streaming; the lock is released between pages so a caller can
write (e.g. ``update_syndication``) while iterating."""

_SNIPPET_TOKENS = 16
"""Words around the match in a search snippet: about one line of a results page."""

MAX_SEARCH_TERMS = 16
"""Most distinct words (or quoted chunks) one search may hold.  Every term is one more posting
list to scan and intersect, so the cost of a query grows with its terms (320 repeats of "the"
ran for over a minute before repeats were dropped); a headline runs to about ten words, so 16
leaves room for any search a reader types.  Chosen by that reasoning, not tuned."""

_PROGRESS_STEPS = 10_000
"""SQLite virtual-machine steps between two checks of a time budget.  Measured on a store of
2,000 articles of 300 words: a plain scan runs about 1.4 steps a microsecond, so a check
comes every 7 ms; FTS5 does a search's work inside single steps (16 prefix terms took 44 us
a step), so there a check comes about every 0.4 s.  Each check takes the interpreter lock,
which another busy thread may hold for up to 5 ms, so checking far more often would slow
every query down; chosen between those two costs, not tuned."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_WORD = re.compile(r"\w")
_WORDS = re.compile(r"\w+")
_SQLITE_CORRUPT = 11

_LOGGED_FIELDS = ("title", "article_ids", "sources", "independent_sources", "discrepancies")
"""The fields of a story document :func:`~presslens.store.history.story_log_row` reads."""

_ARTICLE_COLUMNS = (
    "id, text, source, url, title, published, author, origin, source_from, removed, cleaned, "
    "extra, syndication_group, original, revisions"
)
_INSERT_ARTICLE = (
    "INSERT INTO articles (key, id, url, source, title, published, author, origin, source_from,"
    " text, word_count, removed, cleaned, extra, syndication_group, original, added_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SET_SYNDICATION = "UPDATE articles SET syndication_group = ?, original = ? WHERE id = ?"


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :meth:`Store.add_article` did.

    ``id`` is the id the article is stored under; ``renamed_from`` is the article's own id when
    another article already held it and this one was stored under ``f"{id}~{key[:8]}"``;
    ``revised`` says the content replaced an earlier version of the article at its URL.
    """

    id: str
    inserted: bool
    key: str
    renamed_from: str | None = None
    #: the article was stored before under its URL with other content, and now holds this
    #: content as its newest version (see :meth:`Store.add_article`)
    revised: bool = False


@dataclass(frozen=True, slots=True)
class AddCounts:
    """Totals of :meth:`Store.add_articles`; ``renamed`` is a subset of ``inserted``."""

    inserted: int = 0
    existing: int = 0
    renamed: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text match: the article, its title and a snippet with the matches marked."""

    id: str
    title: str | None
    snippet: str


def _scrub(text: str) -> str:
    if text.isascii():
        return text
    return _SURROGATE.sub("\ufffd", text)


def _scrub_opt(text: str | None) -> str | None:
    return None if text is None else _scrub(text)


def _plain(value: Any, text: Callable[[str], str] = str) -> Any:
    """``value`` as plain JSON data; anything else becomes its ``str``.  Every string (keys
    included) goes through ``text``: :func:`_scrub` gives what decoding :func:`_dumps`'s
    JSON would."""
    if isinstance(value, str):
        return text(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {text(str(k)): _plain(v, text) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v, text) for v in value]
    return text(str(value))


def _dumps(value: Any) -> str:
    return _scrub(json.dumps(_plain(value), ensure_ascii=False))


def _content_values(article: Article) -> tuple[Any, ...]:
    """The article's content columns, as both inserting and revising it write them: source,
    title, published, author, origin, source_from, text, word_count, removed, cleaned, extra."""
    return (
        article.source,
        article.title,
        article.published,
        article.author,
        article.origin,
        article.source_from,
        article.text,
        word_count(article.text),
        _dumps([{"line": r.line, "reason": r.reason} for r in article.removed]),
        int(article.cleaned),
        _dumps(article.extra),
    )


def _delete_story(conn: sqlite3.Connection, story_id: str, now: str) -> bool:
    """Remove a story and log its removal (inside the caller's transaction); ``False`` when
    no story has this id."""
    if not conn.execute("DELETE FROM stories WHERE id = ?", (story_id,)).rowcount:
        return False
    log_story(conn, story_id, now, None, removed=True)
    return True


def _storable(article: Article) -> Article:
    """``article`` with every string made storable (lone surrogates become U+FFFD)."""
    return replace(
        article,
        id=_scrub(article.id),
        text=_scrub(article.text),
        source=_scrub_opt(article.source),
        url=_scrub_opt(article.url),
        title=_scrub_opt(article.title),
        published=_scrub_opt(article.published),
        author=_scrub_opt(article.author),
        origin=_scrub(article.origin),
        source_from=_scrub(article.source_from),
        removed=tuple(Removed(_scrub(r.line), _scrub(r.reason)) for r in article.removed),
        syndication_group=_scrub_opt(article.syndication_group),
    )


def record_key(article: Article) -> str:
    """The store's key of ``article``: SHA-256 (hex) of its normalised text and provenance.

    The text is compared as :func:`presslens.model.normalise_for_hash` sees it; source, url,
    title and published as given.  So re-ingesting the same record adds nothing, while the
    same text from two outlets (or at two URLs) is two records.
    """
    fields = [
        normalise_for_hash(_scrub(article.text)),
        _scrub_opt(article.source),
        _scrub_opt(article.url),
        _scrub_opt(article.title),
        _scrub_opt(article.published),
    ]
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fts_query(text: str) -> str | None:
    """A user's search text as a safe FTS5 query, or ``None`` when it has no words.

    Every whitespace-separated chunk becomes a quoted phrase (quotes doubled), so operators
    such as ``NEAR``, ``-``, ``:`` or ``(`` are searched as text and never parsed; chunks
    must all match.  A chunk ending in ``*`` keeps its meaning as a prefix search.  A chunk
    that repeats an earlier one (the same words, ignoring case and punctuation) is dropped;
    more than :data:`MAX_SEARCH_TERMS` distinct chunks raise :class:`QueryRefused`.
    """
    terms = []
    seen: set[tuple[tuple[str, ...], str]] = set()
    for chunk in _scrub(text).replace("\x00", " ").split():
        body = chunk.rstrip("*")
        if not _WORD.search(body):
            continue
        star = "*" if body != chunk else ""
        key = (tuple(_WORDS.findall(body.casefold())), star)
        if key in seen:
            continue
        seen.add(key)
        terms.append('"' + body.replace('"', '""') + '"' + star)
    if len(terms) > MAX_SEARCH_TERMS:
        raise QueryRefused(
            f"search has {len(terms)} different terms; at most {MAX_SEARCH_TERMS} are allowed"
        )
    return " ".join(terms) or None


def _candidate_ids(article_id: str, key: str) -> Iterator[str]:
    yield article_id
    yield f"{article_id}~{key[:8]}"
    # Only reachable when the ids themselves are hostile (an input already used "x~<hash>").
    yield f"{article_id}~{key}"
    n = 2
    while True:
        yield f"{article_id}~{key}~{n}"
        n += 1


def _article(row: tuple[Any, ...]) -> Article:
    (ident, text, source, url, title, published, author, origin, source_from, removed, cleaned,
     extra, group, original, revisions) = row  # fmt: skip
    return Article(
        id=ident,
        text=text,
        source=source,
        url=url,
        title=title,
        published=published,
        author=author,
        origin=origin,
        source_from=source_from,
        removed=tuple(Removed(r["line"], r["reason"]) for r in json.loads(removed)),
        cleaned=bool(cleaned),
        extra=json.loads(extra),
        syndication_group=group,
        is_original=None if original is None else bool(original),
        revisions=tuple(from_jsonable(Revision, r) for r in json.loads(revisions)),
    )


class Store(WatchTables):
    """A presslens store in one SQLite file.

    ``Store(path)`` creates or opens the file for writing and migrates an older schema;
    ``Store(path, readonly=True)`` opens an existing, up-to-date store for reading only and is
    safe beside a writer in another thread or process.  One ``Store`` may be shared by
    threads: each call holds the store's lock.  Use it as a context manager or call
    :meth:`close`.  Faults (a file that is not a store, a newer schema, a failed write) raise
    :class:`presslens.errors.StoreError`.
    """

    def __init__(
        self, path: str | Path, *, readonly: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._lock = threading.RLock()
        #: seconds of the time budget in force (see :meth:`time_budget`), else ``None``
        self._budget: float | None = None
        where = str(self.path)
        try:
            if readonly:
                if not self.path.is_file():
                    raise StoreError(f"{where}: no such store")
                uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{where}: cannot open store: {exc}") from exc
        self._conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if readonly:
                conn.execute("PRAGMA query_only = ON")
                self._check_readable(where)
            else:
                _while_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"), busy_timeout_ms)
                # With WAL, NORMAL loses no committed transaction on a process crash (only on
                # power loss) and saves an fsync per article.
                conn.execute("PRAGMA synchronous = NORMAL")
                _while_locked(lambda: schema.migrate(conn, where), busy_timeout_ms)
        except (StoreError, sqlite3.Error) as exc:
            conn.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{where}: cannot open store: {exc}") from exc

    def _check_readable(self, where: str) -> None:
        found = schema.user_version(self._conn)
        schema.check_version(found, where)
        if found == 0:
            raise StoreError(f"{where}: not a presslens store (schema version 0)")
        if found < len(schema.MIGRATIONS):
            raise StoreError(
                f"{where}: store schema version {found} is older than version "
                f"{len(schema.MIGRATIONS)}; open it once for writing to migrate it"
            )

    # --- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file (idempotent)."""
        with self._lock:
            try:
                if not self.readonly:
                    self._conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                # The store may already be closed; optimising is only a courtesy.
                pass
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the open store."""
        with self._read() as conn:
            return schema.user_version(conn)

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                if self._budget is not None and str(exc) == "interrupted":
                    raise QueryTimeout(
                        f"{self.path}: stopped after {self._budget:g} s (the time budget)"
                    ) from exc
                raise StoreError(f"{self.path}: {exc}") from exc

    @contextmanager
    def time_budget(self, seconds: float) -> Iterator[None]:
        """Stop every statement of this store that is still running ``seconds`` from now.

        A statement stopped by the budget raises :class:`QueryTimeout`.  The store's lock is
        held for the whole block, so other threads sharing this ``Store`` wait for it; give
        each thread its own ``Store`` when they must not.
        """
        deadline = time.monotonic() + seconds

        def past_deadline() -> int:
            return 1 if time.monotonic() > deadline else 0

        with self._lock:
            self._conn.set_progress_handler(past_deadline, _PROGRESS_STEPS)
            self._budget = seconds
            try:
                yield
            finally:
                self._budget = None
                self._conn.set_progress_handler(None, 0)

    def interrupt(self) -> None:
        """Stop the statement running on this store now, from any thread (it raises
        :class:`StoreError`, or :class:`QueryTimeout` inside a time budget)."""
        self._conn.interrupt()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise StoreError(f"{self.path}: store is open read-only")
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: write failed: {exc}") from exc

    def _paged(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql``, fetched :data:`_PAGE` at a time without holding the lock between.

        ``sql`` selects ``seq`` first and takes ``(after, *params, limit)``: the last ``seq``
        seen, its own parameters, the page size.
        """
        after = 0
        while True:
            with self._read() as conn:
                rows = conn.execute(sql, (after, *params, _PAGE)).fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1][0]

    # --- articles --------------------------------------------------------------------------

    def add_article(self, article: Article, *, revise_by_url: bool = False) -> AddResult:
        """Store ``article`` in its own transaction unless a record with its key is present.

        When another record already holds the article's id, it is stored under
        ``f"{id}~{key[:8]}"`` and the result's ``renamed_from`` says so.  ``html`` is not kept:
        the store holds the text.

        With ``revise_by_url`` (how ``watch`` stores a page it read again) an article whose URL
        is already stored with other content is a new version of that article: the stored
        row takes the new content under its old id, the text it held is kept in
        ``article_versions``, what changed is appended to its ``revisions``, and it is marked
        pending until :meth:`commit_update` records that its stories were analysed again.
        """
        article = _storable(article)
        key = record_key(article)
        with self._write() as conn:
            row = conn.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return AddResult(id=row[0], inserted=False, key=key)
            if revise_by_url and article.url:
                revised = self._revise(conn, article, key)
                if revised is not None:
                    return revised
            stored_id = next(
                candidate
                for candidate in _candidate_ids(article.id, key)
                if conn.execute("SELECT 1 FROM articles WHERE id = ?", (candidate,)).fetchone()
                is None
            )
            conn.execute(
                _INSERT_ARTICLE,
                (
                    key,
                    stored_id,
                    article.url,
                    *_content_values(article),
                    article.syndication_group,
                    None if article.is_original is None else int(article.is_original),
                    utc_now(),
                ),
            )
        renamed = None if stored_id == article.id else article.id
        return AddResult(id=stored_id, inserted=True, key=key, renamed_from=renamed)

    def _revise(self, conn: sqlite3.Connection, article: Article, key: str) -> AddResult | None:
        """Make ``article`` the newest version of the stored article at its URL (inside the
        caller's transaction); ``None`` when no article is stored at that URL."""
        row = conn.execute(
            "SELECT id, title, text, published, revisions FROM articles WHERE url = ?"
            " ORDER BY seq DESC LIMIT 1",
            (article.url,),
        ).fetchone()
        if row is None:
            return None
        ident, title, text, published, revisions_json = row
        revisions = json.loads(revisions_json)
        changes = changes_between(
            title, text, published, article.title, article.text, article.published
        )
        now = utc_now()
        if changes:
            version = len(revisions) + 1
            conn.execute(
                "INSERT OR REPLACE INTO article_versions (article_id, version, replaced_at,"
                " title, published, text) VALUES (?, ?, ?, ?, ?, ?)",
                (ident, version, now, title, published, text),
            )
            revisions.append(to_jsonable(Revision(version, now, changes)))
        conn.execute(
            "UPDATE articles SET key = ?, source = ?, title = ?, published = ?, author = ?,"
            " origin = ?, source_from = ?, text = ?, word_count = ?, removed = ?, cleaned = ?,"
            " extra = ?, revisions = ?, revised_pending = 1 WHERE id = ?",
            (key, *_content_values(article), _dumps(revisions), ident),
        )
        return AddResult(id=ident, inserted=False, key=key, revised=True)

    def pending_revisions(self) -> list[Article]:
        """Articles given a new version whose stories have not been analysed again yet."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE revised_pending = 1 ORDER BY seq"
            ).fetchall()
        return [_article(r) for r in rows]

    def article_versions(self, article_id: str) -> list[dict[str, Any]]:
        """Earlier versions of an article, oldest first: ``{"version", "replaced_at",
        "title", "published", "text"}`` (the article itself holds the newest)."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT version, replaced_at, title, published, text FROM article_versions"
                " WHERE article_id = ? ORDER BY version",
                (article_id,),
            ).fetchall()
        keys = ("version", "replaced_at", "title", "published", "text")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def add_articles(self, articles: Iterable[Article]) -> AddCounts:
        """Store each article with :meth:`add_article`, each committed on its own."""
        inserted = existing = renamed = 0
        for article in articles:
            result = self.add_article(article)
            if result.inserted:
                inserted += 1
                renamed += result.renamed_from is not None
            else:
                existing += 1
        return AddCounts(inserted=inserted, existing=existing, renamed=renamed)

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with this id, or ``None``."""
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return None if row is None else _article(row)

    def articles(self, source: str | None = None) -> Iterator[Article]:
        """Stored articles in insertion order, only ``source``'s when given.

        Rows are fetched a page at a time, so the caller may write to the store while iterating.
        """
        where = "" if source is None else "AND source = ?"
        params: tuple[Any, ...] = () if source is None else (source,)
        rows = self._paged(
            f"SELECT seq, {_ARTICLE_COLUMNS} FROM articles WHERE seq > ? {where}"
            " ORDER BY seq LIMIT ?",
            params,
        )
        for row in rows:
            yield _article(row[1:])

    def article_summaries(self) -> Iterator[dict[str, Any]]:
        """Each stored article's ``id``, ``source``, ``title`` and ``published`` (no text), in
        insertion order."""
        rows = self._paged(
            "SELECT seq, id, source, title, published FROM articles WHERE seq > ?"
            " ORDER BY seq LIMIT ?"
        )
        for _, ident, source, title, published in rows:
            yield {"id": ident, "source": source, "title": title, "published": published}

    def count_articles(self, source: str | None = None) -> int:
        """Number of stored articles, only ``source``'s when given."""
        with self._read() as conn:
            if source is None:
                row = conn.execute("SELECT count(*) FROM articles").fetchone()
            else:
                row = conn.execute(
                    "SELECT count(*) FROM articles WHERE source = ?", (source,)
                ).fetchone()
        return int(row[0])

    def sources(self) -> list[tuple[str | None, int]]:
        """``(source, article count)``, most articles first; ``None`` gathers unknown sources."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT source, count(*) AS n FROM articles GROUP BY source"
                " ORDER BY n DESC, source IS NULL, source"
            ).fetchall()
        return [(source, int(n)) for source, n in rows]

    def update_syndication(self, article_id: str, group: str | None, original: bool | None) -> bool:
        """Record an article's syndication group and whether it is the original.

        Returns ``False`` when no article has this id.
        """
        with self._write() as conn:
            cursor = conn.execute(
                _SET_SYNDICATION, (group, None if original is None else int(original), article_id)
            )
            return cursor.rowcount > 0

    # --- search ----------------------------------------------------------------------------

    def search(
        self, query: str, limit: int = 50, *, highlight: tuple[str, str] = ("[", "]")
    ) -> list[SearchHit]:
        """Articles matching every word of ``query`` in title or text, best first.

        Any string is a valid query (see :func:`fts_query`); matches in the snippet are
        wrapped in ``highlight``.
        """
        match = fts_query(query)
        if match is None or limit <= 0:
            return []
        with self._read() as conn:
            rows = conn.execute(
                "SELECT a.id, a.title, snippet(articles_fts, -1, ?, ?, '…', ?)"
                " FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid"
                " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (highlight[0], highlight[1], _SNIPPET_TOKENS, match, limit),
            ).fetchall()
        return [SearchHit(id=i, title=t, snippet=s) for i, t, s in rows]

    def search_ids(self, query: str, limit: int = 5000) -> list[str]:
        """Ids of up to ``limit`` articles matching every word of ``query``, in no set order.

        The same matching as :meth:`search` without ranking or snippets, which cost far more
        than the match itself when only the set of articles is wanted (filtering a list).
        """
        match = fts_query(query)
        if match is None or limit <= 0:
            return []
        with self._read() as conn:
            rows = conn.execute(
                "SELECT a.id FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid"
                " WHERE articles_fts MATCH ? LIMIT ?",
                (match, limit),
            ).fetchall()
        return [r[0] for r in rows]

    # --- stories ---------------------------------------------------------------------------

    def put_stories(self, stories: Iterable[Mapping[str, Any]]) -> int:
        """Store report story documents (each with ``"id"`` and ``"article_ids"``).

        All stories are written in one transaction; a story whose id is already stored is
        replaced, keeping its place in :meth:`stories`.  Every article id must be stored.
        Returns the number of stories written.
        """
        docs = [self._story_row(s) for s in stories]
        now = utc_now()
        with self._write() as conn:
            for doc in docs:
                self._write_story(conn, *doc, now)
        return len(docs)

    @staticmethod
    def _story_row(
        story: Mapping[str, Any],
    ) -> tuple[str, str | None, list[str], str, LogRow]:
        """A story document checked and ready to write: id, title, article ids, JSON and its
        ``story_log`` columns."""
        story_id = story.get("id")
        article_ids = story.get("article_ids")
        if not isinstance(story_id, str) or not isinstance(article_ids, list | tuple):
            raise StoreError(f"story needs a str 'id' and a list 'article_ids': {story!r:.200}")
        if not all(isinstance(a, str) for a in article_ids):
            raise StoreError(f"story {story_id!r}: article ids must be strings")
        title = story.get("title")
        return (
            _scrub(story_id),
            _scrub(title) if isinstance(title, str) else None,
            [_scrub(a) for a in article_ids],
            _dumps(story),
            # Taken from the mapping rather than by decoding the JSON just made (the whole
            # document, about 40 times the work): only the fields the log reads, made plain
            # and scrubbed as _dumps does, so the log holds what decoding would have given.
            story_log_row(_plain({k: story[k] for k in _LOGGED_FIELDS if k in story}, _scrub)),
        )

    @staticmethod
    def _write_story(
        conn: sqlite3.Connection,
        story_id: str,
        title: str | None,
        article_ids: list[str],
        doc: str,
        log_row: LogRow,
        now: str,
    ) -> None:
        missing = [
            a
            for a in article_ids
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (a,)).fetchone() is None
        ]
        if missing:
            raise StoreError(
                f"story {story_id!r} names {len(missing)} article(s) not in the store,"
                f" e.g. {missing[:3]}"
            )
        conn.execute(
            "INSERT INTO stories (id, title, doc, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET title = excluded.title, doc = excluded.doc,"
            " updated_at = excluded.updated_at",
            (story_id, title, doc, now),
        )
        conn.execute("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
        conn.executemany(
            "INSERT OR IGNORE INTO story_articles (story_id, article_id, position)"
            " VALUES (?, ?, ?)",
            [(story_id, a, i) for i, a in enumerate(article_ids)],
        )
        log_story(conn, story_id, now, log_row)

    def delete_stories(self, story_ids: Iterable[str]) -> int:
        """Remove the named stories (e.g. merged into others); returns how many existed."""
        ids = [_scrub(i) for i in story_ids]
        now = utc_now()
        with self._write() as conn:
            return sum(_delete_story(conn, i, now) for i in ids)

    def articles_without_story(self) -> list[Article]:
        """Stored articles that belong to no story (e.g. left by an interrupted ingest)."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles AS a WHERE NOT EXISTS"
                " (SELECT 1 FROM story_articles AS sa WHERE sa.article_id = a.id) ORDER BY a.seq"
            ).fetchall()
        return [_article(r) for r in rows]

    def story_ids(self) -> list[str]:
        """Ids of the stored stories, in the order they were first stored."""
        with self._read() as conn:
            return [r[0] for r in conn.execute("SELECT id FROM stories ORDER BY seq").fetchall()]

    def story_records(self) -> Iterator[Story]:
        """The stored stories as :class:`~presslens.model.Story` records, in story order."""
        for doc in self.stories():
            yield from_jsonable(Story, doc)

    def stories(self) -> Iterator[dict[str, Any]]:
        """Stored story documents, in the order they were first stored."""
        rows = self._paged("SELECT seq, doc FROM stories WHERE seq > ? ORDER BY seq LIMIT ?")
        for _, doc in rows:
            yield json.loads(doc)

    def story_summaries(self) -> Iterator[dict[str, Any]]:
        """Each stored story's ``id``, ``article_ids`` and, where its document has them,
        ``title``, ``sources``, ``independent_sources``, ``first_published`` and
        ``last_published``, in :meth:`stories` order.

        What a list of stories shows, read without loading the rest of each document.
        """
        rows = self._paged(
            "SELECT seq, id, json_extract(doc, '$.title'), json_extract(doc, '$.article_ids'),"
            " json_extract(doc, '$.sources'), json_extract(doc, '$.independent_sources'),"
            " json_extract(doc, '$.first_published'), json_extract(doc, '$.last_published')"
            " FROM stories WHERE seq > ? ORDER BY seq LIMIT ?"
        )
        for _, ident, title, article_ids, sources, independent, first, last in rows:
            summary: dict[str, Any] = {"id": ident, "article_ids": json.loads(article_ids or "[]")}
            for key, value in (
                ("title", title),
                ("sources", None if sources is None else json.loads(sources)),
                ("independent_sources", independent),
                ("first_published", first),
                ("last_published", last),
            ):
                if value is not None:
                    summary[key] = value
            yield summary

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        """The stored story document with this id, or ``None``."""
        with self._read() as conn:
            row = conn.execute("SELECT doc FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def stories_for_article(self, article_id: str) -> list[str]:
        """Ids of the stories that contain the article, in story order."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT s.id FROM story_articles AS sa JOIN stories AS s ON s.id = sa.story_id"
                " WHERE sa.article_id = ? ORDER BY s.seq",
                (article_id,),
            ).fetchall()
        return [r[0] for r in rows]

    # --- runs ------------------------------------------------------------------------------

    def record_run(self, summary: Mapping[str, Any]) -> int:
        """Keep a run's summary (stored as JSON with the time); returns the run's number."""
        with self._write() as conn:
            rows = conn.execute(
                "INSERT INTO runs (recorded_at, summary) VALUES (?, ?) RETURNING id",
                (utc_now(), _dumps(summary)),
            ).fetchall()
        return int(rows[0][0])

    def runs(self) -> list[dict[str, Any]]:
        """Recorded runs, oldest first: ``{"id", "recorded_at", "summary"}``."""
        with self._read() as conn:
            rows = conn.execute("SELECT id, recorded_at, summary FROM runs ORDER BY id").fetchall()
        return [{"id": i, "recorded_at": t, "summary": json.loads(s)} for i, t, s in rows]

    # --- stage state and finished work ---------------------------------------------------

    def stage_states(self) -> dict[str, dict[str, bytes]]:
        """The saved state of every stateful stage: stage name → ``{part name: bytes}``.

        The parts are opaque to the store; their meaning belongs to the stage.
        """
        with self._read() as conn:
            rows = conn.execute("SELECT key, value FROM cluster_state").fetchall()
        out: dict[str, dict[str, bytes]] = {}
        for key, value in rows:
            stage, sep, part = str(key).partition("/")
            if sep:
                out.setdefault(stage, {})[part] = bytes(value)
        return out

    def work_get(self, kind: str, key: str) -> bytes | None:
        """Finished work kept under ``kind``/``key`` by an earlier, interrupted run."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT value FROM work WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def work_put(self, kind: str, key: str, value: bytes) -> None:
        """Keep finished work (committed at once: it must survive the run being killed)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO work (kind, key, value, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                (_scrub(kind), _scrub(key), value, utc_now()),
            )

    def work_clear(self) -> None:
        """Forget all kept work (the run that needed it has committed its results)."""
        with self._write() as conn:
            conn.execute("DELETE FROM work")

    def commit_update(
        self,
        *,
        states: Mapping[str, Mapping[str, bytes]],
        syndication: Iterable[Article] = (),
        stories: Iterable[Mapping[str, Any]] = (),
        removed: Iterable[str] = (),
        rethreaded: Mapping[str, Mapping[str, Any]] | None = None,
        run: Mapping[str, Any] | None = None,
        revised: Iterable[str] = (),
    ) -> None:
        """Write everything an ingest decided, in one transaction: the stages' state, the
        articles' new syndication fields, the stories touched, the new ``thread`` of stored
        stories whose thread alone changed, the stories merged away, the run summary, and that
        the ``revised`` articles (new versions) are analysed again.  A run killed before this
        leaves the store as it was, with its new articles in no story and its new versions
        pending; the next ingest finds them and places them."""
        docs = [self._story_row(s) for s in stories]
        now = utc_now()
        with self._write() as conn:
            for stage, parts in states.items():
                prefix = _scrub(stage) + "/"
                conn.execute(
                    "DELETE FROM cluster_state WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
                )
                conn.executemany(
                    "INSERT INTO cluster_state (key, value, updated_at) VALUES (?, ?, ?)",
                    [(_scrub(f"{stage}/{part}"), bytes(v), now) for part, v in parts.items()],
                )
            for a in syndication:
                conn.execute(
                    _SET_SYNDICATION,
                    (
                        _scrub_opt(a.syndication_group),
                        None if a.is_original is None else int(a.is_original),
                        a.id,
                    ),
                )
            for story_id in removed:
                _delete_story(conn, _scrub(story_id), now)
            for doc in docs:
                self._write_story(conn, *doc, now)
            conn.executemany(
                "UPDATE articles SET revised_pending = 0 WHERE id = ?", [(i,) for i in revised]
            )
            for story_id, thread in (rethreaded or {}).items():
                row = conn.execute(
                    "SELECT doc FROM stories WHERE id = ?", (_scrub(story_id),)
                ).fetchone()
                if row is not None:
                    story = {**json.loads(row[0]), "thread": thread}
                    conn.execute(
                        "UPDATE stories SET doc = ?, updated_at = ? WHERE id = ?",
                        (_dumps(story), now, _scrub(story_id)),
                    )
            if run is not None:
                conn.execute(
                    "INSERT INTO runs (recorded_at, summary) VALUES (?, ?)", (now, _dumps(run))
                )

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the store.

        Cheap (no table is read), so a reader can poll it to know when cached views are stale.
        """
        with self._read() as conn:
            return int(conn.execute("PRAGMA data_version").fetchone()[0])

    # --- checks ----------------------------------------------------------------------------

    def integrity_check(self) -> bool:
        """``True`` when the file, its foreign keys and (when writable) the text index are sound."""
        with self._read() as conn:
            try:
                rows = conn.execute("PRAGMA integrity_check").fetchall()
                if rows != [("ok",)]:
                    return False
                if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    return False
                if not self.readonly:
                    # rank = 1 also compares the index with the articles table; a read-only
                    # connection cannot run it because FTS5 commands are written as INSERTs.
                    conn.execute(
                        "INSERT INTO articles_fts (articles_fts, rank)"
                        " VALUES ('integrity-check', 1)"
                    )
            except sqlite3.DatabaseError as exc:
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF == _SQLITE_CORRUPT:
                    return False
                raise
        return True

    def content_digest(self) -> str:
        """SHA-256 (hex) over the sorted record keys: equal digests, equal article content."""
        digest = hashlib.sha256()
        with self._read() as conn:
            cursor = conn.execute("SELECT key FROM articles ORDER BY key")
            while batch := cursor.fetchmany(_PAGE):
                for (key,) in batch:
                    digest.update(key.encode("ascii") + b"\n")
        return digest.hexdigest()
