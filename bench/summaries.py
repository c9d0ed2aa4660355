"""Brief quality and speed: ROUGE against reference summaries, beside LexRank and Lead.

    .venv/bin/python bench/summaries.py [--limit N] [--sets multinews,neus] [--fresh]
                                        [--half even|odd]

Reads ../shared/benchdata/summarization/{multinews,neus}/stories.jsonl.  presslens is run as a
user runs it: ``presslens summarize IN.jsonl -o OUT.jsonl`` (a subprocess, default settings)
on the story records ``{"story", "articles": [{"id", "title", "text"}], "words": N}`` with
each article as the data gives it (a NeuS headline in its ``title`` field, not in the text)
and N the reference's whitespace word count.  Where the set has headlines, a second run gives
presslens the same stories with each headline put on top of its article's text instead
("headline in text").  Every system is cut to the reference's word count (benchdata README,
"Summaries").  LexRank is sumy's, over the concatenated articles, split into sentences by
presslens's splitter (sumy's own needs NLTK data that is not installed).  Lead is the
concatenated articles from the start.  LexRank and Lead read NeuS headlines on top of their
article's text: they have no other place for them.  ROUGE is rouge-score with Porter
stemming, F1 averaged over stories, ROUGE-Lsum with one sentence a line.

Citation faithfulness: the share of brief sentences whose every cited article has one sentence
(its headline counts as one) holding at least half of the brief sentence's (rouge-score,
stemmed) tokens; a check independent of the summarizer's own citation rule.

presslens's speed is stories over the wall time of the whole command (process start, reading,
briefs, timelines, writing).  LexRank's output and time per story are cached under out/cache/
keyed by the data file's hash (it takes most of the run and does not change while presslens is
tuned); ``--fresh`` recomputes them.  ``--half`` scores only the even- or odd-numbered stories
of each set (their position in the data file, counted from 0): tune on one half, confirm on
the other.  Writes out/bench/summaries.json (summaries_even.json / summaries_odd.json for a
half).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer, tokenizers
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

# the sentence splitter and tokenizer give LexRank the same sentences presslens reads (sumy's
# own need NLTK data); nothing of presslens's brief is called here
from presslens.text.sentences import split_sentences
from presslens.text.words import words
from product import Cli, console, presslens

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "benchdata" / "summarization"
OUT = REPO / "out" / "bench" / "summaries.json"
CACHE = REPO / "out" / "cache"
METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")
#: a cited article "contains" a brief sentence when one of its sentences holds this share of
#: the brief sentence's tokens (a fixed, deliberately simple check; not tuned)
FAITHFUL_RECALL = 0.5


class SplitterTokenizer:
    """sumy's tokenizer interface over presslens's sentence splitter."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph[s:e] for s, e in split_sentences(paragraph)]

    def to_words(self, sentence: str) -> list[str]:
        return words(sentence)


def sentences_of(text: str) -> list[str]:
    return [" ".join(text[s:e].split()) for s, e in split_sentences(text)]


def cut(lines: Sequence[str], words: int) -> str:
    """The first ``words`` whitespace words of ``lines``, one sentence a line."""
    out: list[str] = []
    left = words
    for line in lines:
        if left <= 0:
            break
        ws = line.split()
        out.append(" ".join(ws[:left]))
        left -= len(ws)
    return "\n".join(out)


def lead(texts: Sequence[str], words: int) -> list[str]:
    lines: list[str] = []
    for text in texts:
        lines.extend(sentences_of(text))
    return lines


def make_lexrank() -> Callable[[Sequence[str], int], list[str]]:
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tok = SplitterTokenizer()

    def run(texts: Sequence[str], words: int) -> list[str]:
        doc = PlaintextParser.from_string("\n\n".join(texts), tok).document
        total = len(doc.sentences)
        count = 1
        while True:
            picked = [str(s) for s in summarizer(doc, count)]
            if sum(len(p.split()) for p in picked) >= words or count >= total:
                return [" ".join(p.split()) for p in picked]
            count += 1

    return run


def with_title(record: dict[str, Any]) -> str:
    """The article text with its headline on top, as a paragraph (as LexRank and Lead read it).

    The issue's LexRank figure on NeuS (0.438) is reproduced only with the headlines in the
    text (0.415 without).
    """
    title = record.get("title")
    return f"{title}\n\n{record['text']}" if title else str(record["text"])


