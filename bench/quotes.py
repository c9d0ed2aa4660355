"""Quote extraction: PolNeAR attribution spans, BASIL quote recall, stage speed.

Usage: .venv/bin/python bench/quotes.py [--limit N] [--half even|odd] [--no-cache] [--skip-basil]
       [--skip-speed]

Scoring (benchdata README, "Quotes"): a predicted quote matches a gold attribution when the
characters their content spans share are at least half of the shorter span; one-to-one greedy
matching (largest shared length first); micro precision/recall/F1 over the split; speaker
accuracy over matched pairs whose gold has a speaker, by case-insensitive token overlap.
The baseline takes every double-quoted span of 5+ words, with no speaker.

Rule changes are analysed on the even half of PolNeAR DEV (article ids sorted, even
positions) and accepted only when the odd half improves too: ``--half`` scores one half, and a
full run prints both halves beside the whole.

Parses are cached under out/cache/ (spaCy DocBin keyed by model, pipe names and texts) so that
rule changes can be measured without re-parsing; delete the cache after changing what a pipe
does (presslens.nlp.load's line-break pipe, say).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BENCH = SHARED / "benchdata"
OUT = REPO / "out"
sys.path.insert(0, str(REPO / "src"))

from presslens.config import NlpConfig  # noqa: E402
from presslens.model import Article, Story, StoryDocs  # noqa: E402
from presslens.nlp.analyze import analyze_docs  # noqa: E402
from presslens.nlp.load import load_nlp, resolve_model_name  # noqa: E402
from presslens.nlp.stage import QuotesStage  # noqa: E402

_TOKEN = re.compile(r"\w+")
#: words that make two speaker strings "overlap" without naming the same speaker
_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "for", "to", "s"})
_BASELINE = re.compile(r"[\"“]([^\"“”\n]+)[\"”]")

Span = tuple[int, int]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every record of a JSONL file."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def parse_cached(texts: Sequence[str], model: str, batch_size: int, use_cache: bool) -> list[Any]:
    """spaCy docs of ``texts``, from out/cache when the same model parsed the same texts."""
    from spacy.tokens import DocBin

    nlp = load_nlp(model)
    key = hashlib.sha256("\x00".join([*nlp.pipe_names, *texts]).encode("utf-8")).hexdigest()[:16]
    path = OUT / "cache" / f"quotes_{model}_{key}.spacy"
    if use_cache and path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    if use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        db.to_disk(path)
    return docs


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


def story_of(articles: Sequence[Article], sid: str) -> StoryDocs:
    """A story holding ``articles``."""
    return StoryDocs(Story(sid, tuple(a.id for a in articles)), tuple(articles))


def half_ids(ids: Iterable[str], half: str) -> set[str]:
    """The ids at even or odd positions of the sorted ids."""
    return {i for k, i in enumerate(sorted(ids)) if k % 2 == (0 if half == "even" else 1)}


def bench_polnear(
    limit: int | None, use_cache: bool, config: NlpConfig, half: str | None = None
) -> dict[str, Any]:
    """Content-span P/R/F1 and speaker accuracy on PolNeAR DEV, ours beside the baseline."""
    arts = read_jsonl(BENCH / "quotes" / "polnear" / "articles.jsonl")
    gold_by_id = {g["id"]: g for g in read_jsonl(BENCH / "quotes" / "polnear" / "gold.jsonl")}
    # halves are positions among all the ids, so that a --limit run keeps the same split
    halves = {name: half_ids((a["id"] for a in arts), name) for name in ("even", "odd")}
    if limit and not use_cache:
        arts = arts[:limit]
    model = resolve_model_name(config.model)
    # the cache holds the whole set, so a --limit run reuses it
    docs = parse_cached([a["text"] for a in arts], model, config.batch_size, use_cache)
    if limit:
        arts, docs = arts[:limit], docs[:limit]
    if half:
        kept = [(a, d) for a, d in zip(arts, docs, strict=True) if a["id"] in halves[half]]
        arts, docs = [a for a, _ in kept], [d for _, d in kept]
    golds, ours, base = [], [], []
    t0 = time.perf_counter()
    for a, doc in zip(arts, docs, strict=True):
        article = Article(id=a["id"], text=a["text"], source=a["source"], title=a["title"])
        _, quotes, _ = analyze_docs(story_of([article], a["id"]), [doc], config)
        ours.append([((q.start, q.end), q.speaker) for q in quotes])
        base.append(baseline(a["text"]))
        golds.append(
            [
                (
                    (x["content"]["start"], x["content"]["end"]),
                    x["source"]["text"] if x["source"] else None,
                )
                for x in gold_by_id[a["id"]]["attributions"]
            ]
        )
    rules_s = time.perf_counter() - t0
    results: dict[str, Any] = {
        "articles": len(arts),
        "half": half,
        "presslens": score(ours, golds),
        "baseline_quoted_5plus": score(base, golds),
        "rules_seconds": round(rules_s, 2),
    }
    if not half:
        for name, keep in halves.items():
            picked = [k for k, a in enumerate(arts) if a["id"] in keep]
            results[f"presslens_{name}"] = score(
                [ours[k] for k in picked], [golds[k] for k in picked]
            )
    return results


def bench_basil(use_cache: bool, config: NlpConfig) -> dict[str, Any]:
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
    model = resolve_model_name(config.model)
    docs = dict(
        zip(
            ids,
            parse_cached([arts[i]["text"] for i in ids], model, config.batch_size, use_cache),
            strict=True,
        )
    )
    by_story: dict[str, list[str]] = {}
    for i in ids:
        by_story.setdefault(stories[i], []).append(i)
    n_gold = found = spk_n = spk_ok = placeholders = 0
    for sid, members in sorted(by_story.items()):
        articles = [
            Article(id=i, text=arts[i]["text"], source=arts[i]["source"], title=arts[i]["title"])
            for i in members
        ]
        _, quotes, _ = analyze_docs(story_of(articles, sid), [docs[i] for i in members], config)
        for i in members:
            text = arts[i]["text"]
            spans = []
            for gq in gold.get(i, []):
                at = text.find(gq["text"])
                if at >= 0:
                    spans.append(((at, at + len(gq["text"])), gq["speaker"]))
            mine = [q for q in quotes if q.article_id == i]
            pairs = match([(q.start, q.end) for q in mine], [s[0] for s in spans])
            n_gold += len(spans)
            found += len(pairs)
            for qi, gi in pairs:
                speaker = spans[gi][1]
                if speaker.startswith("other "):
                    placeholders += 1
                    continue
                spk_n += 1
                spk_ok += same_speaker(mine[qi].speaker_canonical or mine[qi].speaker, speaker)
    return {
        "gold_spans": n_gold,
        "recall": round(found / n_gold, 4) if n_gold else 0.0,
        "speaker_pairs_named": spk_n,
        "speaker_accuracy": round(spk_ok / spk_n, 4) if spk_n else None,
        "matched_with_placeholder_speaker": placeholders,
    }


def bench_speed(config: NlpConfig) -> dict[str, Any]:
    """Words/s of the quotes stage (parse + entities + quotes + variants) on BASIL's stories."""
    arts = read_jsonl(BENCH / "clustering" / "basil" / "articles.jsonl")
    stories = {
        g["id"]: g["story"] for g in read_jsonl(BENCH / "clustering" / "basil" / "gold.jsonl")
    }
    by_story: dict[str, list[Article]] = {}
    for a in arts:
        by_story.setdefault(stories[a["id"]], []).append(Article(id=a["id"], text=a["text"]))
    items = [story_of(v, k) for k, v in sorted(by_story.items())]
    words = sum(a.word_count for s in items for a in s.articles)
    stage = QuotesStage(config)
    load_nlp(config.model)
    t0 = time.perf_counter()
    n = sum(1 for _ in stage.run(items))
    dt = time.perf_counter() - t0
    return {"stories": n, "words": words, "seconds": round(dt, 2), "words_per_s": round(words / dt)}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print a table, write out/bench/quotes.json."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N PolNeAR articles only")
    ap.add_argument(
        "--half", choices=("even", "odd"), default=None, help="one half of PolNeAR DEV only"
    )
    ap.add_argument("--no-cache", action="store_true", help="parse again instead of out/cache")
    ap.add_argument("--skip-basil", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    args = ap.parse_args(argv)
    config = NlpConfig()
    results: dict[str, Any] = {"model": resolve_model_name(config.model)}
    results["polnear"] = bench_polnear(args.limit, not args.no_cache, config, args.half)
    if not args.skip_basil:
        results["basil"] = bench_basil(not args.no_cache, config)
    if not args.skip_speed:
        results["speed"] = bench_speed(config)
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
    if "speed" in results:
        s = results["speed"]
        print(f"quotes stage: {s['words_per_s']} words/s ({s['words']} words, {s['seconds']} s)")
    out = OUT / "bench" / "quotes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
