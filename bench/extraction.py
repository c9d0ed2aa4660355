"""Main-text extraction from HTML: presslens's clean stage against plain trafilatura.

Two DEV sets of ../shared/benchdata/extraction, both systems in the same run:

* scrapinghub: word 4-gram token precision / recall / F1 as defined in the benchdata README
  (``\\w+`` tokens; precision averaged over pages with a non-empty prediction, recall over all
  pages, F1 the harmonic mean of the two averages);
* trafilatura_eval: segment accuracy, i.e. the share of ``with`` segments found in the output
  and ``without`` segments absent from it, counted over all segments.

Systems: ``trafilatura`` is ``trafilatura.extract(html)`` with its defaults; ``presslens html``
is :func:`presslens.clean.html.extract_html` alone; ``presslens clean`` is the whole clean stage
on one HTML article (extraction, normalisation, generic furniture, headline moved to the title).

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
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import trafilatura

from presslens.clean.html import extract_html
from presslens.clean.stage import clean_articles
from presslens.config import CleanConfig
from presslens.model import Article

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "benchdata" / "extraction"
OUT = REPO / "out" / "bench" / "extraction.json"
WORD = re.compile(r"\w+")

Extractor = Callable[[str, str | None], str]


def plain_trafilatura(html: str, url: str | None) -> str:
    """The baseline: trafilatura's defaults."""
    return trafilatura.extract(html) or ""


def presslens_html(html: str, url: str | None) -> str:
    """The HTML wrapper alone."""
    return extract_html(html, url).text


def presslens_clean(html: str, url: str | None) -> str:
    """The clean stage on one HTML article."""
    for item in clean_articles([Article(id="page", text="", html=html, url=url)], CleanConfig()):
        if isinstance(item, Article):
            return item.text
    return ""


SYSTEMS: dict[str, Extractor] = {
    "trafilatura": plain_trafilatura,
    "presslens html": presslens_html,
    "presslens clean": presslens_clean,
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
        t0 = time.perf_counter()
        preds = {
            str(p["id"]): extract(str(p["html"]), p.get("url") and str(p["url"])) for p in pages
        }
        seconds = time.perf_counter() - t0
        results[name] = {**token_scores(preds, gold), "pages": len(pages), "seconds": seconds}
    return results


def trafilatura_eval(
    systems: dict[str, Extractor], limit: int | None
) -> dict[str, dict[str, float]]:
    """Segment accuracy of each system on the trafilatura_eval DEV pages."""
    d = BENCH / "trafilatura_eval"
    gold = {str(r["id"]): r for r in read_jsonl(d / "gold.jsonl")}
    pages = list(read_jsonl(d / "pages.jsonl.gz"))[:limit]
    results: dict[str, dict[str, float]] = {}
    for name, extract in systems.items():
        found_with = missed_with = kept_out = let_in = 0
        t0 = time.perf_counter()
        for p in pages:
            out = extract(str(p["html"]), p.get("url") and str(p["url"]))
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
        seconds = time.perf_counter() - t0
        total = found_with + missed_with + kept_out + let_in
        results[name] = {
            "accuracy": (found_with + kept_out) / total if total else 0.0,
            "with_found": found_with / (found_with + missed_with)
            if found_with + missed_with
            else 0.0,
            "without_absent": kept_out / (kept_out + let_in) if kept_out + let_in else 0.0,
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
