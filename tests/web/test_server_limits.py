"""What keeps one request from stalling the others: searches capped, lists paged, requests
bounded in size and time, store work off the event loop, and a prompt stop on a signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from presslens.model import Article
from presslens.store import Store
from presslens.store.store import MAX_SEARCH_TERMS
from presslens.web import create_app
from presslens.web.server import API_LIMIT, API_MAX_LIMIT, MAX_BODY_BYTES, MAX_QUERY_BYTES


def _many_stories(db: Path, n: int) -> None:
    with Store(db) as store:
        store.add_articles(
            Article(
                f"a{i}",
                f"Harbour report {i}: the ferry ran late again.",
                source="S",
                title=f"Ferry {i}",
                published=f"2024-01-{1 + i % 28:02d}",
                cleaned=True,
            )
            for i in range(n)
        )
        store.put_stories({"id": f"s{i}", "article_ids": [f"a{i}"]} for i in range(n))


def test_repeated_search_terms_count_once(web_db: Path) -> None:
    client = TestClient(create_app(web_db))
    # The shape that stalled the old server: one common word repeated hundreds of times.
    t0 = time.monotonic()
    r = client.get("/", params={"q": " ".join(["the"] * 320)})
    assert r.status_code == 200 and time.monotonic() - t0 < 5
    repeated = client.get("/", params={"q": "Bridge bridge BRIDGE bridge."}).text
    assert "Flood &lt;script" in repeated and "Dockers strike" not in repeated


def test_too_many_distinct_terms_is_a_400_that_says_so(web_db: Path) -> None:
    client = TestClient(create_app(web_db))
    words = " ".join(f"word{i}" for i in range(MAX_SEARCH_TERMS + 1))
    page = client.get("/", params={"q": words})
    assert page.status_code == 400
    assert f"at most {MAX_SEARCH_TERMS}" in page.text and "Back to the stories" in page.text
    api = client.get("/api/stories", params={"q": words})
    assert api.status_code == 400
    assert f"{MAX_SEARCH_TERMS + 1} different terms" in api.json()["error"]
    at_cap = " ".join(f"word{i}" for i in range(MAX_SEARCH_TERMS))
    assert client.get("/", params={"q": at_cap}).status_code == 200


def test_api_stories_is_paged_with_links(tmp_path: Path) -> None:
    db = tmp_path / "many.db"
    n = 2 * API_LIMIT + 3
    _many_stories(db, n)
    client = TestClient(create_app(db))
    first = client.get("/api/stories", params={"sort": "sources"})
    doc = first.json()
    assert len(doc["stories"]) == API_LIMIT and doc["total"] == n and doc["pages"] == 3
    assert doc["page"] == 1 and doc["prev"] is None and "page=2" in doc["next"]
    assert 'rel="next"' in first.headers["link"] and 'rel="prev"' not in first.headers["link"]
    last = client.get(doc["next"].replace("page=2", "page=3")).json()
    assert len(last["stories"]) == 3 and last["next"] is None and "page=2" in last["prev"]
    seen = {
        s["id"]
        for p in (1, 2, 3)
        for s in client.get("/api/stories", params={"sort": "sources", "page": str(p)}).json()[
            "stories"
        ]
    }
    assert seen == {f"s{i}" for i in range(n)}
    assert len(client.get("/api/stories", params={"limit": "5"}).json()["stories"]) == 5
    capped = client.get("/api/stories", params={"limit": "100000"}).json()
    assert capped["limit"] == API_MAX_LIMIT
    assert client.get("/api/stories", params={"page": "x", "limit": "y"}).json()["page"] == 1


def test_oversized_requests_are_refused(web_db: Path) -> None:
    client = TestClient(create_app(web_db))
    r = client.get("/", params={"q": "a" * (MAX_QUERY_BYTES + 1)})
    assert r.status_code == 414 and "query string" in r.json()["error"]
    assert r.headers["x-content-type-options"] == "nosniff"
    r = client.request("GET", "/", content=b"x" * (MAX_BODY_BYTES + 1))
    assert r.status_code == 413
    assert client.get("/stories/" + "x" * 5000).status_code == 414


def test_a_request_past_its_time_budget_answers_503(tmp_path: Path) -> None:
    db = tmp_path / "big.db"
    _many_stories(db, 3000)
    # A budget already spent: the first check of the progress handler stops the search, which
    # scans every article; the list without a search does no budgeted store work at all.
    client = TestClient(create_app(db, query_budget=1e-9))
    r = client.get("/", params={"q": "ferry"})
    assert r.status_code == 503 and r.headers["retry-after"]
    assert "was stopped" in r.text
    assert client.get("/api/stories", params={"q": "ferry"}).status_code == 503
    assert client.get("/").status_code == 200
    assert TestClient(create_app(db)).get("/", params={"q": "ferry"}).status_code == 200


def test_list_and_search_answer_while_a_slow_request_is_in_flight(
    web_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    real = Store.get_article

    def slow_get_article(self: Store, article_id: str) -> Article | None:
        if article_id == "strike-1":
            started.set()
            release.wait(30)
        return real(self, article_id)

    monkeypatch.setattr(Store, "get_article", slow_get_article)
    with TestClient(create_app(web_db)) as client, ThreadPoolExecutor(1) as pool:
        slow = pool.submit(client.get, "/articles/strike-1")
        assert started.wait(10)
        try:
            for path in (
                "/",
                "/?q=bridge",
                "/api/stories",
                "/api/stories?q=flood",
                "/openapi.json",
            ):
                t0 = time.monotonic()
                assert client.get(path).status_code == 200, path
                assert time.monotonic() - t0 < 2, path
            assert not slow.done()
        finally:
            release.set()
        assert slow.result(10).status_code == 200


def test_cached_pages_answer_while_every_store_thread_is_busy(
    web_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    real = Store.get_article

    def slow_get_article(self: Store, article_id: str) -> Article | None:
        if article_id == "strike-1":
            started.set()
            release.wait(30)
        return real(self, article_id)

    monkeypatch.setattr(Store, "get_article", slow_get_article)
    with TestClient(create_app(web_db, threads=1)) as client, ThreadPoolExecutor(1) as pool:
        for path in ("/", "/api/stories", "/stories/s-flood"):
            assert client.get(path).status_code == 200  # now cached
        slow = pool.submit(client.get, "/articles/strike-1")
        assert started.wait(10)
        try:
            for path in ("/", "/api/stories", "/stories/s-flood"):
                t0 = time.monotonic()
                assert client.get(path).status_code == 200, path
                assert time.monotonic() - t0 < 2, path
        finally:
            release.set()
        assert slow.result(10).status_code == 200


def test_concurrent_requests_for_one_page_make_it_once(
    web_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    release = threading.Event()
    real = Store.get_story

    def counted_get_story(self: Store, story_id: str) -> dict[str, object] | None:
        if story_id == "s-flood":
            calls.append(story_id)
            release.wait(30)
        return real(self, story_id)

    monkeypatch.setattr(Store, "get_story", counted_get_story)
    with TestClient(create_app(web_db)) as client, ThreadPoolExecutor(6) as pool:
        pages = [pool.submit(client.get, "/stories/s-flood") for _ in range(6)]
        time.sleep(0.5)  # all six are waiting by now
        release.set()
        bodies = {p.result(10).text for p in pages}
    assert calls == ["s-flood"]
    assert len(bodies) == 1 and "Floodwater reached the old bridge" in bodies.pop()


# A child process that serves the store with one article whose read never ends by itself
# (an endless recursive query: only a time budget or an interrupt stops it).
_CHILD = """
import os, sys
from pathlib import Path
from presslens.store import Store
from presslens.cli import main

