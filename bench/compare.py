"""Benchmark the story comparison on BASIL DEV stories (../shared/benchdata/clustering/basil).

1. Discrepancies, on a perturbation set.  A fact can only be reported as a discrepancy when
   another independent outlet of the story states the same fact, so trials are built only
   from such facts:

   * candidates: in one outlet's article, a quantity (a number in digits, or two to twenty
     in words; not a year, a clock time or a score), a date (a weekday name, "Month D", or a
     year after "in/since/from/until/by/during/before/after"), or a title before a surname
     ("Sen. Cruz");
   * same subject: the candidate counts only when another outlet's article (another
     source; BASIL has no syndicated copies) states the same value (the same number, however
     written; the same weekday, month and day, or year; a title before the same surname)
     with at least two content words in common within 60 characters either side, so that
     both outlets talk about the same thing and not merely the same number;
   * a trial changes, half of the time, one such candidate in its article (numbers to
     2v + 3, far outside any rounding or hedge; weekdays and days moved by three; years by
     three; titles to a title of the same family that cannot hold at once), and leaves the
     story unchanged the other half.  The fact kind is drawn first, then a candidate of
     that kind, so that stories with many numbers do not crowd out dates and roles.

   Recall: the changed fact is reported (a new hard discrepancy whose evidence includes the
   changed sentence).  Precision, per reported kind and overall: new hard discrepancies that
   are the changed fact; "strict" also counts everything reported on unchanged stories.
   False-alarm rate: unchanged trials whose story has any hard discrepancy.
2. Alignment: a sentence copied, lightly reworded, into another outlet's article must be
   aligned with its original.
3. Speed: stories/s for stories of 3, 10 and 50 articles, with candidate and all pairs.

Every part runs the comparison through the ``presslens compare`` command, as a user does: all
the trials of a part are stories of one input file (the ``"story"`` field), one process.

Run: .venv/bin/python bench/compare.py  (writes out/bench/compare.json)
     .venv/bin/python bench/compare.py --embed  (the same trials with sentence embeddings,
     extra `embed`; writes out/bench/compare_embed.json)
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from compare_cli import Trial, run_compare
from presslens.compare.core import compare
from presslens.config import CompareConfig
from presslens.model import Article, Story, StoryArticles
from presslens.text.words import light_terms
from product import Cli, console

REPO = Path(__file__).resolve().parents[1]
BASIL = REPO.parent / "shared" / "benchdata" / "clustering" / "basil"
OUT = REPO / "out" / "bench" / "compare.json"
SEED = 5
# Eight trials a story give about 200 changed facts on DEV, enough for per-kind figures.
TRIALS_PER_STORY = 8
REPEATS = 3

_REWORD = {
    "said": "stated", "says": "states", "about": "around", "but": "however", "big": "large",
    "many": "numerous", "also": "additionally", "help": "assist", "show": "demonstrate",
    "shows": "demonstrates", "start": "begin", "started": "began", "buy": "purchase",
    "get": "obtain", "very": "highly", "before": "prior to", "because": "since",
}  # fmt: skip


def load() -> list[StoryArticles]:
    arts = {}
    for line in (BASIL / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        arts[r["id"]] = Article(
            id=r["id"],
            text=r["text"],
            source=r["source"],
            title=r["title"],
            published=r["published"],
        )
    stories: dict[str, list[Article]] = defaultdict(list)
    for line in (BASIL / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        stories[g["story"]].append(arts[g["id"]])
    return [
        StoryArticles(Story(sid, tuple(a.id for a in arts_)), tuple(arts_))
        for sid, arts_ in sorted(stories.items())
    ]


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_WORD_NUMS = [
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
]  # fmt: skip
_ROLE_SWAP = {
    "Sen.": "Gov.", "Senator": "Governor", "Rep.": "Sen.", "Gov.": "Sen.", "Governor": "Senator",
    "President": "Vice President", "Secretary of State": "Attorney General", "Gen.": "Adm.",
    "General": "Admiral", "Mayor": "Gov.", "Vice President": "President",
}  # fmt: skip
_ROLE_RE = re.compile(
    r"\b(Sen\.|Senator|Rep\.|Gov\.|Governor|Vice President|President|Secretary of State|Gen\.|"
    r"General|Mayor) ((?:[A-Z][a-z]+ )?([A-Z][a-z]+))"
)
_DIGITS_RE = re.compile(r"(?<![\w.,:/-])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w]|[.,:/]\d)")
_WORDS_RE = re.compile(r"\b(" + "|".join(_WORD_NUMS) + r")\b(?=[\s-]+[A-Za-z])", re.IGNORECASE)
_DAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
_MONTHDAY_RE = re.compile(
    r"\b(" + "|".join(_MONTHS) + r"|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.? (\d{1,2})\b(?!,\d)"
)
# "Amendment 131", "Article 1", "Interstate 95": a number after a capitalised word names
# something; it is not a quantity.
_IDENTIFIER_BEFORE = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+\.?\s$")
_YEAR_RE = re.compile(
    r"\b(?:in|since|from|until|by|during|before|after) ((?:19|20)\d\d)\b(?!\S*\d)"
)
_CLOCK_AFTER = re.compile(r"\s*(?:[ap]\.?m\b|o'clock)", re.IGNORECASE)

Perturbation = tuple[str, str, int, int, str]  # (kind, article id, start, end, replacement)


def _window(text: str, start: int, end: int) -> set[str]:
    terms = set(light_terms(text[max(0, start - 60) : start]))
    terms |= set(light_terms(text[end : end + 60]))
    return {t for t in terms if not t[:1].isdigit()}


def _numbers(text: str) -> list[tuple[float, int, int, str]]:
    """(value, start, end, replacement) for each quantity a trial may change."""
    out = []
    in_dates = [m.span() for m in _MONTHDAY_RE.finditer(text)]
    for m in _DIGITS_RE.finditer(text):
        if any(s <= m.start() < e for s, e in in_dates):
            continue
        before = text[max(0, m.start() - 20) : m.start()]
        if _IDENTIFIER_BEFORE.search(before) and not re.search(r"[$£€]$", before):
            continue
        whole = m.group(1).replace(",", "")
        value = float(f"{whole}.{m.group(2)}") if m.group(2) else float(whole)
        if (not m.group(2) and "," not in m.group(1) and 1900 <= value <= 2100) or value < 2:
            continue  # years are dates; "1" is too often not a quantity
        if _CLOCK_AFTER.match(text, m.end()):
            continue
        new = value * 2 + 3
        if m.group(2):
            rep = f"{new:.{len(m.group(2))}f}"
        else:
            rep = f"{int(new):,}" if "," in m.group(1) else str(int(new))
        out.append((value, m.start(), m.end(), rep))
    for m in _WORDS_RE.finditer(text):
        value = float(_WORD_NUMS.index(m.group(1).lower()) + 2)
        new = int(value * 2 + 3)
        rep = _WORD_NUMS[new - 2] if new <= 20 else str(new)
        if m.group(1)[:1].isupper():
            rep = rep[:1].upper() + rep[1:]
        out.append((value, m.start(), m.end(), rep))
    return out


def _dates(text: str) -> list[tuple[str, int, int, str]]:
    """(value key, start, end, replacement) for each date a trial may change."""
    out = []
    for m in _DAY_RE.finditer(text):
        new = _WEEKDAYS[(_WEEKDAYS.index(m.group(1)) + 3) % 7]
        out.append((m.group(1), m.start(1), m.end(1), new))
    for m in _MONTHDAY_RE.finditer(text):
        day = int(m.group(2))
        if not 1 <= day <= 31:
            continue
        new_day = day + 3 if day <= 25 else day - 3
        out.append((f"{m.group(1)} {day}", m.start(2), m.end(2), str(new_day)))
    for m in _YEAR_RE.finditer(text):
        out.append((m.group(1), m.start(1), m.end(1), str(int(m.group(1)) + 3)))
    return out


def _stated_elsewhere(
    docs: StoryArticles,
    art: Article,
    start: int,
    end: int,
    others: dict[str, list[tuple[int, int]]],
) -> bool:
    """Another outlet's article states the same value (spans in ``others``) with two content
    words in common around it: the same fact, not the same number about something else."""
    mine = _window(art.text, start, end)
    for other in docs.articles:
        if other.source == art.source or other.id == art.id:
            continue
        for s, e in others.get(other.id, []):
            if len(mine & _window(other.text, s, e)) >= 2:
                return True
    return False


def perturbations(docs: StoryArticles) -> list[Perturbation]:
    """Changes of facts (quantities, dates, roles) that another outlet also states."""
    nums = {a.id: _numbers(a.text) for a in docs.articles}
    dates = {a.id: _dates(a.text) for a in docs.articles}
    roles = {a.id: list(_ROLE_RE.finditer(a.text)) for a in docs.articles}
    out: list[Perturbation] = []
    for art in docs.articles:
        for value, s, e, rep in nums[art.id]:
            same = {k: [(s2, e2) for v, s2, e2, _ in n if v == value] for k, n in nums.items()}
            if _stated_elsewhere(docs, art, s, e, same):
                out.append(("quantity", art.id, s, e, rep))
        for key, s, e, rep in dates[art.id]:
            same = {k: [(s2, e2) for v, s2, e2, _ in d if v == key] for k, d in dates.items()}
            if _stated_elsewhere(docs, art, s, e, same):
                out.append(("date", art.id, s, e, rep))
        for m in roles[art.id]:
            if re.search(r"(?:former|ex-|then-|late|acting)\s*$", art.text[: m.start()]):
                continue  # past titles are not compared (one may hold many in a career)
            same = {
                k: [rm.span() for rm in r if rm.group(3) == m.group(3)] for k, r in roles.items()
            }
            if _stated_elsewhere(docs, art, *m.span(), same):
                out.append(("role", art.id, m.start(1), m.end(1), _ROLE_SWAP[m.group(1)]))
    return out


def _apply(docs: StoryArticles, p: tuple[str, str, int, int, str]) -> StoryArticles:
    _, aid, s, e, new = p
    arts = tuple(
        dataclasses.replace(a, text=a.text[:s] + new + a.text[e:]) if a.id == aid else a
        for a in docs.articles
    )
    return StoryArticles(docs.story, arts)


def _sig(d: dict[str, Any]) -> tuple[str, str, frozenset[str]]:
    return (d["kind"], d["subject"], frozenset(v["normalised"] for v in d["values"]))


def _hits(d: dict[str, Any], aid: str, s: int, new: str) -> bool:
    for v in d["values"]:
        for ev in v["evidence"]:
            if ev["article_id"] == aid and ev["start"] <= s < ev["end"] + len(new):
                return True
    return False


def _hard(story: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in story.get("discrepancies") or [] if d["kind"] != "vague"]


_REPORTED_KIND = {"quantity": "number", "date": "date", "role": "role"}


def bench_discrepancies(
    stories: list[StoryArticles], embed: bool, cli: Cli = console
) -> dict[str, object]:
    """Trials drawn from ``stories``, run through ``presslens compare`` (by ``cli``), scored."""
    rng = random.Random(SEED)
    # The trials are drawn first (the draws never depend on a result), then every unchanged
    # story and every changed one go through one `presslens compare` call.
    trials: list[tuple[int, StoryArticles, Perturbation | None]] = []
    for position, docs in enumerate(stories):
        cands = perturbations(docs)
        for _ in range(TRIALS_PER_STORY):
            if rng.random() < 0.5 or not cands:
                trials.append((position, docs, None))
                continue
            types = sorted({c[0] for c in cands})
            kind = rng.choice(types)
            trials.append((position, docs, rng.choice([c for c in cands if c[0] == kind])))
    runs: list[Trial] = [(f"base:{d.story.id}", d.articles) for d in stories]
    runs += [
        (f"t{k}:{docs.story.id}", _apply(docs, p).articles)
        for k, (_pos, docs, p) in enumerate(trials)
        if p is not None
    ]
    out, _seconds = run_compare(runs, embed=embed, cli=cli)
    base = {d.story.id: out[f"base:{d.story.id}"] for d in stories}
    tp = fn = fp_new = 0
    changed = unchanged = unchanged_alarm = unchanged_reported = 0
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    # Per reported kind: [changed facts reported with this kind, other new reports].
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    # Per half of the stories (even / odd position), to tune on one and confirm on the other:
    # [changed facts reported, changed, other new reports, unchanged trials, with an alarm].
    halves = {"even": [0, 0, 0, 0, 0], "odd": [0, 0, 0, 0, 0]}
    for k, (position, docs, p) in enumerate(trials):
        half = halves["odd" if position % 2 else "even"]
        if p is None:
            unchanged += 1
            hard = _hard(base[docs.story.id])
            unchanged_reported += len(hard)
            unchanged_alarm += bool(hard)
            half[3] += 1
            half[4] += bool(hard)
            continue
        kind = p[0]
        changed += 1
        old = {_sig(d) for d in base[docs.story.id].get("discrepancies") or []}
        new = [d for d in _hard(out[f"t{k}:{docs.story.id}"]) if _sig(d) not in old]
        hit = [d for d in new if _hits(d, p[1], p[2], p[4])]
        by_type[kind][1] += 1
        for d in new:
            by_kind[d["kind"]][0 if hit and d is hit[0] else 1] += 1
        half[1] += 1
        half[2] += len(new) - min(1, len(hit))
        if hit:
            tp += 1
            half[0] += 1
            by_type[kind][0] += 1
        else:
            fn += 1
            art = next(a for a in docs.articles if a.id == p[1])
            missed.append(f"{kind}: {art.text[max(0, p[2] - 60) : p[3] + 40]!r} -> {p[4]}")
        fp_new += len(new) - min(1, len(hit))
    precision = tp / (tp + fp_new) if tp + fp_new else 0.0
    strict = tp / (tp + fp_new + unchanged_reported) if tp + fp_new + unchanged_reported else 0.0
    found = []
    for docs in stories:
        for d in base[docs.story.id].get("discrepancies") or []:
            found.append(
                {
                    "story": docs.story.id,
                    "kind": d["kind"],
                    "subject": d["subject"],
                    "values": [
                        {
                            "value": v["value"],
                            "articles": v["article_ids"],
                            "evidence": v["evidence"][0]["text"][:160],
                        }
                        for v in d["values"]
                    ],
                }
            )
    per_kind = {}
    for t, (a, b) in sorted(by_type.items()):
        kname = _REPORTED_KIND[t]
        good, bad = by_kind.get(kname, [0, 0])
        per_kind[kname] = {
            "recall": f"{a}/{b} = {a / b:.3f}" if b else "0/0",
            "precision": f"{good}/{good + bad} = {good / (good + bad):.3f}" if good + bad else "-",
        }
    return {
        "trials_changed": changed,
        "trials_unchanged": unchanged,
        "precision_new": round(precision, 3),
        "precision_strict": round(strict, 3),
        "recall": round(tp / changed, 3) if changed else 0.0,
        "per_kind": per_kind,
        "false_alarm_rate_unchanged": round(unchanged_alarm / unchanged, 3) if unchanged else 0.0,
        "halves": {
            name: {
                "recall": round(h[0] / h[1], 3) if h[1] else 0.0,
                "precision_new": round(h[0] / (h[0] + h[2]), 3) if h[0] + h[2] else 0.0,
                "false_alarm_rate_unchanged": round(h[4] / h[3], 3) if h[3] else 0.0,
            }
            for name, h in halves.items()
        },
        "discrepancies_on_unchanged_stories": found,
        "missed_sample": missed[:40],
    }


def _reword(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    swaps = [i for i, w in enumerate(words) if w.lower().strip(",.") in _REWORD]
    for i in swaps[:2]:
        w = words[i]
        core = w.lower().strip(",.")
        words[i] = w.lower().replace(core, _REWORD[core])
    if not swaps and len(words) > 8:
        words.pop(rng.randrange(1, len(words) - 1))
    if words and words[0].lower() in {"but", "and", "so"}:
        words = words[1:]
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def bench_alignment(
    stories: list[StoryArticles], embed: bool, threshold: float, cli: Cli = console
) -> dict[str, object]:
    """Reworded copies injected into ``stories``, run through ``presslens compare`` (by
    ``cli``): precision and recall of their alignment with the sentence they copy."""
    rng = random.Random(SEED)
    from presslens.text.sentences import split_sentences

    # (story, source article, its sentence's start, the sentence, the target article, the
    # injected copy); every base story and every injected one run in one call.
    injections = []
    for docs in stories:
        src, dst = rng.sample(list(docs.articles), 2)
        spans = [(s, e) for s, e in split_sentences(src.text) if len(src.text[s:e].split()) >= 10]
        if not spans:
            continue
        s, e = rng.choice(spans)
        original = src.text[s:e]
        injected = _reword(original, rng)
        paras = [m.end() for m in re.finditer(r"\n\n", dst.text)] or [len(dst.text)]
        at = rng.choice(paras)
        new_text = dst.text[:at] + injected + "\n\n" + dst.text[at:]
        arts = tuple(
            dataclasses.replace(a, text=new_text) if a.id == dst.id else a for a in docs.articles
        )
        injections.append((docs, src.id, s, original, dst.id, injected, arts))
    runs: list[Trial] = [(f"base:{d.story.id}", d.articles) for d in stories]
    runs += [(f"inj:{inj[0].story.id}", inj[6]) for inj in injections]
    out, _seconds = run_compare(runs, embed=embed, settings={"align_threshold": threshold}, cli=cli)
    tp = fp = fn = 0
    for docs, src_id, s, original, dst_id, injected, _arts in injections:
        base = out[f"base:{docs.story.id}"]
        partners_of_original = {
            (r["article_id"], r["text"])
            for g in base.get("alignment") or []
            if any(r["article_id"] == src_id and r["start"] == s for r in g["sentences"])
            for r in g["sentences"]
        } | {(src_id, original)}
        found = False
        for g in out[f"inj:{docs.story.id}"].get("alignment") or []:
            refs = g["sentences"]
            if not any(r["article_id"] == dst_id and r["text"] == injected for r in refs):
                continue
            for r in refs:
                if r["article_id"] == dst_id and r["text"] == injected:
                    continue
                if (r["article_id"], r["text"]) in partners_of_original:
                    found = True
                    tp += 1
                else:
                    fp += 1
        fn += not found
    injected_n = len(stories)
    return {
        "injected": injected_n,
        "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
        "recall": round((injected_n - fn) / injected_n, 3) if injected_n else 0.0,
    }


def _variant(arts: list[Article], k: int, rng: random.Random, pool: list[Article]) -> Article:
    """A synthetic outlet's article: most sentences of one real article, lightly reworded,
    plus a paragraph from an unrelated story."""
    base = rng.choice(arts)
    paras = [p for p in base.text.split("\n\n") if p.strip()]
    keep = [(_reword(p, rng) if rng.random() < 0.5 else p) for p in paras if rng.random() < 0.7]
    other = rng.choice(pool)
    keep.append(other.text.split("\n\n")[0])
    return Article(id=f"{base.id}-v{k}", text="\n\n".join(keep), source=f"outlet{k}")


def bench_speed(stories: list[StoryArticles], embed: bool) -> list[dict[str, object]]:
    """Stories/s of `presslens compare` per story size, the command's start-up (imports,
    reading, the embedding model with --embed: timed on a two-sentence story) taken off;
    each time is the least of three runs.
    The sentence pairs are counted by the comparison itself in an untimed pass: they say what
    the time was spent on."""
    rng = random.Random(SEED)
    pool = [a for d in stories for a in d.articles]
    tiny = (
        Article(id="x", text="The council approved the budget on Monday.", source="one"),
        Article(id="y", text="The council approved its budget on Monday night.", source="two"),
    )
    # The machine is shared: each time is the least of REPEATS runs (the one least slowed).
    startup = min(run_compare([("tiny", tiny)], embed=embed)[1] for _ in range(REPEATS))
    rows = []
    for size in (3, 10, 50):
        built = []
        for docs in stories[:10]:
            arts = list(docs.articles)
            extra = [_variant(arts, k, rng, pool) for k in range(size - len(arts))]
            all_ = arts + extra
            built.append(
                StoryArticles(Story(docs.story.id, tuple(a.id for a in all_)), tuple(all_))
            )
        trials = [(d.story.id, d.articles) for d in built]
        seconds = min(run_compare(trials, embed=embed)[1] for _ in range(REPEATS))
        dt = max(seconds - startup, 1e-3)
        results = [compare(d, CompareConfig()) for d in built]
        rows.append(
            {
                "articles": size,
                "stories": len(built),
                "stories_per_s": round(len(built) / dt, 2),
                "command_seconds": round(seconds, 2),
                "startup_seconds": round(startup, 2),
                "sentences": sum(r.sentences for r in results),
                "candidate_pairs": sum(r.candidate_pairs for r in results),
                "all_pairs": sum(r.all_pairs for r in results),
                "ms_per_candidate_pair": round(
                    1000 * dt / max(1, sum(r.candidate_pairs for r in results)), 4
                ),
            }
        )
    return rows


def main() -> int:
    if not BASIL.is_dir():
        print(f"needs {BASIL}", file=sys.stderr)
        return 2
    # Optional arguments pick parts (discrepancies, alignment, speed) while developing; only a
    # full run writes the JSON results.  --embed runs the same trials with embeddings on.
    args = set(sys.argv[1:])
    use_embed = "--embed" in args
    every_part = {"discrepancies", "alignment", "speed"}
    parts = (args - {"--embed"}) or every_part
    stories = load()
    default_threshold = CompareConfig().align_threshold
    results: dict[str, object] = {"embed": use_embed}
    print(
        f"BASIL DEV: {len(stories)} stories, through `presslens compare`"
        + (" --embed" if use_embed else "")
    )
    if "discrepancies" in parts:
        disc = bench_discrepancies(stories, use_embed)
        results["discrepancies"] = disc
        print("\n(1) discrepancies (perturbation set)")
        for k in ("trials_changed", "trials_unchanged", "precision_new", "precision_strict",
                  "recall", "false_alarm_rate_unchanged"):  # fmt: skip
            print(f"  {k:28} {disc[k]}")
        for name, h in disc["halves"].items():  # type: ignore[attr-defined]
            print(f"  {name + ' stories':28} " + "  ".join(f"{k} {v}" for k, v in h.items()))
        for kind, pr in disc["per_kind"].items():  # type: ignore[attr-defined]
            print(f"  {kind:8} recall {pr['recall']:18} precision {pr['precision']}")
        found = disc["discrepancies_on_unchanged_stories"]
        print(f"  discrepancies on unchanged stories: {len(found)}")  # type: ignore[arg-type]
    if "alignment" in parts:
        sweep = {}
        for th in (0.3, 0.4, 0.5, 0.6, 0.7):
            sweep[th] = bench_alignment(stories, use_embed, th)
        results["alignment_sweep"] = sweep
        print("\n(2) alignment of injected reworded copies (threshold sweep)")
        print("  threshold  precision  recall")
        for th, r in sweep.items():
            mark = " <- default" if th == default_threshold else ""
            print(f"  {th:9}  {r['precision']:9}  {r['recall']:6}{mark}")
    if "speed" in parts:
        speed = bench_speed(stories, use_embed)
        results["speed"] = speed
        print(f"\n(3) speed (command start-up {speed[0]['startup_seconds']} s taken off)")
        print("  articles  stories/s  sentences  candidate_pairs  all_pairs  ms/candidate")
        for r in speed:
            cells = (r["stories_per_s"], r["sentences"], r["candidate_pairs"], r["all_pairs"])
            print(f"  {r['articles']:8}  " + "  ".join(f"{c:>9}" for c in cells), end="")
            print(f"  {r['ms_per_candidate_pair']}")
    if parts == every_part:
        out = OUT.with_name("compare_embed.json") if use_embed else OUT
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
        print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
