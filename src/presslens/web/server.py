"""``presslens serve``: the story list, story and article pages, and a JSON API over a store.

Pages are the same templates as the static report (``presslens.report.site``).  The store is
opened read-only; the story list and the rendered pages are cached in memory and rebuilt when
the store changes (SQLite's ``data_version`` moves), so a request does not rescan every story.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

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

LINKS = ServerLinks()
#: most search hits considered when filtering the story list by a query
SEARCH_LIMIT = 5000
#: rendered pages kept (keyed by path and query); a page is re-rendered when the store changes
PAGE_CACHE = 512
#: stories per page of the story list
PAGE_SIZE = 50


@dataclass(frozen=True)
class Snapshot:
    """The story list as of one state of the store."""

    fingerprint: int
    rows: list[dict[str, Any]]
    story_of: Mapping[str, list[str]]
    outlets: list[str]


class Site:
    """Read access to one store, with the list cache."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.store = Store(db, readonly=True)
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None
        self._pages: OrderedDict[str, tuple[int, str | None]] = OrderedDict()

    def fingerprint(self) -> int:
        """Changes whenever another process commits to the store."""
        return self.store.data_version()

    def cached(self, key: str, render: Callable[[], str | None]) -> str | None:
        """A rendered page (``None``: not found) from the cache, re-rendered once the store
        has changed."""
        fp = self.fingerprint()
        with self._lock:
            hit = self._pages.get(key)
            if hit is not None and hit[0] == fp:
                self._pages.move_to_end(key)
                return hit[1]
        body = render()
        with self._lock:
            self._pages[key] = (fp, body)
            self._pages.move_to_end(key)
            while len(self._pages) > PAGE_CACHE:
                self._pages.popitem(last=False)
        return body

    def snapshot(self) -> Snapshot:
        """The current list, rebuilt only when the store changed."""
        fp = self.fingerprint()
        with self._lock:
            if self._snap is not None and self._snap.fingerprint == fp:
                return self._snap
            summaries = {
                a.id: {"id": a.id, "source": a.source, "title": a.title, "published": a.published}
                for a in self.store.articles()
            }
            stories = list(self.store.stories())
            if not stories:
                stories = [{"id": aid, "article_ids": [aid]} for aid in summaries]
            story_of: dict[str, list[str]] = defaultdict(list)
            rows = []
            for s in stories:
                rows.append(story_row(s, summaries))
                for aid in s["article_ids"]:
                    story_of[aid].append(s["id"])
            outlets = sorted({a["source"] or "unknown" for a in summaries.values()})
            self._snap = Snapshot(fp, rows, story_of, outlets)
            return self._snap

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status)


def _not_found(what: str) -> HTMLResponse:
    body = render(
        "notfound.html.j2", LINKS, what=what, static=False, script=False, css=stylesheet()
    )
    return _page(body, 404)


def _filtered_rows(site: Site, params: Mapping[str, str]) -> tuple[list[dict[str, Any]], int]:
    snap = site.snapshot()
    rows = snap.rows
    q = params.get("q", "").strip()
    if q:
        hit_ids = {h.id for h in site.store.search(q, SEARCH_LIMIT)}
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


