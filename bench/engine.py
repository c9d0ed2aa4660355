"""Speed and identity of `presslens analyze` with every executor, on 2,000 DEV articles.

The corpus is every DEV article of ECB+, BASIL and PolNeAR (1,609) and the first 391 of the
Multi-News and NeuS stories (../shared/benchdata), written once to out/bench/engine/.  Each
run is the command a user types, in a child process, timed from outside; the child and its
workers are sampled for memory every 0.2 s:

* `analyze --workers 1`, `--workers 2`, `--dask --workers 2` (and any --workers N given);
* with --baseline DIR, the same `analyze` of another checkout (say the commit before the engine:
  `git worktree add /tmp/before 5a7e5d4`) in one process, as "today's" reference;
* the limit: spaCy's own `nlp.pipe` with the full small English pipeline over the same cleaned
  texts, in 1 and 2 processes (`n_process`), which is what the quotes stage cannot beat.

Identity: the reports of every executor are compared (timings, dates and the executor's name
aside) and must be equal.  Run: .venv/bin/python bench/engine.py [--articles 2000] [--pairs N]
[--baseline DIR] [--workers 1 2] (writes out/bench/engine.json).  With --pairs N it times only
the baseline and `--workers 2`, back to back N times, and prints each pair's ratio (the
machine's speed drifts over the minutes one run of every command takes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "benchdata"
OUT = REPO / "out" / "bench"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build_corpus(n: int) -> Path:
    """The DEV mix of ``n`` articles as one JSON Lines file (written once)."""
    path = OUT / "engine" / f"mix{n}.jsonl"
    if path.exists():
        return path
    arts = _jsonl(DATA / "clustering/ecbplus/articles.jsonl")
    arts += _jsonl(DATA / "clustering/basil/articles.jsonl")
    arts += _jsonl(DATA / "quotes/polnear/articles.jsonl")
    for name in ("multinews", "neus"):
        for story in _jsonl(DATA / f"summarization/{name}/stories.jsonl"):
            for a in story["articles"]:
                arts.append({"id": a["id"], "title": a.get("title"), "text": a["text"]})
    base = 1609
    chosen = arts[:n] if n >= base else random.Random(13).sample(arts[:base], n)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for a in chosen:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    return path


class Sampler:
    """Peak resident memory of a process and its descendants, sampled in the background."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    name = " ".join(p.cmdline()[1:4])[:60]
                except psutil.Error:
                    continue
                if rss > self.peak.get(p.pid, ("", 0))[1]:
                    self.peak[p.pid] = (name, rss)
            time.sleep(0.2)

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join()
        rss = sorted((v[1] for pid, v in self.peak.items() if pid != self.root.pid), reverse=True)
        return {
            "driver_mb": round(self.peak.get(self.root.pid, ("", 0))[1] / 2**20),
            "largest_other_mb": [round(r / 2**20) for r in rss[:3]],
        }


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd``; wall and CPU seconds of it and its children, peak memory."""
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    sampler = Sampler(proc.pid)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    memory = sampler.stop()
    after = os.times()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err.decode()[-3000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {"wall": wall, "cpu": cpu, **memory, "stdout": out.decode()[-2000:]}


def analyze(corpus: Path, out: Path, flags: list[str], src: Path | None = None) -> dict[str, Any]:
    """`presslens analyze` of ``corpus`` into ``out`` (``src``: another checkout's code)."""
    env = {"PYTHONPATH": str(src)} if src is not None else None
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "presslens.cli", "analyze", str(corpus), "--out", str(out)]
    return timed([*cmd, "--quiet", *flags], env)


