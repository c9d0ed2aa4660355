"""``presslens compare IN.jsonl -o OUT.json [--embed]``: compare the outlets of one story
(or of each story named by a ``"story"`` field) and write the comparison as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from presslens.codec import to_jsonable
from presslens.commands import Command, add_executor_flags, run_command
from presslens.config import load_config
from presslens.grouping import GivenStories, Unnamed
from presslens.pipeline import Pipeline


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="IN.jsonl", help="articles, one JSON object a line")
    p.add_argument("-o", "--out", required=True, metavar="OUT.json", help="where to write")
    p.add_argument(
        "--embed",
        action="store_true",
        default=None,
        help="also compare sentence embeddings (extra)",
    )
    add_executor_flags(p)


def _run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, {"compare": {"embed": args.embed}})
    grouping = GivenStories(Path(args.input).stem, Unnamed.ONE)
    pipeline = Pipeline.of(cfg, ("stories", "compare"), stories=grouping)
    result = run_command(args, cfg, pipeline, "compare")
    if result is None:
        return 2
    doc = {"stories": [to_jsonable(d.story) for d in result.stories]}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    if not args.quiet:
        n_disc = sum(len(d.story.discrepancies or ()) for d in result.stories)
        print(
            f"compared {len(result.articles)} articles in {len(result.stories)} stories; "
            f"{n_disc} discrepancies; written {out}",
            file=sys.stderr,
        )
    return 0


COMMANDS = (
    Command("compare", "compare the outlets of one story (JSONL in, JSON out)", _configure, _run),
)
