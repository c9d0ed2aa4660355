"""Story clustering quality: B-cubed P/R/F1 on DEV ECB+ and BASIL, presslens vs a baseline.

Baseline: TF-IDF (scikit-learn, English stop words, sublinear tf, title + text) cosine with
agglomerative average linkage, its distance threshold tuned on the same DEV set (best of a
0.30-0.99 sweep, per set).  presslens runs with its shipped defaults, the same for both sets.

    .venv/bin/python bench/clustering.py [--embed] [--errors]

Prints a table and writes out/bench/clustering.json.  ``--errors`` also prints, per set, the
predicted stories that mix gold stories and the gold stories split over several predicted
ones, with each predicted story's title and the terms and entities its members share.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from presslens.cluster.index import StoryIndex
from presslens.config import ClusterConfig, DedupConfig, IngestConfig
from presslens.ingest import read_inputs
from presslens.model import Article

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "benchdata" / "clustering"


def load(name: str) -> tuple[list[Article], dict[str, str]]:
    """Articles and gold story of each article of one DEV set."""
    folder = DATA / name
    arts = [
        a
        for a in read_inputs([folder / "articles.jsonl"], IngestConfig())
        if isinstance(a, Article)
    ]
    with (folder / "gold.jsonl").open(encoding="utf-8") as fh:
        gold = {r["id"]: r["story"] for r in map(json.loads, fh)}
    return arts, gold


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 averaged over gold documents (missing = singleton)."""
    pred = {i: pred.get(i, "\0" + i) for i in gold}
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i, s in pred.items():
        by_pred[s].add(i)
    for i, s in gold.items():
        by_gold[s].add(i)
    p = r = 0.0
    for i in gold:
        inter = len(by_pred[pred[i]] & by_gold[gold[i]])
        p += inter / len(by_pred[pred[i]])
        r += inter / len(by_gold[gold[i]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def baseline(arts: list[Article], gold: dict[str, str]) -> tuple[dict[str, str], float, float]:
    """The tuned TF-IDF + average-linkage baseline: (prediction, threshold, seconds)."""
    t0 = time.perf_counter()
    docs = [((a.title or "") + "\n" + a.text) for a in arts]
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(docs)
    sim = (x @ x.T).toarray()
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), "average")
    seconds = time.perf_counter() - t0
    best: tuple[float, dict[str, str], float] | None = None
    for th in np.arange(0.30, 1.0, 0.01):
        labels = fcluster(tree, th, "distance")
        pred = {a.id: str(lab) for a, lab in zip(arts, labels, strict=True)}
        f1 = bcubed(pred, gold)[2]
        if best is None or f1 > best[0]:
            best = (f1, pred, float(th))
    assert best is not None
    return best[1], best[2], seconds


def ours(arts: list[Article], config: ClusterConfig) -> tuple[StoryIndex, float]:
    """presslens's index after clustering ``arts`` and its time in seconds."""
    t0 = time.perf_counter()
    index = StoryIndex(config, DedupConfig())
    if config.embed:
        from presslens.cluster.embed import Embedder

        index.embedder = Embedder()
    index.add(arts)
    return index, time.perf_counter() - t0


def errors(index: StoryIndex, gold: dict[str, str]) -> None:
    """Print the merged and split gold stories of one run, with what the members share."""
    stories = {s.id: s for s in index.stories()}
    pred = index.assignments()
    gold_of: dict[str, Counter[str]] = defaultdict(Counter)
    pred_of: dict[str, Counter[str]] = defaultdict(Counter)
    for aid, sid in pred.items():
        if aid in gold:
            gold_of[sid][gold[aid]] += 1
            pred_of[gold[aid]][sid] += 1

    def describe(sid: str) -> str:
        story = stories[sid]
        terms: Counter[str] = Counter()
        for m in story.memberships:
            terms.update(m.shared_entities + m.shared_terms)
        top = ", ".join(t for t, _ in terms.most_common(8))
        return f"{sid[-6:]} ({len(story.article_ids)}) {story.title!r:.60} | {top}"

    for sid, counts in sorted(gold_of.items(), key=lambda kv: -sum(kv[1].values())):
        if len(counts) > 1:
            print(f"  merged {dict(counts)}: {describe(sid)}")
    for g, counts in sorted(pred_of.items()):
        if len(counts) > 1:
            print(f"  split {g}:")
            for sid, n in counts.most_common():
                print(f"    {n} in {describe(sid)}")


def main() -> int:
    """Run the benchmark; 2 when the data is missing."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--embed", action="store_true", help="also run with sentence embeddings")
    ap.add_argument("--errors", action="store_true", help="print merged and split gold stories")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"benchmark data not found: {DATA}", file=sys.stderr)
        return 2
    systems = [("presslens", ClusterConfig())]
    if args.embed:
        systems.append(("presslens --embed", replace(ClusterConfig(), embed=True)))
    rows = []
    for name in ("ecbplus", "basil"):
        arts, gold = load(name)
        pred, th, secs = baseline(arts, gold)
        p, r, f = bcubed(pred, gold)
        rows.append({"set": name, "system": "baseline", "threshold": round(th, 2),
                     "precision": p, "recall": r, "f1": f, "seconds": secs})  # fmt: skip
        for label, cfg in systems:
            index, secs = ours(arts, cfg)
            p, r, f = bcubed(index.assignments(), gold)
            if args.errors:
                print(f"{name} {label}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
                errors(index, gold)
            rows.append({"set": name, "system": label, "precision": p, "recall": r,
                         "f1": f, "seconds": secs})  # fmt: skip
    print(f"{'set':8} {'system':18} {'P':>6} {'R':>6} {'F1':>6} {'sec':>6}")
    for row in rows:
        print(
            f"{row['set']:8} {row['system']:18} {row['precision']:6.3f} {row['recall']:6.3f}"
            f" {row['f1']:6.3f} {row['seconds']:6.2f}"
        )
    out = REPO / "out" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "clustering.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
