"""One round of ``watch``: poll the sources, read the pages that are new or changed, and
ingest them through the one ingest path.

A round

1. checks every source that is due (each healthy source every round; a failing one after
   one round interval, then two, four, ... up to ``watch.backoff_max_hours``), with a
   conditional GET; a feed gives its entries, a front page its article links;
2. reads each listed page whose canonical URL is new, or whose entry changed (title, date,
   summary), and each earlier page whose look for corrections is due (a conditional GET);
   a page is read once per canonical URL however many sources list it;
3. writes the pages read, as article records with their HTML (``{"id", "source", "url",
   "title", "published", "author", "html"}``), to a JSON Lines file in the spool folder
   beside the store (``STORE.spool/``), then records what it learnt of each source and page;
4. ingests every spool file with :func:`presslens.api.run_on_store` (``versions=True``: a
   page read again with other content is a new version of its article), then deletes them.

A round stopped while polling leaves the store as it was (what it fetched is read again
next time); a round stopped while ingesting leaves its spool file, which the next round
ingests first, resuming the work the engine kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from presslens.api import run_on_store
from presslens.config import Config
from presslens.engine import ProgressFn, no_progress
from presslens.errors import ConfigError, InputError
from presslens.executors import Executor
from presslens.ingest.feed import feed_entries, is_feed, looks_like_feed
from presslens.ingest.html import PAGE_TYPES, looks_like_html, read_html
from presslens.ingest.ids import stable_id
from presslens.ingest.inputs import SHARD_FILES
from presslens.ingest.url import decode_response
from presslens.model import Skip
from presslens.pipeline import Pipeline
from presslens.store import Store
from presslens.store.watch import PageRow, SourceRow, utc_iso
from presslens.watch.fetch import Fetched, Fetcher, FetchStats, RobotsCache
from presslens.watch.links import article_links
from presslens.watch.urls import canonical_url, host_of, same_site

#: failed reads in a row after which a page is given up (it keeps its last good version);
#: with the round interval doubling between tries, five spans about eight hours at 15 min
PAGE_GIVE_UP = 5
#: statuses that say a page is gone for good
_GONE = frozenset({404, 410})
#: records a spool file holds: as many as a folder shard of ``ingest`` holds files, so the
#: pages of a round are read and cleaned on every worker
SPOOL_RECORDS = SHARD_FILES
#: how much of a page is searched for the feed it announces (its head)
_HEAD_BYTES = 256 * 1024


class WatchStopped(BaseException):
    """A stop was asked (SIGINT, SIGTERM) while a round was ingesting."""


@contextmanager
def only_watch(db: str | Path) -> Iterator[None]:
    """Hold ``STORE.watch.lock`` for as long as this watch runs; :class:`ConfigError` when
    another watch holds it (two would read the same pages and ingest the same spool).  The
    operating system lets go of the lock when the process ends, however it ends."""
    path = Path(db)
    lock = path.with_name(path.name + ".watch.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(f"another presslens watch is running on {db} ({lock})") from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def spool_dir(db: str | Path) -> Path:
    """The folder of a store's fetched pages waiting to be ingested: ``STORE.spool``."""
    path = Path(db)
    return path.with_name(path.name + ".spool")


