"""A store as flat tables for pandas, R and DuckDB: articles, stories, quotes, discrepancies.

``parquet`` keeps lists as list columns (needs the extra ``parquet``, pyarrow); ``csv`` joins
them with ``"; "``.  One file per table under the output folder; every table carries the ids
that join it to the others (``story_id``, ``article_id``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from presslens.errors import MissingDependencyError
from presslens.model import Article, Story

#: the tables and their columns, in order
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": (
        "id",
        "source",
        "url",
        "title",
        "published",
        "author",
        "origin",
        "word_count",
        "syndication_group",
        "original",
        "text",
    ),
    "stories": (
        "id",
        "title",
        "article_ids",
        "sources",
        "independent_sources",
        "first_published",
        "last_published",
    ),
    "quotes": (
        "story_id",
        "article_id",
        "text",
        "start",
        "end",
        "speaker",
        "speaker_canonical",
        "cue",
        "kind",
        "group",
    ),
    "discrepancies": (
        "story_id",
        "kind",
        "subject",
        "quantity",
        "value",
        "normalised",
        "vague",
        "article_ids",
        "evidence",
    ),
}


def _articles(articles: Sequence[Article]) -> Iterator[dict[str, Any]]:
    for a in articles:
        yield {
            "id": a.id,
            "source": a.source,
            "url": a.url,
            "title": a.title,
            "published": a.published,
            "author": a.author,
            "origin": a.origin,
            "word_count": a.word_count,
            "syndication_group": a.syndication_group,
            "original": a.is_original,
            "text": a.text,
        }


def _stories(stories: Sequence[Story]) -> Iterator[dict[str, Any]]:
    for s in stories:
        yield {
            "id": s.id,
            "title": s.title,
            "article_ids": list(s.article_ids),
            "sources": list(s.sources or ()),
            "independent_sources": s.independent_sources,
            "first_published": s.first_published,
            "last_published": s.last_published,
        }


def _quotes(stories: Sequence[Story]) -> Iterator[dict[str, Any]]:
    for s in stories:
        for q in s.quotes or ():
            yield {
                "story_id": s.id,
                "article_id": q.article_id,
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "speaker": q.speaker,
                "speaker_canonical": q.speaker_canonical,
                "cue": q.cue,
                "kind": q.kind,
                "group": q.group,
            }


def _discrepancies(stories: Sequence[Story]) -> Iterator[dict[str, Any]]:
    for s in stories:
        for d in s.discrepancies or ():
            for v in d.values:
                yield {
                    "story_id": s.id,
                    "kind": d.kind,
                    "subject": d.subject,
                    "quantity": d.quantity,
                    "value": v.value,
                    "normalised": v.normalised,
                    "vague": v.vague,
                    "article_ids": list(v.article_ids),
                    "evidence": [e.text for e in v.evidence],
                }


def table_rows(
    articles: Sequence[Article], stories: Sequence[Story]
) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows."""
    return {
        "articles": list(_articles(articles)),
        "stories": list(_stories(stories)),
        "quotes": list(_quotes(stories)),
        "discrepancies": list(_discrepancies(stories)),
    }


def write_tables(
    articles: Sequence[Article], stories: Sequence[Story], out: str | Path, fmt: str
) -> Path:
    """Write the four tables as ``fmt`` (``parquet`` or ``csv``) under ``out``; return it."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    tables = table_rows(articles, stories)
    if fmt == "csv":
        for name, rows in tables.items():
            with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=COLUMNS[name])
                writer.writeheader()
                for row in rows:
                    writer.writerow(
                        {k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()}
                    )
        return folder
    if fmt != "parquet":
        raise ValueError(f"unknown table format {fmt!r} (parquet, csv)")
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingDependencyError("pyarrow", "parquet", "export --format parquet") from exc
    for name, rows in tables.items():
        columns = {c: [r[c] for r in rows] for c in COLUMNS[name]}
        pq.write_table(pa.table(columns), folder / f"{name}.parquet")
    return folder
