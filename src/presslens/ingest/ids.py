"""Article ids: stable ids for entries without one, and uniqueness within one run."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from urllib.parse import urlsplit

from presslens.model import Article

_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def stable_id(key: str) -> str:
    """An id derived from a URL or GUID: the host (when ``key`` is a URL) and 16 hex digits.

    The same key always gives the same id, so re-reading a feed or WARC keeps ids.
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    try:
        host = urlsplit(key).hostname or ""
    except ValueError:
        host = ""
    host = _UNSAFE.sub("-", host.removeprefix("www.")).strip("-.")
    return f"{host}-{digest}" if host else f"item-{digest}"


class UniqueIds:
    """Hands out ids unique within one run: a repeat gets ``-2``, ``-3``, ... appended."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        """``wanted`` if still free, else the first free ``wanted-N`` (N from 2)."""
        candidate = wanted
        n = 1
        while candidate in self._taken:
            n += 1
            candidate = f"{wanted}-{n}"
        self._taken.add(candidate)
        return candidate

    def unique(self, article: Article) -> Article:
        """``article`` under the id :meth:`claim` gives it."""
        wanted = self.claim(article.id)
        return article if wanted == article.id else dataclasses.replace(article, id=wanted)


def file_stem(name: str) -> str:
    """A file's name without its extension; ``.jsonl.gz`` and ``.warc.gz`` count as one."""
    lower = name.lower()
    for double in (".jsonl.gz", ".warc.gz", ".json.gz"):
        if lower.endswith(double) and len(name) > len(double):
            return name[: -len(double)]
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name
