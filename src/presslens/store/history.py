"""What the store remembers of each version of a story, so ``changes`` can say what is new.

Every time a story document is written (or a story removed), the store appends one row to
``story_log`` with what a reader compares over time: the title, how many articles, which
outlets, how many independent sources, and each discrepancy's values.  Comparing the newest
row of a story with its last row before a time tells whether the story is new since then,
which outlets joined it and which discrepancies appeared.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

LogRow = tuple[str | None, int, str, int | None, str]
"""The ``story_log`` columns :func:`story_log_row` gives."""

_REMOVED_ROW: LogRow = (None, 0, "[]", None, "{}")


def discrepancy_key(discrepancy: Mapping[str, Any]) -> str:
    """What identifies one discrepancy of a story across versions: its kind, what was
    measured and its subject (the values may grow as outlets join)."""
    parts = (discrepancy.get("kind"), discrepancy.get("quantity"), discrepancy.get("subject"))
    return " | ".join(str(p or "") for p in parts)


def discrepancy_values(story: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each discrepancy of a story document by :func:`discrepancy_key`, with its values
    (normalised, sorted)."""
    out: dict[str, list[str]] = {}
    for d in story.get("discrepancies") or ():
        if not isinstance(d, Mapping):
            continue
        values = {
            str(v.get("normalised") or v.get("value") or "")
            for v in d.get("values") or ()
            if isinstance(v, Mapping)
        }
        key = discrepancy_key(d)
        out[key] = sorted(values | set(out.get(key, ())))
    return out


def story_log_row(doc: str | Mapping[str, Any]) -> LogRow:
    """The ``story_log`` columns of a story document (JSON text or a mapping): title,
    number of articles, outlets (JSON list), independent sources, discrepancies (JSON)."""
    story: Mapping[str, Any] = json.loads(doc) if isinstance(doc, str) else doc
    title = story.get("title")
    sources = sorted({str(s) for s in story.get("sources") or () if s is not None})
    independent = story.get("independent_sources")
    return (
        title if isinstance(title, str) else None,
        len(story.get("article_ids") or ()),
        json.dumps(sources, ensure_ascii=False),
        independent if isinstance(independent, int) else None,
        json.dumps(discrepancy_values(story), ensure_ascii=False, sort_keys=True),
    )


def log_story(
    conn: sqlite3.Connection,
    story_id: str,
    at: str,
    doc_or_row: str | Mapping[str, Any] | LogRow | None,
    removed: bool = False,
) -> None:
    """Append one ``story_log`` row: the story as written at ``at`` (its document, or the
    columns :func:`story_log_row` already took from it), or its removal (``None``)."""
    if doc_or_row is None:
        columns = _REMOVED_ROW
    elif isinstance(doc_or_row, tuple):
        columns = doc_or_row
    else:
        columns = story_log_row(doc_or_row)
    conn.execute(
        "INSERT INTO story_log (story_id, recorded_at, removed, title, articles, sources,"
        " independent_sources, discrepancies) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (story_id, at, int(removed), *columns),
    )
