"""Story clustering quality through ``presslens cluster``, beside TF-IDF + average linkage.

Every figure comes from the command a user runs (``presslens cluster IN.jsonl -o OUT.jsonl``,
shipped defaults, one process per set), on four DEV checks:

* ECB+ and BASIL: B-cubed precision, recall and F1 against the gold stories.
* month: ten events of one month, five outlets each, a third of the articles undated.  Built
  from DEV ECB+ (which is why it is a check of transfer, not of tuning, only where ECB+ was not
  the tuning set): five topics drawn at random, both of their events (two events of one kind,
  as ECB+ pairs them), five articles of each as five outlets, each event on a random day of
  June 2015 and its articles on that day or up to two days later, then the date removed from a
  random third of the articles.  Ten draws (seeds 0-9); the figures are their means.
  ``month-any`` draws ten events at random instead of five pairs.
* SemEval 2022 news pairs: all 301 pair texts clustered together; a pair rated <= 1.5 (same
  story) should share a story and one rated >= 3 should not; pair accuracy over those 129.

Baseline: TF-IDF (scikit-learn, English stop words, sublinear tf, title + text) cosine with
agglomerative average linkage, its distance threshold the best of a 0.30-0.99 sweep on each set
(on the ten draws together for the month sets): an oracle setting that presslens, with one
setting for every set, does not get.  On SemEval the alternative is the pair test the issue
names: TF-IDF cosine >= 0.22 (fitted on the 301 texts, sublinear tf, English stop words).

Threads (``--threads``): on ECB+ and BASIL, how many gold stories split over several presslens
stories are joined again by one thread, how many threads join stories of different gold
stories (on ECB+: of different topics, which have nothing to do with each other), and each
thread of more than one story listed for a hand check.

``--sweep KEY=V1,V2,...`` (repeatable) runs the grid through ``--config`` and reports the
cross-dataset choice: the setting best on ECB+ alone with its BASIL, month and SemEval figures,
and the setting best on BASIL alone (the middle of its best plateau) with its ECB+ figures.

    .venv/bin/python bench/clustering.py [--threads] [--embed] [--errors] [--sweep KEY=V,...]

Prints tables and writes out/bench/clustering.json (and clustering_sweep.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from product import Cli, console, presslens

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "benchdata"
DATA = SHARED / "clustering"
SEMEVAL = SHARED / "similarity" / "semeval" / "pairs.jsonl"
MONTH_DRAWS = 10
# The SemEval alternative: TF-IDF cosine with this one threshold.
SEMEVAL_COSINE = 0.22

Record = dict[str, Any]
Gold = dict[str, str]


def load(name: str) -> tuple[list[Record], Gold]:
    """Article records and the gold story of each article of one DEV clustering set."""
    folder = DATA / name
    with (folder / "articles.jsonl").open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    with (folder / "gold.jsonl").open(encoding="utf-8") as fh:
        gold = {r["id"]: r["story"] for r in map(json.loads, fh)}
    return records, gold


def month_sets(
    records: list[Record], gold: Gold, paired: bool, draws: int = MONTH_DRAWS
) -> list[tuple[list[Record], Gold]]:
    """Ten events of one month, five outlets each, a third of the articles undated."""
    by_story: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_story[gold[r["id"]]].append(r)
    big = sorted(s for s, rs in by_story.items() if len(rs) >= 5)
    topics = sorted({s.removesuffix("plus").removesuffix("ecb") for s in big})
    both = [t for t in topics if f"{t}ecb" in big and f"{t}ecbplus" in big]
    out = []
    for seed in range(draws):
        rnd = random.Random(seed)
        if paired:
            events = [t + kind for t in rnd.sample(both, 5) for kind in ("ecb", "ecbplus")]
        else:
            events = rnd.sample(big, 10)
        chosen: list[Record] = []
        sub_gold: Gold = {}
        for event in events:
            day = dt.date(2015, 6, 1) + dt.timedelta(days=rnd.randrange(30))
            members = sorted(rnd.sample(by_story[event], 5), key=lambda r: r["id"])
            for k, r in enumerate(members):
                published = day + dt.timedelta(days=rnd.choice([0, 0, 0, 1, 1, 2]))
                chosen.append({**r, "source": f"outlet{k}", "published": published.isoformat()})
                sub_gold[r["id"]] = event
        for i in rnd.sample(range(len(chosen)), len(chosen) // 3):
            chosen[i] = {**chosen[i], "published": None}
        out.append((chosen, sub_gold))
    return out


def semeval() -> tuple[list[Record], list[tuple[str, str, bool]]]:
    """The pair texts as article records, and the judged pairs (ids, same story?)."""
    texts: dict[str, str] = {}
    judged = []
    with SEMEVAL.open(encoding="utf-8") as fh:
        for p in map(json.loads, fh):
            a, b = p["pair_id"].split("_")
            texts.setdefault(a, p["text1"])
            texts.setdefault(b, p["text2"])
            if p["overall"] <= 1.5 or p["overall"] >= 3:
                judged.append((a, b, p["overall"] <= 1.5))
    return [{"id": i, "text": t} for i, t in texts.items()], judged


def cluster_cli(
    records: Sequence[Record],
    config: Mapping[str, Any] | None = None,
    embed: bool = False,
    cli: Cli = console,
) -> dict[str, Record]:
    """Run ``presslens cluster`` on ``records`` (by ``cli``); its output line for each article
    id."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        cmd = ["cluster", str(src), "-o", str(out), "--quiet"]
        if config:
            toml = Path(tmp) / "presslens.toml"
            toml.write_text(
                "[cluster]\n" + "".join(f"{k} = {v}\n" for k, v in config.items()), "utf-8"
            )
            cmd[1:1] = ["--config", str(toml)]
        if embed:
            cmd.append("--embed")
        presslens(cmd, cli)
        with out.open(encoding="utf-8") as fh:
            return {r["id"]: r for r in map(json.loads, fh)}


