"""Web archives (warcio): ``.warc`` and ``.warc.gz``; HTML responses become articles.

A record that is not an HTML page (an image, a redirect, a revisit) is a :class:`Skip` naming
its offset and URL; request, warcinfo and metadata records never hold an article and pass
silently unless damaged.  warcio hands back a cut-off record without complaint, so each
record's length is checked against its header, and bytes left after the last readable record
are reported.  The size cap applies per record, so an archive may be larger than it.

Two damages leave the records readable, and are read with a :class:`Notice` saying so:

* a record whose Content-Length disagrees with its block (warcio finds no blank line where the
  record should end, and would only print a warning): it is read as far as the Content-Length
  says, and reading goes on at the next record;
* an archive gzipped as one stream rather than one gzip member per record (what WARC tools
  write, and what warcio insists on): it is read again as one decompressed stream, its
  offsets then counting uncompressed bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import io
import re
import sys
import zlib
from collections.abc import Generator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader

from presslens.errors import InputError
from presslens.ingest.dates import normalise_date
from presslens.ingest.decode import charset_of, decode_bytes, mime_of
from presslens.ingest.html import PAGE_TYPES, declared_charset, read_html
from presslens.ingest.ids import stable_id
from presslens.model import Article, Notice, Skip

_SILENT = frozenset({"warcinfo", "request", "metadata"})
_DRAIN = 1024 * 1024
# warcio's own words for a record whose length is wrong; replaced by a Notice of ours.
_WRONG_LENGTH = re.compile(
    r"[ \t]*WARNING: Record not followed by newline.*?Remainder:[^\n]*\n?", re.S
)
WRONG_LENGTH = (
    "Content-Length disagrees with the record's block (no blank line where the record should "
    "end); read as far as the Content-Length says"
)
ONE_STREAM = (
    "gzipped as one stream, not one gzip member per record; read whole, so later offsets "
    "count uncompressed bytes"
)

Item = Article | Skip | Notice


def _drain(stream: Any) -> None:
    while stream.read(_DRAIN):
        pass


def _truncated(record: Any, label: str, where: str) -> Skip | None:
    """A Skip when the record ends before its Content-Length (read what is left first)."""
    _drain(record.raw_stream)
    stream = record.raw_stream
    if isinstance(stream, LimitReader) and stream.limit > 0:
        return Skip(where, f"truncated record ({stream.limit} bytes missing)", location=label)
    return None


def _record(record: Any, label: str, origin: str, where: str, max_bytes: int) -> Item | None:
    headers = record.rec_headers
    uri = (headers.get_header("WARC-Target-URI") if headers else None) or ""
    kind = record.rec_type
    # Every WARC record has a type and a Content-Length; warcio hands back a header cut off
    # before them as a record all the same.
    if not kind or record.length is None:
        return Skip(where, "truncated or damaged record header", location=label)
    if kind in _SILENT:
        return _truncated(record, label, where)
    if kind == "revisit":
        return Skip(where, "revisit record, no page of its own", location=label)
    if kind not in ("response", "resource"):
        return Skip(where, f"{kind} record, not a response", location=label)
    http = record.http_headers
    if http is not None and not http.get_statuscode().startswith("2"):
        return Skip(where, f"HTTP status {http.get_statuscode()}, not a page", location=label)
    content_type = (http or headers).get_header("Content-Type")
    if mime_of(content_type) not in PAGE_TYPES:
        mime = mime_of(content_type) or "untyped"
        return Skip(where, f"{mime} response, not HTML", location=label)
    try:
        payload = record.content_stream().read(max_bytes + 1)
    except (OSError, EOFError, ValueError, zlib.error) as e:
        return Skip(where, f"cannot decode the response body: {e}", location=label)
    if len(payload) > max_bytes:
        return Skip(
            where, f"page over the cap of {max_bytes} bytes (ingest.max_bytes)", location=label
        )
    cut = _truncated(record, label, where)
    if cut is not None:
        return cut
    try:
        html = decode_bytes(payload, charset_of(content_type) or declared_charset(payload))
    except InputError as e:
        return Skip(where, e.reason, location=label)
    article = read_html(html, article_id=stable_id(uri or origin), origin=origin, url=uri or None)
    warc_date = headers.get_header("WARC-Date")
    if article.published is None and warc_date:
        # The capture date: later than publication, but the only date some pages carry.
        article = dataclasses.replace(article, published=normalise_date(warc_date))
    return article


def _unreadable(where: str, offset: int, detail: str) -> Skip:
    if offset == 0:
        return Skip(where, f"not a readable WARC file: {detail}")
    return Skip(where, f"unreadable WARC data: {detail}", location=f"offset {offset}")


@dataclasses.dataclass
class _Pass:
    """How one pass over an archive ended."""

    #: records read (the first ``skip`` of a later pass included)
    records: int = 0
    #: an article or skip was reported for some record
    reported: bool = False
    #: warcio met a gzip archive compressed as one stream
    one_stream: bool = False
    #: reading stopped at damage (already reported)
    stopped: bool = False


def _next(records: ArchiveIterator) -> tuple[Any, Exception | None]:
    """The next record (``None`` at the end) or the failure, warcio's words on a wrong
    record length taken out of stderr (the caller reports them) and the rest passed on."""
    err = io.StringIO()
    record, failure = None, None
    with contextlib.redirect_stderr(err):
        try:
            record = next(records)
        except StopIteration:
            pass
        except Exception as e:
            # warcio fails on damaged bytes with whatever the failing line raises
            # (AttributeError on a header cut before its URI, zlib.error, ...); the archive
            # is input, so any such failure ends the pass with a Skip that names it.
            failure = e
    rest = _WRONG_LENGTH.sub("", err.getvalue())
    if rest.strip():
        sys.stderr.write(rest)
    return record, failure


def _pass(
    stream: io.BufferedIOBase, where: str, max_bytes: int, *, skip: int = 0, unzipped: bool = False
) -> Generator[Item, None, _Pass]:
    """Items of an archive's records after the first ``skip``; how the pass ended."""
    records = ArchiveIterator(stream)
    done = _Pass()
    held: list[Item] = []  # the last record's items, until warcio has checked where it ends
    label: str | None = None
    while True:
        flagged = records.err_count
        record, failure = _next(records)
        if records.err_count > flagged and label is not None:
            held.append(Notice(where, WRONG_LENGTH, location=label))
        yield from held
        held = []
        if isinstance(failure, ArchiveLoadFailed) and "non-chunked gzip" in str(failure):
            done.one_stream = True
            return done
        if failure is not None:
            yield _unreadable(
                where, records.offset, " ".join(str(failure).split()) or repr(failure)
            )
            done.stopped = True
            return done
        if record is None:
            break
        done.records += 1
        if done.records <= skip:
            continue
        # warcio moves `offset` to the start of the next record when it is asked for it.
        offset = records.offset
        if record.format != "warc":
            yield _unreadable(where, offset, f"{record.format} record, not WARC")
            done.stopped = True
            return done
        uri = record.rec_headers.get_header("WARC-Target-URI") if record.rec_headers else None
        place = f"offset {offset} of the uncompressed data" if unzipped else f"offset {offset}"
        label = f"WARC record at {place} ({uri or 'no URL'})"
        origin = f"{where}@{offset}"
        item = _record(record, label, origin, where, max_bytes)
        if item is not None:
            done.reported = True
            held.append(item)
    end = records.offset
    if not unzipped and end < _size(stream):
        stream.seek(end)
        rest = stream.read(64)
        if rest.strip():
            yield Skip(
                where,
                f"truncated WARC data ({_size(stream) - end} bytes not read)",
                location=f"offset {end}",
            )
            done.stopped = True
    return done


def _size(stream: io.BufferedIOBase) -> int:
    here = stream.tell()
    size = stream.seek(0, io.SEEK_END)
    stream.seek(here)
    return size


def read_warc(path: Path, max_bytes: int) -> Generator[Item, None, None]:
    """Articles of a WARC file's HTML responses, then Skips for what could not be read, with
    Notices for records read in spite of damage."""
    where = str(path)
    with path.open("rb") as fh:
        done = yield from _pass(fh, where, max_bytes)
    if done.one_stream:
        yield Notice(where, ONE_STREAM)
        with gzip.open(path, "rb") as gz:
            again = yield from _pass(gz, where, max_bytes, skip=done.records, unzipped=True)
        done = dataclasses.replace(again, reported=again.reported or done.reported)
    if not done.reported and not done.stopped:
        yield Skip(where, "no responses in this WARC (only warcinfo, request or metadata records)")
