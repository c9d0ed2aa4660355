"""``presslens brief IN.jsonl -o OUT.jsonl`` (also ``summarize``): a cited brief and a timeline
per story.

Input lines are article records (one story, or several told apart by a ``"story"`` field) or
story records ``{"story", "articles": [...], "words": N}`` as in the summarization benchmark
data; a story's own ``"words"`` overrides ``--words``.  An article's ``"title"`` is its headline,
which the brief reads as the article's first sentence.  Output: one line per story,
``{"story", "words", "method", "brief": [{"text", "cites", "support", ...}], "timeline": [...]}``
(plus ``"rejected"`` and ``"error"`` on the LLM path).  Bad lines are reported on stderr with
their line numbers and counted; they never stop the run.  The stages are the brief stage of
``analyze`` over the stories the input names.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from presslens.codec import to_jsonable
from presslens.commands import Command, add_executor_flags, run_command
from presslens.config import load_config
from presslens.grouping import GivenStories, Unnamed
from presslens.model import Story
from presslens.pipeline import Pipeline


def story_record(story: Story, words: int) -> dict[str, Any]:
    """The output line of one story."""
    out: dict[str, Any] = {
        "story": story.id,
        "words": words,
        "method": story.brief_method or "extractive",
        "brief": to_jsonable(story.brief or ()),
    }
    if story.timeline is not None:
        out["timeline"] = to_jsonable(story.timeline)
    if story.brief_rejected:
        out["rejected"] = to_jsonable(story.brief_rejected)
    if story.brief_error:
        out["error"] = story.brief_error
    return out


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="IN.jsonl", help="article or story records, one a line")
    p.add_argument("-o", "--out", metavar="OUT.jsonl", help="where to write (default stdout)")
    p.add_argument("--words", type=int, help="word budget of a brief (default 150)")
    p.add_argument("--llm-url", help="OpenAI-compatible endpoint for an abstractive brief")
    p.add_argument("--llm-model", help="model name at --llm-url (key: $PRESSLENS_LLM_KEY)")
    p.add_argument("--no-timeline", action="store_true", help="skip the timeline")
    add_executor_flags(p)


def _run(args: argparse.Namespace) -> int:
    overrides: dict[str, dict[str, object]] = {
        "brief": {
            "words": args.words,
            "llm_url": args.llm_url,
            "llm_model": args.llm_model,
            "timeline": False if args.no_timeline else None,
        }
    }
    cfg = load_config(getattr(args, "config", None), overrides)
    grouping = GivenStories(Path(args.input).stem, Unnamed.ONE)
    pipeline = Pipeline.of(cfg, ("given-text", "stories", "brief"), stories=grouping)
    result = run_command(args, cfg, pipeline, "brief")
    if result is None:
        return 2
    out_fh: TextIO
    if args.out and args.out != "-":
        out_path = Path(args.out)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_fh = out_path.open("w", encoding="utf-8")
    else:
        out_fh = sys.stdout
    llm_failed = 0
    try:
        for bundle in result.stories:
            record = story_record(bundle.story, bundle.story.brief_words or cfg.brief.words)
            out_fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            if "error" in record:
                llm_failed += 1
                print(f"story {record['story']}: {record['error']}", file=sys.stderr)
    finally:
        if out_fh is not sys.stdout:
            out_fh.close()
    if not args.quiet:
        note = f"; {llm_failed} fell back to the extractive brief" if llm_failed else ""
        print(
            f"summarized {len(result.stories)} stories ({len(result.articles)} articles){note}"
            + (f"; written {args.out}" if args.out and args.out != "-" else ""),
            file=sys.stderr,
        )
    return 0


COMMANDS = (
    Command(
        "brief",
        "cited brief and timeline per story (JSONL in, JSONL out)",
        _configure,
        _run,
        aliases=("summarize",),
    ),
)
