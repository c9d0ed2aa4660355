"""Which outlet published an article.

Resolution order (first that gives a name wins):

1. ``record`` — the input says so (JSONL ``source``, a feed's title, HTML ``og:site_name``);
2. ``url`` — the domain of the article's URL, ``www.`` stripped;
3. ``cli`` — ``ingest.source`` (``--source``);
4. ``folder`` — the first sub-folder of a directory given as input (``corpus/<outlet>/x.txt``);
5. ``signature`` — a short outlet line at the end of the text (``From :Arabnews``);
6. ``unknown``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from presslens.model import Article

#: how far from the end of the text a signature line may sit, in non-empty lines
SIGNATURE_WINDOW = 10
# A signature is a short line; a long one is a sentence of the article that happens to start
# with "Source:" or mention a website.  The Press TV footer of the seeds is 78 characters.
_MAX_SIGNATURE_LINE = 100
_MAX_NAME_CHARS = 40
_MAX_NAME_WORDS = 5

_SIGNATURES = (
    # "From :Arabnews", "Source: Reuters", "Courtesy of: AP"
    re.compile(r"^(?:from|source|via|courtesy(?: of)?)\s*:\s*(?P<name>.+)$", re.IGNORECASE),
    # "© 2024 Arab News. All rights reserved.", "Copyright (c) 2019-2024 Dawn"
    re.compile(
        r"^(?:copyright\s*(?:©|\(c\))?|©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*"
        r"(?P<name>.+)$",
        re.IGNORECASE,
    ),
    # "Press TV’s website can also be accessed at the following alternate addresses:"
    re.compile(
        r"^(?P<name>.+?)['’]s\s+web\s?site\s+(?:can|may)\s+also\s+be\s+(?:accessed|reached|visited)",
        re.IGNORECASE,
    ),
    # "This article was originally published on The Conversation."
    re.compile(
        r"^(?:this (?:article|story|report) )?(?:was )?(?:originally|first) "
        r"(?:published|appeared) (?:on|in|at|by) (?P<name>.+)$",
        re.IGNORECASE,
    ),
)
_RIGHTS = re.compile(r"[.,;]?\s*all rights reserved\.?$", re.IGNORECASE)
_TRAILING_YEAR = re.compile(r"[\s,]*\d{4}$")
_STRIP = " \t.,;:!-–—\"'“”‘’()[]"


def domain_of(url: str | None) -> str | None:
    """The host of ``url`` lower-cased, ``www.`` stripped; None when there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.lower().removeprefix("www.") or None


def signature_source(text: str) -> str | None:
    """An outlet named by a short signature line among the last lines of ``text``, or None."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in reversed(lines[-SIGNATURE_WINDOW:]):
        if len(line) > _MAX_SIGNATURE_LINE:
            continue
        for pattern in _SIGNATURES:
            m = pattern.match(line)
            if m:
                name = _clean_name(m.group("name"))
                if name:
                    return name
    return None


def _clean_name(raw: str) -> str | None:
    name = raw.strip()
    if name.lower().startswith(("http://", "https://", "www.")):
        return domain_of(name if "://" in name else f"http://{name}")
    name = _RIGHTS.sub("", name).strip(_STRIP)
    name = _TRAILING_YEAR.sub("", name).strip(_STRIP)
    words = name.split()
    if not words or len(words) > _MAX_NAME_WORDS or len(name) > _MAX_NAME_CHARS:
        return None
    if not name[0].isalnum() or not any(c.isalpha() for c in name):
        return None
    return name


def resolve_source(
    article: Article, *, cli_source: str | None = None, folder: str | None = None
) -> Article:
    """``article`` with ``source`` and ``source_from`` set by the resolution order above."""
    if article.source and article.source_from == "record":
        return article
    for how, name in _candidates(article, cli_source, folder):
        if name:
            return dataclasses.replace(article, source=name, source_from=how)
    return dataclasses.replace(article, source=None, source_from="unknown")


def _candidates(
    article: Article, cli_source: str | None, folder: str | None
) -> Iterator[tuple[str, str | None]]:
    # A generator so that the signature scan runs only when nothing before it answered.
    yield "url", domain_of(article.url)
    yield "cli", cli_source
    yield "folder", folder
    yield "signature", signature_source(article.text)
