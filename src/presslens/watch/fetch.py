"""Polling done right: the HTTP side of ``watch``.

Every request goes through one :class:`Fetcher` per round, which

* names presslens and the contact the user set in its User-Agent;
* asks robots.txt first (RFC 9309: kept a day; a missing one allows everything, one the
  host cannot serve (5xx, no answer) disallows the host until it can), and honours its
  Crawl-delay;
* paces each host (at most ``watch.host_connections`` requests at once, one started every
  ``watch.host_interval`` seconds) and caps the requests in flight over all hosts;
* sends ``If-None-Match`` / ``If-Modified-Since`` when it knows the validators, so an
  unchanged resource answers 304 with no body;
* follows redirects itself, each hop paced and checked against robots.txt, at most
  ``ingest.http_max_redirects`` of them;
* stops a request after ``ingest.http_timeout`` seconds in all (a server dribbling bytes
  included) and a body past ``ingest.max_bytes``;
* tries a request again when no answer came, or a 429 or 5xx did, waiting longer each time
  (or as long as Retry-After asks, within reason), and after ``watch.host_failures``
  failures of one host in a round leaves its other requests for the next round.

Nothing here raises for a network problem: every outcome is a :class:`Fetched`, with
``error`` saying what went wrong in the words ``ingest`` uses for URLs.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from presslens import __version__
from presslens.config import Config
from presslens.store.watch import utc_now
from presslens.watch.urls import host_of

#: the product token robots.txt rules name to address presslens
ROBOTS_AGENT = "presslens"
#: seconds a host's robots.txt is used before it is asked for again (RFC 9309 section 2.4:
#: a cached copy should not be used for more than 24 hours)
ROBOTS_TTL = 24 * 3600.0
#: largest robots.txt read (RFC 9309 section 2.5: at least 500 KiB must be parsed)
ROBOTS_MAX_BYTES = 512 * 1024
#: longest Crawl-delay honoured, in seconds: a longer one would hold a round for hours; the
#: host's pages then simply take several rounds
CRAWL_DELAY_MAX = 60.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def user_agent(config: Config) -> str:
    """The User-Agent of every ``watch`` request: presslens, its version and the contact the
    user set (``watch.contact``), else ``ingest.user_agent``."""
    contact = config.watch.contact
    if contact is None:
        return config.ingest.user_agent
    return f"presslens/{__version__} (+{contact.strip()}; news monitoring)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """What became of one GET.

    ``status`` is the HTTP status of the last answer (``None`` when none came);
    ``error`` is ``None`` for a 200 (``body`` holds it) or a 304 (:attr:`not_modified`), and
    says why otherwise; ``refused`` is true when robots.txt or a failing host kept the
    request from being made at all.
    """

    url: str
    final_url: str
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    refused: bool = False

    @property
    def ok(self) -> bool:
        """A 200 with its body."""
        return self.error is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        """A 304: the resource is as it was when its validators were taken."""
        return self.error is None and self.status == 304


@dataclass
class FetchStats:
    """Requests of one round: all made (retries, redirects and robots.txt included), how
    many answered 304, and bytes of body read."""

    requests: int = 0
    not_modified: int = 0
    bytes: int = 0


class RobotsCache:
    """Where robots.txt files are kept between rounds (the store's ``hosts`` table).

    ``load(host)`` gives ``(text, status, fetched at as an ISO time)`` or ``None``;
    ``save(host, text, status, at)`` keeps one.
    """

    def __init__(
        self,
        load: Callable[[str], tuple[str | None, int | None, str] | None],
        save: Callable[[str, str | None, int | None, str], None],
    ) -> None:
        self.load = load
        self.save = save


@dataclass
class _Host:
    sem: asyncio.Semaphore
    lock: asyncio.Lock
    robots_lock: asyncio.Lock
    delay: float
    next_at: float = 0.0
    failures: int = 0
    robots: RobotFileParser | None = None
    robots_error: str | None = None


class _Stopped(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Answer:
    """An HTTP answer (``status`` 0 when none came); ``made`` is false when the request was
    not sent at all (the round is stopping, or the host failed too often)."""

    status: int
    headers: httpx.Headers
    body: bytes = b""
    error: str | None = None
    made: bool = True


class Fetcher:
    """One round's HTTP client (create and use it inside one event loop).

    ``transport`` replaces the network (tests); ``robots`` keeps robots.txt between rounds;
    ``stopping`` is polled before every request, so a stop asked from outside ends the
    round's requests promptly.
    """

    def __init__(
        self,
        config: Config,
        *,
        robots: RobotsCache | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        self.config = config
        self.watch = config.watch
        self.ingest = config.ingest
        self.robots_cache = robots
        self.stopping = stopping
        self.stats = FetchStats()
        self.agent = user_agent(config)
        self._hosts: dict[str, _Host] = {}
        self._all = asyncio.Semaphore(self.watch.concurrency)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.ingest.http_timeout),
            follow_redirects=False,
            headers={"User-Agent": self.agent},
            transport=transport,
            limits=httpx.Limits(
                max_connections=self.watch.concurrency,
                max_keepalive_connections=self.watch.concurrency,
            ),
        )

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            state = _Host(
                asyncio.Semaphore(self.watch.host_connections),
                asyncio.Lock(),
                asyncio.Lock(),
                self.watch.host_interval,
            )
            self._hosts[host] = state
        return state

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """GET ``url`` politely (see the module), conditionally when validators are given."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(self.ingest.http_max_redirects + 1):
            scheme = urlsplit(current).scheme.lower()
            host = host_of(current)
            if scheme not in ("http", "https") or not host:
                return Fetched(url, current, error=f"unsupported URL: {current!r}")
            refusal = await self._robots_refusal(host, scheme, current)
            if refusal is not None:
                return Fetched(url, current, error=refusal, refused=True)
            answer = await self._request(host, current, headers)
            if answer.error is not None:
                return Fetched(
                    url, current, answer.status or None, error=answer.error, refused=not answer.made
                )
            location = answer.headers.get("Location")
            if answer.status in _REDIRECTS and location:
                try:
                    current = urljoin(current, location.strip())
                except ValueError:
                    return Fetched(url, current, answer.status, error="redirect to a bad URL")
                continue
            if answer.status == 304:
                self.stats.not_modified += 1
                return Fetched(url, current, 304, etag=etag, last_modified=last_modified)
            if answer.status != 200:
                phrase = _phrase(answer.status)
                return Fetched(url, current, answer.status, error=f"HTTP {answer.status}{phrase}")
            return Fetched(
                url,
                current,
                200,
                body=answer.body,
                content_type=answer.headers.get("Content-Type", ""),
                etag=answer.headers.get("ETag"),
                last_modified=answer.headers.get("Last-Modified"),
            )
        cap = self.ingest.http_max_redirects
        return Fetched(
            url, current, error=f"too many redirects (more than {cap}, ingest.http_max_redirects)"
        )

    # --- robots.txt ------------------------------------------------------------------------

    async def _robots_refusal(self, host: str, scheme: str, url: str) -> str | None:
        state = self._host(host)
        if state.robots is None and state.robots_error is None:
            async with state.robots_lock:
                if state.robots is None and state.robots_error is None:
                    await self._load_robots(host, scheme, state)
        if state.robots_error is not None:
            return state.robots_error
        assert state.robots is not None
        if not state.robots.can_fetch(ROBOTS_AGENT, url):
            return "disallowed by robots.txt"
        return None

    async def _load_robots(self, host: str, scheme: str, state: _Host) -> None:
        kept = self.robots_cache.load(host) if self.robots_cache is not None else None
        if kept is not None and _age(kept[2]) < ROBOTS_TTL:
            self._use_robots(state, kept[0], kept[1])
            return
        url = f"{scheme}://{host}/robots.txt"
        answer = _Answer(0, httpx.Headers())
        for _ in range(self.ingest.http_max_redirects + 1):
            answer = await self._request(host_of(url), url, {}, cap=ROBOTS_MAX_BYTES, whole=False)
            location = answer.headers.get("Location")
            if answer.error is None and answer.status in _REDIRECTS and location:
                url = urljoin(url, location.strip())
                continue
            break
        status = answer.status
        if answer.error is not None or status >= 500 or status == 429 or status in _REDIRECTS:
            # RFC 9309 2.3.1.4: an unreachable robots.txt means complete disallow; not kept,
            # so the next round asks again
            why = answer.error or f"HTTP {status}"
            state.robots_error = f"robots.txt unavailable ({why}): host not read this round"
            return
        text = answer.body.decode("utf-8", "replace") if 200 <= status < 300 else None
        if self.robots_cache is not None:
            self.robots_cache.save(host, text, status, utc_now())
        self._use_robots(state, text, status)

    def _use_robots(self, state: _Host, text: str | None, status: int | None) -> None:
        parser = RobotFileParser()
        # a 4xx (no robots.txt) allows everything (RFC 9309 2.3.1.3)
        parser.parse((text or "").splitlines())
        state.robots = parser
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay is not None:
            state.delay = max(state.delay, min(float(delay), CRAWL_DELAY_MAX))

    # --- requests --------------------------------------------------------------------------

    async def _request(
        self,
        host: str,
        url: str,
        headers: dict[str, str],
        *,
        cap: int | None = None,
        whole: bool = True,
    ) -> _Answer:
        """One request, tried again on no answer, 429 or 5xx; status 0 with an error when
        it was not made."""
        state = self._host(host)
        wait = self.watch.retry_wait
        last = _Answer(0, httpx.Headers(), error="not requested")
        for attempt in range(self.watch.retries + 1):
            if self.stopping():
                return _Answer(0, httpx.Headers(), error="stopped", made=False)
            if state.failures >= self.watch.host_failures:
                return _Answer(
                    0,
                    httpx.Headers(),
                    error=f"not requested: {host} failed {state.failures} times this round",
                    made=False,
                )
            async with state.sem:
                async with state.lock:
                    loop = asyncio.get_running_loop()
                    pause = state.next_at - loop.time()
                    if pause > 0:
                        await asyncio.sleep(pause)
                    state.next_at = loop.time() + state.delay
                async with self._all:
                    self.stats.requests += 1
                    last, retry = await self._once(url, headers, cap, whole)
            if last.error is None and last.status not in _RETRY_STATUS:
                return last
            if not retry or attempt == self.watch.retries:
                break
            asked = _retry_after(last.headers.get("Retry-After"))
            pause = min(max(wait, asked or 0.0), self.watch.retry_wait_max)
            await asyncio.sleep(pause)
            wait *= 2
        state.failures += 1
        if last.error is None:
            return _Answer(
                last.status, last.headers, error=f"HTTP {last.status}{_phrase(last.status)}"
            )
        return last

    async def _once(
        self, url: str, headers: dict[str, str], cap: int | None, whole: bool
    ) -> tuple[_Answer, bool]:
        """The answer and whether a failure is worth another try."""
        limit = cap if cap is not None else self.ingest.max_bytes
        timeout = self.ingest.http_timeout
        try:
            async with asyncio.timeout(timeout):
                async with self._client.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    if status != 200 and not (cap is not None and 200 <= status < 300):
                        return _Answer(status, response.headers), status in _RETRY_STATUS
                    declared = response.headers.get("Content-Length", "")
                    if whole and declared.isdigit() and int(declared) > limit:
                        return _Answer(
                            status,
                            response.headers,
                            error=f"response over the size cap of {limit} bytes"
                            f" (ingest.max_bytes): {declared} bytes",
                        ), False
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > limit:
                            if not whole:
                                del body[limit:]
                                break
                            return _Answer(
                                status,
                                response.headers,
                                error=f"response over the size cap of {limit} bytes"
                                " (ingest.max_bytes)",
                            ), False
                    self.stats.bytes += len(body)
                    return _Answer(status, response.headers, bytes(body)), False
        except TimeoutError:
            return _Answer(
                0, httpx.Headers(), error=f"timed out after {timeout:g} s (ingest.http_timeout)"
            ), False
        except httpx.TimeoutException:
            return _Answer(
                0, httpx.Headers(), error=f"timed out after {timeout:g} s (ingest.http_timeout)"
            ), False
        except httpx.ConnectError as e:
            return _Answer(0, httpx.Headers(), error=f"cannot connect: {e}"), True
        except (httpx.HTTPError, httpx.InvalidURL) as e:
            return _Answer(0, httpx.Headers(), error=f"request failed: {e}"), True


def _phrase(status: int) -> str:
    try:
        return " " + HTTPStatus(status).phrase
    except ValueError:
        return ""


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _age(at: str) -> float:
    """Seconds since the ISO time ``at`` (infinite when it cannot be read)."""
    try:
        then = datetime.fromisoformat(at)
    except ValueError:
        return float("inf")
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return time.time() - then.timestamp()
