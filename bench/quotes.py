"""Quote extraction through the product: PolNeAR attribution spans, BASIL quotes, speed.

Usage: .venv/bin/python bench/quotes.py [--limit N] [--half even|odd] [--skip-basil]
       [--skip-limit]

Each set runs as a user runs it: ``presslens quotes IN.jsonl -o OUT.jsonl`` in a child process
with the shipped defaults (PolNeAR articles one by one, BASIL articles with their ``story``
field, so that speakers resolve across a story's articles), and the quotes it writes are scored.

Scoring (benchdata README, "Quotes"): a predicted quote matches a gold attribution when the
characters their content spans share are at least half of the shorter span; one-to-one greedy
matching (largest shared length first); micro precision/recall/F1 over the split; speaker
accuracy over matched pairs whose gold has a speaker, by case-insensitive token overlap.
The baseline takes every double-quoted span of 5+ words, with no speaker.

Speed is words per CPU second of each ``presslens quotes`` child (user + system time from
``getrusage``, start-up and model load included: the machine is shared, so wall time is
noisy), beside the limit: spaCy's own ``nlp.pipe`` with the model's full pipeline over the
same texts, at the batch size presslens uses by default, in a child started the same way, in
the same run.

Rule changes are analysed on the even half of PolNeAR DEV (article ids sorted, even
positions) and accepted only when the odd half improves too: ``--half`` scores one half, and a
full run prints both halves beside the whole.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BENCH = SHARED / "benchdata"
OUT = REPO / "out"
WORK = OUT / "bench" / "quotes"
sys.path.insert(0, str(REPO / "src"))

from presslens.config import QuotesConfig  # noqa: E402
from presslens.quotes.load import resolve_model_name  # noqa: E402

_TOKEN = re.compile(r"\w+")
#: words that make two speaker strings "overlap" without naming the same speaker
_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "for", "to", "s"})
_BASELINE = re.compile(r"[\"“]([^\"“”\n]+)[\"”]")

#: the limit's child: the model with every pipe it ships, spaCy's own nlp.pipe at the batch
#: size presslens uses (spaCy's default of 1000 texts is slower: 4.3k words/CPU-s on PolNeAR DEV
#: where main's presslens quotes, parse and rules, did 4.7k in the same run)
_LIMIT = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f:
    texts = [json.loads(line)["text"] for line in f if line.strip()]
for _ in nlp.pipe(texts, batch_size=int(sys.argv[3])):
    pass
"""

