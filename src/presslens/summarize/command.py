"""``presslens summarize IN.jsonl -o OUT.jsonl``: a cited brief and a timeline per story.

Input lines are article records (one story, or several told apart by a ``"story"`` field) or
story records ``{"story", "articles": [...], "words": N}`` as in the summarization benchmark
data; a story's own ``"words"`` overrides ``--words``.  An article's ``"title"`` is its headline,
which the brief reads as the article's first sentence.  Output: one line per story,
``{"story", "words", "method", "brief": [{"text", "cites", "support", ...}], "timeline": [...]}``
(plus ``"rejected"`` and ``"error"`` on the LLM path).  Bad lines are counted and reported on
stderr with their line numbers; they never stop the run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from presslens.commands import Command
from presslens.config import load_config
from presslens.model import Article
from presslens.summarize.story import StorySummary, summarize_story

_ARTICLE_FIELDS = ("source", "url", "title", "published", "author", "syndication_group")


@dataclass
class StoryInput:
    """A story read from the input: its id, articles, and its own word budget if any."""

    id: str
    articles: list[Article] = field(default_factory=list)
    words: int | None = None


@dataclass
class ReadResult:
    """Stories read from a JSONL file and the lines that could not be used."""

    stories: list[StoryInput]
    problems: list[str]


def _article(rec: Mapping[str, Any], fallback_id: str) -> Article | str:
    """An article from a record, or the reason it cannot be one."""
    text = rec.get("text")
    if text is None:
        return (
            'no "text" (HTML records need `presslens analyze`)' if "html" in rec else ('no "text"')
        )
    if not isinstance(text, str):
        return '"text" is not a string'
    raw_id = rec.get("id")
    meta: dict[str, str | None] = {}
    for key in _ARTICLE_FIELDS:
        value = rec.get(key)
        meta[key] = str(value) if value is not None else None
    return Article(
        id=str(raw_id) if raw_id not in (None, "") else fallback_id,
        text=text,
        source=meta["source"],
        url=meta["url"],
        title=meta["title"],
        published=meta["published"],
        author=meta["author"],
        syndication_group=meta["syndication_group"],
        source_from="summarize-input",
    )


def _words(value: Any) -> int | str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f'"words" must be a positive integer, got {value!r}'
    return value


def read_stories(lines: TextIO, name: str) -> ReadResult:
    """Stories from JSONL ``lines`` (``name`` labels problems and names a default story)."""
    stories: dict[str, StoryInput] = {}
    problems: list[str] = []
    seen_ids: dict[str, set[str]] = {}

    def add(story: StoryInput, art: Article, where: str) -> None:
        ids = seen_ids.setdefault(story.id, set())
        if art.id in ids:
            n = 2
            while f"{art.id}#{n}" in ids:
                n += 1
            problems.append(f"{where}: duplicate article id {art.id!r} renamed {art.id}#{n}")
            art = dataclasses.replace(art, id=f"{art.id}#{n}")
        ids.add(art.id)
        story.articles.append(art)

    for number, line in enumerate(lines, start=1):
        where = f"{name}:{number}"
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: not JSON ({e.msg}); line skipped")
            continue
        if not isinstance(rec, dict):
            problems.append(f"{where}: not a JSON object; line skipped")
            continue
        if "articles" in rec:
            if not isinstance(rec["articles"], list):
                problems.append(f'{where}: "articles" is not a list; line skipped')
                continue
            words = _words(rec.get("words"))
            if isinstance(words, str):
                problems.append(f"{where}: {words}; line skipped")
                continue
            sid = str(rec.get("story") or f"{name}:{number}")
            if sid in stories:
                problems.append(f"{where}: story {sid!r} given twice; this one is skipped")
                continue
            story = stories[sid] = StoryInput(sid, words=words)
            for k, item in enumerate(rec["articles"], start=1):
                art = (
                    _article(item, f"{sid}-{k}") if isinstance(item, dict) else "not a JSON object"
                )
                if isinstance(art, str):
                    problems.append(f"{where}: article {k}: {art}; article skipped")
                else:
                    add(story, art, f"{where}: article {k}")
            continue
        art = _article(rec, f"{name}-{number}")
        if isinstance(art, str):
            problems.append(f"{where}: {art}; line skipped")
            continue
        sid = str(rec["story"]) if rec.get("story") is not None else name
        add(stories.setdefault(sid, StoryInput(sid)), art, where)
    return ReadResult(list(stories.values()), problems)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def story_record(story_id: str, words: int, result: StorySummary) -> dict[str, Any]:
    """The output line of one story."""
    out: dict[str, Any] = {
        "story": story_id,
        "words": words,
        "method": result.method,
        "brief": [_plain(dataclasses.asdict(s)) for s in result.brief],
    }
    if result.timeline is not None:
        out["timeline"] = [_plain(dataclasses.asdict(e)) for e in result.timeline]
    if result.rejected:
        out["rejected"] = [_plain(dataclasses.asdict(r)) for r in result.rejected]
    if result.error:
        out["error"] = result.error
    return out


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="IN.jsonl", help="article or story records, one a line")
    p.add_argument("-o", "--out", metavar="OUT.jsonl", help="where to write (default stdout)")
    p.add_argument("--words", type=int, help="word budget of a brief (default 150)")
    p.add_argument("--llm-url", help="OpenAI-compatible endpoint for an abstractive brief")
    p.add_argument("--llm-model", help="model name at --llm-url (key: $PRESSLENS_LLM_KEY)")
    p.add_argument("--no-timeline", action="store_true", help="skip the timeline")


def _summaries(args: argparse.Namespace, stories: list[StoryInput]) -> Iterator[dict[str, Any]]:
    overrides: dict[str, dict[str, object]] = {
        "summarize": {
            "words": args.words,
            "llm_url": args.llm_url,
            "llm_model": args.llm_model,
            "timeline": False if args.no_timeline else None,
        }
    }
    cfg = load_config(getattr(args, "config", None), overrides).summarize
    for story in stories:
        words = story.words or cfg.words
        yield story_record(story.id, words, summarize_story(story.articles, cfg, words))


def _run(args: argparse.Namespace) -> int:
    quiet = getattr(args, "quiet", False)
    path = Path(args.input)
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            read = read_stories(fh, path.name)
    except OSError as e:
        print(f"presslens summarize: cannot read {path}: {e.strerror or e}", file=sys.stderr)
        return 2
    for problem in read.problems:
        print(f"presslens summarize: {problem}", file=sys.stderr)
    stories = [s for s in read.stories if s.articles]
    if read.problems:
        print(f"presslens summarize: {len(read.problems)} problem(s) in input", file=sys.stderr)
    if not stories:
        print("presslens summarize: no stories to summarize", file=sys.stderr)
        return 2
    out_fh: TextIO
    if args.out and args.out != "-":
        out_path = Path(args.out)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_fh = out_path.open("w", encoding="utf-8")
    else:
        out_fh = sys.stdout
    done = llm_failed = 0
    try:
        for record in _summaries(args, stories):
            out_fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            done += 1
            if "error" in record:
                llm_failed += 1
                print(f"story {record['story']}: {record['error']}", file=sys.stderr)
    finally:
        if out_fh is not sys.stdout:
            out_fh.close()
    if not quiet:
        articles = sum(len(s.articles) for s in stories)
        note = f"; {llm_failed} fell back to the extractive brief" if llm_failed else ""
        print(
            f"summarized {done} stories ({articles} articles){note}"
            + (f"; written {args.out}" if args.out and args.out != "-" else ""),
            file=sys.stderr,
        )
    return 0 if done else 2


COMMANDS = (
    Command(
        "summarize",
        "cited brief and timeline per story (JSONL in, JSONL out)",
        _configure,
        _run,
    ),
)
