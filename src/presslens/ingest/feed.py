"""RSS and Atom feeds (feedparser): one article per entry.

An entry's text is its content, else its summary, turned from HTML into plain text; its link
is the article URL, its publication (else update) date the published date, and the feed's
title its source.  feedparser reads the raw bytes itself so that the XML declaration's
encoding is honoured.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from presslens.errors import InputError
from presslens.ingest.dates import normalise_date
from presslens.ingest.html import PAGE_TYPES, fragment_to_text, looks_like_html
from presslens.ingest.ids import stable_id
from presslens.model import Article, Skip

_FEED_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?[^>]*\?>|<!DOCTYPE[^>]*>)\s*)*"
    r"<(?:rss|feed|(?:\w+:)?RDF)[\s>]",
    re.DOTALL | re.IGNORECASE,
)


#: media types a feed is served as
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)


def looks_like_feed(text: str) -> bool:
    """True when the first element of ``text`` is ``<rss>``, ``<feed>`` or ``<rdf:RDF>``."""
    return _FEED_START.match(text[:4096].lstrip("\ufeff")) is not None


def is_feed(text: str, mime: str) -> bool:
    """True when a response of media type ``mime`` and body ``text`` is a feed: it reads as
    one, or it is served as one and does not read as HTML (servers label pages ``text/xml``)."""
    return looks_like_feed(text) or (mime in FEED_TYPES and not looks_like_html(text))


def _entry_body(entry: dict[str, Any]) -> str:
    contents = entry.get("content") or []
    chosen = next((c for c in contents if c.get("type") in PAGE_TYPES), None)
    if chosen is None and contents:
        chosen = contents[0]
    if chosen is None or not str(chosen.get("value") or "").strip():
        chosen = entry.get("summary_detail") or {"value": entry.get("summary"), "type": None}
    value = str(chosen.get("value") or "")
    if chosen.get("type") == "text/plain":
        return value.strip()
    return fragment_to_text(value)


def _published(entry: dict[str, Any]) -> str | None:
    for key in ("published", "updated", "created"):
        # dict.get: feedparser's own get() answers "updated" with "published" (and warns).
        raw = dict.get(entry, key)
        if isinstance(raw, str) and raw.strip():
            normal = normalise_date(raw)
            if normal:
                return normal
            parsed = dict.get(entry, f"{key}_parsed")
            if parsed:
                # feedparser's *_parsed values are UTC struct_times.
                year, month, day, hour, minute, second = parsed[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()
    return None


def _resolve(base: str, link: str) -> str:
    try:
        return urljoin(base, link)
    except ValueError:
        return link  # a malformed base or link (a broken IPv6 host) is kept as written


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed: its position (from 1), GUID (else link), title, absolute link,
    text (content, else summary, as plain text; may be empty), date and author."""

    n: int
    key: str | None
    title: str | None
    link: str | None
    text: str
    published: str | None
    author: str | None


def feed_entries(
    data: bytes,
    *,
    base_url: str | None = None,
    content_type: str | None = None,
) -> tuple[str | None, list[FeedEntry]]:
    """The feed's title and its entries, in feed order; :class:`InputError` when ``data`` is
    not a feed.  An empty feed has no entries (not an error here).

    ``base_url`` (where the feed was fetched) resolves relative entry links;
    ``content_type`` is the HTTP header, whose charset feedparser then honours.
    """
    headers = {"content-type": content_type} if content_type else None
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as e:
        # feedparser reports most damage in `bozo`, but some bytes still escape as exceptions
        # (a UnicodeDecodeError on a mangled XML declaration); the file is input, not a fault.
        raise InputError(f"not an RSS/Atom feed: cannot parse ({type(e).__name__}: {e})") from e
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f": {problem}" if parsed.get("bozo") and problem else ""
        raise InputError(f"not an RSS/Atom feed{detail}")
    feed_title = " ".join(str(parsed.feed.get("title") or "").split()) or None
    base = base_url or parsed.feed.get("link") or None
    entries = []
    for n, entry in enumerate(parsed.entries, start=1):
        link = str(entry.get("link") or "").strip() or None
        if link and base:
            link = _resolve(base, link)
        entries.append(
            FeedEntry(
                n=n,
                key=str(entry.get("id") or "").strip() or link,
                title=" ".join(str(entry.get("title") or "").split()) or None,
                link=link,
                text=_entry_body(entry),
                published=_published(entry),
                author=str(entry.get("author") or "").strip() or None,
            )
        )
    return feed_title, entries


def read_feed(
    data: bytes,
    *,
    origin: str,
    base_url: str | None = None,
    content_type: str | None = None,
) -> Iterator[Article | Skip]:
    """Articles of a feed's entries; :class:`InputError` when ``data`` is not a feed.

    ``base_url`` (where the feed was fetched) resolves relative entry links;
    ``content_type`` is the HTTP header, whose charset feedparser then honours.
    """
    feed_title, entries = feed_entries(data, base_url=base_url, content_type=content_type)
    if not entries:
        raise InputError("feed has no entries")
    for e in entries:
        if not e.text:
            yield Skip(
                origin,
                "no content or summary",
                location=f"feed entry {e.n} ({e.title or e.link or 'untitled'})",
            )
            continue
        key = e.key or f"{origin}#{e.n}:{e.title or ''}"
        yield Article(
            id=stable_id(key),
            text=e.text,
            title=e.title,
            url=e.link,
            published=e.published,
            author=e.author,
            source=feed_title,
            source_from="record" if feed_title else "unknown",
            origin=f"{origin}#entry-{e.n}",
        )
