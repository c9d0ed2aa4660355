"""A fake news site on 127.0.0.1 for the watch tests: feeds, article pages, robots.txt, and
hosts that misbehave on purpose.  Written for these tests; every text is invented.

Each :class:`FakeSite` is one host (its own port).  ``routes`` maps a path (with its query)
to a :class:`Reply`, or to a function of the request path giving one, and can be changed
between rounds; ``hits`` counts the requests per path, ``answered_304`` the conditional ones
answered "not modified", and ``agents`` keeps every User-Agent seen.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape


@dataclass
class Reply:
    """One answer.  ``etag`` / ``last_modified`` turn on validators (and 304 answers to a
    request that presents them); ``delay`` holds the answer back; ``declared`` sends that
    Content-Length whatever the body; ``endless`` streams filler without a length."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = False
    last_modified: str | None = None
    delay: float = 0.0
    declared: int | None = None
    endless: bool = False


Route = Reply | Callable[[str], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: FakeSite

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hang up on purpose here (timeouts, size caps)."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        site = self.server.site
        path = self.path
        with site.lock:
            site.hits[path] += 1
            site.agents.append(self.headers.get("User-Agent", ""))
            route = site.routes.get(path) or site.routes.get(path.split("?")[0])
        reply = route(path) if callable(route) else route
        if reply is None:
            reply = Reply(404, b"not here", "text/plain")
        if reply.delay:
            site.stop.wait(reply.delay)
        headers = dict(reply.headers)
        etag = '"' + hashlib.sha256(reply.body).hexdigest()[:16] + '"' if reply.etag else None
        if etag:
            headers["ETag"] = etag
        if reply.last_modified:
            headers["Last-Modified"] = reply.last_modified
        fresh = (etag and self.headers.get("If-None-Match") == etag) or (
            reply.last_modified and self.headers.get("If-Modified-Since") == reply.last_modified
        )
        if fresh and reply.status == 200:
            with site.lock:
                site.answered_304[path] += 1
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for k, v in headers.items():
            self.send_header(k, v)
        if reply.endless:
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"filler " * 1000 + b"</p>"
            try:
                while not site.stop.is_set():
                    self.wfile.write(chunk)
            except OSError:
                return
            return
        length = reply.declared if reply.declared is not None else len(reply.body)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        try:
            self.wfile.write(reply.body)
            if reply.declared is not None and reply.declared > len(reply.body):
                chunk = b" " * 65536
                sent = len(reply.body)
                while sent < reply.declared and not site.stop.is_set():
                    self.wfile.write(chunk)
                    sent += len(chunk)
        except OSError:
            return


class FakeSite:
    """One fake host; see the module."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.answered_304: Counter[str] = Counter()
        self.agents: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of ``path``."""
        return self.base + path

    def close(self) -> None:
        """Stop serving."""
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def sites(n: int) -> Iterator[list[FakeSite]]:
    """``n`` fake hosts, closed on leaving."""
    made = [FakeSite() for _ in range(n)]
    try:
        yield made
    finally:
        for s in made:
            s.close()


def article_page(title: str, paragraphs: list[str], *, published: str, site: str) -> bytes:
    """An article page as a news site serves it: head metadata, navigation, the story."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{escape(title)} | {escape(site)}</title>"
        f'<meta property="og:title" content="{escape(title)}">'
        f'<meta property="og:site_name" content="{escape(site)}">'
        f'<meta property="article:published_time" content="{published}">'
        "</head><body><nav><a href='/'>Home</a> <a href='/tag/news'>News</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Copyright the fake site. All rights reserved.</footer></body></html>"
    ).encode()


def rss(title: str, items: list[tuple[str, str, str, str]]) -> bytes:
    """An RSS 2.0 feed of ``(title, link, date as RFC 822, summary)`` items."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>{d}</pubDate><description>{escape(s)}</description></item>"
        for t, link, d, s in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>http://example.invalid/</link>{body}</channel></rss>"
    ).encode()


FEED_TYPE = "application/rss+xml"
