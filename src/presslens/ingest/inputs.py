"""``read_inputs``: every input path or URL to articles and skips, in a deterministic order.

Inputs are taken in the order given; a directory is walked depth-first with each folder's
entries sorted by name, hidden entries (``.name``) left out.  The reader is chosen by file
extension (``.txt .text``, ``.html .htm .xhtml``, ``.json``, ``.jsonl .ndjson .jsonl.gz``,
``.warc .warc.gz``, ``.rss .atom .xml``); a text or HTML file whose content is a feed is read as
a feed, and a file without extension is sniffed (feed, HTML, else plain text).  Markdown is not
read: a corpus folder's ``README.md`` is documentation, and is listed as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from presslens.config import IngestConfig
from presslens.errors import InputError
from presslens.ingest.decode import decode_bytes
from presslens.ingest.feed import looks_like_feed, read_feed
from presslens.ingest.html import declared_charset, looks_like_html, read_html
from presslens.ingest.ids import UniqueIds, file_stem
from presslens.ingest.jsonl import read_json, read_jsonl
from presslens.ingest.source import resolve_source
from presslens.ingest.txt import read_txt
from presslens.ingest.url import check_scheme, open_client, read_url
from presslens.ingest.warc import read_warc
from presslens.messages import quietly
from presslens.model import Article, Notice, Skip

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

# Longest suffix first, so ".warc.gz" wins over a plain ".gz".
_KINDS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"),
    (".jsonl.gz", "jsonl"),
    (".warc", "warc"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".json", "json"),
    (".rss", "feed"),
    (".atom", "feed"),
    (".xml", "feed"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".txt", "txt"),
    (".text", "txt"),
)
_READABLE = " ".join(suffix for suffix, _ in _KINDS)


def _kind(name: str) -> str | None:
    lower = name.lower()
    for suffix, kind in _KINDS:
        if lower.endswith(suffix):
            return kind
    return "sniff" if lower.rfind(".") <= 0 else None


def _os_reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _walk(root: Path, folder: Path, seen: set[Path]) -> Iterator[tuple[Path, str | None] | Skip]:
    real = folder.resolve()
    if real in seen:
        return  # a symlink back into a folder already walked
    seen.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as e:
        yield Skip(str(folder), f"cannot list directory: {_os_reason(e)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            yield from _walk(root, entry, seen)
        else:
            parts = entry.relative_to(root).parts
            yield entry, parts[0] if len(parts) > 1 else None


def _expand(item: str | Path) -> Iterator[tuple[Path, str | None] | Skip]:
    path = Path(item)
    try:
        exists = path.exists()
    except OSError as e:
        yield Skip(str(path), f"cannot access: {_os_reason(e)}")
        return
    if not exists:
        yield Skip(str(path), "no such file or directory")
    elif _is_dir(path):
        yield from _walk(path, path, set())
    else:
        yield path, None


def _read_capped(path: Path, size: int, cap: int) -> bytes:
    if size > cap:
        raise InputError(f"file over the size cap of {cap} bytes (ingest.max_bytes): {size} bytes")
    with path.open("rb") as f:
        data = f.read(cap + 1)
    if len(data) > cap:
        raise InputError(f"file over the size cap of {cap} bytes (ingest.max_bytes)")
    if not data:
        raise InputError("empty file")
    return data


def _read_file(path: Path, config: IngestConfig) -> Iterator[Article | Skip | Notice]:
    where = str(path)
    kind = _kind(path.name)
    if kind is None:
        suffix = path.name[path.name.rfind(".") :]
        raise InputError(f"unsupported file type {suffix!r} (readable: {_READABLE})")
    if not path.is_file():
        raise InputError("not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file")
    if kind == "jsonl":
        yield from read_jsonl(path, config.max_bytes)
        return
    if kind == "warc":
        yield from read_warc(path, config.max_bytes)
        return
    data = _read_capped(path, size, config.max_bytes)
    if kind == "feed":
        yield from read_feed(data, origin=where)
        return
    if kind == "json":
        yield from read_json(decode_bytes(data), where)
        return
    text = decode_bytes(data, declared_charset(data) if kind == "html" else None)
    stem = file_stem(path.name)
    if looks_like_feed(text):
        yield from read_feed(data, origin=where)
    elif kind == "html" or (kind == "sniff" and looks_like_html(text)):
        yield read_html(text, article_id=stem, origin=where)
    else:
        yield read_txt(text, article_id=stem, origin=where)


def _guarded(
    items: Iterator[Article | Skip | Notice], where: str
) -> Iterator[Article | Skip | Notice]:
    """``items``, ending in a Skip instead of an exception when the input turns out bad."""
    try:
        yield from items
    except InputError as e:
        yield Skip(where, e.reason, e.line)
    except OSError as e:
        yield Skip(where, f"cannot read: {_os_reason(e)}")


# A folder of small files is read in shards of this many files (or fewer, past the byte
# budget), so one task of an executor reads many small files and a large file stands alone;
# URLs given one after another are fetched in shards of as many, over one client each.
SHARD_FILES = 64
SHARD_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of input that one task reads: a run of URLs given one after another, a large
    file, or a run of small files.

    ``files`` are ``(path, outlet folder or None)``; ``urls`` are fetched over one HTTP client,
    so they share its connections; ``stamp`` is what the files' size and modification time say,
    so a finished shard is recognised in a rerun and a changed one is not (a URL shard has no
    stamp: what a URL serves can change at any time).
    """

    files: tuple[tuple[str, str | None], ...] = ()
    urls: tuple[str, ...] = ()
    stamp: str = ""

    @property
    def label(self) -> str:
        """How messages name the shard."""
        if self.urls:
            more = len(self.urls) - 1
            return self.urls[0] if not more else f"{self.urls[0]} (+{more} more URLs)"
        if len(self.files) == 1:
            return self.files[0][0]
        return f"{self.files[0][0]} (+{len(self.files) - 1} more files)"


