"""Article records: JSON Lines (``.jsonl``, ``.ndjson``, gzipped or not) and ``.json``.

A record is ``{"id", "source", "url", "title", "published", "text"}`` with ``html`` allowed
instead of (or beside) ``text``; every key but the text may be missing or null, and unknown
keys are kept in ``Article.extra``.  A **story record** ``{"story", "articles": [...],
"words"}`` holds the article records of one story (as the summarization benchmarks do): each
becomes an article whose ``extra`` names the story (and the brief's word budget ``words``).
A bad line is a :class:`Skip` naming the line; the rest of the file goes on.  The size cap
applies per line, so a large corpus in one file is read whole.
"""

from __future__ import annotations

import codecs
import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from presslens.errors import InputError
from presslens.ingest.dates import normalise_date
from presslens.ingest.ids import file_stem
from presslens.model import Article, Skip

_STRING_FIELDS = ("text", "html", "source", "url", "title", "published", "author")
_KNOWN = frozenset(("id", *_STRING_FIELDS))
_CHUNK = 1024 * 1024


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def record_to_article(record: object, *, default_id: str, origin: str) -> Article:
    """An article from one decoded JSON record; :class:`InputError` names a bad field."""
    if not isinstance(record, dict):
        raise InputError(f"record is {_kind(record)}, not a JSON object")
    for key in _STRING_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"field {key!r} must be a string, got {_kind(value)}")
    text: str | None = record.get("text")
    html: str | None = record.get("html")
    if text is None and html is None:
        raise InputError("record has no 'text' or 'html' field")
    if not (text or "").strip() and not (html or "").strip():
        raise InputError("record's 'text' is empty" if html is None else "record's 'html' is empty")
    raw_id = record.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        raise InputError(f"field 'id' must be a string, got {_kind(raw_id)}")
    article_id = str(raw_id).strip() if raw_id is not None else ""
    extra: dict[str, Any] = {k: v for k, v in record.items() if k not in _KNOWN}
    raw_date: str | None = record.get("published")
    published = normalise_date(raw_date) if raw_date else None
    if raw_date and raw_date.strip() and published is None:
        extra["published_raw"] = raw_date
    source = (record.get("source") or "").strip() or None
    return Article(
        id=article_id or default_id,
        text=text or "",
        html=html,
        source=source,
        source_from="record" if source else "unknown",
        url=(record.get("url") or "").strip() or None,
        title=(record.get("title") or "").strip() or None,
        published=published,
        author=(record.get("author") or "").strip() or None,
        origin=origin,
        extra=extra,
    )


def expand_record(
    record: object, *, default_id: str, origin: str, where: str, line: int | None = None
) -> list[Article | Skip]:
    """The articles of one decoded record: an article record, or a story record's articles
    (each tagged with the story and its word budget); a bad record or article is a skip."""
    if not isinstance(record, dict) or "articles" not in record:
        try:
            return [record_to_article(record, default_id=default_id, origin=origin)]
        except InputError as e:
            return [Skip(where, e.reason, line=line)]
    items = record["articles"]
    if not isinstance(items, list):
        return [Skip(where, f"story record's 'articles' is {_kind(items)}, not a list", line=line)]
    words = record.get("words")
    if words is not None and (isinstance(words, bool) or not isinstance(words, int) or words < 1):
        return [
            Skip(
                where,
                f"story record's 'words' must be a positive integer, got {words!r}",
                line=line,
            )
        ]
    story = record.get("story")
    sid = str(story) if story not in (None, "") else default_id
    if not items:
        return [Skip(where, f"story {sid!r} has no articles", line=line)]
    out: list[Article | Skip] = []
    for k, item in enumerate(items, start=1):
        try:
            article = record_to_article(item, default_id=f"{sid}-{k}", origin=f"{origin}#{k}")
        except InputError as e:
            out.append(Skip(where, f"story {sid!r}, article {k}: {e.reason}", line=line))
            continue
        tags: dict[str, Any] = {"story": sid}
        if words is not None:
            tags["words"] = words
        out.append(replace(article, extra={**article.extra, **tags}))
    return out


def _json_error(e: ValueError | RecursionError, *, with_line: bool = True) -> str:
    if isinstance(e, json.JSONDecodeError):
        where = f"line {e.lineno}, column {e.colno}" if with_line else f"column {e.colno}"
        return f"not valid JSON: {e.msg} ({where})"
    if isinstance(e, RecursionError):
        return "not valid JSON: nested too deeply"
    return f"not valid JSON: {e}"


def read_json(text: str, path: str) -> Iterator[Article | Skip]:
    """Articles of a ``.json`` file holding one record or a list of records."""
    stem = file_stem(Path(path).name)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as e:
        line = e.lineno if isinstance(e, json.JSONDecodeError) else None
        yield Skip(path, _json_error(e), line=line)
        return
    if isinstance(doc, dict):
        yield from expand_record(doc, default_id=stem, origin=path, where=path)
        return
    if not isinstance(doc, list):
        yield Skip(path, f"top level is {_kind(doc)}, not an object or a list of objects")
        return
    if not doc:
        yield Skip(path, "no records (empty list)")
    for n, record in enumerate(doc, start=1):
        for item in expand_record(
            record, default_id=f"{stem}-{n}", origin=f"{path}#{n}", where=path
        ):
            if isinstance(item, Skip):
                item = Skip(path, item.reason, location=f"record {n}")
            yield item


class _Lines(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def _skip_rest_of_line(f: _Lines) -> int:
    skipped = 0
    while True:
        chunk = f.readline(_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _numbered_lines(f: _Lines, max_bytes: int) -> Iterator[tuple[int, bytes, int | None]]:
    """(line number, line, None), or (line number, b"", size) for a line over the cap."""
    n = 0
    while True:
        raw = f.readline(max_bytes + 1)
        if not raw:
            return
        n += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            yield n, b"", len(raw) + _skip_rest_of_line(f)
        else:
            yield n, raw, None


def read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | Skip]:
    """Articles of a JSON Lines file, one record a line; blank lines are ignored."""
    where = str(path)
    stem = file_stem(path.name)
    seen = False
    n = 0
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as f:
        try:
            for n, raw, oversize in _numbered_lines(f, max_bytes):
                if oversize is not None:
                    seen = True
                    reason = (
                        f"line over the size cap of {max_bytes} bytes (ingest.max_bytes):"
                        f" {oversize} bytes"
                    )
                    yield Skip(where, reason, line=n)
                    continue
                line = raw.removeprefix(codecs.BOM_UTF8) if n == 1 else raw
                if line.strip():
                    seen = True
                    yield from _records(line, n, where, stem)
        except (OSError, EOFError, zlib.error) as e:
            yield Skip(where, f"cannot read compressed data: {e}", location=f"after line {n}")
            return
    if not seen:
        yield Skip(where, "no records (only blank lines)")


def _records(raw: bytes, n: int, where: str, stem: str) -> list[Article | Skip]:
    try:
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as e:
        return [
            Skip(
                where, "not valid UTF-8 (JSON Lines are UTF-8)", line=n, location=f"byte {e.start}"
            )
        ]
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as e:
        return [Skip(where, _json_error(e, with_line=False), line=n)]
    return expand_record(
        record, default_id=f"{stem}-{n}", origin=f"{where}:{n}", where=where, line=n
    )
