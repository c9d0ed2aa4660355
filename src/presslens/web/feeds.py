"""The Atom feed of the story list (``/feeds/stories.atom``, RFC 4287): follow presslens in
any feed reader.  One entry per story, newest update first; every value is escaped and
stripped of characters XML cannot carry."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

#: stories in the feed: a reader sees a day of a busy watch
FEED_STORIES = 50

# XML 1.0 forbids most control characters and lone surrogates (article text may hold them)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: object) -> str:
    return escape(_NOT_XML.sub("\ufffd", str(value)))


def _attr(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value), {'"': "&quot;"})


def _when(at: str | None, fallback: str) -> str:
    """An RFC 3339 time for Atom: a date gains midnight, a time without a zone is UTC, and
    what cannot be read is ``fallback``."""
    try:
        moment = datetime.fromisoformat(at or fallback)
    except ValueError:
        moment = datetime.fromisoformat(fallback)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def stories_atom(stories: Sequence[Mapping[str, Any]], base_url: str, now: str) -> str:
    """The feed document for ``stories`` (as :meth:`Store.latest_stories` gives them);
    ``base_url`` is where the server is reached (``http://host:port/``)."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    updated = _when(stories[0]["updated_at"], now) if stories else now
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>presslens stories</title>",
        f"<id>{_text(base)}feeds/stories.atom</id>",
        f'<link rel="self" href="{_attr(base)}feeds/stories.atom"/>',
        f'<link rel="alternate" type="text/html" href="{_attr(base)}"/>',
        f"<updated>{_text(updated)}</updated>",
        "<author><name>presslens</name></author>",
        '<generator uri="https://github.com/presslens/presslens">presslens</generator>',
    ]
    for s in stories:
        link = f"{base}stories/{quote(str(s['id']), safe='')}"
        sources = ", ".join(str(x) for x in s.get("sources") or ())
        summary = (
            f"{s.get('independent_sources') or 0} independent sources, {s['articles']} articles"
            + (f" ({sources})" if sources else "")
            + ". "
            + " ".join(s.get("brief") or ())
        )
        out += [
            "<entry>",
            f"<title>{_text(s.get('title') or s['id'])}</title>",
            f"<id>{_text(link)}</id>",
            f'<link rel="alternate" type="text/html" href="{_attr(link)}"/>',
            f"<updated>{_text(_when(s.get('updated_at'), now))}</updated>",
        ]
        if s.get("first_published"):
            out.append(f"<published>{_text(_when(s['first_published'], now))}</published>")
        out += [f'<summary type="text">{_text(summary.strip())}</summary>', "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"
