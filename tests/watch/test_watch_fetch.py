"""The polling manners of :class:`presslens.watch.fetch.Fetcher`, against fake hosts on
127.0.0.1: conditional GET, robots.txt, retries, pacing, timeouts, redirects and size caps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fakesite import FakeSite, Reply, sites

from presslens.config import Config, load_config
from presslens.watch.fetch import Fetched, Fetcher, RobotsCache

PAGE = b"<html><head><title>A page</title></head><body><p>Words.</p></body></html>"


def _config(**watch: Any) -> Config:
    settings: dict[str, Any] = {"host_interval": 0.0, "retry_wait": 0.01, **watch}
    return load_config(
        overrides={"watch": settings, "ingest": {"http_timeout": 1.0, "max_bytes": 1 << 20}}
    )


class _Kept:
    """robots.txt kept between fetchers, as the store keeps it."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str | None, int | None, str]] = {}

    def cache(self) -> RobotsCache:
        def save(host: str, text: str | None, status: int | None, at: str) -> None:
            self.rows[host] = (text, status, at)

        return RobotsCache(self.rows.get, save)


def _get_all(config: Config, urls: list[str], **kw: Any) -> list[Fetched]:
    async def main() -> list[Fetched]:
        fetcher = Fetcher(config, **kw)
        try:
            return list(await asyncio.gather(*(fetcher.get(u) for u in urls)))
        finally:
            await fetcher.aclose()

    return asyncio.run(main())


@pytest.fixture
def site() -> Iterator[FakeSite]:
    with sites(1) as (s,):
        s.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        yield s


def test_conditional_get_with_etag_and_last_modified(site: FakeSite) -> None:
    site.routes["/etag"] = Reply(200, PAGE, etag=True)
    site.routes["/lm"] = Reply(200, PAGE, last_modified="Thu, 05 Mar 2026 10:00:00 GMT")
    cfg = _config()

    async def main() -> list[Fetched]:
        fetcher = Fetcher(cfg)
        try:
            first = [await fetcher.get(site.url(p)) for p in ("/etag", "/lm")]
            again = [
                await fetcher.get(f.url, etag=f.etag, last_modified=f.last_modified) for f in first
            ]
            assert fetcher.stats.not_modified == 2
            return first + again
        finally:
            await fetcher.aclose()

    etag, lm, etag_again, lm_again = asyncio.run(main())
    assert etag.ok and etag.body == PAGE and etag.etag
    assert lm.ok and lm.last_modified == "Thu, 05 Mar 2026 10:00:00 GMT"
    assert etag_again.not_modified and lm_again.not_modified
    assert etag_again.body == b"" and etag_again.etag == etag.etag
    assert site.answered_304 == {"/etag": 1, "/lm": 1}


def test_robots_txt_disallows_a_path_and_is_asked_once_a_day(site: FakeSite) -> None:
    site.routes["/private/story"] = Reply(200, PAGE)
    site.routes["/open"] = Reply(200, PAGE)
    kept = _Kept()
    refused, ok = _get_all(
        _config(), [site.url("/private/story"), site.url("/open")], robots=kept.cache()
    )
    assert refused.refused and refused.error == "disallowed by robots.txt"
    assert ok.ok
    assert site.hits["/private/story"] == 0
    # a second round takes robots.txt from the cache
    (again,) = _get_all(_config(), [site.url("/open")], robots=kept.cache())
    assert again.ok and site.hits["/robots.txt"] == 1


def test_robots_txt_missing_allows_and_unavailable_disallows() -> None:
    with sites(2) as (missing, broken):
        missing.routes["/robots.txt"] = Reply(404, b"", "text/plain")
        missing.routes["/a"] = Reply(200, PAGE)
        broken.routes["/robots.txt"] = Reply(503, b"", "text/plain")
        broken.routes["/a"] = Reply(200, PAGE)
        kept = _Kept()
        ok, refused = _get_all(
            _config(retries=0), [missing.url("/a"), broken.url("/a")], robots=kept.cache()
        )
        assert ok.ok
        assert refused.refused and refused.error is not None
        assert refused.error.startswith("robots.txt unavailable (HTTP 503")
        assert broken.hits["/a"] == 0
        # an unavailable robots.txt is not kept: the next round asks again
        assert list(kept.rows) == [f"127.0.0.1:{missing.port}"]


def test_a_host_returning_500s_is_retried_then_left_for_the_round(site: FakeSite) -> None:
    for n in range(5):
        site.routes[f"/broken{n}"] = Reply(500, b"boom", "text/plain")
    cfg = _config(retries=2, host_failures=2)

    async def main() -> list[Fetched]:
        fetcher = Fetcher(cfg)
        try:
            return [await fetcher.get(site.url(f"/broken{n}")) for n in range(5)]
        finally:
            await fetcher.aclose()

    results = asyncio.run(main())
    assert all(r.error for r in results)
    assert results[0].error == "HTTP 500 Internal Server Error" and results[0].status == 500
    # three tries for each of the first two; after two failures the host waits a round
    assert [site.hits[f"/broken{n}"] for n in range(5)] == [3, 3, 0, 0, 0]
    assert results[2].refused and "failed 2 times this round" in (results[2].error or "")


