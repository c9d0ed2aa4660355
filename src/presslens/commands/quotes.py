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
from typing import TYPE_CHECKING, Any

from presslens.commands import Command, add_executor_flags, run_command
from presslens.config import load_config
from presslens.grouping import GivenStories, Unnamed
from presslens.model import Entity, Quote
from presslens.pipeline import Pipeline

if TYPE_CHECKING:
    from presslens.engine import RunResult

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
    add_executor_flags(p)


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


def _records(result: RunResult, what: str) -> Iterator[dict[str, Any]]:
    for bundle in result.stories:
        story = bundle.story
        for art in bundle.articles:
            if what == "quotes":
                yield {
                    "id": art.id,
                    "quotes": [quote_json(q) for q in story.quotes or () if q.article_id == art.id],
                }
            else:
                mine = [e for e in story.entities or () if art.id in e.mentions]
                yield {"id": art.id, "entities": [entity_json(e, art.id) for e in mine]}


def _runner(what: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        cfg = load_config(args.config, {"quotes": {"model": args.model}})
        grouping = GivenStories(Path(args.input).stem, Unnamed.ALL if args.story else Unnamed.EACH)
        pipeline = Pipeline.of(cfg, ("stories", "quotes"), stories=grouping)
        result = run_command(args, cfg, pipeline, what)
        if result is None:
            return 2
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        n = 0
        with out.open("w", encoding="utf-8") as f:
            for record in _records(result, what):
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