Span = tuple[int, int]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every record of a JSONL file."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """Write ``records`` one a line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def child_cpu(command: Sequence[str]) -> float:
    """Run ``command`` to the end; the CPU seconds (user + system) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, cwd=REPO)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def presslens_quotes(name: str, articles: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], float]:
    """``presslens quotes`` on ``articles``: its records by article id, and its CPU seconds."""
    src, dst = WORK / f"{name}.in.jsonl", WORK / f"{name}.out.jsonl"
    write_jsonl(src, articles)
    exe = Path(sys.executable).with_name("presslens")
    cpu = child_cpu([str(exe), "quotes", str(src), "-o", str(dst), "--quiet"])
    records = {r["id"]: r["quotes"] for r in read_jsonl(dst)}
    texts = {a["id"]: a["text"] for a in articles}
    for aid, quotes in records.items():
        for q in quotes:
            # offsets index the text as given: the product must not have changed it
            assert texts[aid][q["start"] : q["end"]] == q["text"], (aid, q)
    return records, cpu


def spacy_limit(name: str) -> float:
    """CPU seconds of spaCy's full pipeline over the texts ``presslens_quotes`` last read for
    ``name``."""
    src = WORK / f"{name}.in.jsonl"
    batch = str(QuotesConfig().batch_size)
    return child_cpu([sys.executable, "-c", _LIMIT, resolve_model_name(None), str(src), batch])


def speed(words: int, cpu: float) -> dict[str, Any]:
    """Words, CPU seconds and words per CPU second."""
    return {"words": words, "cpu_seconds": round(cpu, 2), "words_per_cpu_s": round(words / cpu)}


def shared_chars(a: Span, b: Span) -> int:
    """Characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(pred: Sequence[Span], gold: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one greedy matching (largest shared length first) of overlapping spans."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            shared = shared_chars(p, g)
            if shared > 0 and shared * 2 >= min(p[1] - p[0], g[1] - g[0]):
                pairs.append((shared, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def same_speaker(pred: str | None, gold: str | None) -> bool:
    """Case-insensitive token overlap, function words aside."""
    if not pred or not gold:
        return False
    a = {t for t in _TOKEN.findall(pred.lower()) if t not in _FUNCTION_WORDS}
    b = {t for t in _TOKEN.findall(gold.lower()) if t not in _FUNCTION_WORDS}
    return bool(a & b)


def baseline(text: str) -> list[tuple[Span, str | None]]:
    """Every double-quoted span of 5+ words."""
    return [
        ((m.start(1), m.end(1)), None)
        for m in _BASELINE.finditer(text)
        if len(m.group(1).split()) >= 5
    ]


def score(
    preds: Iterable[list[tuple[Span, str | None]]], golds: Iterable[list[tuple[Span, str | None]]]
) -> dict[str, float | int | None]:
    """Micro P/R/F1 and speaker accuracy over documents."""
    tp = n_pred = n_gold = spk_ok = spk_n = 0
    with_speakers = False
    for pred, gold in zip(preds, golds, strict=True):
        with_speakers = with_speakers or any(p[1] is not None for p in pred)
        n_pred += len(pred)
        n_gold += len(gold)
        pairs = match([p[0] for p in pred], [g[0] for g in gold])
        tp += len(pairs)
        for i, j in pairs:
            if gold[j][1] is None:
                continue
            spk_n += 1
            spk_ok += same_speaker(pred[i][1], gold[j][1])
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "pred": n_pred,
        "gold": n_gold,
        "matched": tp,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "speaker_pairs": spk_n,
        "speaker_accuracy": round(spk_ok / spk_n, 4) if spk_n and with_speakers else None,
    }


def polnear_gold(record: dict[str, Any]) -> list[tuple[Span, str | None]]:
    """The attributions of one PolNeAR gold record: content span and speaker text."""
    return [
        (
            (x["content"]["start"], x["content"]["end"]),
            x["source"]["text"] if x["source"] else None,
        )
        for x in record["attributions"]
    ]


def half_ids(ids: Iterable[str], half: str) -> set[str]:
    """The ids at even or odd positions of the sorted ids."""
    return {i for k, i in enumerate(sorted(ids)) if k % 2 == (0 if half == "even" else 1)}


def bench_polnear(limit: int | None, half: str | None) -> dict[str, Any]:
    """Content-span P/R/F1 and speaker accuracy on PolNeAR DEV, ours beside the baseline."""
    arts = read_jsonl(BENCH / "quotes" / "polnear" / "articles.jsonl")
    gold_by_id = {g["id"]: g for g in read_jsonl(BENCH / "quotes" / "polnear" / "gold.jsonl")}
    # halves are positions among all the ids, so that a --limit run keeps the same split
    halves = {name: half_ids((a["id"] for a in arts), name) for name in ("even", "odd")}
    if limit:
        arts = arts[:limit]
    if half:
        arts = [a for a in arts if a["id"] in halves[half]]
    records, cpu = presslens_quotes("polnear", arts)
    golds, ours, base = [], [], []
    for a in arts:
        ours.append([((q["start"], q["end"]), q["speaker"]) for q in records[a["id"]]])
        base.append(baseline(a["text"]))
        golds.append(polnear_gold(gold_by_id[a["id"]]))
    results: dict[str, Any] = {
        "articles": len(arts),
        "half": half,
        "presslens": score(ours, golds),
        "baseline_quoted_5plus": score(base, golds),
        "speed": speed(sum(len(a["text"].split()) for a in arts), cpu),
    }
    if not half:
        for name, keep in halves.items():
            picked = [k for k, a in enumerate(arts) if a["id"] in keep]
            results[f"presslens_{name}"] = score(
                [ours[k] for k in picked], [golds[k] for k in picked]
            )
    return results


def bench_basil() -> dict[str, Any]:
    """Recall of BASIL's annotated quote spans and speaker accuracy (named speakers only)."""
    arts = {a["id"]: a for a in read_jsonl(BENCH / "clustering" / "basil" / "articles.jsonl")}
    gold = {
        g["id"]: g["quotes"]
        for g in read_jsonl(BENCH / "clustering" / "basil" / "quotes_gold.jsonl")
    }
    stories = {
        g["id"]: g["story"] for g in read_jsonl(BENCH / "clustering" / "basil" / "gold.jsonl")
    }
    ids = sorted(arts)
    records, cpu = presslens_quotes("basil", [{**arts[i], "story": stories[i]} for i in ids])
    n_gold = found = spk_n = spk_ok = placeholders = 0
    for i in ids:
        text = arts[i]["text"]
        spans = []
        for gq in gold.get(i, []):
            at = text.find(gq["text"])
            if at >= 0:
                spans.append(((at, at + len(gq["text"])), gq["speaker"]))
        mine = records[i]
        pairs = match([(q["start"], q["end"]) for q in mine], [s[0] for s in spans])
        n_gold += len(spans)
        found += len(pairs)
        for qi, gi in pairs:
            speaker = spans[gi][1]
            if speaker.startswith("other "):
                placeholders += 1
                continue
            spk_n += 1
            spk_ok += same_speaker(mine[qi]["speaker_canonical"] or mine[qi]["speaker"], speaker)
    return {
        "gold_spans": n_gold,
        "recall": round(found / n_gold, 4) if n_gold else 0.0,
        "speaker_pairs_named": spk_n,
        "speaker_accuracy": round(spk_ok / spk_n, 4) if spk_n else None,
        "matched_with_placeholder_speaker": placeholders,
        "speed": speed(sum(len(arts[i]["text"].split()) for i in ids), cpu),
    }


def _speed_line(name: str, result: dict[str, Any]) -> str:
    s = result["speed"]
    line = f"{name:8} presslens quotes {s['words_per_cpu_s']:>6} words/CPU-s ({s['cpu_seconds']} s)"
    if "limit" in result:
        lim = result["limit"]
        line += (
            f"; spaCy full nlp.pipe {lim['words_per_cpu_s']:>6} words/CPU-s ({lim['cpu_seconds']}"
            f" s); presslens/spaCy {result['speed_ratio']:.2f}"
        )
    return line


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print a table, write out/bench/quotes.json."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N PolNeAR articles only")
    ap.add_argument(
        "--half", choices=("even", "odd"), default=None, help="one half of PolNeAR DEV only"
    )
    ap.add_argument("--skip-basil", action="store_true")
    ap.add_argument(
        "--skip-limit", action="store_true", help="do not run spaCy's pipeline for the speed limit"
    )
    args = ap.parse_args(argv)
    results: dict[str, Any] = {"model": resolve_model_name(None)}
    sets = {"polnear": bench_polnear(args.limit, args.half)}
    if not args.skip_limit:
        _with_limit("polnear", sets["polnear"])
    if not args.skip_basil:
        sets["basil"] = bench_basil()
        if not args.skip_limit:
            _with_limit("basil", sets["basil"])
    results.update(sets)
    pol = results["polnear"]
    part = f", {args.half} half" if args.half else ""
    print(
        f"PolNeAR DEV ({pol['articles']} articles{part}),"
        " content overlap ≥ half of the shorter span"
    )
    print(f"{'system':24} {'pred':>6} {'gold':>6} {'P':>6} {'R':>6} {'F1':>6} {'spk acc':>8}")
    shown = ("baseline_quoted_5plus", "presslens", "presslens_even", "presslens_odd")
    for name in (n for n in shown if n in pol):
        s = pol[name]
        acc = "—" if s["speaker_accuracy"] is None else f"{s['speaker_accuracy']:.3f}"
        print(
            f"{name:24} {s['pred']:>6} {s['gold']:>6} {s['precision']:>6.3f} {s['recall']:>6.3f}"
            f" {s['f1']:>6.3f} {acc:>8}"
        )
    if "basil" in results:
        b = results["basil"]
        print(
            f"BASIL DEV quotes_gold: recall {b['recall']:.3f} of {b['gold_spans']} spans; speaker "
            f"accuracy {b['speaker_accuracy']} on {b['speaker_pairs_named']} named-speaker matches"
        )
    print("speed (CPU time of each child, start-up included)")
    for name, result in sets.items():
        print(_speed_line(name, result))
    out = OUT / "bench" / "quotes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


def _with_limit(name: str, result: dict[str, Any]) -> None:
    """Add spaCy's full pipeline on the same texts, and the ratio of the two speeds."""
    words = result["speed"]["words"]
    result["limit"] = speed(words, spacy_limit(name))
    result["speed_ratio"] = round(
        result["speed"]["words_per_cpu_s"] / result["limit"]["words_per_cpu_s"], 3
    )


if __name__ == "__main__":
    raise SystemExit(main())
