"""HTML pages: passed on whole for the clean stage, with the metadata of their ``<head>``.

The page itself is never judged here: malformed markup is still an article, and cleaning
decides what text it holds.  Only the title, canonical URL, site name, author and publication
date are read, from ``<title>``, ``<link rel=canonical>`` and ``<meta>`` tags.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from presslens.ingest.dates import normalise_date
from presslens.model import Article

# Metadata sits in <head>; a page without a </head> has its metadata near the top too.
_HEAD_LIMIT = 256 * 1024

#: media types of an HTML page
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)

_TITLE_KEYS = ("og:title", "twitter:title")
_URL_KEYS = ("og:url",)
_SITE_KEYS = ("og:site_name", "application-name")
_AUTHOR_KEYS = ("author", "article:author", "byl", "dc.creator")
_DATE_KEYS = (
    "article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publish-date",
    "publishdate",
    "dc.date.issued",
    "dc.date",
    "parsely-pub-date",
    "sailthru.date",
    "og:published_time",
)

# fmt: off
_BLOCK = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "tr", "table", "section", "article", "header", "footer", "figure", "figcaption",
    "hr", "dd", "dt",
})
# fmt: on
_DROP = frozenset({"script", "style", "noscript", "template"})


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag near its start, if any."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def looks_like_html(text: str) -> bool:
    """True when the start of ``text`` has an HTML doctype or an html/head/body tag."""
    return _HTML_START.search(text[:2048]) is not None


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.title_parts: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v for k, v in attrs if v is not None}
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            content = a.get("content")
            if key and content and content.strip():
                self.meta.setdefault(key, content.strip())
        elif tag == "link" and "canonical" in (a.get("rel") or "").lower().split():
            href = a.get("href")
            if href and href.strip():
                self.canonical = self.canonical or href.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)

    def first(self, keys: tuple[str, ...]) -> str | None:
        return next((self.meta[k] for k in keys if k in self.meta), None)


def _head(html: str) -> _HeadParser:
    end = html[:_HEAD_LIMIT].lower().find("</head>")
    parser = _HeadParser()
    try:
        parser.feed(html[: end if end >= 0 else _HEAD_LIMIT])
        parser.close()
    except AssertionError:
        # html.parser raises AssertionError on some malformed declarations ("<![foo]>");
        # what was read before it is kept, and the page still goes on to cleaning.
        pass
    return parser


def read_html(html: str, *, article_id: str, origin: str, url: str | None = None) -> Article:
    """An article holding the page in ``html`` (``text`` empty) and its head metadata.

    ``url`` is where the page was fetched from; without it the page's canonical URL is used.
    """
    head = _head(html)
    title = head.first(_TITLE_KEYS) or " ".join("".join(head.title_parts).split()) or None
    site = head.first(_SITE_KEYS)
    published_raw = head.first(_DATE_KEYS)
    published = normalise_date(published_raw) if published_raw else None
    return Article(
        id=article_id,
        text="",
        html=html,
        title=title,
        url=url or head.canonical or head.first(_URL_KEYS),
        published=published,
        author=head.first(_AUTHOR_KEYS),
        source=site,
        source_from="record" if site else "unknown",
        origin=origin,
    )


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self._dropping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)


def fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content): one paragraph a line."""
    parser = _TextParser()
    try:
        parser.feed(fragment)
        parser.close()
    except AssertionError:
        # See _head: keep what was read before the malformed declaration.
        pass
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)
