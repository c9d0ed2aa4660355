"""Lists of sources to watch: an OPML file (what feed readers export) or a text file of URLs.

A text file has one URL a line, optionally followed by the outlet's name (``URL  Name``);
blank lines and lines starting with ``#`` are left out.  In OPML every ``<outline>`` with an
``xmlUrl`` (a feed) or, failing that, a ``url``/``htmlUrl`` is a source, named by its
``title`` or ``text``.  Anything that is not an http(s) URL is reported, never fatal.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from presslens.errors import InputError
from presslens.ingest.decode import decode_bytes
from presslens.ingest.url import check_scheme
from presslens.model import Skip
from presslens.watch.urls import canonical_url

#: largest source list read; an OPML of thousands of feeds is well under this
MAX_LIST_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One source of a list: its canonical URL and the name the list gives it."""

    url: str
    name: str | None = None


def source_entry(
    url: str, name: str | None = None, *, where: str | None = None, line: int | None = None
) -> SourceEntry | Skip:
    """The source at ``url`` (canonical) named ``name`` (spaces collapsed, blank is none),
    or a :class:`Skip` when ``url`` is not an http(s) URL with a host: the skip names ``url``
    itself, or the list ``where`` it was read from and its ``line`` (the URL, in a list
    without lines)."""
    try:
        check_scheme(url)
    except InputError as e:
        if where is None:
            return Skip(url, e.reason)
        return Skip(where, e.reason, line=line, location=None if line else url)
    name = " ".join((name or "").split()) or None
    return SourceEntry(canonical_url(url), name)


def _opml(data: bytes, where: str) -> list[SourceEntry | Skip]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return [Skip(where, f"not a valid OPML file: {e}")]
    out: list[SourceEntry | Skip] = []
    for node in root.iter("outline"):
        url = node.get("xmlUrl") or node.get("url") or node.get("htmlUrl")
        if url and url.strip():
            name = node.get("title") or node.get("text")
            out.append(source_entry(url.strip(), name, where=where))
    if not out:
        return [Skip(where, "OPML file lists no feeds (no outline with an xmlUrl)")]
    return out


def _text(data: bytes, where: str) -> list[SourceEntry | Skip]:
    out: list[SourceEntry | Skip] = []
    for n, raw in enumerate(decode_bytes(data).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        url, _, name = line.partition(" ")
        out.append(source_entry(url, name, where=where, line=n))
    return out


def read_source_list(path: str | Path) -> list[SourceEntry | Skip]:
    """The sources listed in ``path`` (OPML or text, told apart by content), each URL once,
    and a :class:`Skip` for each line or outline that is not a usable URL."""
    where = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_LIST_BYTES:
            return [Skip(where, f"source list over {MAX_LIST_BYTES} bytes")]
        data = p.read_bytes()
    except OSError as e:
        return [Skip(where, f"cannot read: {(e.strerror or str(e)).lower()}")]
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    entries = _opml(data, where) if head.startswith((b"<?xml", b"<opml")) else _text(data, where)
    seen: set[str] = set()
    out: list[SourceEntry | Skip] = []
    for item in entries:
        if isinstance(item, SourceEntry):
            if item.url in seen:
                continue
            seen.add(item.url)
        out.append(item)
    return out