def comparable(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((path / "report.json").read_text(encoding="utf-8"))
    doc.pop("generated", None)
    for key in ("timings", "started", "finished", "executor", "resumed"):
        doc["run"].pop(key, None)
    return doc


_PIPE = """
import json, sys, time
import spacy
from presslens.quotes.load import resolve_model_name
texts = [a["text"] for a in json.load(open(sys.argv[1]))["articles"]]
nlp = spacy.load(resolve_model_name(None))
n = int(sys.argv[2])
t0 = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=16, n_process=n):
    pass
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "words": sum(len(t.split()) for t in texts)}))
"""


def nlp_pipe(report: Path, processes: int) -> dict[str, Any]:
    result = timed([sys.executable, "-c", _PIPE, str(report / "report.json"), str(processes)])
    result.update(json.loads(result.pop("stdout").strip().splitlines()[-1]))
    return result


def pairs(corpus: Path, work: Path, baseline: Path | None, n: int) -> None:
    """The baseline and `--workers 2` run back to back ``n`` times: on a shared machine whose
    speed drifts over minutes, each pair's ratio is fairer than one run of each."""
    if baseline is None:
        sys.exit("--pairs needs --baseline")
    ratios = []
    for k in range(n):
        before = analyze(corpus, work / "before", [], baseline / "src")["wall"]
        two = analyze(corpus, work / "w2", ["--workers", "2"])["wall"]
        ratio = before / two
        print(f"pair {k + 1}: before {before:.1f} s, --workers 2 {two:.1f} s, ratio {ratio:.2f}")
        ratios.append(ratio)
    ratios.sort()
    median = statistics.median(ratios)
    print(f"ratio of each pair: {[round(r, 2) for r in ratios]}, median {median:.2f}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "engine-pairs.json").write_text(json.dumps({"ratios": ratios}), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--baseline", type=Path, help="another checkout to time as the reference")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument(
        "--pairs",
        type=int,
        default=0,
        help="only time the baseline and --workers 2 one after the other, this many times",
    )
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"needs {DATA}")
    corpus = build_corpus(args.articles)
    work = OUT / "engine"
    if args.pairs:
        pairs(corpus, work, args.baseline, args.pairs)
        return
    rows: dict[str, dict[str, Any]] = {}
    if args.baseline is not None:
        rows["before (1 process)"] = analyze(corpus, work / "before", [], args.baseline / "src")
    reports: dict[str, Path] = {}
    for n in args.workers:
        name = f"analyze --workers {n}"
        rows[name] = analyze(corpus, work / f"w{n}", ["--workers", str(n)])
        reports[name] = work / f"w{n}"
    if not args.no_dask:
        name = "analyze --dask --workers 2"
        rows[name] = analyze(corpus, work / "dask2", ["--dask", "--workers", "2"])
        reports[name] = work / "dask2"
    first = next(iter(reports.values()))
    for procs in (1, 2):
        rows[f"spaCy nlp.pipe, {procs} process(es)"] = nlp_pipe(first, procs)
    reference = comparable(first)
    identical = {name: comparable(path) == reference for name, path in reports.items()}
    stage_seconds = json.loads((first / "report.json").read_text())["run"]["timings"]
    one = rows.get("analyze --workers 1")
    print(f"{args.articles} DEV articles; rates in articles/s; ratios against --workers 1")
    print(f"{'run':<34} {'wall s':>8} {'CPU s':>8} {'art/s':>7} {'ratio':>6} {'driver MB':>9}")
    for name, r in rows.items():
        r.pop("stdout", None)
        rate = args.articles / r["wall"]
        ratio = (one["wall"] / r["wall"]) if one else float("nan")
        print(
            f"{name:<34} {r['wall']:>8.1f} {r['cpu']:>8.1f} {rate:>7.2f} {ratio:>6.2f}"
            f" {r['driver_mb']:>9} workers/children MB {r['largest_other_mb']}"
        )
    print("identical reports:", identical)
    print(
        "work seconds per stage (--workers 1):", {k: round(v, 1) for k, v in stage_seconds.items()}
    )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "engine.json").write_text(
        json.dumps(
            {
                "articles": args.articles,
                "runs": rows,
                "identical": identical,
                "stages": stage_seconds,
            },
            indent=1,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