real = Store.get_article
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

def get_article(self, article_id):
    if article_id == "strike-1":
        Path(os.environ["SLOW_MARK"]).touch()
        with self._read() as conn:
            conn.execute(ENDLESS).fetchone()
    return real(self, article_id)

Store.get_article = get_article
sys.exit(main(sys.argv[1:]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_server_during_a_slow_query(
    web_db: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    port = _free_port()
    mark = tmp_path / "slow-started"
    base = f"http://127.0.0.1:{port}"
    args = ["serve", "--db", str(web_db), "--port", str(port), "--quiet", "--query-budget", "600"]
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, *args],
        env={**os.environ, "SLOW_MARK": str(mark)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "server exited early"
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.1)
        with ThreadPoolExecutor(1) as pool:
            slow = pool.submit(httpx.get, base + "/articles/strike-1", timeout=120)
            while not mark.exists():
                assert time.monotonic() < deadline and not slow.done()
                time.sleep(0.05)
            for path in ("/?q=bridge", "/api/stories", "/stories/s-flood"):
                t0 = time.monotonic()
                assert httpx.get(base + path, timeout=10).status_code == 200, path
                assert time.monotonic() - t0 < 2, path
            t0 = time.monotonic()
            proc.send_signal(sig)
            proc.wait(timeout=15)
            assert time.monotonic() - t0 < 8
            try:
                status = slow.result(10).status_code
            except httpx.HTTPError:
                status = None
            assert status != 200, "the endless read cannot have finished"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
