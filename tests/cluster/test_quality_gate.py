"""Quality floors for story clustering on the DEV benchmark data (skipped when it is absent).

The floors sit just under what ``bench/clustering.py`` measures with the shipped defaults
(ECB+ 0.903, BASIL 1.000, SemEval pair accuracy 0.884): they are lowered only on purpose.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from presslens.cluster import cluster_articles
from presslens.config import IngestConfig
from presslens.ingest import read_inputs
from presslens.model import Article


def _bcubed_f1(pred: dict[str, str], gold: dict[str, str]) -> float:
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in gold:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_pred[pred[i]]) for i in gold)
    r = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in gold)
    p, r = p / len(gold), r / len(gold)
    return 2 * p * r / (p + r)


def _clustering_f1(folder: Path) -> float:
    arts = [
        a
        for a in read_inputs([folder / "articles.jsonl"], IngestConfig())
        if isinstance(a, Article)
    ]
    with (folder / "gold.jsonl").open(encoding="utf-8") as fh:
        gold = {r["id"]: r["story"] for r in map(json.loads, fh)}
    return _bcubed_f1(cluster_articles(arts).assignments(), gold)


def test_ecbplus_and_basil_floors(benchdata_dir: Path) -> None:
    assert _clustering_f1(benchdata_dir / "clustering" / "ecbplus") >= 0.89
    assert _clustering_f1(benchdata_dir / "clustering" / "basil") >= 0.99


def test_semeval_pair_floor(benchdata_dir: Path) -> None:
    texts: dict[str, str] = {}
    judged = []
    with (benchdata_dir / "similarity" / "semeval" / "pairs.jsonl").open(encoding="utf-8") as fh:
        for p in map(json.loads, fh):
            a, b = p["pair_id"].split("_")
            texts.setdefault(a, p["text1"])
            texts.setdefault(b, p["text2"])
            if p["overall"] <= 1.5 or p["overall"] >= 3:
                judged.append((a, b, p["overall"] <= 1.5))
    story = cluster_articles(Article(id=i, text=t) for i, t in texts.items()).assignments()
    right = sum((story[a] == story[b]) == same for a, b, same in judged)
    assert right / len(judged) >= 0.87
