"""Article links on a site's front page (a source that is a page, not a feed).

A front page links to articles, and to sections, tags, authors, log-in pages, images and
other sites.  An article link stays on the site and its path names one piece: a slug of
several words (``/2026/03/01/floods-close-the-coast-road``) or a long number (an article id,
a date).  Links are taken in page order, each canonical URL once, with the anchor text as
a title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from presslens.watch.urls import canonical_url, host_of, same_site

# fmt: off
#: first path segments of pages that list or serve other pages, never an article
_NOT_ARTICLES = frozenset({
    "tag", "tags", "topic", "topics", "category", "categories", "section", "sections",
    "author", "authors", "people", "search", "login", "signin", "sign-in", "register",
    "subscribe", "account", "newsletter", "newsletters", "about", "contact", "privacy",
    "terms", "cookies", "help", "jobs", "careers", "advertise", "feed", "rss", "page",
    "video", "videos", "gallery", "galleries", "podcasts", "static", "assets", "cdn-cgi",
})
_NOT_PAGES = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".css", ".js", ".xml", ".rss",
    ".atom", ".json", ".zip", ".mp3", ".mp4", ".ico",
)
# fmt: on
#: a slug: at least three words joined by hyphens or underscores
_SLUG = re.compile(r"[^\W_]+(?:[-_][^\W_]+){2,}")
#: an article id or a date written in the path
_LONG_NUMBER = re.compile(r"\d{4,}")


@dataclass(frozen=True, slots=True)
class Link:
    """An article link: canonical URL and the anchor's text."""

    url: str
    title: str | None


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v for k, v in attrs if v is not None}
        if tag == "base" and self.base is None and a.get("href"):
            self.base = a["href"]
        elif tag == "a":
            self._close()
            self._href = a.get("href")
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def _close(self) -> None:
        if self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
        self._href = None
        self._text = []


def looks_like_article(url: str, site: str) -> bool:
    """Whether ``url`` is, by its shape, an article of the site whose host is ``site``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not same_site(host_of(url), site):
        return False
    segments = [s for s in parts.path.split("/") if s]
    if not segments or segments[0].lower() in _NOT_ARTICLES:
        return False
    if parts.path.lower().endswith(_NOT_PAGES):
        return False
    last = segments[-1].rsplit(".", 1)[0]
    return bool(_SLUG.fullmatch(last) or _LONG_NUMBER.search(parts.path))


def article_links(html: str, base_url: str, limit: int) -> list[Link]:
    """The article links of a front page, in page order, at most ``limit``."""
    parser = _Anchors()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:
        # html.parser gives up on some malformed declarations; links read so far stand
        pass
    base = urljoin(base_url, parser.base) if parser.base else base_url
    site = host_of(base_url)
    front = canonical_url(base_url)
    out: list[Link] = []
    seen: set[str] = {front}
    for href, text in parser.links:
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        try:
            url = canonical_url(urljoin(base, href.strip()))
        except ValueError:
            continue
        if url in seen or not looks_like_article(url, site):
            continue
        seen.add(url)
        out.append(Link(url, text or None))
        if len(out) >= limit:
            break
    return out