def plan_shards(paths: Iterable[str | Path], config: IngestConfig) -> list[Shard | Skip]:
    """The shards of ``paths`` in reading order, and a skip for each input that cannot be
    read at all (missing, unlisted, read twice).  Nothing is read yet."""
    config.validate()
    if isinstance(paths, str | Path):
        paths = [paths]
    out: list[Shard | Skip] = []
    batch: list[tuple[str, str | None]] = []
    stamps: list[str] = []
    urls: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if batch:
            out.append(Shard(files=tuple(batch), stamp="|".join(stamps)))
            batch.clear()
            stamps.clear()
            size = 0
        if urls:
            out.append(Shard(urls=tuple(urls)))
            urls.clear()

    read: set[Path] = set()
    for item in paths:
        if isinstance(item, str) and _URL.match(item):
            if batch or len(urls) >= SHARD_FILES:
                flush()
            try:
                check_scheme(item)
            except InputError as e:
                flush()  # the skip keeps its place between the URLs around it
                out.append(Skip(item, e.reason))
                continue
            urls.append(item)
            continue
        if urls:
            flush()
        for entry in _expand(item):
            if isinstance(entry, Skip):
                out.append(entry)
                continue
            path, folder = entry
            real = path.resolve()
            if real in read:
                out.append(Skip(str(path), "already read in this run"))
                continue
            read.add(real)
            try:
                st = path.stat()
                length, stamp = st.st_size, f"{st.st_size}:{st.st_mtime_ns}"
            except OSError:
                length, stamp = 0, "?"
            if length > SHARD_BYTES or _kind(path.name) in ("jsonl", "warc"):
                flush()
                out.append(Shard(files=((str(path), folder),), stamp=stamp))
                continue
            if len(batch) >= SHARD_FILES or size + length > SHARD_BYTES:
                flush()
            batch.append((str(path), folder))
            stamps.append(stamp)
            size += length
    flush()
    return out


def read_shard(shard: Shard, config: IngestConfig) -> list[Article | Skip | Notice]:
    """Every article, skip and notice of one shard, outlets resolved (what a library said
    while a file was read is a :class:`Notice` naming the file); ids are made unique across
    the run by :class:`UniqueIds`, in shard order, by whoever collects the shards."""
    out: list[Article | Skip | Notice] = []
    if shard.urls:
        with open_client(config) as client:
            for url in shard.urls:
                items = quietly(read_url(url, config, client), url)
                out.extend(_resolved(items, None, config))
        return out
    for name, folder in shard.files:
        items = quietly(_guarded(_read_file(Path(name), config), name), name)
        out.extend(_resolved(items, folder, config))
    return out


def _resolved(
    items: Iterable[Article | Skip | Notice], folder: str | None, config: IngestConfig
) -> Iterator[Article | Skip | Notice]:
    for item in items:
        if isinstance(item, Article):
            item = resolve_source(item, cli_source=config.source, folder=folder)
        yield item


def read_inputs(
    paths: Iterable[str | Path], config: IngestConfig
) -> Iterator[Article | Skip | Notice]:
    """Articles and skips from every path, directory or ``http(s)://`` URL in ``paths``.

    Never raises for bad input: each input that cannot become an article is a :class:`Skip`
    naming it (and the line, for JSON Lines) and the run goes on; an input read in spite of
    damage, or one a library warned about, also gives a :class:`Notice`.  Ids are unique within one
    call: a repeated id gets ``-2``, ``-3``, ... in input order.  Each article's ``source``
    is resolved as :mod:`presslens.ingest.source` describes.
    """
    ids = UniqueIds()
    for shard in plan_shards(paths, config):
        if isinstance(shard, Skip):
            yield shard
            continue
        for item in read_shard(shard, config):
            if isinstance(item, Article):
                item = ids.unique(item)
            yield item
