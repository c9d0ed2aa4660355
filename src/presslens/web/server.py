"""``presslens serve``: the story list, story and article pages, and a JSON API over a store.

Pages are the same templates as the static report (``presslens.report.site``).  No request
can stall the others:

* store work runs in a small pool of threads, each with its own read-only connection, never
  on the event loop; every request's reads share a time budget (SQLite's progress handler)
  and past it the request answers 503 with a message;
* a search keeps each distinct term once and refuses more than
  :data:`~presslens.store.store.MAX_SEARCH_TERMS` with a 400 that says so; URLs and bodies
  over a size limit are refused (414, 413);
* the story list and ``/api/stories`` are paged (``?page=``, ``?limit=``, a ``Link`` header
  and ``next``/``prev`` in the JSON);
* the story list is a snapshot rebuilt when the store changes (SQLite's ``data_version``
  moves), by one thread at a time while the others answer from the previous snapshot, and
  every response is cached until the next snapshot;
* on shutdown the running statements are interrupted, so SIGTERM or SIGINT stops the server
  within seconds even while a slow query runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from presslens.errors import ConfigError, QueryRefused, QueryTimeout, StoreError
from presslens.report.serialize import article_to_dict
from presslens.report.site import (
    ServerLinks,
    article_context,
    content_security_policy,
    render,
    story_context,
    story_row,
    stylesheet,
)
from presslens.store import Store
from presslens.store.watch import utc_now
from presslens.watch.changes import changes_since, parse_since, source_health
from presslens.web.feeds import FEED_STORIES, stories_atom

T = TypeVar("T")

LINKS = ServerLinks()
#: most search hits considered when filtering the story list by a query
SEARCH_LIMIT = 5000
#: responses kept (keyed by path and query); all are dropped when the store changes
PAGE_CACHE = 512
#: stories per page of the story list
PAGE_SIZE = 50
#: stories per page of ``/api/stories`` by default, and at most (``?limit=``).  The story
#: documents of the 2,000-article DEV store of bench/serve_load.py run to 77 KB (median) and
#: up to 1.7 MB, so 10 keep a page near 1 MB where the whole list was 77 MB.
API_LIMIT = 10
API_MAX_LIMIT = 100
#: seconds of store work one request may use before it answers 503.  The list and story
#: pages take well under 50 ms on a 2,000-article store (bench/serve_load.py), so only a
#: runaway query reaches 2 s; chosen with that margin, not tuned.
QUERY_BUDGET = 2.0
#: threads (each with its own read connection) doing store work.  SQLite releases the
#: interpreter lock while a statement runs, so a few threads overlap reads on a small machine;
#: more only queue on the lock.
READ_THREADS = 4
#: longest query string accepted (414 past it): a search of the full 16 terms fits in a few
#: hundred bytes, and a repeated-word query of 3,000 words (12 KB) kept the old server busy
MAX_QUERY_BYTES = 2048
#: longest path accepted (414 past it); story and article ids are hashes or file names
MAX_PATH_BYTES = 2048
#: largest request body accepted (413 past it): every endpoint is a GET and reads none
MAX_BODY_BYTES = 16 * 1024
#: seconds Retry-After suggests after a 503
RETRY_AFTER = 5


@dataclass(frozen=True)
class Snapshot:
    """The story list as of one state of the store."""

    fingerprint: int
    rows: list[dict[str, Any]]
    story_of: Mapping[str, list[str]]
    outlets: list[str]


@dataclass(frozen=True)
class Page:
    """A finished response, kept in the cache as bytes."""

    status: int
    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()

    def response(self) -> Response:
        """The Starlette response."""
        return Response(
            self.body,
            status_code=self.status,
            media_type=self.media_type,
            headers=dict(self.headers),
        )


HTML = "text/html; charset=utf-8"
JSON = "application/json"
ATOM = "application/atom+xml; charset=utf-8"
#: what ``/changes`` shows without ``?since=``: the last day
DEFAULT_SINCE = "24h"


def _html(body: str, status: int = 200) -> Page:
    return Page(status, body.encode("utf-8"), HTML)


def _json(doc: Any, status: int = 200, headers: tuple[tuple[str, str], ...] = ()) -> Page:
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Page(status, body, JSON, headers)


def _problem(status: int, heading: str, message: str, *, as_json: bool) -> Page:
    headers = (("Retry-After", str(RETRY_AFTER)),) if status == 503 else ()
    if as_json:
        return _json({"error": message}, status, headers)
    body = render(
        "problem.html.j2",
        LINKS,
        heading=heading,
        message=message,
        static=False,
        script=False,
        css=stylesheet(),
    )
    return Page(status, body.encode("utf-8"), HTML, headers)


class Site:
    """Read access to one store: the thread pool, its connections, the snapshot and the cache."""

    def __init__(
        self, db: Path, *, query_budget: float = QUERY_BUDGET, threads: int = READ_THREADS
    ) -> None:
        self.db = db
        self.query_budget = query_budget
        # data_version values compare only within one connection, so one connection answers
        # "has the store changed?" for every thread.
        self._watch = Store(db, readonly=True)
        # The snapshot is rebuilt on its own connection and without the request budget: on a
        # large store it may take longer than one request may, and it serves every request.
        self._builder = Store(db, readonly=True)
        self._local = threading.local()
        self._stores: list[Store] = [self._watch, self._builder]
        self._stores_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="presslens-read")
        self._rebuild = threading.Lock()
        self._snap: Snapshot | None = None
        self._pages: OrderedDict[str, tuple[int, Page]] = OrderedDict()
        self._pages_lock = threading.Lock()
        self._closing = threading.Event()
        #: responses being made, by key (touched on the event loop only)
        self._making: dict[str, asyncio.Future[Page]] = {}

    def fingerprint(self) -> int:
        """Changes whenever another process commits to the store."""
        return self._watch.data_version()

    def _store(self) -> Store:
        """This thread's own read connection."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db, readonly=True)
            with self._stores_lock:
                self._stores.append(store)
            self._local.store = store
        return store

    def _work(self, work: Callable[[Store], T]) -> T:
        if self._closing.is_set():
            raise StoreError("the server is stopping")
        store = self._store()
        with store.time_budget(self.query_budget):
            return work(store)

    async def read(self, work: Callable[[Store], T]) -> T:
        """``work(store)`` on a pool thread, within the request time budget."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._work, work)

    def snapshot(self) -> Snapshot:
        """The current list; rebuilt when the store changed, by one thread at a time."""
        fp = self.fingerprint()
        snap = self._snap
        if snap is not None and snap.fingerprint == fp:
            return snap
        if snap is None:
            self._rebuild.acquire()
        elif not self._rebuild.acquire(blocking=False):
            return snap  # another thread is rebuilding: answer from the list as it was
        try:
            if self._closing.is_set():
                raise StoreError("the server is stopping")
            snap = self._snap
            fp = self.fingerprint()
            if snap is None or snap.fingerprint != fp:
                snap = self._build(fp)
                self._snap = snap
            return snap
        finally:
            self._rebuild.release()

    def _build(self, fp: int) -> Snapshot:
        store = self._builder
        summaries = {a["id"]: a for a in store.article_summaries()}
        stories = list(store.story_summaries())
        if not stories:
            stories = [{"id": aid, "article_ids": [aid]} for aid in summaries]
        story_of: dict[str, list[str]] = defaultdict(list)
        rows = []
        for s in stories:
            rows.append(story_row(s, summaries))
            for aid in s["article_ids"]:
                story_of[aid].append(s["id"])
        outlets = sorted({a["source"] or "unknown" for a in summaries.values()})
        return Snapshot(fp, rows, story_of, outlets)

    def cached(self, key: str, store: Store, make: Callable[[Store, Snapshot], Page]) -> Page:
        """The response for ``key`` from the cache, made again once the snapshot is newer."""
        snap = self.snapshot()
        with self._pages_lock:
            hit = self._pages.get(key)
            if hit is not None and hit[0] == snap.fingerprint:
                self._pages.move_to_end(key)
                return hit[1]
        page = make(store, snap)
        with self._pages_lock:
            self._pages[key] = (snap.fingerprint, page)
            self._pages.move_to_end(key)
            while len(self._pages) > PAGE_CACHE:
                self._pages.popitem(last=False)
        return page

    def ready(self, key: str) -> Page | None:
        """The cached response for ``key`` when it is current, found without store work.

        Current means made from the newest snapshot, and that snapshot either up to date or
        being rebuilt by another thread (whose requests then answer from it anyway).  Only
        the store's change counter is read, which takes microseconds and never waits, so this
        runs on the event loop and a cached page never queues behind store work.
        """
        snap = self._snap
        if snap is None:
            return None
        if snap.fingerprint != self.fingerprint() and not self._rebuild.locked():
            return None
        with self._pages_lock:
            hit = self._pages.get(key)
        return hit[1] if hit is not None and hit[0] == snap.fingerprint else None

    async def respond(
        self, key: str, make: Callable[[Store, Snapshot], Page], *, as_json: bool = False
    ) -> Response:
        """The (cached) response for ``key``; a refused search is a 400, a slow one a 503."""
        page = self.ready(key)
        if page is not None:
            return page.response()
        # Requests for a page already being made wait for it rather than make it again: when
        # the store changes, hundreds of clients ask for the same list at once.
        making = self._making.get(key)
        if making is None:
            making = asyncio.ensure_future(self.read(lambda store: self.cached(key, store, make)))
            self._making[key] = making
            making.add_done_callback(lambda done: self._forget(key, done))
        try:
            page = await asyncio.shield(making)
        except QueryRefused as e:
            page = _problem(400, "Search refused", str(e), as_json=as_json)
        except QueryTimeout:
            message = (
                f"This request needed more than {self.query_budget:g} s of database work and "
                "was stopped. Try a narrower search, or again in a moment."
            )
            page = _problem(503, "Too slow", message, as_json=as_json)
        return page.response()

    def _forget(self, key: str, done: asyncio.Future[Page]) -> None:
        if self._making.get(key) is done:
            del self._making[key]
        if not done.cancelled():
            done.exception()  # retrieved: every waiter has its own copy of a failure

    def close(self) -> None:
        """Stop running statements, the threads and every connection."""
        self._closing.set()
        with self._stores_lock:
            stores = list(self._stores)
        for store in stores:
            store.interrupt()
        self._pool.shutdown(wait=True, cancel_futures=True)
        for store in stores:
            store.close()


def _not_found(what: str, *, as_json: bool = False) -> Page:
    if as_json:
        return _json({"error": f"no such {what}"}, 404)
    body = render(
        "notfound.html.j2", LINKS, what=what, static=False, script=False, css=stylesheet()
    )
    return _html(body, 404)


def _filtered_rows(
    store: Store, snap: Snapshot, params: Mapping[str, str]
) -> tuple[list[dict[str, Any]], int]:
    rows = snap.rows
    q = params.get("q", "").strip()
    if q:
        hit_ids = store.search_ids(q, SEARCH_LIMIT)
        keep = {sid for aid in hit_ids for sid in snap.story_of.get(aid, [])}
        rows = [r for r in rows if r["id"] in keep]
    outlet = params.get("outlet", "")
    if outlet:
        rows = [r for r in rows if outlet in r["sources"]]
    date_from, date_to = params.get("from", ""), params.get("to", "")
    if date_from:
        rows = [r for r in rows if (r["last_published"] or "") >= date_from]
    if date_to:
        rows = [r for r in rows if r["first_published"] and r["first_published"] <= date_to]
    if params.get("sort") == "sources":
        rows = sorted(rows, key=lambda r: (-r["independent_sources"], -r["n_articles"], r["id"]))
    else:
        rows = sorted(rows, key=lambda r: r["last_published"] or "", reverse=True)
    return rows, len(snap.rows)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _paging(n: int, size: int, asked: str | None) -> tuple[int, int]:
    """``(page, pages)``: the asked page (1-based) clamped to the pages there are."""
    pages = max(1, -(-n // size))
    return min(max(1, _int(asked, 1)), pages), pages


def _key(path: str, params: Mapping[str, str]) -> str:
    return path + "?" + urlencode(sorted(params.items()))


def _story_doc(store: Store, story_id: str) -> dict[str, Any] | None:
    """The stored story, or for an article in no story a story of that article alone."""
    story = store.get_story(story_id)
    if story is None:
        art = store.get_article(story_id)
        if art is None or store.stories_for_article(story_id):
            return None
        story = {"id": art.id, "article_ids": [art.id]}
    return story


def _story_bundle(
    store: Store, story_id: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
    story = _story_doc(store, story_id)
    if story is None:
        return None
    arts = {}
    for aid in story["article_ids"]:
        a = store.get_article(aid)
        if a is not None:
            arts[aid] = article_to_dict(a)
    return story, arts


def create_app(
    db: str | Path, *, query_budget: float = QUERY_BUDGET, threads: int = READ_THREADS
) -> Starlette:
    """The web app over the store at ``db`` (opened read-only).

    ``query_budget`` is the seconds of store work a request may use before it answers 503;
    ``threads`` how many threads (each with its own connection) do that work.
    """
    site = Site(Path(db), query_budget=query_budget, threads=threads)
    # Story pages split the cited articles into sentences, and the text layer imports
    # scikit-learn: seconds of work, under the import lock, that the first story page
    # requested would otherwise pay while every other thread waited for the same import.
    importlib.import_module("presslens.text.sentences")
    css = stylesheet()
    openapi_page = _json(OPENAPI)
    js = resources.files("presslens.web").joinpath("static/app.js").read_text("utf-8")
    page_common = {"static": False, "script": True, "css": css}

    def list_page(store: Store, snap: Snapshot, params: Mapping[str, str]) -> Page:
        rows, total = _filtered_rows(store, snap, params)
        page, pages = _paging(len(rows), PAGE_SIZE, params.get("page"))

        def page_link(n: int) -> str | None:
            if not 1 <= n <= pages or n == page:
                return None
            return LINKS.index() + "?" + urlencode({**params, "page": str(n)})

        return _html(
            render(
                "list.html.j2",
                LINKS,
                rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
                matching=len(rows),
                total=total,
                page=page,
                pages=pages,
                prev_link=page_link(page - 1),
                next_link=page_link(page + 1),
                outlets=snap.outlets,
                q=params.get("q", ""),
                outlet=params.get("outlet", ""),
                date_from=params.get("from", ""),
                date_to=params.get("to", ""),
                sort=params.get("sort", "recent"),
                **page_common,
            )
        )

    def story_page(store: Store, story_id: str) -> Page:
        bundle = _story_bundle(store, story_id)
        if bundle is None:
            return _not_found("story")
        story, arts = bundle
        return _html(render("story.html.j2", LINKS, **story_context(story, arts), **page_common))

    def article_page(store: Store, article_id: str) -> Page:
        art = store.get_article(article_id)
        if art is None:
            return _not_found("article")
        stories = [
            s
            for sid in store.stories_for_article(art.id)
            if (s := store.get_story(sid)) is not None
        ]
        ctx = article_context(article_to_dict(art), stories)
        versions = {v["version"]: v for v in store.article_versions(art.id)}
        return _html(render("article.html.j2", LINKS, **ctx, versions=versions, **page_common))

    def changes_doc(store: Store, since: str) -> dict[str, Any]:
        return changes_since(store, since, now=utc_now())

    def changes_page(store: Store, since: str, since_text: str) -> Page:
        doc = changes_doc(store, since)
        return _html(
            render("changes.html.j2", LINKS, doc=doc, since_text=since_text, **page_common)
        )

    def sources_page(store: Store) -> Page:
        health = source_health(store, utc_now())
        last = store.last_watch_round()
        if last is not None:
            from presslens.watch.watcher import RoundSummary

            known = {k: v for k, v in last.items() if k in RoundSummary.__dataclass_fields__}
            last = {**last, "line": RoundSummary(**known).line()}
        return _html(
            render("sources.html.j2", LINKS, sources=health, last_round=last, **page_common)
        )

    def stories_doc(store: Store, snap: Snapshot, params: Mapping[str, str]) -> Page:
        rows, _ = _filtered_rows(store, snap, params)
        limit = min(max(1, _int(params.get("limit"), API_LIMIT)), API_MAX_LIMIT)
        page, pages = _paging(len(rows), limit, params.get("page"))
        docs = []
        for r in rows[(page - 1) * limit : page * limit]:
            doc = store.get_story(r["id"])
            docs.append(doc if doc is not None else {"id": r["id"], "article_ids": [r["id"]]})

        def link(n: int) -> str | None:
            if not 1 <= n <= pages or n == page:
                return None
            return "/api/stories?" + urlencode({**params, "page": str(n), "limit": str(limit)})

        nxt, prev = link(page + 1), link(page - 1)
        rels = [f'<{u}>; rel="{rel}"' for u, rel in ((nxt, "next"), (prev, "prev")) if u]
        doc = {
            "stories": docs,
            "page": page,
            "pages": pages,
            "limit": limit,
            "total": len(rows),
            "next": nxt,
            "prev": prev,
        }
        return _json(doc, headers=(("Link", ", ".join(rels)),) if rels else ())

    def story_doc(store: Store, story_id: str) -> Page:
        story = _story_doc(store, story_id)
        return _not_found("story", as_json=True) if story is None else _json(story)

    def article_doc(store: Store, article_id: str) -> Page:
        art = store.get_article(article_id)
        return _not_found("article", as_json=True) if art is None else _json(article_to_dict(art))

    async def index(request: Request) -> Response:
        params = dict(request.query_params)
        return await site.respond(_key("/", params), lambda st, sn: list_page(st, sn, params))

    async def story(request: Request) -> Response:
        sid = request.path_params["story_id"]
        return await site.respond("/stories/" + sid, lambda st, _: story_page(st, sid))

    async def article(request: Request) -> Response:
        aid = request.path_params["article_id"]
        return await site.respond("/articles/" + aid, lambda st, _: article_page(st, aid))

    async def api_stories(request: Request) -> Response:
        params = dict(request.query_params)
        return await site.respond(
            _key("/api/stories", params), lambda st, sn: stories_doc(st, sn, params), as_json=True
        )

    async def api_story(request: Request) -> Response:
        sid = request.path_params["story_id"]
        return await site.respond(
            "/api/stories/" + sid, lambda st, _: story_doc(st, sid), as_json=True
        )

    async def api_article(request: Request) -> Response:
        aid = request.path_params["article_id"]
        return await site.respond(
            "/api/articles/" + aid, lambda st, _: article_doc(st, aid), as_json=True
        )

    def since_of(request: Request) -> tuple[str, str] | Page:
        """The asked ``since`` as stored times go (a relative one to the minute, so pages
        are cached for a minute), and as the user wrote it; a 400 page when unreadable."""
        text = request.query_params.get("since", "").strip() or DEFAULT_SINCE
        try:
            since = parse_since(text)
        except ConfigError as e:
            return _problem(400, "Bad time", str(e), as_json=request.url.path.startswith("/api"))
        return (since[:16] + ":00.000+00:00" if since.endswith("+00:00") else since), text

    async def since_response(
        request: Request,
        path: str,
        make: Callable[[Store, str, str], Page],
        *,
        as_json: bool = False,
    ) -> Response:
        """The (cached, under ``path``) page ``make(store, since, since as written)`` makes
        for the asked ``since``, or the 400 page when it is unreadable."""
        asked = since_of(request)
        if isinstance(asked, Page):
            return asked.response()
        since, text = asked
        return await site.respond(
            _key(path, {"since": since}),
            lambda st, _: make(st, since, text),
            as_json=as_json,
        )

    async def changes(request: Request) -> Response:
        return await since_response(request, "/changes", changes_page)

    async def api_changes(request: Request) -> Response:
        return await since_response(
            request,
            "/api/changes",
            lambda st, since, _: _json(changes_doc(st, since)),
            as_json=True,
        )

    async def sources(request: Request) -> Response:
        return await site.respond("/sources", lambda st, _: sources_page(st))

    async def api_sources(request: Request) -> Response:
        return await site.respond(
            "/api/sources",
            lambda st, _: _json({"sources": source_health(st, utc_now())}),
            as_json=True,
        )

    async def stories_feed(request: Request) -> Response:
        base = str(request.base_url)

        def make(store: Store, snap: Snapshot) -> Page:
            body = stories_atom(store.latest_stories(FEED_STORIES), base, utc_now())
            return Page(200, body.encode("utf-8"), ATOM)

        return await site.respond("/feeds/stories.atom@" + base, make)

    async def openapi(request: Request) -> Response:
        return openapi_page.response()

    async def app_js(request: Request) -> Response:
        return Response(js, media_type="text/javascript; charset=utf-8")

    routes = [
        Route("/", index),
        Route("/stories/{story_id:path}", story),
        Route("/articles/{article_id:path}", article),
        Route("/api/stories", api_stories),
        Route("/api/stories/{story_id:path}", api_story),
        Route("/api/articles/{article_id:path}", api_article),
        Route("/changes", changes),
        Route("/api/changes", api_changes),
        Route("/sources", sources),
        Route("/api/sources", api_sources),
        Route("/feeds/stories.atom", stories_feed),
        Route("/openapi.json", openapi),
        Route("/static/app.js", app_js),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        site.close()

    app = Starlette(routes=routes, middleware=[Middleware(Guard)], lifespan=lifespan)
    app.state.site = site
    return app


_SECURITY_HEADERS = {
    "Content-Security-Policy": content_security_policy(scripts=True),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _oversized(scope: Scope) -> tuple[int, str] | None:
    """``(status, message)`` when the request is larger than this app accepts."""
    if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
        return 414, f"query string over {MAX_QUERY_BYTES} bytes"
    if len(scope.get("raw_path") or scope["path"].encode("utf-8")) > MAX_PATH_BYTES:
        return 414, f"path over {MAX_PATH_BYTES} bytes"
    for name, value in scope.get("headers", ()):
        if name == b"content-length" and _int(value.decode("latin-1"), 0) > MAX_BODY_BYTES:
            return 413, f"request body over {MAX_BODY_BYTES} bytes"
    return None


class Guard:
    """Refuses oversized requests and adds a strict CSP and the usual hardening headers.

    A plain ASGI middleware: it only touches the response start, so it costs nothing per
    byte and never holds a response in memory.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request, or refuse it when it is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        refused = _oversized(scope)
        if refused is not None:
            status, message = refused
            await _json({"error": message}, status).response()(scope, receive, send_hardened)
            return
        await self.app(scope, receive, send_hardened)


