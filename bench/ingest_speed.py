"""Ingest + clean throughput as a user runs it, against the obvious alternative, on ECB+ DEV.

presslens: the public API ``presslens.analyze([articles.jsonl])`` with the shipped defaults.
Its report times each stage (``run.timings``); the figure is articles over the ``ingest``
(JSONL reader, source resolution, unique ids) plus ``clean`` (normalisation, generic
furniture, outlet learning) seconds of that run, and beside it the whole run's rate (every
stage: syndication, stories, quotes, comparison, briefs).  The obvious alternative:
``json.loads`` per line and ``unicodedata.normalize("NFC", text)``, which reads the same
records but cleans nothing; best of ``--repeat`` runs.  presslens runs ``--analyze-repeat``
times (its best ingest + clean time is kept; a whole run takes a minute or more).

    .venv/bin/python bench/ingest_speed.py [--repeat N] [--analyze-repeat N]

Prints a table and writes out/bench/ingest_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import presslens

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "benchdata" / "clustering" / "ecbplus" / "articles.jsonl"
OUT = REPO / "out" / "bench" / "ingest_speed.json"


def json_and_nfc(paths: list[Path]) -> int:
    """The obvious alternative: one ``json.loads`` a line, NFC on the text."""
    n = 0
    for path in paths:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    unicodedata.normalize("NFC", record.get("text") or "")
                    n += 1
    return n


def analyze_run(paths: list[Path]) -> dict[str, float]:
    """One ``presslens.analyze`` run: articles kept, stage seconds and the whole run's seconds."""
    t0 = time.perf_counter()
    report = presslens.analyze(paths)
    total = time.perf_counter() - t0
    timings = report.run.timings
    return {
        "articles": len(report.articles),
        "ingest_clean_seconds": timings["ingest"] + timings["clean"],
        "total_seconds": total,
    }


def main(argv: list[str] | None = None) -> int:
    """Time each system, print the table, write the JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of json.loads + NFC (best kept)")
    ap.add_argument("--analyze-repeat", type=int, default=1, help="runs of presslens.analyze")
    args = ap.parse_args(argv)
    if not DATA.is_file():
        print(f"needs {DATA}", file=sys.stderr)
        return 2
    paths = [DATA]
    best_json = float("inf")
    count_json = 0
    runs: list[dict[str, float]] = []
    for k in range(max(args.repeat, args.analyze_repeat)):
        if k < args.repeat:
            t0 = time.perf_counter()
            count_json = json_and_nfc(paths)
            best_json = min(best_json, time.perf_counter() - t0)
        if k < args.analyze_repeat:
            runs.append(analyze_run(paths))
    best = min(runs, key=lambda r: r["ingest_clean_seconds"])
    baseline = count_json / best_json
    rows: dict[str, dict[str, Any]] = {
        "json.loads + NFC": {"articles": count_json, "seconds": best_json},
        "presslens analyze: ingest + clean": {
            "articles": int(best["articles"]),
            "seconds": best["ingest_clean_seconds"],
        },
        "presslens analyze: every stage": {
            "articles": int(best["articles"]),
            "seconds": min(r["total_seconds"] for r in runs),
        },
    }
    for r in rows.values():
        r["articles_per_s"] = r["articles"] / r["seconds"]
        r["ratio_to_json_nfc"] = r["articles_per_s"] / baseline
    print(f"{'system':<34} {'articles':>8} {'best s':>8} {'art/s':>9} {'× json+NFC':>10}")
    for name, r in rows.items():
        print(
            f"{name:<34} {r['articles']:8d} {r['seconds']:8.3f} {r['articles_per_s']:9.0f} "
            f"{r['ratio_to_json_nfc']:10.4f}"
        )
    print(
        f"input: {DATA.name}; json best of {args.repeat}, analyze best of "
        f"{args.analyze_repeat}; {os.cpu_count()} CPUs"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "input": DATA.name,
                "repeat": args.repeat,
                "analyze_repeat": args.analyze_repeat,
                "systems": rows,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
