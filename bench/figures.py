"""Figure changes on BASIL DEV stories: does ``presslens compare`` report them?

The check of the figures issue, through the CLI as a user runs it:

* candidates: in one outlet's article, a whole number of 2-4 digits (not part of a larger
  number, a decimal, a clock time, a "Month D" date or a name such as "Amendment 64"; not a
  year 1900-2100) that another
  outlet's article of the story also states: the same number, with at least one content word
  in common within 60 characters either side (so that "12 Russian intelligence officers"
  meets "12 Russian officers", not any "12" of the other article);
* each story (sorted by id) gives two trials, drawn with ``random.Random(11).sample``; a trial
  replaces that one figure ``x`` by ``3x + 7`` in that article only;
* all trials and the unchanged stories run through ONE ``presslens compare`` call, each as a
  story of its own (the ``"story"`` field);
* a change is reported when a new hard discrepancy (not ``vague``, not among the unchanged
  story's) has the changed article's sentence among its evidence.  Other new hard
  discrepancies count against precision.

``--all`` also runs every candidate (not only two a story), a steadier figure; ``--ecbplus``
runs the same check on the ECB+ DEV stories (a set nothing was tuned on; an article without
an outlet counts as an outlet of its own).  Each figure is
given for the even and the odd stories (sorted position), to tune on one half and confirm on
the other.  The alternative in the same run: sentences of two outlets whose words (numbers
aside) are at least half the same, reported when a number of one is missing from the other.

Run: .venv/bin/python bench/figures.py [--all] [--ecbplus]
     (writes out/bench/figures.json, or figures_ecbplus.json)
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

from compare_cli import run_compare
from presslens.model import Article, Story, StoryArticles
from presslens.text.words import FUNCTION_WORDS, light_terms
from product import Cli, console

REPO = Path(__file__).resolve().parents[1]
BASIL = REPO.parent / "shared" / "benchdata" / "clustering" / "basil"
ECBPLUS = BASIL.parent / "ecbplus"
OUT = REPO / "out" / "bench" / "figures.json"
SEED = 11
PER_STORY = 2
# Characters either side of a figure in which the two outlets must share a content word.
REACH = 60
# The alternative's bar: share of the two sentences' words (Jaccard, numbers aside).
BASELINE_JACCARD = 0.5

# A whole number: "134-to-63" gives both, "800,000", "5.7" and "10:30" give none.
_FIGURE = re.compile(r"(?<![\w.,/:$])\d{2,4}(?![\w]|[.,:/]\d)")
_MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s$"
)
_CLOCK_AFTER = re.compile(r"\s*(?:[ap]\.?m\b|o'clock)", re.IGNORECASE)
# "Amendment 64", "Flight 93": a number after a capitalised word (not "The", "About") names
# something; it is not a figure.
_NAME_BEFORE = re.compile(r"\b([A-Z][a-z]+)\.?\s$")

Candidate = tuple[str, int, int]  # (article id, start, end)


def load(folder: Path = BASIL) -> list[StoryArticles]:
    """The stories of a clustering set (BASIL or ECB+ DEV), sorted by story id; an article
    without an outlet (most of ECB+) is an outlet of its own."""
    arts = {}
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        arts[r["id"]] = Article(
            id=r["id"], text=r["text"], source=r["source"] or r["id"], title=r["title"],
            published=r["published"],
        )  # fmt: skip
    stories: dict[str, list[Article]] = defaultdict(list)
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        stories[g["story"]].append(arts[g["id"]])
    return [
        StoryArticles(Story(sid, tuple(a.id for a in arts_)), tuple(arts_))
        for sid, arts_ in sorted(stories.items())
    ]


def figures(text: str) -> list[tuple[str, int, int]]:
    """(digits, start, end) of each figure a trial may change."""
    out = []
    for m in _FIGURE.finditer(text):
        value = int(m.group())
        if len(m.group()) == 4 and 1900 <= value <= 2100:
            continue
        if _MONTH_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if _CLOCK_AFTER.match(text, m.end()):
            continue
        name = _NAME_BEFORE.search(text[max(0, m.start() - 20) : m.start()])
        if name and name.group(1).lower() not in FUNCTION_WORDS:
            continue
        out.append((m.group(), m.start(), m.end()))
    return out


def _window(text: str, start: int, end: int) -> set[str]:
    terms = set(light_terms(text[max(0, start - REACH) : start]))
    terms |= set(light_terms(text[end : end + REACH]))
    return {t for t in terms if not t[:1].isdigit()}


def candidates(docs: StoryArticles) -> list[Candidate]:
    """Figures that another outlet of the story also states near a shared word."""
    found = {a.id: figures(a.text) for a in docs.articles}
    out = []
    for art in docs.articles:
        for value, start, end in found[art.id]:
            mine = _window(art.text, start, end)
            if any(
                v == value and mine & _window(other.text, s, e)
                for other in docs.articles
                if other.source != art.source
                for v, s, e in found[other.id]
            ):
                out.append((art.id, start, end))
    return out


def _changed(docs: StoryArticles, c: Candidate) -> tuple[tuple[Article, ...], str]:
    aid, start, end = c
    new = ""
    arts = []
    for a in docs.articles:
        if a.id == aid:
            new = str(3 * int(a.text[start:end]) + 7)
            a = dataclasses.replace(a, text=a.text[:start] + new + a.text[end:])
        arts.append(a)
    return tuple(arts), new


def _sig(d: dict[str, Any]) -> tuple[str, str, frozenset[str]]:
    return (d["kind"], d["subject"], frozenset(v["normalised"] for v in d["values"]))


def _hard(story: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in story.get("discrepancies") or [] if d["kind"] != "vague"]


def _hits(d: dict[str, Any], aid: str, start: int) -> bool:
    return any(
        ev["article_id"] == aid and ev["start"] <= start < ev["end"]
        for v in d["values"]
        for ev in v["evidence"]
    )


_SENT = re.compile(r"[^.!?\n]+[.!?]?")
_WORD = re.compile(r"[A-Za-z][\w'-]*")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def _baseline_reports(arts: tuple[Article, ...]) -> set[tuple[str, int]]:
    """(article id, sentence start) of sentences the alternative flags: a sentence of another
    outlet has at least half the same words and does not give one of its numbers."""
    sents = []
    for a in arts:
        for m in _SENT.finditer(a.text):
            words = {w.lower() for w in _WORD.findall(m.group())}
            nums = set(_NUMBER.findall(m.group()))
            if words and nums:
                sents.append((a, m.start(), words, nums))
    out = set()
    for a, start, words, nums in sents:
        for b, _s, words2, nums2 in sents:
            if b.source == a.source:
                continue
            if len(words & words2) / len(words | words2) >= BASELINE_JACCARD and nums - nums2:
                out.add((a.id, start))
    return out


def _baseline_hit(arts: tuple[Article, ...], aid: str, start: int) -> bool:
    art = next(a for a in arts if a.id == aid)
    for m in _SENT.finditer(art.text):
        if m.start() <= start < m.end():
            return (aid, m.start()) in _baseline_reports(arts)
    return False


def measure(
    stories: list[StoryArticles], every: bool = False, cli: Cli = console
) -> dict[str, Any]:
    """The trials of ``stories`` (two a story; every candidate too when ``every``) and the
    unchanged stories through one ``presslens compare`` call (run by ``cli``), scored: per
    set ("sampled", "every") and half ("all", "even", "odd") the changes reported, the
    trials, the other new hard reports and the alternative's reports."""
    rng = random.Random(SEED)
    trials: list[tuple[str, int, StoryArticles, Candidate, bool]] = []
    for position, docs in enumerate(stories):
        cands = candidates(docs)
        picked = rng.sample(cands, min(PER_STORY, len(cands)))
        for c in cands if every else picked:
            trials.append((docs.story.id, position, docs, c, c in picked))
    runs: list[tuple[str, tuple[Article, ...]]] = [
        (f"base:{d.story.id}", d.articles) for d in stories
    ]
    changed = []
    for k, (_sid, _pos, docs, c, _picked) in enumerate(trials):
        arts, new = _changed(docs, c)
        runs.append((f"t{k}:{docs.story.id}", arts))
        changed.append((arts, new))
    out, seconds = run_compare(runs, cli=cli)

    # Per set (sampled / every candidate) and half: [reported, trials, other new reports,
    # alternative reported].
    tally: dict[str, dict[str, list[int]]] = {
        s: {h: [0, 0, 0, 0] for h in ("all", "even", "odd")} for s in ("sampled", "every")
    }
    missed = []
    for k, (sid, position, _docs, c, picked) in enumerate(trials):
        arts, new = changed[k]
        old = {_sig(d) for d in out[f"base:{sid}"].get("discrepancies") or []}
        fresh = [d for d in _hard(out[f"t{k}:{sid}"]) if _sig(d) not in old]
        hit = any(_hits(d, c[0], c[1]) for d in fresh)
        alt = _baseline_hit(arts, c[0], c[1])
        for name in ("sampled", "every") if picked else ("every",):
            for half in ("all", "odd" if position % 2 else "even"):
                row = tally[name][half]
                row[0] += hit
                row[1] += 1
                row[2] += len(fresh) - hit
                row[3] += alt
        if not hit and picked:
            text = next(a.text for a in arts if a.id == c[0])
            end = c[1] + len(new)
            missed.append(f"{sid[:8]} {c[0]}: …{text[max(0, c[1] - 80) : end + 60]!r}")
    alarms = {"all": [0, 0], "even": [0, 0], "odd": [0, 0]}
    alt_alarms = {"all": [0, 0], "even": [0, 0], "odd": [0, 0]}
    for position, docs in enumerate(stories):
        hard = bool(_hard(out[f"base:{docs.story.id}"]))
        alt = bool(_baseline_reports(docs.articles))
        for half in ("all", "odd" if position % 2 else "even"):
            alarms[half][0] += hard
            alarms[half][1] += 1
            alt_alarms[half][0] += alt
            alt_alarms[half][1] += 1

    results: dict[str, Any] = {"seconds": round(seconds, 1), "trials": len(trials)}
    for name, halves in tally.items():
        if name == "every" and not every:
            continue
        results[name] = {}
        for half, (hit, n, other, alt) in halves.items():
            results[name][half] = {
                "recall": round(hit / n, 3) if n else 0.0,
                "reported": hit,
                "trials": n,
                "other_new": other,
                "precision_new": round(hit / (hit + other), 3) if hit + other else 0.0,
                "alternative_recall": round(alt / n, 3) if n else 0.0,
                "alternative_reported": alt,
            }
    results["stories_with_hard_discrepancy_unchanged"] = {
        h: round(a / n, 3) for h, (a, n) in alarms.items()
    }
    results["alternative_stories_flagged_unchanged"] = {
        h: round(a / n, 3) for h, (a, n) in alt_alarms.items()
    }
    results["unchanged_alarms"] = {"presslens": alarms, "alternative": alt_alarms}
    results["missed_sampled"] = missed
    return results


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.3f}" if b else "0/0"