def bcubed(pred: Mapping[str, str], gold: Gold) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 averaged over gold documents (missing = singleton)."""
    full = {i: pred.get(i, "\0" + i) for i in gold}
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i, s in full.items():
        by_pred[s].add(i)
    for i, s in gold.items():
        by_gold[s].add(i)
    p = r = 0.0
    for i in gold:
        inter = len(by_pred[full[i]] & by_gold[gold[i]])
        p += inter / len(by_pred[full[i]])
        r += inter / len(by_gold[gold[i]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pair_accuracy(
    same: Mapping[tuple[str, str], bool], judged: list[tuple[str, str, bool]]
) -> float:
    """Share of judged pairs on the right side."""
    return sum(same[(a, b)] == truth for a, b, truth in judged) / len(judged)


def _tfidf(records: Sequence[Record]) -> Any:
    docs = [((r.get("title") or "") + "\n" + r["text"]) for r in records]
    return TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(docs)


def baseline_tree(records: Sequence[Record]) -> Any:
    """The average-linkage tree over TF-IDF cosine distances."""
    x = _tfidf(records)
    dist = np.clip(1.0 - (x @ x.T).toarray(), 0.0, None)
    np.fill_diagonal(dist, 0.0)
    return linkage(squareform(dist, checks=False), "average")


def baseline(
    sets: Sequence[tuple[Sequence[Record], Gold]],
) -> tuple[float, list[tuple[float, ...]]]:
    """The oracle threshold over ``sets`` together and each set's P/R/F1 at it."""
    trees = [baseline_tree(records) for records, _ in sets]
    best: tuple[float, float, list[tuple[float, ...]]] | None = None
    for th in np.arange(0.30, 1.0, 0.01):
        scores = []
        for (records, gold), tree in zip(sets, trees, strict=True):
            labels = fcluster(tree, th, "distance")
            scores.append(
                bcubed({r["id"]: str(lab) for r, lab in zip(records, labels, strict=True)}, gold)
            )
        mean_f1 = float(np.mean([s[2] for s in scores]))
        if best is None or mean_f1 > best[0]:
            best = (mean_f1, float(th), scores)
    assert best is not None
    return best[1], best[2]