def load(name: str, limit: int | None, half: str | None = None) -> tuple[list[dict[str, Any]], str]:
    """The set's stories (the first ``limit``; of those the even- or odd-numbered ones when
    ``half`` is "even" or "odd") and the SHA-256 of its data file."""
    path = DATA / name / "stories.jsonl"
    raw = path.read_bytes()
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line]
    rows = rows[:limit] if limit else rows
    if half is not None:
        rows = rows[(0 if half == "even" else 1) :: 2]
    return rows, hashlib.sha256(raw).hexdigest()


def story_record(row: dict[str, Any], headline_in_text: bool) -> dict[str, Any]:
    """The input line of one story for ``presslens summarize``, with the reference's budget."""
    articles = []
    for a in row["articles"]:
        if headline_in_text:
            articles.append({"id": a["id"], "text": with_title(a)})
        else:
            articles.append({k: a[k] for k in ("id", "title", "text") if a.get(k) is not None})
    return {"story": row["story"], "articles": articles, "words": len(row["reference"].split())}


def presslens_summarize(
    rows: Sequence[dict[str, Any]], headline_in_text: bool, cli: Cli = console
) -> tuple[dict[str, list[dict[str, Any]]], float]:
    """Each story's brief from ``presslens summarize`` (defaults, run by ``cli``), and the
    command's wall time."""
    with tempfile.TemporaryDirectory(prefix="presslens-bench-") as tmp:
        src, dst = Path(tmp) / "stories.jsonl", Path(tmp) / "briefs.jsonl"
        src.write_text(
            "".join(json.dumps(story_record(r, headline_in_text)) + "\n" for r in rows),
            encoding="utf-8",
        )
        t0 = time.perf_counter()
        presslens(["brief", str(src), "-o", str(dst), "--quiet"], cli)
        seconds = time.perf_counter() - t0
        out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    return {o["story"]: o["brief"] for o in out}, seconds


class Cached:
    """A system run on each story, with its time; its output is kept in ``path`` between runs."""

    def __init__(
        self, system: Callable[[Sequence[str], int], list[str]], path: Path, fresh: bool = False
    ) -> None:
        self.system = system
        self.path = path
        self.entries: dict[str, Any] = {}
        if not fresh and path.exists():
            self.entries = json.loads(path.read_text(encoding="utf-8"))
        self.hits = 0

    def run(self, story: str, texts: Sequence[str], words: int) -> tuple[list[str], float]:
        key = f"{story}:{words}"
        hit = self.entries.get(key)
        if hit is not None:
            self.hits += 1
            return list(hit["lines"]), float(hit["seconds"])
        t0 = time.perf_counter()
        lines = self.system(texts, words)
        seconds = time.perf_counter() - t0
        self.entries[key] = {"lines": lines, "seconds": seconds}
        return lines, seconds

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.entries) + "\n", encoding="utf-8")


def faithful(articles: Sequence[dict[str, Any]], text: str, cites: Sequence[str], tok: Any) -> bool:
    """Every cited article has a sentence (or its headline) holding half the sentence's tokens."""
    want = set(tok.tokenize(text))
    if not want:
        return True
    by_id = {a["id"]: a for a in articles}
    for aid in cites:
        art = by_id.get(aid)
        if art is None:
            return False
        own = sentences_of(art["text"]) + ([art["title"]] if art.get("title") else [])
        if not any(len(want & set(tok.tokenize(s))) / len(want) >= FAITHFUL_RECALL for s in own):
            return False
    return True


def rouge(scorer: Any, row: dict[str, Any], lines: Sequence[str]) -> dict[str, float]:
    """ROUGE F1 of a system's sentences for one story, cut to the reference's word count."""
    reference = "\n".join(sentences_of(row["reference"]))
    scores = scorer.score(reference, cut(lines, len(row["reference"].split())))
    return {m: scores[m].fmeasure for m in METRICS}


def brief_lines(brief: Sequence[dict[str, Any]]) -> list[str]:
    """A brief's sentences, one a line, as ROUGE reads them."""
    return [" ".join(b["text"].split()) for b in brief]