def main() -> int:
    if not BASIL.is_dir():
        print(f"needs {BASIL}", file=sys.stderr)
        return 2
    every = "--all" in sys.argv[1:]
    ecbplus = "--ecbplus" in sys.argv[1:]
    stories = load(ECBPLUS if ecbplus else BASIL)
    results = measure(stories, every)
    print(f"{'ECB+' if ecbplus else 'BASIL'} DEV: {len(stories)} stories, {results['trials']} "
          f"trials, one `presslens compare` call ({results['seconds']:.1f} s)")  # fmt: skip
    print(f"{'set':8} {'half':5} {'presslens recall':>20} {'precision of new':>20} "
          f"{'alternative recall':>20}")  # fmt: skip
    for name in ("sampled", "every"):
        for half, r in results.get(name, {}).items():
            hit, n, other = r["reported"], r["trials"], r["other_new"]
            print(f"{name:8} {half:5} {_ratio(hit, n):>20} {_ratio(hit, hit + other):>20} "
                  f"{_ratio(r['alternative_reported'], n):>20}")  # fmt: skip
    alarms, alt_alarms = (results["unchanged_alarms"][k] for k in ("presslens", "alternative"))
    ours = ", ".join(f"{h} {_ratio(a, n)}" for h, (a, n) in alarms.items())
    theirs = ", ".join(f"{h} {_ratio(a, n)}" for h, (a, n) in alt_alarms.items())
    print(f"unchanged stories with a hard discrepancy: presslens {ours}; alternative {theirs}")
    out_path = OUT.with_name("figures_ecbplus.json") if ecbplus else OUT
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written {out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