def semeval_baseline(records: list[Record], judged: list[tuple[str, str, bool]]) -> float:
    """Pair accuracy of TF-IDF cosine >= 0.22 over the 301 texts."""
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [r["text"] for r in records]
    )
    pos = {r["id"]: k for k, r in enumerate(records)}
    sim = x @ x.T
    same = {(a, b): sim[pos[a], pos[b]] >= SEMEVAL_COSINE for a, b, _ in judged}
    return pair_accuracy(same, judged)


def _mean(rows: list[tuple[float, ...]]) -> tuple[float, ...]:
    return tuple(float(v) for v in np.mean(rows, axis=0))


class Checks:
    """The DEV checks, loaded once, each scored through the CLI for a given setting."""

    def __init__(self) -> None:
        self.ecb = load("ecbplus")
        self.basil = load("basil")
        self.month = month_sets(*self.ecb, paired=True)
        self.month_any = month_sets(*self.ecb, paired=False)
        self.semeval = semeval()

    def score(
        self, config: Mapping[str, Any] | None = None, embed: bool = False, workers: int = 2
    ) -> tuple[dict[str, tuple[float, ...]], dict[str, dict[str, Record]], float]:
        """Each check's figures, the CLI output of ECB+ and BASIL, and the seconds taken."""
        runs = {"ecbplus": self.ecb[0], "basil": self.basil[0], "semeval": self.semeval[0]}
        for name, sets in (("month", self.month), ("month-any", self.month_any)):
            for k, (records, _) in enumerate(sets):
                runs[f"{name}/{k}"] = records
        t0 = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            outs = dict(
                zip(
                    runs,
                    pool.map(lambda rs: cluster_cli(rs, config, embed), runs.values()),
                    strict=True,
                )
            )
        seconds = time.perf_counter() - t0
        story = {name: {i: r["story"] for i, r in out.items()} for name, out in outs.items()}
        res: dict[str, tuple[float, ...]] = {
            "ecbplus": bcubed(story["ecbplus"], self.ecb[1]),
            "basil": bcubed(story["basil"], self.basil[1]),
        }
        for name, sets in (("month", self.month), ("month-any", self.month_any)):
            res[name] = _mean([bcubed(story[f"{name}/{k}"], g) for k, (_, g) in enumerate(sets)])
        records, judged = self.semeval
        s = story["semeval"]
        res["semeval"] = (pair_accuracy({(a, b): s[a] == s[b] for a, b, _ in judged}, judged),)
        return res, {"ecbplus": outs["ecbplus"], "basil": outs["basil"]}, seconds


def thread_figures(out: Mapping[str, Record], gold: Gold, topics: bool) -> Record:
    """Split gold stories joined again by a thread, and threads joining other gold stories."""
    stories_of: dict[str, set[str]] = defaultdict(set)
    golds_of: dict[str, Counter[str]] = defaultdict(Counter)
    thread_of: dict[str, str] = {}
    for aid, r in out.items():
        stories_of[gold[aid]].add(r["story"])
        golds_of[r["story"]][gold[aid]] += 1
        thread_of[r["story"]] = r["thread"]
    split = [g for g, ss in stories_of.items() if len(ss) > 1]
    joined = [g for g in split if len({thread_of[s] for s in stories_of[g]}) == 1]
    main_gold = {s: c.most_common(1)[0][0] for s, c in golds_of.items()}
    members: dict[str, list[str]] = defaultdict(list)
    for s, t in sorted(thread_of.items()):
        members[t].append(s)
    multi = {t: ss for t, ss in members.items() if len(ss) > 1}

    def kind(g: str) -> str:
        return g.removesuffix("plus").removesuffix("ecb") if topics else g

    other_gold = [t for t, ss in multi.items() if len({main_gold[s] for s in ss}) > 1]
    other_kind = [t for t, ss in multi.items() if len({kind(main_gold[s]) for s in ss}) > 1]
    return {
        "split_gold_stories": len(split),
        "joined_by_a_thread": len(joined),
        "threads_of_several_stories": len(multi),
        "threads_joining_gold_stories": len(other_gold),
        "threads_joining_topics": len(other_kind) if topics else None,
        "threads": {t: ss for t, ss in multi.items()},
        "main_gold": main_gold,
    }


