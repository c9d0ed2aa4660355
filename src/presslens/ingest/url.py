"""Fetching ``http://`` and ``https://`` inputs (httpx): a page or a feed.

Every failure is a :class:`Skip`: a refused scheme, a timeout, an HTTP error status, too many
redirects, a body over ``ingest.max_bytes`` (checked while streaming, so an endless body is cut
off), a type that is neither a page nor a feed.  Requests carry ``ingest.user_agent``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx

from presslens.config import IngestConfig
from presslens.errors import InputError
from presslens.ingest.decode import charset_of, decode_bytes, mime_of
from presslens.ingest.feed import is_feed, read_feed
from presslens.ingest.html import PAGE_TYPES, declared_charset, looks_like_html, read_html
from presslens.ingest.ids import stable_id
from presslens.ingest.txt import read_txt
from presslens.model import Article, Skip

SCHEMES = ("http", "https")


def check_scheme(url: str) -> None:
    """Raise :class:`InputError` unless ``url`` is an ``http(s)://`` URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise InputError(f"invalid URL: {e}") from e
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise InputError(
            f"unsupported URL scheme {scheme!r} (only http:// and https:// are fetched)"
        )
    if not parts.hostname:
        raise InputError("invalid URL: no host")


def open_client(config: IngestConfig) -> httpx.Client:
    """An HTTP client with the configured timeout, redirect cap and User-Agent."""
    return httpx.Client(
        timeout=httpx.Timeout(config.http_timeout),
        follow_redirects=True,
        max_redirects=config.http_max_redirects,
        headers={"User-Agent": config.user_agent},
    )


def _timed_out(config: IngestConfig) -> InputError:
    return InputError(f"timed out after {config.http_timeout:g} s (ingest.http_timeout)")


def _fetch(url: str, config: IngestConfig, client: httpx.Client) -> tuple[bytes, str, str]:
    """(body, content type, final URL); :class:`InputError` on any failure."""
    cap = config.max_bytes
    started = time.monotonic()
    try:
        with client.stream("GET", url) as response:
            if not response.is_success:
                raise InputError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > cap:
                raise InputError(
                    f"response over the size cap of {cap} bytes (ingest.max_bytes):"
                    f" {declared} bytes"
                )
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > cap:
                    raise InputError(
                        f"response over the size cap of {cap} bytes (ingest.max_bytes)"
                    )
                # httpx's timeout is per read; a server dribbling bytes must not hold us forever.
                if time.monotonic() - started > config.http_timeout:
                    raise _timed_out(config)
            return bytes(body), response.headers.get("Content-Type", ""), str(response.url)
    except httpx.TimeoutException as e:
        raise _timed_out(config) from e
    except httpx.TooManyRedirects as e:
        raise InputError(
            f"too many redirects (more than {config.http_max_redirects}, ingest.http_max_redirects)"
        ) from e
    except httpx.UnsupportedProtocol as e:
        raise InputError(f"redirected to an unsupported URL: {e}") from e
    except httpx.ConnectError as e:
        raise InputError(f"cannot connect: {e}") from e
    except (httpx.HTTPError, httpx.InvalidURL) as e:
        raise InputError(f"request failed: {e}") from e


def decode_response(body: bytes, content_type: str) -> tuple[str, str]:
    """(media type, text) of an HTTP answer: the charset its ``Content-Type`` names, else
    the one its body declares, else what :func:`decode_bytes` makes of it."""
    mime = mime_of(content_type)
    return mime, decode_bytes(body, charset_of(content_type) or declared_charset(body))


def read_url(url: str, config: IngestConfig, client: httpx.Client) -> Iterator[Article | Skip]:
    """The page at ``url`` as an HTML article, or a feed's entries; a Skip on failure."""
    try:
        check_scheme(url)
        body, content_type, final = _fetch(url, config, client)
        if not body:
            raise InputError("empty response")
        mime, text = decode_response(body, content_type)
    except InputError as e:
        yield Skip(url, e.reason)
        return
    if is_feed(text, mime):
        try:
            yield from read_feed(body, origin=url, base_url=final, content_type=content_type)
        except InputError as e:
            yield Skip(url, e.reason)
    elif mime in PAGE_TYPES or looks_like_html(text):
        yield read_html(text, article_id=stable_id(url), origin=url, url=final)
    elif mime == "text/plain":
        try:
            yield read_txt(text, article_id=stable_id(url), origin=url, url=final)
        except InputError as e:
            yield Skip(url, e.reason)
    else:
        yield Skip(url, f"unsupported content type {mime or 'none'!r}: neither a page nor a feed")
