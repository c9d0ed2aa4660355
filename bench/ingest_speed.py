"""Ingest + clean throughput against the obvious alternative, on ecbplus DEV articles.

presslens: ``read_inputs`` (JSONL reader, source resolution, unique ids) followed by
``clean_articles`` (normalisation, generic furniture, outlet learning).  The obvious
alternative: ``json.loads`` per line and ``unicodedata.normalize("NFC", text)``, which reads
the same records but cleans nothing.  Both run in the same process, alternating, and the best
of ``--repeat`` runs of each is reported.

    .venv/bin/python bench/ingest_speed.py [--repeat N]

Prints a table and writes out/bench/ingest_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from presslens.clean import clean_articles
from presslens.config import CleanConfig, IngestConfig
from presslens.ingest import read_inputs
from presslens.model import Article

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "benchdata" / "clustering" / "ecbplus" / "articles.jsonl"
OUT = REPO / "out" / "bench" / "ingest_speed.json"


def ingest_only(paths: list[Path]) -> int:
    """Articles read by presslens's ingest."""
    return sum(isinstance(a, Article) for a in read_inputs(paths, IngestConfig()))


def ingest_and_clean(paths: list[Path]) -> int:
    """Articles that come out of ingest followed by the clean stage."""
    articles = (a for a in read_inputs(paths, IngestConfig()) if isinstance(a, Article))
    return sum(isinstance(a, Article) for a in clean_articles(articles, CleanConfig()))


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


SYSTEMS: dict[str, Callable[[list[Path]], int]] = {
    "json.loads + NFC": json_and_nfc,
    "presslens ingest": ingest_only,
    "presslens ingest + clean": ingest_and_clean,
}


def main(argv: list[str] | None = None) -> int:
    """Time each system, print the table, write the JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each system (best is kept)")
    args = ap.parse_args(argv)
    if not DATA.is_file():
        print(f"needs {DATA}", file=sys.stderr)
        return 2
    paths = [DATA]
    best: dict[str, float] = {}
    counts: dict[str, int] = {}
    for _ in range(args.repeat):
        for name, run in SYSTEMS.items():
            t0 = time.perf_counter()
            counts[name] = run(paths)
            seconds = time.perf_counter() - t0
            best[name] = min(best.get(name, seconds), seconds)
    baseline = counts["json.loads + NFC"] / best["json.loads + NFC"]
    rows = {
        name: {
            "articles": counts[name],
            "seconds": best[name],
            "articles_per_s": counts[name] / best[name],
            "ratio_to_json_nfc": counts[name] / best[name] / baseline,
        }
        for name in SYSTEMS
    }
    print(f"{'system':<26} {'articles':>8} {'best s':>8} {'art/s':>9} {'× json+NFC':>10}")
    for name, r in rows.items():
        print(
            f"{name:<26} {r['articles']:8d} {r['seconds']:8.3f} {r['articles_per_s']:9.0f} "
            f"{r['ratio_to_json_nfc']:10.4f}"
        )
    print(f"input: {DATA.name}, best of {args.repeat}, {os.cpu_count()} CPUs")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"input": DATA.name, "repeat": args.repeat, "systems": rows}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