def print_threads(
    name: str, figures: Record, records: Sequence[Record], out: Mapping[str, Record]
) -> None:
    """Each thread of several stories: per story its gold story, size, first date and title."""
    by_story: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_story[out[r["id"]]["story"]].append(r)
    for t, stories in figures["threads"].items():
        print(f"  {name} {t}")
        rows = []
        for s in stories:
            arts = by_story[s]
            dates = sorted(a["published"] for a in arts if a.get("published"))
            first = dates[0] if dates else "undated"
            title = next((a.get("title") for a in arts if a.get("title")), None) or arts[0]["text"]
            rows.append((first, s, figures["main_gold"][s], len(arts), title))
        for first, _, g, n, title in sorted(rows):
            print(f"    {first:10} {g[:14]:14} {n:>3} {' '.join(title.split())[:80]!r}")


def print_errors(
    name: str, out: Mapping[str, Record], gold: Gold, records: Sequence[Record]
) -> None:
    """Predicted stories that mix gold stories, and gold stories split over several."""
    title = {r["id"]: (r.get("title") or r["text"])[:70] for r in records}
    golds_of: dict[str, Counter[str]] = defaultdict(Counter)
    stories_of: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, str] = {}
    for aid, r in out.items():
        golds_of[r["story"]][gold[aid]] += 1
        stories_of[gold[aid]][r["story"]] += 1
        first.setdefault(r["story"], aid)
    for s, c in sorted(golds_of.items(), key=lambda kv: -sum(kv[1].values())):
        if len(c) > 1:
            print(f"  {name} merged {dict(c)}: {' '.join(title[first[s]].split())!r}")
    for g, c in sorted(stories_of.items()):
        if len(c) > 1:
            parts = ", ".join(
                f"{n} in {' '.join(title[first[s]].split())[:40]!r}" for s, n in c.most_common()
            )
            print(f"  {name} split {g}: {parts}")


def _table(
    res: Mapping[str, tuple[float, ...]], base: Mapping[str, tuple[float, ...]]
) -> list[Record]:
    rows = []
    for name in ("ecbplus", "basil", "month", "month-any", "semeval"):
        for system, vals in (("presslens", res[name]), ("baseline", base[name])):
            row: Record = {"set": name, "system": system}
            if name == "semeval":
                row["pair_accuracy"] = vals[0]
            else:
                row.update(precision=vals[0], recall=vals[1], f1=vals[2])
            rows.append(row)
    return rows


def _print_table(rows: list[Record]) -> None:
    print(f"{'set':10} {'system':10} {'P':>6} {'R':>6} {'F1':>6}   (SemEval: pair accuracy)")
    for row in rows:
        if "pair_accuracy" in row:
            print(f"{row['set']:10} {row['system']:10} {'':>6} {'':>6} {row['pair_accuracy']:6.3f}")
        else:
            print(
                f"{row['set']:10} {row['system']:10} {row['precision']:6.3f} {row['recall']:6.3f}"
                f" {row['f1']:6.3f}"
            )


