"""Run ``presslens compare`` as a user does: one JSONL of many stories, one process.

Shared by bench/compare.py and bench/figures.py.  Each story is written with its own
``"story"`` field, and article ids are made unique per story (``<story>|<id>``) so that the
same article changed in several trials stays apart; :func:`run_compare` maps them back.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from presslens.model import Article
from product import Cli, console, presslens

_SEP = "|"

Trial = tuple[str, Sequence[Article]]  # (story id, its articles)


def _record(story: str, art: Article) -> dict[str, Any]:
    return {
        "id": f"{story}{_SEP}{art.id}",
        "source": art.source,
        "url": art.url,
        "title": art.title,
        "published": art.published,
        "text": art.text,
        "story": story,
    }


def _unprefix(node: Any, story: str) -> Any:
    """``node`` with every article id of ``story`` back to the id the bench gave it."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in ("article_id", "id") and isinstance(v, str) and v.startswith(story + _SEP):
                v = v[len(story) + 1 :]
            elif k in ("article_ids",) and isinstance(v, list):
                v = [x[len(story) + 1 :] if x.startswith(story + _SEP) else x for x in v]
            else:
                v = _unprefix(v, story)
            out[k] = v
        return out
    if isinstance(node, list):
        return [_unprefix(x, story) for x in node]
    return node


def run_compare(
    trials: Sequence[Trial],
    *,
    embed: bool = False,
    settings: dict[str, float] | None = None,
    cli: Cli = console,
) -> tuple[dict[str, dict[str, Any]], float]:
    """Each story's section of the ``presslens compare`` output (article ids as given) and
    the seconds the command took (run by ``cli``); ``settings`` go to the ``[compare]``
    section of a config file (``--config``)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stories.jsonl"
        with src.open("w", encoding="utf-8") as f:
            for story, arts in trials:
                for art in arts:
                    f.write(json.dumps(_record(story, art), ensure_ascii=False) + "\n")
        out = Path(tmp) / "out.json"
        cmd = ["compare", str(src), "-o", str(out), "--quiet"]
        if embed:
            cmd.append("--embed")
        if settings:
            toml = Path(tmp) / "presslens.toml"
            lines = ["[compare]", *(f"{k} = {v!r}" for k, v in settings.items())]
            toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
            cmd[1:1] = ["--config", str(toml)]
        t0 = time.perf_counter()
        presslens(cmd, cli)
        seconds = time.perf_counter() - t0
        doc = json.loads(out.read_text(encoding="utf-8"))
    return {s["id"]: _unprefix(s, s["id"]) for s in doc["stories"]}, seconds