def create_app(db: str | Path) -> Starlette:
    """The web app over the store at ``db`` (opened read-only)."""
    site = Site(Path(db))
    css = stylesheet()
    page_common = {"static": False, "script": True, "css": css}

    def _list_page(params: Mapping[str, str]) -> str:
        rows, total = _filtered_rows(site, params)
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        try:
            page = min(max(1, int(params.get("page", "1"))), pages)
        except ValueError:
            page = 1

        def page_link(n: int) -> str | None:
            if not 1 <= n <= pages or n == page:
                return None
            return LINKS.index() + "?" + urlencode({**params, "page": str(n)})

        return render(
            "list.html.j2",
            LINKS,
            rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
            matching=len(rows),
            total=total,
            page=page,
            pages=pages,
            prev_link=page_link(page - 1),
            next_link=page_link(page + 1),
            outlets=site.snapshot().outlets,
            q=params.get("q", ""),
            outlet=params.get("outlet", ""),
            date_from=params.get("from", ""),
            date_to=params.get("to", ""),
            sort=params.get("sort", "recent"),
            **page_common,
        )

    async def index(request: Request) -> Response:
        params = dict(request.query_params)
        body = site.cached("/?" + urlencode(sorted(params.items())), lambda: _list_page(params))
        return _page(body or "")

    def _story_bundle(story_id: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
        story = site.store.get_story(story_id)
        if story is None:
            art = site.store.get_article(story_id)
            if art is None or site.store.stories_for_article(story_id):
                return None
            story = {"id": art.id, "article_ids": [art.id]}
        arts = {}
        for aid in story["article_ids"]:
            a = site.store.get_article(aid)
            if a is not None:
                arts[aid] = article_to_dict(a)
        return story, arts

    def _story_page(story_id: str) -> str | None:
        bundle = _story_bundle(story_id)
        if bundle is None:
            return None
        story, arts = bundle
        return render("story.html.j2", LINKS, **story_context(story, arts), **page_common)

    def _article_page(article_id: str) -> str | None:
        art = site.store.get_article(article_id)
        if art is None:
            return None
        stories = [
            s
            for sid in site.store.stories_for_article(art.id)
            if (s := site.store.get_story(sid)) is not None
        ]
        ctx = article_context(article_to_dict(art), stories)
        return render("article.html.j2", LINKS, **ctx, **page_common)

    async def story_page(request: Request) -> Response:
        sid = request.path_params["story_id"]
        body = site.cached("/stories/" + sid, lambda: _story_page(sid))
        return _not_found("story") if body is None else _page(body)

    async def article_page(request: Request) -> Response:
        aid = request.path_params["article_id"]
        body = site.cached("/articles/" + aid, lambda: _article_page(aid))
        return _not_found("article") if body is None else _page(body)

    async def api_stories(request: Request) -> Response:
        rows, _ = _filtered_rows(site, request.query_params)
        keep = [r["id"] for r in rows]
        docs = []
        for sid in keep:
            doc = site.store.get_story(sid)
            docs.append(doc if doc is not None else {"id": sid, "article_ids": [sid]})
        return JSONResponse({"stories": docs})

    async def api_story(request: Request) -> Response:
        bundle = _story_bundle(request.path_params["story_id"])
        if bundle is None:
            return JSONResponse({"error": "no such story"}, status_code=404)
        return JSONResponse(bundle[0])

    async def api_article(request: Request) -> Response:
        art = site.store.get_article(request.path_params["article_id"])
        if art is None:
            return JSONResponse({"error": "no such article"}, status_code=404)
        return JSONResponse(article_to_dict(art))

    async def openapi(request: Request) -> Response:
        return JSONResponse(OPENAPI)

    async def app_js(request: Request) -> Response:
        js = resources.files("presslens.web").joinpath("static/app.js").read_text("utf-8")
        return Response(js, media_type="text/javascript; charset=utf-8")

    routes = [
        Route("/", index),
        Route("/stories/{story_id:path}", story_page),
        Route("/articles/{article_id:path}", article_page),
        Route("/api/stories", api_stories),
        Route("/api/stories/{story_id:path}", api_story),
        Route("/api/articles/{article_id:path}", api_article),
        Route("/openapi.json", openapi),
        Route("/static/app.js", app_js),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        site.close()

    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)], lifespan=lifespan)
    app.state.site = site
    return app


class SecurityHeaders(BaseHTTPMiddleware):
    """A strict CSP and the usual hardening headers on every response."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Add the headers."""
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = content_security_policy(scripts=True)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        return response


def _op(summary: str, params: list[dict[str, Any]] | None = None, ok: str = "OK") -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {"200": {"description": ok}, "404": {"description": "not found"}},
        }
    }


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, desc: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
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
            "Stories as in report.json, filtered like the story list",
            [
                _query("q", "full-text search over the stories' articles"),
                _query("outlet", "only stories carried by this outlet"),
                _query("from", "last published on or after this date (YYYY-MM-DD)"),
                _query("to", "first published on or before this date (YYYY-MM-DD)"),
                _query("sort", "recent (default) or sources"),
            ],
        ),
        "/api/stories/{story_id}": _op("One story as in report.json", [_path_param("story_id")]),
        "/api/articles/{article_id}": _op(
            "One article as in report.json", [_path_param("article_id")]
        ),
    },
}