def _op(summary: str, params: list[dict[str, Any]] | None = None, ok: str = "OK") -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {
                "200": {"description": ok},
                "400": {"description": "search refused (too many terms)"},
                "404": {"description": "not found"},
                "503": {"description": "past the request's time budget; try again"},
            },
        }
    }


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, desc: str, kind: str = "string") -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": kind},
        "description": desc,
    }


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "presslens",
        "version": "1",
        "description": "Stories, articles and their analysis; field names as in report.json "
        "(schema presslens.report/1).",
    },
    "paths": {
        "/api/stories": _op(
            "Stories as in report.json, filtered like the story list, one page at a time "
            "({stories, page, pages, limit, total, next, prev}; next and prev also in a Link "
            "header)",
            [
                _query("q", "full-text search over the stories' articles (at most 16 terms)"),
                _query("outlet", "only stories carried by this outlet"),
                _query("from", "last published on or after this date (YYYY-MM-DD)"),
                _query("to", "first published on or before this date (YYYY-MM-DD)"),
                _query("sort", "recent (default) or sources"),
                _query("page", "page number, from 1", "integer"),
                _query(
                    "limit",
                    f"stories per page (default {API_LIMIT}, at most {API_MAX_LIMIT})",
                    "integer",
                ),
            ],
        ),
        "/api/stories/{story_id}": _op("One story as in report.json", [_path_param("story_id")]),
        "/api/articles/{article_id}": _op(
            "One article as in report.json", [_path_param("article_id")]
        ),
        "/api/changes": _op(
            "What changed since a time (presslens.changes/1): new and grown stories, new"
            " discrepancies, corrected articles, outlets not covering a story, source health",
            [_query("since", "an ISO date or time, or a duration ago (24h, 2d); default 24h")],
        ),
        "/api/sources": _op("The sources a watch polls, with their health"),
    },
}
