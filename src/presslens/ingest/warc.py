"""Web archives (warcio): ``.warc`` and ``.warc.gz``; HTML responses become articles.

A record that is not an HTML page (an image, a redirect, a revisit) is a :class:`Skip` naming
its offset and URL; request, warcinfo and metadata records never hold an article and pass
silently unless damaged.  warcio hands back a cut-off record without complaint, so each
record's length is checked against its header, and bytes left after the last readable record
are reported.  The size cap applies per record, so an archive may be larger than it.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from presslens.errors import InputError
from presslens.ingest.dates import normalise_date
from presslens.ingest.decode import charset_of, decode_bytes, mime_of
from presslens.ingest.html import PAGE_TYPES, declared_charset, read_html
from presslens.ingest.ids import stable_id
from presslens.model import Article, Skip

_SILENT = frozenset({"warcinfo", "request", "metadata"})
_DRAIN = 1024 * 1024


def _drain(stream: Any) -> None:
    while stream.read(_DRAIN):
        pass


def _truncated(record: Any, label: str, where: str) -> Skip | None:
    """A Skip when the record ends before its Content-Length (read what is left first)."""
    _drain(record.raw_stream)
    stream = record.raw_stream
    if isinstance(stream, LimitReader) and stream.limit > 0:
        return Skip(where, f"{label}: truncated record ({stream.limit} bytes missing)")
    return None


def _record(record: Any, offset: int, where: str, max_bytes: int) -> Article | Skip | None:
    headers = record.rec_headers
    uri = (headers.get_header("WARC-Target-URI") if headers else None) or ""
    label = f"WARC record at offset {offset} ({uri or 'no URL'})"
    kind = record.rec_type
    # Every WARC record has a type and a Content-Length; warcio hands back a header cut off
    # before them as a record all the same.
    if not kind or record.length is None:
        return Skip(where, f"{label}: truncated or damaged record header")
    if kind in _SILENT:
        return _truncated(record, label, where)
    if kind == "revisit":
        return Skip(where, f"{label}: revisit record, no page of its own")
    if kind not in ("response", "resource"):
        return Skip(where, f"{label}: {kind} record, not a response")
    http = record.http_headers
    if http is not None and not http.get_statuscode().startswith("2"):
        return Skip(where, f"{label}: HTTP status {http.get_statuscode()}, not a page")
    content_type = (http or headers).get_header("Content-Type")
    if mime_of(content_type) not in PAGE_TYPES:
        return Skip(where, f"{label}: {mime_of(content_type) or 'untyped'} response, not HTML")
    try:
        payload = record.content_stream().read(max_bytes + 1)
    except (OSError, EOFError, ValueError, zlib.error) as e:
        return Skip(where, f"{label}: cannot decode the response body: {e}")
    if len(payload) > max_bytes:
        return Skip(where, f"{label}: page over the cap of {max_bytes} bytes (ingest.max_bytes)")
    cut = _truncated(record, label, where)
    if cut is not None:
        return cut
    try:
        html = decode_bytes(payload, charset_of(content_type) or declared_charset(payload))
    except InputError as e:
        return Skip(where, f"{label}: {e.reason}")
    origin = f"{where}@{offset}"
    article = read_html(html, article_id=stable_id(uri or origin), origin=origin, url=uri or None)
    warc_date = headers.get_header("WARC-Date")
    if article.published is None and warc_date:
        # The capture date: later than publication, but the only date some pages carry.
        article = dataclasses.replace(article, published=normalise_date(warc_date))
    return article


def _unreadable(where: str, offset: int, detail: str) -> Skip:
    if offset == 0:
        return Skip(where, f"not a readable WARC file: {detail}")
    return Skip(where, f"unreadable WARC data at offset {offset}: {detail}")


def read_warc(path: Path, max_bytes: int) -> Iterator[Article | Skip]:
    """Articles of a WARC file's HTML responses, then Skips for what could not be read."""
    where = str(path)
    size = path.stat().st_size
    reported = False
    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        while True:
            # warcio moves `offset` to the start of the next record when it is asked for it.
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as e:
                # warcio fails on damaged bytes with whatever the failing line raises
                # (AttributeError on a header cut before its URI, zlib.error, ...); the archive
                # is input, so any such failure ends this file with a Skip that names it.
                yield _unreadable(where, records.offset, " ".join(str(e).split()) or repr(e))
                return
            if record.format != "warc":
                yield _unreadable(where, records.offset, f"{record.format} record, not WARC")
                return
            item = _record(record, records.offset, where, max_bytes)
            if item is not None:
                reported = True
                yield item
        end = records.offset
        if end < size:
            fh.seek(end)
            rest = fh.read(64)
            if rest.strip():
                yield Skip(
                    where, f"truncated WARC data at offset {end} ({size - end} bytes not read)"
                )
                return
    if not reported:
        yield Skip(where, "no responses in this WARC (only warcinfo, request or metadata records)")