def test_retry_after_is_honoured(site: FakeSite) -> None:
    answers = iter([Reply(503, b"", headers={"Retry-After": "1"}), Reply(200, PAGE)])
    site.routes["/busy"] = lambda path: next(answers)
    t0 = time.monotonic()
    (got,) = _get_all(_config(retries=1, retry_wait=0.01), [site.url("/busy")])
    assert got.ok and site.hits["/busy"] == 2
    assert time.monotonic() - t0 >= 0.9


def test_a_slow_host_times_out_without_holding_up_another() -> None:
    with sites(2) as (slow, quick):
        for s in (slow, quick):
            s.routes["/robots.txt"] = Reply(404, b"")
        slow.routes["/a"] = Reply(200, PAGE, delay=5.0)
        quick.routes["/a"] = Reply(200, PAGE)
        t0 = time.monotonic()
        late, fine = _get_all(_config(), [slow.url("/a"), quick.url("/a")])
        took = time.monotonic() - t0
    assert late.error == "timed out after 1 s (ingest.http_timeout)"
    assert fine.ok
    # not retried: a slow host stays slow
    assert slow.hits["/a"] == 1 and took < 3


def test_an_endless_redirect_stops_at_the_cap(site: FakeSite) -> None:
    def loop(path: str) -> Reply:
        n = int(path.rsplit("=", 1)[1]) if "=" in path else 0
        return Reply(302, b"", headers={"Location": f"/loop?n={n + 1}"})

    site.routes["/loop"] = loop
    (got,) = _get_all(_config(), [site.url("/loop")])
    assert got.error == "too many redirects (more than 5, ingest.http_max_redirects)"
    assert sum(n for p, n in site.hits.items() if p.startswith("/loop")) == 6


def test_a_redirect_is_followed_and_checked_against_robots(site: FakeSite) -> None:
    site.routes["/moved"] = Reply(301, b"", headers={"Location": "/here"})
    site.routes["/here"] = Reply(200, PAGE)
    site.routes["/sneaky"] = Reply(302, b"", headers={"Location": "/private/x"})
    moved, sneaky = _get_all(_config(), [site.url("/moved"), site.url("/sneaky")])
    assert moved.ok and moved.final_url == site.url("/here")
    assert sneaky.error == "disallowed by robots.txt" and site.hits["/private/x"] == 0


def test_size_caps(site: FakeSite) -> None:
    site.routes["/huge"] = Reply(200, b"<html>", declared=50 * 1024 * 1024)
    site.routes["/endless"] = Reply(200, b"", endless=True)
    cfg = load_config(overrides={"watch": {"host_interval": 0.0}, "ingest": {"http_timeout": 5.0}})
    t0 = time.monotonic()
    (huge,) = _get_all(cfg, [site.url("/huge")])
    assert huge.error is not None and huge.error.startswith(
        "response over the size cap of 20971520 bytes (ingest.max_bytes): 52428800 bytes"
    )
    assert time.monotonic() - t0 < 2
    (endless,) = _get_all(_config(), [site.url("/endless")])
    assert endless.error == "response over the size cap of 1048576 bytes (ingest.max_bytes)"


def test_user_agent_and_pacing() -> None:
    with sites(2) as (one, two):
        for s in (one, two):
            s.routes["/robots.txt"] = Reply(404, b"")
            for n in range(3):
                s.routes[f"/p{n}"] = Reply(200, PAGE)
        cfg = _config(host_interval=0.3, contact="mailto:desk@example.invalid")
        t0 = time.monotonic()
        urls = [s.url(f"/p{n}") for s in (one, two) for n in range(3)]
        results = _get_all(cfg, urls)
        took = time.monotonic() - t0
    assert all(r.ok for r in results)
    # robots.txt and three pages per host, a request every 0.3 s; the hosts run side by side
    assert 0.85 <= took < 1.8
    agents = set(one.agents) | set(two.agents)
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("presslens/") and "+mailto:desk@example.invalid" in agent


def test_crawl_delay_slows_a_host() -> None:
    with sites(1) as (s,):
        s.routes["/robots.txt"] = Reply(200, b"User-agent: presslens\nCrawl-delay: 1\n")
        for n in range(3):
            s.routes[f"/p{n}"] = Reply(200, PAGE)
        t0 = time.monotonic()
        results = _get_all(_config(), [s.url(f"/p{n}") for n in range(3)])
        assert all(r.ok for r in results)
        # the pages one a second apart
        assert time.monotonic() - t0 >= 1.9


def test_stopping_makes_no_more_requests(site: FakeSite) -> None:
    site.routes["/a"] = Reply(200, PAGE)
    (got,) = _get_all(_config(), [site.url("/a")], stopping=lambda: True)
    assert got.refused and got.error is not None and site.hits["/a"] == 0
