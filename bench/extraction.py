"""Main-text extraction from HTML: presslens as a user runs it against plain trafilatura.

Two DEV sets of ../shared/benchdata/extraction, both systems in the same run:

* scrapinghub: word 4-gram token precision / recall / F1 as defined in the benchdata README
  (``\\w+`` tokens; precision averaged over pages with a non-empty prediction, recall over all
  pages, F1 the harmonic mean of the two averages);
* trafilatura_eval: segment accuracy, i.e. the share of ``with`` segments found in the output
  and ``without`` segments absent from it, counted over all segments.

Systems: ``trafilatura`` is ``trafilatura.extract(html)`` with its defaults, page by page;
``presslens analyze`` is the public API ``presslens.analyze([PAGES.jsonl])`` with the shipped
defaults over each set's pages as HTML article records ``{"id", "url", "html"}`` (one batch,
as a user would analyse a folder of saved pages: outlet boilerplate is learned across the
pages of one site), and each page's prediction is the cleaned ``text`` of its article in the
report (empty when the page was skipped).  Its time is the report's own ``clean`` stage
timing (HTML extraction, normalisation, boilerplate), not the stages after it.

    .venv/bin/python bench/extraction.py [--eval-limit N]

Prints a table and writes out/bench/extraction.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import trafilatura

import presslens

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "benchdata" / "extraction"
OUT = REPO / "out" / "bench" / "extraction.json"
WORD = re.compile(r"\w+")

#: pages in, each page's text (by page id) and the seconds it took out
Extractor = Callable[[Sequence[dict[str, Any]]], tuple[dict[str, str], float]]


def plain_trafilatura(pages: Sequence[dict[str, Any]]) -> tuple[dict[str, str], float]:
    """The baseline: trafilatura's defaults, page by page."""
    t0 = time.perf_counter()
    out = {str(p["id"]): trafilatura.extract(str(p["html"])) or "" for p in pages}
    return out, time.perf_counter() - t0


def presslens_analyze(pages: Sequence[dict[str, Any]]) -> tuple[dict[str, str], float]:
    """``presslens.analyze`` over the pages as HTML records: each article's cleaned text."""
    with tempfile.TemporaryDirectory(prefix="presslens-bench-") as tmp:
        path = Path(tmp) / "pages.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for p in pages:
                record = {"id": str(p["id"]), "url": p.get("url"), "html": p["html"]}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        report = presslens.analyze([path])
    return {a.id: a.text for a in report.articles}, report.run.timings.get("clean", 0.0)


SYSTEMS: dict[str, Extractor] = {
    "trafilatura": plain_trafilatura,
    "presslens analyze": presslens_analyze,
}


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSONL file, gzip'd or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def grams(text: str) -> Counter[tuple[str, ...]]:
    """Multiset of word 4-grams of ``text``."""
    toks = WORD.findall(text)
    return Counter(tuple(toks[i : i + 4]) for i in range(len(toks) - 3))


def token_scores(preds: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """4-gram precision, recall and F1 over the gold pages (benchdata README definition)."""
    precisions: list[float] = []
    recalls: list[float] = []
    for page_id, gold_text in gold.items():
        pred = preds.get(page_id, "")
        g, p = grams(gold_text), grams(pred)
        overlap = sum((g & p).values())
        if pred.strip():
            precisions.append(overlap / sum(p.values()) if p else 0.0)
        recalls.append(overlap / sum(g.values()) if g else 0.0)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "empty_predictions": len(gold) - len(precisions),
    }


def scrapinghub(systems: dict[str, Extractor]) -> dict[str, dict[str, float]]:
    """Token scores of each system on the scrapinghub DEV pages."""
    d = BENCH / "scrapinghub"
    gold = {str(r["id"]): str(r["text"]) for r in read_jsonl(d / "gold.jsonl")}
    pages = list(read_jsonl(d / "pages.jsonl"))
    results: dict[str, dict[str, float]] = {}
    for name, extract in systems.items():
        preds, seconds = extract(pages)
        results[name] = {**token_scores(preds, gold), "pages": len(pages), "seconds": seconds}
    return results


def segment_scores(
    preds: dict[str, str], pages: Sequence[dict[str, Any]], gold: dict[str, dict[str, Any]]
) -> dict[str, float]:
    """Segment accuracy over ``pages``: ``with`` segments found in the page's prediction and
    ``without`` segments absent from it, counted over all segments."""
    found_with = missed_with = kept_out = let_in = 0
    for p in pages:
        out = preds.get(str(p["id"]), "")
        g = gold[str(p["id"])]
        for seg in g["with"]:
            if seg in out:
                found_with += 1
            else:
                missed_with += 1
        for seg in g["without"]:
            if seg in out:
                let_in += 1
            else:
                kept_out += 1
    total = found_with + missed_with + kept_out + let_in
    return {
        "accuracy": (found_with + kept_out) / total if total else 0.0,
        "with_found": found_with / (found_with + missed_with) if found_with + missed_with else 0.0,
        "without_absent": kept_out / (kept_out + let_in) if kept_out + let_in else 0.0,
    }


def trafilatura_eval(
    systems: dict[str, Extractor], limit: int | None
) -> dict[str, dict[str, float]]:
    """Segment accuracy of each system on the trafilatura_eval DEV pages."""
    d = BENCH / "trafilatura_eval"
    gold = {str(r["id"]): r for r in read_jsonl(d / "gold.jsonl")}
    pages = list(read_jsonl(d / "pages.jsonl.gz"))[:limit]
    results: dict[str, dict[str, float]] = {}
    for name, extract in systems.items():
        preds, seconds = extract(pages)
        results[name] = {
            **segment_scores(preds, pages, gold),
            "pages": len(pages),
            "seconds": seconds,
        }
    return results


def main(argv: list[str] | None = None) -> int:
    """Run both sets, print the table, write the JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval-limit", type=int, default=None, help="first N trafilatura_eval pages")
    args = ap.parse_args(argv)
    if not BENCH.is_dir():
        print(f"needs {BENCH}", file=sys.stderr)
        return 2
    # trafilatura logs every page it gives up on; the scores already count those pages.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    sh = scrapinghub(SYSTEMS)
    te = trafilatura_eval(SYSTEMS, args.eval_limit)
    print(
        f"{'system':<17} {'P':>6} {'R':>6} {'F1':>6} {'empty':>5} {'s':>6}   "
        f"{'seg acc':>7} {'with':>6} {'w/out':>6} {'s':>6}"
    )
    for name in SYSTEMS:
        a, b = sh[name], te[name]
        print(
            f"{name:<17} {a['precision']:6.3f} {a['recall']:6.3f} {a['f1']:6.3f} "
            f"{int(a['empty_predictions']):5d} {a['seconds']:6.1f}   "
            f"{b['accuracy']:7.4f} {b['with_found']:6.3f} {b['without_absent']:6.3f} "
            f"{b['seconds']:6.1f}"
        )
    print(
        f"scrapinghub DEV: {int(sh['trafilatura']['pages'])} pages; "
        f"trafilatura_eval DEV: {int(te['trafilatura']['pages'])} pages"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "trafilatura_version": trafilatura.__version__,
                "scrapinghub": sh,
                "trafilatura_eval": te,
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
