"""``presslens quotes`` and ``presslens entities``: who said what, and who is named, per article.

Articles that carry a ``"story"`` field are analysed together with the rest of their story
(speakers and entities are then canonical across it); ``--story`` treats the whole input as
one story; otherwise each article stands alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from presslens.commands import Command, read_articles
from presslens.config import NlpConfig, load_config
from presslens.model import Article, Entity, Quote, Story, StoryDocs
from presslens.nlp.analyze import analyze_stories

_QUOTE_FIELDS = (
    "text",
    "start",
    "end",
    "speaker",
    "speaker_start",
    "speaker_end",
    "speaker_canonical",
    "cue",
    "kind",
)


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="IN.jsonl", help="articles (JSON Lines, or any input)")
    p.add_argument("-o", "--out", required=True, metavar="OUT.jsonl", help="where to write")
    p.add_argument(
        "--story", action="store_true", help="treat every article of the input as one story"
    )
    p.add_argument("--model", help="spaCy pipeline to load (default: en_core_web_sm if present)")


def _stories(articles: list[Article], one_story: bool, name: str) -> list[StoryDocs]:
    groups: dict[str, list[Article]] = {}
    for art in articles:
        key = art.extra.get("story")
        if one_story:
            sid = name
        elif key is not None:
            sid = str(key)
        else:
            sid = art.id
        groups.setdefault(sid, []).append(art)
    return [
        StoryDocs(Story(sid, tuple(a.id for a in arts)), tuple(arts))
        for sid, arts in groups.items()
    ]


def quote_json(q: Quote) -> dict[str, Any]:
    """A quote as the ``quotes`` command writes it."""
    return {f: getattr(q, f) for f in _QUOTE_FIELDS}


def entity_json(e: Entity, article_id: str) -> dict[str, Any]:
    """An entity as the ``entities`` command writes it for one article."""
    return {
        "name": e.name,
        "type": e.type,
        "aliases": list(e.aliases),
        "roles": list(e.roles),
        "mentions": e.mentions.get(article_id, 0),
        "spans": [[m.start, m.end, m.text] for m in e.spans if m.article_id == article_id],
    }


def _records(stories: list[StoryDocs], config: NlpConfig, what: str) -> Iterator[dict[str, Any]]:
    for story, entities, quotes, _ in analyze_stories(stories, config):
        for art in story.articles:
            if what == "quotes":
                yield {
                    "id": art.id,
                    "quotes": [quote_json(q) for q in quotes if q.article_id == art.id],
                }
            else:
                mine = [e for e in entities if art.id in e.mentions]
                yield {"id": art.id, "entities": [entity_json(e, art.id) for e in mine]}


def _runner(what: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        cfg = load_config(args.config, {"nlp": {"model": args.model}})
        articles = read_articles(args.input, cfg.ingest, what, quiet=args.quiet)
        if not articles:
            return 2
        stories = _stories(articles, args.story, Path(args.input).stem)
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        n = 0
        with out.open("w", encoding="utf-8") as f:
            for record in _records(stories, cfg.nlp, what):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
        if not args.quiet:
            print(f"presslens {what}: {n} article(s) written to {out}", file=sys.stderr)
        return 0

    return run


COMMANDS = (
    Command(
        "quotes",
        "quotes and reported speech with speakers, per article",
        _configure,
        _runner("quotes"),
    ),
    Command(
        "entities",
        "people, organisations, places and dates, per article",
        _configure,
        _runner("entities"),
    ),
)
