"""``presslens cluster IN.jsonl -o OUT.jsonl [--db FILE] [--embed]``.

Writes one line per article: ``{"id", "story", "thread", "syndication_group", "original"}``
(``thread``: the id of the story's thread, see :mod:`presslens.cluster.threads`).  With
``--db`` the articles are added to the store and placed among the stories already there
(incrementally); the stories are written back to it.  The input's texts are clustered as
given (not cleaned); the stages are the syndication and cluster stages of ``analyze``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from presslens.commands import Command, add_executor_flags, executor_from, report_skips, run_command
from presslens.config import load_config
from presslens.pipeline import Pipeline

if TYPE_CHECKING:
    from presslens.engine import RunResult

STAGES = ("syndication", "cluster")


def configure(p: argparse.ArgumentParser) -> None:
    """Flags of ``presslens cluster``."""
    p.add_argument("input", metavar="IN.jsonl", help="articles (JSON Lines, or any input)")
    p.add_argument("-o", "--out", required=True, metavar="OUT.jsonl", help="where to write")
    p.add_argument("--db", metavar="FILE", help="SQLite store to add to and cluster within")
    p.add_argument(
        "--embed", action="store_true", default=None, help="mix in sentence embeddings (extra)"
    )
    add_executor_flags(p)


def _line(
    article_id: str,
    story: str | None,
    thread: str | None,
    group: str | None,
    original: bool | None,
) -> dict[str, Any]:
    return {
        "id": article_id,
        "story": story,
        "thread": thread,
        "syndication_group": group,
        "original": original,
    }


def _lines(result: RunResult) -> list[dict[str, Any]]:
    story_of = {a: bundle.story for bundle in result.stories for a in bundle.story.article_ids}
    lines = []
    for a in result.articles:
        story = story_of.get(a.id)
        thread = story.thread.id if story is not None and story.thread is not None else None
        lines.append(
            _line(a.id, story.id if story else None, thread, a.syndication_group, a.is_original)
        )
    return lines


def _stored_lines(db: str, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """A line for every article of the input as the store now holds it."""
    from presslens.store import Store

    lines = []
    # a story's thread id by story id: its articles share it, and each read decodes the whole
    # story document
    thread_of: dict[str, str | None] = {}
    with Store(db, readonly=True) as store:
        for i in ids:
            article = store.get_article(i)
            stories = store.stories_for_article(i)
            story = stories[0] if stories else None
            if story is not None and story not in thread_of:
                thread = (store.get_story(story) or {}).get("thread") or {}
                thread_of[story] = thread.get("id")
            lines.append(
                _line(
                    i,
                    story,
                    None if story is None else thread_of[story],
                    article.syndication_group if article else None,
                    article.is_original if article else None,
                )
            )
    return lines


def run(args: argparse.Namespace) -> int:
    """Cluster the input and write one line per article; 2 when no article could be read."""
    overrides = {"cluster": {"embed": args.embed}} if args.embed else None
    config = load_config(getattr(args, "config", None), overrides)
    pipeline = Pipeline.of(config, STAGES)
    if args.db:
        from presslens.api import run_on_store

        pipeline.check_incremental()
        with executor_from(args) as executor:
            stored = run_on_store(pipeline, args.db, [args.input], config, executor)
        assert stored.result is not None
        result = stored.result
        report_skips(result, args, "cluster")
        if not stored.stored_ids:
            print(f"presslens cluster: no articles read from {args.input}", file=sys.stderr)
            return 2
        lines = _stored_lines(args.db, stored.stored_ids)
    else:
        found = run_command(args, config, pipeline, "cluster")
        if found is None:
            return 2
        result = found
        lines = _lines(result)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    if not args.quiet:
        notes = ", ".join(
            f"{k.replace('_', ' ')}: {v}" for k, v in sorted(result.counts.items()) if v
        )
        print(
            f"presslens cluster: {len(lines)} articles, {len(result.stories)} stories"
            + (f" ({notes})" if notes else ""),
            file=sys.stderr,
        )
    return 0


COMMANDS = (
    Command(
        "cluster",
        "group articles into stories and syndicated copies (one JSON line per article)",
        configure,
        run,
    ),
)