def sweep(checks: Checks, grid: dict[str, list[str]]) -> Record:
    """Run every setting of ``grid``; choose on ECB+ alone and on BASIL alone."""
    keys = sorted(grid)
    results = []
    for values in itertools.product(*(grid[k] for k in keys)):
        setting = dict(zip(keys, values, strict=True))
        res, _, _ = checks.score(setting)
        results.append({"setting": setting, **{k: v[-1] for k, v in res.items()}})
        figures = " ".join(f"{k} {v[-1]:.3f}" for k, v in res.items())
        print(f"  {setting}: {figures}", flush=True)

    def choose(name: str) -> Record:
        best = max(r[name] for r in results)
        # the middle of the best plateau: the setting least likely to sit on an edge
        plateau = [r for r in results if r[name] >= best - 1e-9]
        return plateau[len(plateau) // 2]

    on_ecb, on_basil = choose("ecbplus"), choose("basil")
    print(f"tuned on ECB+ alone:  {on_ecb}")
    print(f"tuned on BASIL alone: {on_basil}")
    return {
        "grid": grid,
        "results": results,
        "tuned_on_ecbplus": on_ecb,
        "tuned_on_basil": on_basil,
    }


def main() -> int:
    """Run the benchmark; 2 when the data is missing."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--threads", action="store_true", help="thread figures and the thread list")
    ap.add_argument("--embed", action="store_true", help="also run with sentence embeddings")
    ap.add_argument("--errors", action="store_true", help="print merged and split gold stories")
    ap.add_argument("--sweep", action="append", default=[], metavar="KEY=V1,V2",
                    help="a [cluster] setting and its values to sweep (repeatable)")  # fmt: skip
    args = ap.parse_args()
    if not DATA.is_dir() or not SEMEVAL.is_file():
        print(f"benchmark data not found under {SHARED}", file=sys.stderr)
        return 2
    checks = Checks()
    out_dir = REPO / "out" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.sweep:
        grid = {k: v.split(",") for k, v in (s.split("=", 1) for s in args.sweep)}
        (out_dir / "clustering_sweep.json").write_text(
            json.dumps(sweep(checks, grid), indent=2), encoding="utf-8"
        )
        return 0
    base: dict[str, tuple[float, ...]] = {}
    thresholds: dict[str, float] = {}
    for name, sets in (
        ("ecbplus", [checks.ecb]),
        ("basil", [checks.basil]),
        ("month", checks.month),
        ("month-any", checks.month_any),
    ):
        thresholds[name], scores = baseline(sets)
        base[name] = _mean(scores)
    base["semeval"] = (semeval_baseline(*checks.semeval),)
    res, outs, seconds = checks.score()
    rows = _table(res, base)
    report: Record = {"rows": rows, "baseline_thresholds": thresholds, "seconds": seconds}
    print(
        f"presslens cluster, shipped defaults ({seconds:.0f} s,"
        f" {len(checks.month) + len(checks.month_any) + 3} runs)"
    )
    _print_table(rows)
    if args.embed:
        emb, _, _ = checks.score(embed=True, workers=1)
        report["embed"] = {k: list(v) for k, v in emb.items()}
        print("with --embed: " + " ".join(f"{k} {v[-1]:.3f}" for k, v in emb.items()))
    for name, records, gold in (("ecbplus", *checks.ecb), ("basil", *checks.basil)):
        if args.errors:
            print_errors(name, outs[name], gold, records)
        if args.threads:
            fig = thread_figures(outs[name], gold, topics=name == "ecbplus")
            print(
                f"{name} threads: {fig['joined_by_a_thread']} of {fig['split_gold_stories']} split"
                f" gold stories joined again; {fig['threads_of_several_stories']} threads of"
                f" several stories, {fig['threads_joining_gold_stories']} joining different gold"
                " stories"
                + (
                    f", {fig['threads_joining_topics']} joining different topics"
                    if name == "ecbplus"
                    else ""
                )
            )
            as_stories = bcubed({i: r["thread"] for i, r in outs[name].items()}, gold)
            print(
                f"{name} threads scored as stories: P {as_stories[0]:.3f} R {as_stories[1]:.3f}"
                f" F1 {as_stories[2]:.3f}"
            )
            print_threads(name, fig, records, outs[name])
            report.setdefault("threads", {})[name] = {
                **{k: v for k, v in fig.items() if k not in ("threads", "main_gold")},
                "threads_as_stories": as_stories,
            }
    (out_dir / "clustering.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
