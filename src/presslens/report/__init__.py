"""The report: a versioned JSON document, a static HTML page and Markdown.

``report.json`` follows ``schema.json`` (``"schema": "presslens.report/1"``): add fields freely,
never rename or drop one without bumping the version.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from presslens.errors import SchemaError
from presslens.model import Article, Notice, Skip, Story
from presslens.report.serialize import article_to_dict, to_jsonable

SCHEMA_ID = "presslens.report/1"

__all__ = [
    "SCHEMA_ID",
    "Report",
    "RunInfo",
    "load_schema",
    "reason_kind",
    "validate_report",
]


def reason_kind(reason: str) -> str:
    """The general kind of a skip reason (the part before any detail), for counting."""
    return reason.split(":", 1)[0].split(" (", 1)[0].strip()


@dataclass(frozen=True)
class RunInfo:
    """What a run was given, what it kept and skipped, and how long each stage took."""

    inputs: tuple[str, ...]
    articles_in: int
    skipped: tuple[Skip, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    stages: tuple[str, ...] = ()
    started: str = ""
    finished: str = ""
    #: where the work ran ("2 local worker processes", "Dask LocalCluster of 2 workers")
    executor: str = ""
    #: pieces of finished work (shards read, chunks of stories analysed) taken back from an
    #: earlier run of the same input that was stopped
    resumed: int = 0
    #: inputs read all the same, with something worth knowing (see :class:`Notice`)
    warnings: tuple[Notice, ...] = ()

    def skipped_by_reason(self) -> dict[str, int]:
        """How many inputs were skipped, by the general kind of their reason."""
        return dict(sorted(Counter(reason_kind(s.reason) for s in self.skipped).items()))

    def to_dict(self, kept: int, stories: int | None) -> dict[str, Any]:
        """The report's ``run`` section."""
        counts: dict[str, Any] = {
            "articles_in": self.articles_in,
            "kept": kept,
            "skipped": len(self.skipped),
            "skipped_by_reason": self.skipped_by_reason(),
            "warnings": len(self.warnings),
        }
        if stories is not None:
            counts["stories"] = stories
        return {
            "inputs": list(self.inputs),
            "started": self.started,
            "finished": self.finished,
            "stages": list(self.stages),
            "executor": self.executor,
            "resumed": self.resumed,
            "counts": counts,
            "skipped": [_row(s.path, s.line, s.location, reason=s.reason) for s in self.skipped],
            "warnings": [
                _row(n.path, n.line, n.location, message=n.message) for n in self.warnings
            ],
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


def _row(path: str, line: int | None, location: str | None, **what: str) -> dict[str, Any]:
    row: dict[str, Any] = {"path": path, "line": line}
    if location is not None:
        row["location"] = location
    return row | what


@dataclass(frozen=True)
class Report:
    """The result of an analysis: articles, stories (when a clustering stage ran) and the run."""

    articles: tuple[Article, ...]
    run: RunInfo
    #: the stories (from a run, or read back from a store); ``None`` when no clustering stage
    #: ran (the report then has no ``stories`` section)
    stories: tuple[Story, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (schema ``presslens.report/1``)."""
        from presslens import __version__

        doc: dict[str, Any] = {
            "schema": SCHEMA_ID,
            "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            "presslens_version": __version__,
            "articles": [article_to_dict(a) for a in self.articles],
        }
        if self.stories is not None:
            doc["stories"] = [to_jsonable(s) for s in self.stories]
        doc["run"] = self.run_dict()
        return doc

    def run_dict(self) -> dict[str, Any]:
        """The report's ``run`` section alone (no need to serialise every article for it)."""
        stories = None if self.stories is None else len(self.stories)
        return self.run.to_dict(len(self.articles), stories)

    def write(
        self,
        out_dir: str | Path,
        formats: Iterable[str] = ("json", "html", "md"),
        shard_size: int = 10_000,
    ) -> dict[str, Path]:
        """Write the report in ``formats`` under ``out_dir``; return format → path written.

        ``shards`` writes ``shards/articles-NNNNN.jsonl.gz`` and ``shards/stories-NNNNN.jsonl.gz``
        (``shard_size`` records each; the records of report.json) and ``shards/run.json``;
        ``parquet`` and ``csv`` write the tables of :mod:`presslens.report.tables`.
        """
        from presslens.report.markdown import render_markdown
        from presslens.report.site import write_static_site

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        formats = tuple(formats)
        # One document for every format made from it (shards are its records), so no article
        # or story is converted twice.
        doc = self.to_dict() if {"json", "jsonl", "html", "md", "shards"} & set(formats) else None
        written: dict[str, Path] = {}
        for fmt in formats:
            if fmt == "shards":
                assert doc is not None
                written[fmt] = _write_shards(doc, out / "shards", shard_size)
                continue
            if fmt in ("parquet", "csv"):
                from presslens.report.tables import write_tables

                written[fmt] = write_tables(self.articles, self.stories or (), out / fmt, fmt)
                continue
            assert doc is not None
            if fmt == "json":
                p = out / "report.json"
                write_json_document(doc, p)
            elif fmt == "jsonl":
                p = out / "articles.jsonl"
                with p.open("w", encoding="utf-8") as fh:
                    for a in doc["articles"]:
                        fh.write(json.dumps(a, ensure_ascii=False) + "\n")
            elif fmt == "html":
                p = write_static_site(doc, out)["index"]
            elif fmt == "md":
                p = out / "report.md"
                p.write_text(render_markdown(doc), encoding="utf-8")
            else:
                raise ValueError(f"unknown report format {fmt!r}")
            written[fmt] = p
        return written


def write_json_document(doc: Mapping[str, Any], path: Path) -> None:
    """Write ``doc`` as JSON with each article and story on a line of its own.

    A diff or ``grep`` of two reports then shows whole records, and every record goes through
    the C encoder: ``indent`` would send all of them through the pure-Python one, which took
    2.5 s of a 2,000-article report against 0.7 s.
    """
    with path.open("w", encoding="utf-8") as fh:
        fh.write("{")
        for n, (key, value) in enumerate(doc.items()):
            fh.write(",\n" if n else "\n")
            fh.write(f" {json.dumps(key)}: ")
            if isinstance(value, list) and value:
                fh.write("[\n  ")
                fh.write(",\n  ".join(json.dumps(v, ensure_ascii=False) for v in value))
                fh.write("\n ]")
            else:
                fh.write(json.dumps(value, ensure_ascii=False))
        fh.write("\n}\n")


def _write_shards(doc: Mapping[str, Any], folder: Path, size: int) -> Path:
    """The records of the report ``doc`` as gzipped JSON Lines, ``size`` a file, and its run."""
    import gzip

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.jsonl.gz"):
        old.unlink()
    parts: dict[str, Sequence[Any]] = {
        "articles": doc["articles"],
        "stories": doc.get("stories", ()),
    }
    for name, records in parts.items():
        for n, lo in enumerate(range(0, len(records), size)):
            with gzip.open(folder / f"{name}-{n:05d}.jsonl.gz", "wt", encoding="utf-8") as fh:
                for record in records[lo : lo + size]:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    head = {"schema": SCHEMA_ID, "run": doc["run"]}
    (folder / "run.json").write_text(json.dumps(head, indent=1) + "\n", encoding="utf-8")
    return folder


@cache
def load_schema() -> dict[str, Any]:
    """The shipped JSON Schema of ``report.json``."""
    text = resources.files("presslens.report").joinpath("schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_report(doc: Mapping[str, Any]) -> None:
    """Raise :class:`SchemaError` listing every place where ``doc`` breaks the schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema())
    errors: Sequence[Any] = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        lines = [f"{'/'.join(str(p) for p in e.path) or '<root>'}: {e.message}" for e in errors]
        raise SchemaError("report does not match presslens.report/1:\n" + "\n".join(lines[:20]))
