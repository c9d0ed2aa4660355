"""``presslens compare IN.jsonl -o OUT.json [--embed]``: compare the outlets of one story
(or of each story named by a ``"story"`` field) and write the comparison as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from presslens.commands import Command, read_articles
from presslens.compare.core import compare_story
from presslens.config import load_config
from presslens.model import Article, Story, StoryDocs
from presslens.report.serialize import to_jsonable


def group_stories(articles: list[Article], default_id: str) -> list[StoryDocs]:
    """One story per distinct ``"story"`` field of the articles; articles without one
    form the story ``default_id``."""
    by_story: dict[str, list[Article]] = defaultdict(list)
    for art in articles:
        key = art.extra.get("story")
        by_story[str(key) if key is not None else default_id].append(art)
    out = []
    for sid, arts in by_story.items():
        titles = [a.title for a in arts if a.title]
        story = Story(
            id=sid, article_ids=tuple(a.id for a in arts), title=titles[0] if titles else None
        )
        out.append(StoryDocs(story, tuple(arts)))
    return out


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="IN.jsonl", help="articles, one JSON object a line")
    p.add_argument("-o", "--out", required=True, metavar="OUT.json", help="where to write")
    p.add_argument(
        "--embed",
        action="store_true",
        default=None,
        help="also compare sentence embeddings (extra)",
    )


def _run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, {"compare": {"embed": args.embed}})
    articles = read_articles(args.input, cfg.ingest, "compare", quiet=args.quiet)
    if not articles:
        return 2
    stories = [
        compare_story(d, cfg.compare) for d in group_stories(articles, Path(args.input).stem)
    ]
    doc = {"stories": [to_jsonable(d.story) for d in stories]}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    if not args.quiet:
        n_disc = sum(len(d.story.discrepancies or ()) for d in stories)
        print(
            f"compared {len(articles)} articles in {len(stories)} stories; "
            f"{n_disc} discrepancies; written {out}",
            file=sys.stderr,
        )
    return 0


COMMANDS = (
    Command("compare", "compare the outlets of one story (JSONL in, JSON out)", _configure, _run),
)
