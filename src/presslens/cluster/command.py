"""``presslens cluster IN.jsonl -o OUT.jsonl [--db FILE] [--embed]``.

Writes one line per article: ``{"id", "story", "thread", "syndication_group", "original"}``
(``thread``: the id of the story's thread, see :mod:`presslens.cluster.threads`).  With
``--db`` the articles are added to the store and placed among the stories already there
(incrementally); the stories are written back to it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from presslens.cluster.index import StoryIndex
from presslens.commands import Command, read_articles
from presslens.config import Config, load_config
from presslens.model import Article


def configure(p: argparse.ArgumentParser) -> None:
    """Flags of ``presslens cluster``."""
    p.add_argument("input", metavar="IN.jsonl", help="articles (JSON Lines, or any input)")
    p.add_argument("-o", "--out", required=True, metavar="OUT.jsonl", help="where to write")
    p.add_argument("--db", metavar="FILE", help="SQLite store to add to and cluster within")
    p.add_argument(
        "--embed", action="store_true", default=None, help="mix in sentence embeddings (extra)"
    )


def run(args: argparse.Namespace) -> int:
    """Cluster the input and write one line per article; 2 when no article could be read."""
    overrides = {"cluster": {"embed": args.embed}} if args.embed else None
    config = load_config(getattr(args, "config", None), overrides)
    if args.db:
        from presslens.cluster.persist import check_incremental_config

        check_incremental_config(config)
    articles = read_articles(args.input, config.ingest, "cluster", quiet=args.quiet)
    if not articles:
        return 2
    lines: list[dict[str, Any]]
    if args.db:
        lines = _run_store(args.db, articles, config)
    else:
        index = StoryIndex(config.cluster, config.dedup)
        if config.cluster.embed:
            from presslens.cluster.embed import Embedder

            index.embedder = Embedder()
        index.add(articles)
        synd = index.syndication.result()
        story_of = index.assignments()
        threads = index.threads()
        lines = [
            {
                "id": a.id,
                "story": story_of.get(a.id),
                "thread": threads[story_of[a.id]].id if a.id in story_of else None,
                "syndication_group": synd.group_of.get(a.id),
                "original": synd.original.get(a.id),
            }
            for a in articles
        ]
        counts = dict(index.counts)
        counts.update(synd.counts)
        _report(len(articles), len(set(story_of.values())), counts, args)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 0


def _run_store(db: str, articles: list[Article], config: Config) -> list[dict[str, Any]]:
    from presslens.cluster.persist import assign_incremental, write_update
    from presslens.store import Store

    with Store(db) as store:
        # the store may keep an article under another id when its id is taken by other content
        stored = [replace(a, id=store.add_article(a).id) for a in articles]
        update = assign_incremental(store, stored, config)
        write_update(store, update)
    return [
        {
            "id": a.id,
            "story": (sid := update.assignments.get(a.id)),
            "thread": update.threads[sid].id if sid in update.threads else None,
            "syndication_group": a.syndication_group,
            "original": a.original,
        }
        for a in update.articles
    ]


def _report(n: int, stories: int, counts: dict[str, int], args: argparse.Namespace) -> None:
    if getattr(args, "quiet", False):
        return
    notes = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(counts.items()) if v)
    print(
        f"presslens cluster: {n} articles, {stories} stories" + (f" ({notes})" if notes else ""),
        file=sys.stderr,
    )


COMMANDS = (
    Command(
        "cluster",
        "group articles into stories and syndicated copies (one JSON line per article)",
        configure,
        run,
    ),
)