@dataclass
class RoundSummary:
    """What one round did (also kept, as a dict, in the run summary of the store)."""

    number: int
    started: str
    seconds: float = 0.0
    #: of which polling sources and reading pages, and ingesting what was read
    poll_seconds: float = 0.0
    ingest_seconds: float = 0.0
    sources: int = 0
    sources_ok: int = 0
    sources_unchanged: int = 0
    sources_failed: int = 0
    sources_waiting: int = 0
    pages_read: int = 0
    pages_not_modified: int = 0
    pages_unchanged: int = 0
    pages_failed: int = 0
    pages_refused: int = 0
    requests: int = 0
    bytes: int = 0
    new_articles: int = 0
    revised_articles: int = 0
    skipped: int = 0
    stories_touched: int = 0
    errors: list[str] = field(default_factory=list)
    stopped: bool = False

    def line(self) -> str:
        """One line for the terminal or a log."""
        if self.stopped:
            return f"round {self.number}: stopped before it finished ({self.seconds:.1f} s)"
        waiting = f", {self.sources_waiting} backed off" if self.sources_waiting else ""
        return (
            f"round {self.number}: {self.sources} sources ({self.sources_ok} ok,"
            f" {self.sources_unchanged} unchanged, {self.sources_failed} failing{waiting});"
            f" {self.pages_read} pages read, {self.pages_not_modified} not modified,"
            f" {self.pages_failed + self.pages_refused} not read; {self.requests} requests;"
            f" {self.new_articles} new articles, {self.revised_articles} changed;"
            f" {self.stories_touched} stories updated; {self.seconds:.1f} s"
            f" ({self.poll_seconds:.1f} s polling, {self.ingest_seconds:.1f} s ingesting)"
        )

    def to_dict(self) -> dict[str, Any]:
        """As plain JSON data."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Entry:
    """An article a source lists: canonical URL, what the listing says of it, and who."""

    url: str
    title: str | None
    published: str | None
    digest: str
    source_url: str


@dataclass
class _Polled:
    sources: list[SourceRow] = field(default_factory=list)
    pages: list[PageRow] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    #: canonical URL of each record's article → the source that listed it, and the page
    origin: dict[str, str] = field(default_factory=dict)
    page_of: dict[str, str] = field(default_factory=dict)
    stats: FetchStats = field(default_factory=FetchStats)
    #: pages by outcome: read, not modified, unchanged, failed, refused
    outcomes: Counter[str] = field(default_factory=Counter)


def _hash(*parts: str | bytes | None) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else (p or "").encode("utf-8", "replace"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


def _later(now: str, minutes: float) -> str:
    return utc_iso(datetime.fromisoformat(now) + timedelta(minutes=minutes))


class Watcher:
    """Runs rounds over the sources kept in the store ``db``.

    ``executor`` runs the ingest of each round (the same one for every round, so worker
    processes and their models live for the whole watch); ``transport`` replaces the network
    (tests); ``progress`` is told about polling (``sources``, ``pages``) and every step of
    the ingest.
    """

    def __init__(
        self,
        db: str | Path,
        config: Config,
        executor: Executor,
        *,
        progress: ProgressFn = no_progress,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db = Path(db)
        self.config = config
        self.executor = executor
        self.progress = progress
        self.transport = transport
        self.clock = clock
        self.pipeline = Pipeline.default(config)
        self.pipeline.check_incremental()
        self.spool = spool_dir(db)
        self.stop_event = threading.Event()
        #: ``idle``, ``poll``, ``ingest`` or ``wait``: what a stop request interrupts
        self.phase = "idle"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None

    # --- stopping ------------------------------------------------------------------------

    def request_stop(self) -> None:
        """Stop as soon as it is safe: polling is abandoned (nothing of it is kept), an
        ingest in progress is interrupted (:class:`WatchStopped`; the article being stored
        is rolled back, the spool file stays for the next round), a wait ends."""
        self.stop_event.set()
        loop, task = self._loop, self._task
        if self.phase == "poll" and loop is not None and task is not None:
            loop.call_soon_threadsafe(task.cancel)
        elif self.phase == "ingest":
            raise WatchStopped

    # --- a round ---------------------------------------------------------------------------

    def run_round(self, number: int) -> RoundSummary:
        """Poll, read, spool and ingest once; see the module."""
        t0 = time.monotonic()
        now = utc_iso(self.clock())
        summary = RoundSummary(number=number, started=now)
        with Store(self.db) as store:
            sources = store.list_sources()
        due = [s for s in sources if s.next_check_at is None or s.next_check_at <= now]
        summary.sources_waiting = len(sources) - len(due)
        try:
            polled = self._poll(due, now, sources)
        except asyncio.CancelledError:
            summary.stopped = True
            summary.seconds = time.monotonic() - t0
            return summary
        summary.poll_seconds = time.monotonic() - t0
        self._tally(summary, polled, due)
        lines = self._write_spool(polled.records, now, number)
        with Store(self.db) as store:
            store.put_pages(polled.pages)
            for row in polled.sources:
                store.put_source(row)
        if self.stop_event.is_set():
            summary.stopped = True
        else:
            t1 = time.monotonic()
            self._ingest(summary, polled, lines)
            summary.ingest_seconds = time.monotonic() - t1
        summary.seconds = time.monotonic() - t0
        return summary

    def _tally(self, summary: RoundSummary, polled: _Polled, due: Sequence[SourceRow]) -> None:
        summary.sources = len(due)
        for row in polled.sources:
            if row.last_status == "failed":
                summary.sources_failed += 1
                summary.errors.append(f"{row.url}: {row.last_error}")
            elif row.last_status in ("not modified", "unchanged"):
                summary.sources_unchanged += 1
            else:
                summary.sources_ok += 1
        summary.requests = polled.stats.requests
        summary.bytes = polled.stats.bytes
        summary.pages_read = polled.outcomes["read"]
        summary.pages_not_modified = polled.outcomes["not modified"]
        summary.pages_unchanged = polled.outcomes["unchanged"]
        summary.pages_failed = polled.outcomes["failed"]
        summary.pages_refused = polled.outcomes["refused"]

    def _write_spool(
        self, records: list[dict[str, Any]], now: str, number: int
    ) -> dict[tuple[str, int], str]:
        """Write this round's records, :data:`SPOOL_RECORDS` a file (each file is one shard
        of the ingest, so workers read and clean them side by side), flushed to disk before
        anything refers to them; the URL of the record on each (file, line)."""
        lines: dict[tuple[str, int], str] = {}
        if not records:
            return lines
        self.spool.mkdir(parents=True, exist_ok=True)
        stamp = now[:19].replace("-", "").replace(":", "")
        for k in range(0, len(records), SPOOL_RECORDS):
            path = (
                self.spool / f"round-{stamp}-{os.getpid()}-{number}-{k // SPOOL_RECORDS:04d}.jsonl"
            )
            tmp = path.with_name("." + path.name + ".tmp")
            with tmp.open("w", encoding="utf-8") as fh:
                for n, record in enumerate(records[k : k + SPOOL_RECORDS], start=1):
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                    lines[(str(path), n)] = record["url"]
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        return lines

    def _ingest(
        self, summary: RoundSummary, polled: _Polled, lines: Mapping[tuple[str, int], str]
    ) -> None:
        files = sorted(self.spool.glob("round-*.jsonl")) if self.spool.is_dir() else []
        with Store(self.db) as store:
            leftover = store.has_unfinished()
            urls = list(polled.origin)
            before = store.article_ids_by_url(urls)
        if not files and not leftover:
            return
        self.phase = "ingest"
        try:
            result = run_on_store(
                self.pipeline,
                self.db,
                [str(f) for f in files],
                self.config,
                self.executor,
                self.progress,
                versions=True,
            )
        finally:
            self.phase = "idle"
        for f in files:
            f.unlink(missing_ok=True)
        summary.new_articles = result.inserted
        summary.revised_articles = result.revised
        summary.stories_touched = result.stories_touched
        summary.skipped = len(result.skipped)
        with Store(self.db) as store:
            after = store.article_ids_by_url(urls)
            self._count_articles(store, polled, before, after)
            self._note_skips(store, polled, result.skipped, lines)

    def _count_articles(
        self,
        store: Store,
        polled: _Polled,
        before: Mapping[str, str],
        after: Mapping[str, str],
    ) -> None:
        new: dict[str, int] = {}
        for url, source_url in polled.origin.items():
            if url in after and url not in before:
                new[source_url] = new.get(source_url, 0) + 1
        if not new:
            return
        for row in store.list_sources():
            if row.url in new:
                store.put_source(replace(row, articles=row.articles + new[row.url]))

    def _note_skips(
        self,
        store: Store,
        polled: _Polled,
        skipped: Iterable[Skip],
        lines: Mapping[tuple[str, int], str],
    ) -> None:
        """Say on each page row why its page gave no article (no text found, ...)."""
        reasons: dict[str, str] = {}
        for s in skipped:
            url = lines.get((s.path, s.line)) if s.line is not None else None
            page = polled.page_of.get(url) if url is not None else None
            if page is not None:
                reasons[page] = s.reason
        rows = store.get_pages(reasons)
        store.put_pages(
            replace(row, last_error=f"no article: {reasons[url]}") for url, row in rows.items()
        )

    # --- polling ---------------------------------------------------------------------------

    def _poll(self, due: list[SourceRow], now: str, sources: list[SourceRow]) -> _Polled:
        async def main() -> _Polled:
            self._task = asyncio.current_task()
            self._loop = asyncio.get_running_loop()
            return await self._poll_async(due, now, sources)

        self.phase = "poll"
        try:
            if self.stop_event.is_set():
                raise asyncio.CancelledError
            return asyncio.run(main())
        finally:
            self.phase = "idle"
            self._task = None
            self._loop = None

    async def _poll_async(
        self, due: list[SourceRow], now: str, sources: list[SourceRow]
    ) -> _Polled:
        polled = _Polled()
        with Store(self.db) as store:
            fetcher = Fetcher(
                self.config,
                robots=RobotsCache(store.get_robots, store.put_robots),
                transport=self.transport,
                stopping=self.stop_event.is_set,
            )
            try:
                done = 0

                async def check(row: SourceRow) -> tuple[SourceRow, list[_Entry]]:
                    nonlocal done
                    out = await self._check_source(fetcher, row, now)
                    done += 1
                    self.progress("sources", done, len(due))
                    return out

                checked = await asyncio.gather(*(check(s) for s in due))
                entries: dict[str, _Entry] = {}
                for row, listed in checked:
                    polled.sources.append(row)
                    for e in listed:
                        # a page listed by several sources takes its own site's entry
                        prev = entries.get(e.url)
                        if prev is None or (not _own(prev) and _own(e)):
                            entries[e.url] = e
                names = {s.url: s.name for s in sources}
                names.update((r.url, r.name) for r in polled.sources)
                todo = self._pages_to_read(store, entries, now)
                read = 0

                async def page(url: str, row: PageRow | None, entry: _Entry | None) -> None:
                    nonlocal read
                    await self._read_page(fetcher, store, polled, url, row, entry, names, now)
                    read += 1
                    self.progress("pages", read, len(todo))

                await asyncio.gather(*(page(*t) for t in todo))
            finally:
                await fetcher.aclose()
        polled.stats = fetcher.stats
        return polled

    def _pages_to_read(
        self, store: Store, entries: Mapping[str, _Entry], now: str
    ) -> list[tuple[str, PageRow | None, _Entry | None]]:
        """New pages first, then pages whose entry changed, then corrections due."""
        known = store.get_pages(entries)
        aliases = store.pages_with_article(u for u in entries if u not in known)
        new: list[tuple[str, PageRow | None, _Entry | None]] = []
        changed: list[tuple[str, PageRow | None, _Entry | None]] = []
        for url, entry in entries.items():
            row = known.get(url)
            if row is None and url not in aliases:
                new.append((url, None, entry))
            elif row is not None and row.entry_hash != entry.digest:
                changed.append((url, row, entry))
        limit = self.config.watch.max_pages
        todo = (new + changed)[:limit]
        if len(todo) < limit:
            revisits = store.due_pages(
                now, exclude={u for u, _, _ in todo}, limit=limit - len(todo)
            )
            todo += [(r.url, r, None) for r in revisits]
        return todo

    async def _check_source(
        self, fetcher: Fetcher, row: SourceRow, now: str
    ) -> tuple[SourceRow, list[_Entry]]:
        got = await fetcher.get(row.url, etag=row.etag, last_modified=row.last_modified)
        if got.not_modified:
            return self._source_ok(row, now, "not modified"), []
        if got.error is not None:
            return self._source_failed(row, now, got.error), []
        body_hash = _hash(got.body)
        ok = replace(row, etag=got.etag, last_modified=got.last_modified, body_hash=body_hash)
        if body_hash == row.body_hash:
            return self._source_ok(ok, now, "unchanged"), []
        mime, text = decode_response(got.body, got.content_type)
        if is_feed(text, mime):
            try:
                title, items = feed_entries(
                    got.body, base_url=got.final_url, content_type=got.content_type
                )
            except InputError as e:
                return self._source_failed(row, now, e.reason), []
            listed = [
                _Entry(
                    canonical_url(e.link),
                    e.title,
                    e.published,
                    _hash(e.title, e.published, e.text),
                    row.url,
                )
                for e in items
                if e.link and e.link.startswith(("http://", "https://"))
            ]
            named = replace(ok, kind="feed", name=row.name or title or host_of(row.url))
            return self._source_ok(named, now, "ok", len(listed)), listed
        if mime in PAGE_TYPES or looks_like_html(text):
            if row.kind == "feed":
                advert = _advertised_feed(text, got.final_url)
                hint = f"; the page names a feed at {advert}" if advert else ""
                why = f"no longer a feed: the URL now answers an HTML page{hint}"
                return self._source_failed(row, now, why), []
            links = article_links(text, got.final_url, self.config.watch.max_links)
            listed = [
                _Entry(link.url, link.title, None, _hash(link.title), row.url) for link in links
            ]
            # the page is parsed for its site name only while the source has none
            name = row.name or (
                read_html(text, article_id="", origin=row.url, url=got.final_url).source
                or host_of(row.url)
            )
            named = replace(ok, kind="page", name=name)
            return self._source_ok(named, now, "ok", len(listed)), listed
        return self._source_failed(row, now, f"neither a feed nor a page ({mime or 'no type'})"), []

    def _source_ok(
        self, row: SourceRow, now: str, status: str, entries: int | None = None
    ) -> SourceRow:
        return replace(
            row,
            checked_at=now,
            ok_at=now,
            next_check_at=None,
            failures=0,
            last_status=status,
            last_error=None,
            entries=row.entries if entries is None else entries,
        )

    def _source_failed(self, row: SourceRow, now: str, error: str) -> SourceRow:
        failures = row.failures + 1
        wait = self.config.watch.every_minutes * 2 ** (failures - 1)
        wait = min(wait, self.config.watch.backoff_max_hours * 60)
        return replace(
            row,
            checked_at=now,
            next_check_at=_later(now, wait) if failures > 1 else None,
            failures=failures,
            last_status="failed",
            last_error=error,
        )

    def _revisit(self, first_seen: str, now: str, checks: int) -> str | None:
        cfg = self.config.watch
        at = _later(now, cfg.revisit_minutes * 2 ** max(0, checks - 1))
        limit = _later(first_seen, cfg.revisit_hours * 60)
        return at if at <= limit else None

    async def _read_page(
        self,
        fetcher: Fetcher,
        store: Store,
        polled: _Polled,
        url: str,
        row: PageRow | None,
        entry: _Entry | None,
        names: Mapping[str, str | None],
        now: str,
    ) -> None:
        if self.stop_event.is_set():
            return
        base = row or PageRow(url=url, first_seen_at=now)
        if entry is not None and (base.source_url is None or _own(entry)):
            base = replace(base, source_url=entry.source_url)
        # a changed entry needs the page itself (its title goes into the record), so only a
        # revisit asks conditionally
        conditional = entry is None or (row is not None and row.entry_hash == entry.digest)
        got = await fetcher.get(
            url,
            etag=base.etag if conditional else None,
            last_modified=base.last_modified if conditional else None,
        )
        checks = base.checks + 1
        if got.not_modified:
            polled.outcomes["not modified"] += 1
            polled.pages.append(
                replace(
                    base,
                    checks=checks,
                    failures=0,
                    last_error=None,
                    next_check_at=self._revisit(base.first_seen_at, now, checks),
                )
            )
            return
        if got.error is not None:
            polled.outcomes["refused" if got.refused else "failed"] += 1
            polled.pages.append(self._page_failed(base, got, now))
            return
        mime, text = decode_response(got.body, got.content_type)
        if not (mime in PAGE_TYPES or looks_like_html(text)) or looks_like_feed(text):
            polled.outcomes["failed"] += 1
            polled.pages.append(
                self._page_failed(base, replace(got, error=f"not an HTML page ({mime})"), now)
            )
            return
        body_hash = _hash(got.body)
        digest = entry.digest if entry is not None else base.entry_hash
        if entry is not None:
            base = replace(base, entry_title=entry.title, entry_published=entry.published)
        fresh = replace(
            base,
            etag=got.etag,
            last_modified=got.last_modified,
            body_hash=body_hash,
            entry_hash=digest,
            fetched_at=now,
            checks=checks,
            failures=0,
            last_error=None,
            next_check_at=self._revisit(base.first_seen_at, now, checks),
        )
        if body_hash == base.body_hash and digest == base.entry_hash:
            polled.outcomes["unchanged"] += 1
            polled.pages.append(fresh)
            return
        polled.outcomes["read"] += 1
        head = read_html(text, article_id="", origin=url)
        article_url = canonical_url(got.final_url)
        if head.url and head.url.startswith(("http://", "https://")):
            declared = canonical_url(head.url)
            if same_site(host_of(declared), host_of(article_url)):
                article_url = declared
        if row is None and article_url != url and store.pages_with_article([article_url]):
            # another link to an article already read (its own canonical URL says so)
            polled.pages.append(replace(fresh, article_url=article_url, next_check_at=None))
            return
        fresh = replace(fresh, article_url=article_url)
        polled.pages.append(fresh)
        source_url = fresh.source_url or ""
        # a source names and titles the pages of its own site; a page it lists on another
        # site (an aggregator's feed) is named and titled by the page itself
        own = bool(source_url) and same_site(host_of(source_url), host_of(article_url))
        outlet = (names.get(source_url) if own else head.source) or host_of(article_url)
        title = (fresh.entry_title if own else None) or head.title
        published = head.published or (fresh.entry_published if own else None)
        polled.records.append(
            {
                "id": stable_id(article_url),
                "source": outlet,
                "url": article_url,
                "title": title,
                "published": published,
                "author": head.author,
                "html": text,
            }
        )
        polled.origin[article_url] = source_url
        polled.page_of[article_url] = url

    def _page_failed(self, row: PageRow, got: Fetched, now: str) -> PageRow:
        """A page not read: tried again next round (then less often), unless it is gone, the
        site's robots.txt forbids it, or it failed :data:`PAGE_GIVE_UP` times."""
        if got.refused and got.error and "robots.txt" not in got.error:
            # not requested at all (the host failed this round, or the round stopped)
            return replace(row, last_error=got.error, next_check_at=now)
        failures = row.failures + 1
        gone = got.status in _GONE or (got.refused and "disallowed" in (got.error or ""))
        wait = self.config.watch.every_minutes * 2 ** (failures - 1)
        next_at = None if gone or failures >= PAGE_GIVE_UP else _later(now, wait)
        return replace(row, failures=failures, last_error=got.error, next_check_at=next_at)


def _own(entry: _Entry) -> bool:
    """Whether the source that lists ``entry`` is on the page's own site."""
    return same_site(host_of(entry.source_url), host_of(entry.url))


class _FeedLinks(HTMLParser):
    """``<link rel="alternate">`` elements that announce a feed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if (
            tag == "link"
            and "alternate" in a.get("rel", "").lower().split()
            and a.get("type", "").lower() in ("application/rss+xml", "application/atom+xml")
            and a.get("href")
        ):
            self.found.append(a["href"])


def _advertised_feed(html: str, base: str) -> str | None:
    """The feed an HTML page announces in its head, as an absolute URL."""
    parser = _FeedLinks()
    # html.parser gives up on some malformed declarations; what it read stands
    with contextlib.suppress(AssertionError):
        parser.feed(html[:_HEAD_BYTES])
    return urljoin(base, parser.found[0]) if parser.found else None
