"""How far stories move when clustering is spread over a Dask cluster in time windows.

`presslens cluster` is run twice on each DEV set, as a user runs it: once in one process (the
whole corpus at once), once on a Dask LocalCluster of two workers with `[cluster] window_days`
set (each window clustered by a worker, merged at the borders; see
src/presslens/cluster/windows.py).  Reported: B-cubed F1 of the windowed stories against the
one-process stories (1.000: the same stories), and of each against the gold stories where the
set has them, with the share of undated articles (they are routed to a window by their
heaviest terms, the main source of difference).  Sets: ECB+ and BASIL DEV, and the 2,000
article DEV mix of bench/engine.py.

Run: .venv/bin/python bench/partition.py [--windows 30 90]   (writes out/bench/partition.json)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from engine import build_corpus

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "benchdata" / "clustering"
OUT = REPO / "out" / "bench"
PRESSLENS = Path(sys.executable).parent / "presslens"


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> float:
    """B-cubed F1 of ``pred`` against ``gold`` over gold's items (a missing item: a singleton)."""
    pred_sets: dict[str, set[str]] = defaultdict(set)
    gold_sets: dict[str, set[str]] = defaultdict(set)
    for i in gold:
        pred_sets[pred.get(i, "~" + i)].add(i)
        gold_sets[gold[i]].add(i)
    p = r = 0.0
    for i in gold:
        mine, theirs = pred_sets[pred.get(i, "~" + i)], gold_sets[gold[i]]
        both = len(mine & theirs)
        p += both / len(mine)
        r += both / len(theirs)
    p, r = p / len(gold), r / len(gold)
    return 2 * p * r / (p + r) if p + r else 0.0


def cluster(src: Path, flags: list[str]) -> tuple[dict[str, str], float]:
    """Story of each article as `presslens cluster` gives it, and the command's seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        t0 = time.perf_counter()
        subprocess.run(
            [str(PRESSLENS), "cluster", str(src), "-o", str(out), "--quiet", *flags], check=True
        )
        seconds = time.perf_counter() - t0
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {r["id"]: r["story"] for r in rows}, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--windows", type=float, nargs="+", default=[30.0, 90.0])
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"needs {DATA}")
    sets: dict[str, tuple[Path, dict[str, str] | None]] = {}
    for name in ("ecbplus", "basil"):
        gold_rows = [json.loads(x) for x in (DATA / name / "gold.jsonl").open(encoding="utf-8")]
        sets[name] = (DATA / name / "articles.jsonl", {g["id"]: g["story"] for g in gold_rows})
    sets["DEV mix of 2,000"] = (build_corpus(2000), None)
    rows = []
    print(f"{'set':<18} {'undated':>8} {'window':>7} {'vs one process':>15} {'vs gold':>8}"
          f" {'one process vs gold':>20} {'s (1 proc / Dask)':>18}")  # fmt: skip
    for name, (src, gold) in sets.items():
        records = [json.loads(x) for x in src.open(encoding="utf-8") if x.strip()]
        undated = sum(1 for r in records if not r.get("published")) / len(records)
        whole, t_whole = cluster(src, ["--workers", "1"])
        for days in args.windows:
            with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as cfg:
                cfg.write(f"[cluster]\nwindow_days = {days}\n")
            spread, t_spread = cluster(src, ["--dask", "--workers", "2", "--config", cfg.name])
            Path(cfg.name).unlink()
            row = {
                "set": name,
                "undated": round(undated, 3),
                "window_days": days,
                "vs_one_process": round(bcubed(spread, whole), 4),
                "vs_gold": None if gold is None else round(bcubed(spread, gold), 4),
                "one_process_vs_gold": None if gold is None else round(bcubed(whole, gold), 4),
                "seconds": [round(t_whole, 1), round(t_spread, 1)],
            }
            rows.append(row)
            gold_cols = (
                f"{row['vs_gold']:>8} {row['one_process_vs_gold']:>20}"
                if gold is not None
                else f"{'-':>8} {'-':>20}"
            )
            print(
                f"{name:<18} {undated:>8.0%} {days:>7g} {row['vs_one_process']:>15}"
                f" {gold_cols} {t_whole:>8.1f} / {t_spread:>7.1f}"
            )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "partition.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