def run_set(
    name: str, limit: int | None, fresh: bool = False, half: str | None = None
) -> dict[str, Any]:
    rows, digest = load(name, limit, half)
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    tok = tokenizers.DefaultTokenizer(use_stemmer=True)
    has_titles = any(a.get("title") for r in rows for a in r["articles"])
    briefs: dict[str, dict[str, list[dict[str, Any]]]] = {}
    seconds: dict[str, float] = {}
    briefs["presslens"], seconds["presslens"] = presslens_summarize(rows, False)
    if has_titles:
        briefs["presslens, headline in text"], seconds["presslens, headline in text"] = (
            presslens_summarize(rows, True)
        )
    lexrank = Cached(make_lexrank(), CACHE / f"summaries_lexrank_{name}_{digest[:16]}.json", fresh)
    systems = [*briefs, "lexrank", "lead"]
    sums: dict[str, dict[str, float]] = {s: dict.fromkeys(METRICS, 0.0) for s in systems}
    seconds.update(lexrank=0.0, lead=0.0)
    words_out: dict[str, int] = dict.fromkeys(systems, 0)
    brief_sentences = faithful_sentences = headlines = 0
    supports: list[int] = []
    for row in rows:
        texts = [with_title(a) for a in row["articles"]]
        ref_words = len(row["reference"].split())
        outputs: dict[str, list[str]] = {
            sname: brief_lines(got[row["story"]]) for sname, got in briefs.items()
        }
        outputs["lexrank"], spent = lexrank.run(row["story"], texts, ref_words)
        seconds["lexrank"] += spent
        t0 = time.perf_counter()
        outputs["lead"] = lead(texts, ref_words)
        seconds["lead"] += time.perf_counter() - t0
        for sname, lines in outputs.items():
            words_out[sname] += len(cut(lines, ref_words).split())
            for m, value in rouge(scorer, row, lines).items():
                sums[sname][m] += value
        for b in briefs["presslens"][row["story"]]:
            brief_sentences += 1
            headlines += b.get("located_in") == "title"
            supports.append(b["support"])
            faithful_sentences += faithful(row["articles"], b["text"], b["cites"], tok)
    lexrank.save()
    n = len(rows)
    return {
        "stories": n,
        "lexrank_cached": lexrank.hits,
        "rouge": {s: {m: round(v / n, 4) for m, v in ms.items()} for s, ms in sums.items()},
        "stories_per_s": {s: round(n / seconds[s], 2) if seconds[s] else None for s in systems},
        "mean_words": {s: round(words_out[s] / n, 1) for s in systems},
        "citation_faithfulness": round(faithful_sentences / brief_sentences, 4)
        if brief_sentences
        else None,
        "brief_sentences": brief_sentences,
        "headline_sentences": headlines,
        "mean_support": round(sum(supports) / len(supports), 3) if supports else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N stories of each set")
    ap.add_argument("--sets", default="multinews,neus")
    ap.add_argument("--fresh", action="store_true", help="recompute the cached LexRank outputs")
    ap.add_argument(
        "--half", choices=("even", "odd"), default=None, help="only even/odd-numbered stories"
    )
    args = ap.parse_args()
    results: dict[str, Any] = {
        "split": "DEV",
        "half": args.half,
        "faithful_recall": FAITHFUL_RECALL,
        "sets": {},
    }
    for name in args.sets.split(","):
        res = run_set(name, args.limit, args.fresh, args.half)
        results["sets"][name] = res
        label = f"DEV {args.half} half" if args.half else "DEV"
        cached = res["lexrank_cached"]
        print(f"\n{name} {label} ({res['stories']} stories, LexRank cached: {cached})")
        print(f"{'system':<28} " + " ".join(f"{m:>9}" for m in METRICS) + "  stories/s  words")
        for sname, ms in res["rouge"].items():
            print(
                f"{sname:<28} "
                + " ".join(f"{ms[m]:>9.4f}" for m in METRICS)
                + f"  {res['stories_per_s'][sname]:>9}  {res['mean_words'][sname]:>5}"
            )
        print(
            f"citation faithfulness {res['citation_faithfulness']} over "
            f"{res['brief_sentences']} brief sentences ({res['headline_sentences']} headlines); "
            f"mean support {res['mean_support']}"
        )
    # a half's figures go beside the full run's, never over them
    out = OUT.with_name(f"summaries_{args.half}.json") if args.half else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
