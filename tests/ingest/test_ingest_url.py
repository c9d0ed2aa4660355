"""URL inputs against a real HTTP server on 127.0.0.1 (stdlib, in a thread); no internet."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from ingest_helpers import one_skip, run

from presslens.config import IngestConfig
from presslens.ingest import inputs as inputs_module
from presslens.model import Skip

PAGE = (
    "<!DOCTYPE html><html><head><title>Served page</title>"
    '<meta property="article:published_time" content="2024-03-05">'
    "</head><body><p>Words café.</p></body></html>"
)
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>'
    "<item><title>Wire one</title><link>/one</link><description>First item.</description></item>"
    "<item><title>Wire two</title><link>/two</link><description>Second item.</description></item>"
    "</channel></rss>"
)
CHUNK = b"x" * 16384


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stop = threading.Event()
    agents: ClassVar[list[str]] = []  # User-Agent of each request, in arrival order

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up on purpose (timeouts, size caps) are expected here."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.agents.append(self.headers.get("User-Agent", ""))
        route = self.path
        if route == "/page":
            self._send(200, PAGE.encode(), "text/html; charset=utf-8")
        elif route == "/feed":
            self._send(200, FEED.encode(), "application/rss+xml")
        elif route == "/feed-as-html":
            self._send(200, FEED.encode(), "text/html")
        elif route == "/plain":
            self._send(200, b"Plain title\nPlain body.\n", "text/plain")
        elif route == "/pdf":
            self._send(200, b"%PDF-1.4 not really", "application/pdf")
        elif route == "/error":
            self._send(500, b"boom", "text/plain")
        elif route == "/missing":
            self._send(404, b"nope", "text/html")
        elif route == "/slow":
            self.server.stop.wait(2.0)
            self._send(200, PAGE.encode(), "text/html")
        elif route == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(10 * len(CHUNK)))
            self.end_headers()
            self.wfile.write(CHUNK * 10)
        elif route == "/big-streamed":
            # No Content-Length: HTTP/1.0 body runs until the server closes, here "forever".
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            while not self.server.stop.is_set():
                self.wfile.write(CHUNK)
        elif route == "/loop":
            self._send(302, b"", "text/plain", Location="/loop")
        elif route == "/moved":
            self._send(301, b"", "text/plain", Location="/page")
        else:
            self._send(404, b"", "text/plain")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


def test_page(base_url: str) -> None:
    _Server.agents.clear()
    (article,), skips = run([f"{base_url}/page"])
    assert skips == []
    assert article.html == PAGE
    assert article.text == ""
    assert (article.url, article.origin) == (f"{base_url}/page", f"{base_url}/page")
    assert (article.title, article.published) == ("Served page", "2024-03-05")
    assert (article.source, article.source_from) == ("127.0.0.1", "url")
    assert _Server.agents == [IngestConfig().user_agent]


def test_redirect_followed(base_url: str) -> None:
    (article,), _ = run([f"{base_url}/moved"])
    assert article.origin == f"{base_url}/moved"
    assert article.url == f"{base_url}/page"


@pytest.mark.parametrize("route", ["/feed", "/feed-as-html"])
def test_feed_by_type_or_by_content(base_url: str, route: str) -> None:
    articles, skips = run([base_url + route])
    assert skips == []
    assert [(a.title, a.text, a.url, a.source) for a in articles] == [
        ("Wire one", "First item.", f"{base_url}/one", "Local Wire"),
        ("Wire two", "Second item.", f"{base_url}/two", "Local Wire"),
    ]


def test_plain_text_response(base_url: str) -> None:
    (article,), _ = run([f"{base_url}/plain"])
    assert (article.title, article.text, article.html) == ("Plain title", "Plain body.", None)


def test_failures_are_skips_and_the_run_goes_on(base_url: str, tmp_path: Path) -> None:
    local = tmp_path / "local.txt"
    local.write_text("Local\nbody\n", "utf-8")
    inputs = [
        f"{base_url}/error",
        f"{base_url}/missing",
        f"{base_url}/slow",
        f"{base_url}/loop",
        f"{base_url}/pdf",
        "file:///etc/hostname",
        "ftp://127.0.0.1/file.txt",
        str(local),
        f"{base_url}/page",
    ]
    articles, skips = run(inputs, http_timeout=0.3, http_max_redirects=3)
    only_http = "(only http:// and https:// are fetched)"
    assert [a.origin for a in articles] == [str(local), f"{base_url}/page"]
    assert [(s.path, s.reason) for s in skips] == [
        (f"{base_url}/error", "HTTP 500 Internal Server Error"),
        (f"{base_url}/missing", "HTTP 404 Not Found"),
        (f"{base_url}/slow", "timed out after 0.3 s (ingest.http_timeout)"),
        (f"{base_url}/loop", "too many redirects (more than 3, ingest.http_max_redirects)"),
        (
            f"{base_url}/pdf",
            "unsupported content type 'application/pdf': neither a page nor a feed",
        ),
        ("file:///etc/hostname", f"unsupported URL scheme 'file' {only_http}"),
        ("ftp://127.0.0.1/file.txt", f"unsupported URL scheme 'ftp' {only_http}"),
    ]


def test_size_cap(base_url: str) -> None:
    cap = 4 * len(CHUNK)
    declared = one_skip([f"{base_url}/big-declared"], max_bytes=cap)
    assert declared.reason == (
        f"response over the size cap of {cap} bytes (ingest.max_bytes): {10 * len(CHUNK)} bytes"
    )
    streamed = one_skip([f"{base_url}/big-streamed"], max_bytes=cap, http_timeout=5.0)
    assert streamed.reason == f"response over the size cap of {cap} bytes (ingest.max_bytes)"


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    skip = one_skip([f"http://127.0.0.1:{port}/"])
    assert skip.reason.startswith("cannot connect")


def test_urls_in_a_row_share_one_shard_and_one_client(
    base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "local.txt"
    local.write_text("Local\nbody\n", "utf-8")
    inputs = [
        f"{base_url}/page",
        f"{base_url}/feed",
        "ftp://127.0.0.1/file.txt",
        f"{base_url}/plain",
        f"{base_url}/missing",
        str(local),
        f"{base_url}/page",
    ]
    shards = inputs_module.plan_shards(inputs, IngestConfig())
    assert [s.reason if isinstance(s, Skip) else (s.urls, len(s.files)) for s in shards] == [
        ((f"{base_url}/page", f"{base_url}/feed"), 0),
        "unsupported URL scheme 'ftp' (only http:// and https:// are fetched)",
        ((f"{base_url}/plain", f"{base_url}/missing"), 0),
        ((), 1),
        ((f"{base_url}/page",), 0),
    ]
    assert shards[0].label == f"{base_url}/page (+1 more URLs)"  # type: ignore[union-attr]
    opened: list[IngestConfig] = []
    real_open = inputs_module.open_client

    def counting(config: IngestConfig) -> Any:
        opened.append(config)
        return real_open(config)

    monkeypatch.setattr(inputs_module, "open_client", counting)
    articles, skips = run(inputs)
    assert len(opened) == 3  # one client per shard of URLs, not one per URL
    assert [a.origin.split("#")[0] for a in articles] == [
        f"{base_url}/page",
        f"{base_url}/feed",
        f"{base_url}/feed",
        f"{base_url}/plain",
        str(local),
        f"{base_url}/page",
    ]
    assert [s.path for s in skips] == ["ftp://127.0.0.1/file.txt", f"{base_url}/missing"]
