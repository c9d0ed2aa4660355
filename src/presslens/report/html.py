"""Static HTML output: ``index.html`` plus one page per story and per article.

Every piece of article data is untrusted: Jinja2 autoescaping is on for every template, only
``http(s)`` URLs ever become links, and each page carries a strict Content-Security-Policy.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL, else ``None`` (never a ``javascript:`` link)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return url.strip()
    return None
