"""The quality gate: a small slice of each DEV benchmark, run as a user runs presslens, must
stay at or above the floors pinned in floors.toml (beside this file).

Each check reads its slice of ../shared/benchdata, compares the slice's SHA-256 with the one
pinned (a changed slice is reported, never silently compared with floors measured on other
data), runs the product with the shipped defaults (the ``presslens`` commands through
``presslens.cli.main`` in this process, or the public API) and scores the result with the
scoring functions of the bench scripts (bench/), which follow "How the figures in the issues
are scored" of the benchdata README.  A figure under its floor (or over its ceiling) fails
with the figure, the floor and the slice.

Run it alone with ``.venv/bin/python -m pytest tests/quality -q``; leave it out while
iterating with ``-m "not quality"``.  The checks skip, naming what is missing, when
../shared is absent.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import sys
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import presslens
from presslens.cli import main as cli

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench"
FLOORS = Path(__file__).with_name("floors.toml")

pytestmark = pytest.mark.quality

Record = dict[str, Any]


@contextmanager
def _bench_on_path() -> Iterator[None]:
    """The bench folder importable for as long as a bench module loads (its scripts import
    their siblings by plain name)."""
    sys.path.insert(0, str(BENCH))
    try:
        yield
    finally:
        sys.path.remove(str(BENCH))


def bench(name: str) -> ModuleType:
    """The bench script ``bench/NAME.py`` as a module, under a name of its own (so that
    bench/compare.py never shadows the tests' ``compare`` package)."""
    key = f"presslens_bench_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    with _bench_on_path():
        spec.loader.exec_module(module)
    return module


def digest(*parts: Any) -> str:
    """SHA-256 of the parts as canonical JSON: the records a check feeds and scores against."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def need(path: Path) -> Path:
    """``path``; skips the check when it is absent."""
    if not path.is_file():
        pytest.skip(f"needs {path}")
    return path


def jsonl(path: Path) -> list[Record]:
    """The records of a JSON Lines file, gzip'd or not; skips the check when it is absent."""
    need(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(records: Sequence[Record], path: Path) -> Path:
    """``records`` as a JSON Lines file at ``path``."""
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


@dataclass(frozen=True)
class Slice:
    """What one check feeds the product and scores against, and its digest."""

    data: Any
    digest: str


# --- the slices and how each is measured --------------------------------------------------
# Each check: a function giving its slice of benchdata and one measuring it (figures by name).


def _cleaned(pages: Sequence[Record], tmp: Path) -> dict[str, str]:
    """Each page's text as the clean stage of ``analyze`` leaves it: the public API running
    the ``clean`` stage over the pages as HTML records.  (The bench reads the same texts out
    of a whole ``presslens.analyze`` report; the later stages never change an article's text
    and cost about eight times as much here.)"""
    records = [{"id": p["id"], "url": p.get("url"), "html": p["html"]} for p in pages]
    path = write_jsonl(records, tmp / "pages.jsonl")
    config = presslens.load_config()
    pipeline = presslens.Pipeline.of(config, ["clean"])
    result = presslens.run_pipeline(pipeline, config=config, paths=[path])
    return {a.id: a.text for a in result.articles}


def scrapinghub_slice(data: Path) -> Slice:
    """Every scrapinghub DEV page (91)."""
    d = data / "extraction" / "scrapinghub"
    pages, gold = jsonl(d / "pages.jsonl"), jsonl(d / "gold.jsonl")
    return Slice((pages, {g["id"]: g["text"] for g in gold}), digest(pages, gold))


def scrapinghub_measure(data: Any, tmp: Path) -> dict[str, float]:
    """Word 4-gram precision, recall and F1 of the cleaned texts."""
    pages, gold = data
    return dict(bench("extraction").token_scores(_cleaned(pages, tmp), gold))


def trafilatura_eval_slice(data: Path) -> Slice:
    """Every 20th trafilatura_eval DEV page in file order (50 of 990)."""
    d = data / "extraction" / "trafilatura_eval"
    pages = jsonl(d / "pages.jsonl.gz")[::20]
    wanted = {p["id"] for p in pages}
    gold = {g["id"]: g for g in jsonl(d / "gold.jsonl") if g["id"] in wanted}
    return Slice((pages, gold), digest(pages, gold))


def trafilatura_eval_measure(data: Any, tmp: Path) -> dict[str, float]:
    """Segment accuracy of the cleaned texts."""
    pages, gold = data
    return dict(bench("extraction").segment_scores(_cleaned(pages, tmp), pages, gold))


def _clustering_slice(data: Path, name: str) -> Slice:
    d = data / "clustering" / name
    articles, gold = jsonl(d / "articles.jsonl"), jsonl(d / "gold.jsonl")
    return Slice((articles, {g["id"]: g["story"] for g in gold}), digest(articles, gold))


def ecbplus_slice(data: Path) -> Slice:
    """Every ECB+ DEV article (535 in 46 stories)."""
    return _clustering_slice(data, "ecbplus")


def basil_slice(data: Path) -> Slice:
    """Every BASIL DEV article (150 in 50 stories)."""
    return _clustering_slice(data, "basil")


def clustering_measure(data: Any, tmp: Path) -> dict[str, float]:
    """B-cubed of the stories ``presslens cluster`` gives the articles, and of its threads
    read as stories."""
    clustering = bench("clustering")
    articles, gold = data
    out = clustering.cluster_cli(articles, cli=cli)
    p, r, f = clustering.bcubed({i: o["story"] for i, o in out.items()}, gold)
    threads = clustering.bcubed({i: o["thread"] for i, o in out.items()}, gold)
    return {"precision": p, "recall": r, "f1": f, "thread_f1": threads[2]}


def month_slice(data: Path) -> Slice:
    """The bench's ten draws of ten ECB+ DEV events in one month (five pairs of same-kind
    events, five outlets each, a third of the articles undated)."""
    articles, gold = _clustering_slice(data, "ecbplus").data
    draws = bench("clustering").month_sets(articles, gold, paired=True)
    return Slice(draws, digest(draws))


def month_measure(data: Any, tmp: Path) -> dict[str, float]:
    """Mean B-cubed F1 of ``presslens cluster`` over the draws."""
    clustering = bench("clustering")
    scores = []
    for articles, gold in data:
        out = clustering.cluster_cli(articles, cli=cli)
        scores.append(clustering.bcubed({i: o["story"] for i, o in out.items()}, gold)[2])
    return {"f1": sum(scores) / len(scores)}


def semeval_slice(data: Path) -> Slice:
    """Every SemEval DEV pair text (301), with the 129 pairs judged the same story (<= 1.5)
    or not (>= 3)."""
    need(data / "similarity" / "semeval" / "pairs.jsonl")
    texts, judged = bench("clustering").semeval()
    return Slice((texts, judged), digest(texts, judged))


def semeval_measure(data: Any, tmp: Path) -> dict[str, float]:
    """Share of the judged pairs ``presslens cluster`` puts on the right side."""
    clustering = bench("clustering")
    texts, judged = data
    story = {i: o["story"] for i, o in clustering.cluster_cli(texts, cli=cli).items()}
    same = {(a, b): story[a] == story[b] for a, b, _ in judged}
    return {"pair_accuracy": clustering.pair_accuracy(same, judged)}


def syndication_slice(data: Path) -> Slice:
    """Every other article of ECB+ and BASIL DEV (in the bench's order: 343 of 685) with
    the bench's four perturbed copies of each article of 80 words or more."""
    dev = [
        *jsonl(data / "clustering" / "ecbplus" / "articles.jsonl"),
        *jsonl(data / "clustering" / "basil" / "articles.jsonl"),
    ][::2]
    return Slice(dev, digest(dev))


def syndication_measure(data: Any, tmp: Path) -> dict[str, float]:
    """Pair precision and recall of ``presslens cluster``'s syndication groups."""
    syndication = bench("syndication")
    corpus, gold = syndication.perturbation_set(data)
    lines = syndication.run_cluster(corpus, cli=cli)
    return dict(syndication.syndication_scores(data, gold, lines))


def polnear_slice(data: Path) -> Slice:
    """Every 20th PolNeAR DEV article by sorted id (47 of 924) with its gold attributions."""
    d = data / "quotes" / "polnear"
    articles = sorted(jsonl(d / "articles.jsonl"), key=lambda a: str(a["id"]))[::20]
    wanted = {a["id"] for a in articles}
    gold = {g["id"]: g for g in jsonl(d / "gold.jsonl") if g["id"] in wanted}
    return Slice((articles, gold), digest(articles, gold))


def polnear_measure(data: Any, tmp: Path) -> dict[str, float]:
    """Content-span P/R/F1 and speaker accuracy of ``presslens quotes`` (each article its
    own story, as the command takes records without a story)."""
    quotes = bench("quotes")
    articles, gold = data
    src, out = write_jsonl(articles, tmp / "articles.jsonl"), tmp / "quotes.jsonl"
    assert cli(["quotes", str(src), "-o", str(out), "--quiet"]) == 0
    found = {r["id"]: r["quotes"] for r in jsonl(out)}
    preds = [[((q["start"], q["end"]), q["speaker"]) for q in found[a["id"]]] for a in articles]
    golds = [quotes.polnear_gold(gold[a["id"]]) for a in articles]
    scores = quotes.score(preds, golds)
    return {k: float(scores[k] or 0.0) for k in ("precision", "recall", "f1", "speaker_accuracy")}


def _basil_stories(data: Path, script: str, step: int = 1) -> Slice:
    """BASIL DEV's stories as the bench script ``script`` reads them (every ``step``-th, by
    sorted story id), digested as the records they were read from, so that a new field of
    the records in memory is no change of the slice."""
    d = data / "clustering" / "basil"
    raw = {r["id"]: r for r in jsonl(d / "articles.jsonl")}
    need(d / "gold.jsonl")
    stories: list[presslens.StoryArticles] = bench(script).load()[::step]
    read = [(s.story.id, [raw[a.id] for a in s.articles]) for s in stories]
    return Slice(stories, digest(read))


def discrepancies_slice(data: Path) -> Slice:
    """The even-numbered BASIL DEV stories (25 of 50, sorted by id), the bench's eight trials
    each."""
    return _basil_stories(data, "compare", 2)


def discrepancies_measure(data: Any, tmp: Path) -> dict[str, float]:
    """bench/compare.py's perturbation trials through ``presslens compare``."""
    found = bench("compare").bench_discrepancies(data, False, cli=cli)
    keys = ("precision_new", "recall", "false_alarm_rate_unchanged")
    return {k: float(found[k]) for k in keys}


def figures_slice(data: Path) -> Slice:
    """Every BASIL DEV story (50), the bench's two figure changes a story (34 trials)."""
    return _basil_stories(data, "figures")


def figures_measure(data: Any, tmp: Path) -> dict[str, float]:
    """bench/figures.py's figure changes through ``presslens compare``."""
    sampled = bench("figures").measure(data, cli=cli)["sampled"]["all"]
    return {"recall": float(sampled["recall"]), "precision_new": float(sampled["precision_new"])}


def alignment_slice(data: Path) -> Slice:
    """The even-numbered BASIL DEV stories (25), one reworded copy injected into each."""
    return _basil_stories(data, "compare", 2)


def alignment_measure(data: Any, tmp: Path) -> dict[str, float]:
    """bench/compare.py's injected copies through ``presslens compare`` (default threshold)."""
    threshold = presslens.load_config().compare.align_threshold
    found = bench("compare").bench_alignment(data, False, threshold, cli=cli)
    return {"precision": float(found["precision"]), "recall": float(found["recall"])}


def _summaries_slice(data: Path, name: str, step: int) -> Slice:
    path = data / "summarization" / name / "stories.jsonl"
    rows = jsonl(path)[::step]
    return Slice(rows, digest(rows))


def multinews_slice(data: Path) -> Slice:
    """The even-numbered Multi-News DEV stories (50 of 100)."""
    return _summaries_slice(data, "multinews", 2)


def neus_slice(data: Path) -> Slice:
    """Every third NeuS DEV story (103 of 307)."""
    return _summaries_slice(data, "neus", 3)


def briefs_measure(data: Any, tmp: Path) -> dict[str, float]:
    """ROUGE-1 and citation faithfulness of ``presslens summarize`` on the story records."""
    from rouge_score import rouge_scorer, tokenizers

    summaries = bench("summaries")
    briefs, _seconds = summaries.presslens_summarize(data, False, cli=cli)
    scorer = rouge_scorer.RougeScorer(list(summaries.METRICS), use_stemmer=True)
    tok = tokenizers.DefaultTokenizer(use_stemmer=True)
    rouge1 = sentences = faithful = 0.0
    for row in data:
        brief = briefs[row["story"]]
        rouge1 += summaries.rouge(scorer, row, summaries.brief_lines(brief))["rouge1"]
        for b in brief:
            sentences += 1
            faithful += summaries.faithful(row["articles"], b["text"], b["cites"], tok)
    return {
        "rouge1": rouge1 / len(data),
        "citation_faithfulness": faithful / sentences if sentences else 0.0,
    }


Check = tuple[Callable[[Path], Slice], Callable[[Any, Path], dict[str, float]]]

CHECKS: dict[str, Check] = {
    "extraction.scrapinghub": (scrapinghub_slice, scrapinghub_measure),
    "extraction.trafilatura_eval": (trafilatura_eval_slice, trafilatura_eval_measure),
    "clustering.ecbplus": (ecbplus_slice, clustering_measure),
    "clustering.basil": (basil_slice, clustering_measure),
    "clustering.month": (month_slice, month_measure),
    "clustering.semeval": (semeval_slice, semeval_measure),
    "syndication": (syndication_slice, syndication_measure),
    "quotes.polnear": (polnear_slice, polnear_measure),
    "discrepancies.basil": (discrepancies_slice, discrepancies_measure),
    "discrepancies.figures": (figures_slice, figures_measure),
    "alignment.basil": (alignment_slice, alignment_measure),
    "briefs.multinews": (multinews_slice, briefs_measure),
    "briefs.neus": (neus_slice, briefs_measure),
}


# --- the gate -----------------------------------------------------------------------------


def load_floors(path: Path = FLOORS) -> dict[str, dict[str, Any]]:
    """floors.toml as ``{check: {"digest", "floors", "ceilings"}}`` (dotted names flattened)."""
    with path.open("rb") as fh:
        doc = tomllib.load(fh)
    out: dict[str, dict[str, Any]] = {}

    def walk(prefix: str, table: dict[str, Any]) -> None:
        if "digest" in table:
            out[prefix] = table
            return
        for key, value in table.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{key}" if prefix else key, value)

    walk("", doc)
    return out


def shortfalls(name: str, figures: dict[str, float], pinned: dict[str, Any]) -> list[str]:
    """One line per figure under its floor or over its ceiling, naming figure and bound; a
    bound on a figure the check does not measure is a shortfall too (it would guard nothing)."""
    out = []
    for kind, holds in (("floor", float.__ge__), ("ceiling", float.__le__)):
        for metric, bound in pinned.get(f"{kind}s", {}).items():
            if metric not in figures:
                out.append(f"{name}: floors.toml sets a {kind} for {metric!r}, which it does "
                           f"not measure (it measures {', '.join(sorted(figures))})")  # fmt: skip
            elif not holds(float(figures[metric]), float(bound)):
                out.append(f"{name}: {metric} {figures[metric]:.4f} is "
                           f"{'under its floor' if kind == 'floor' else 'over its ceiling'} "
                           f"{float(bound):.4f}")  # fmt: skip
    return out


def test_every_check_has_floors_and_a_digest() -> None:
    pinned = load_floors()
    assert set(pinned) == set(CHECKS), "floors.toml and the gate's checks must name the same"
    for name, entry in pinned.items():
        assert len(str(entry["digest"])) == 64, name
        assert entry.get("floors") or entry.get("ceilings"), f"{name} guards no figure"


def test_a_figure_under_its_floor_is_reported_with_both() -> None:
    pinned = {"digest": "0" * 64, "floors": {"f1": 0.9}, "ceilings": {"false_alarms": 0.1}}
    assert shortfalls("x", {"f1": 0.95, "false_alarms": 0.05}, pinned) == []
    assert shortfalls("x", {"f1": 0.9, "false_alarms": 0.1}, pinned) == []
    low = shortfalls("x", {"f1": 0.85, "false_alarms": 0.2}, pinned)
    assert low == [
        "x: f1 0.8500 is under its floor 0.9000",
        "x: false_alarms 0.2000 is over its ceiling 0.1000",
    ]
    (unknown,) = shortfalls("x", {"precision": 1.0, "false_alarms": 0.0}, pinned)
    assert "'f1'" in unknown and "does not measure" in unknown


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CHECKS))
def test_quality_floor(name: str, benchdata_dir: Path, tmp_path: Path) -> None:
    pinned = load_floors()[name]
    make_slice, measure = CHECKS[name]
    got = make_slice(benchdata_dir)
    assert got.digest == pinned["digest"], (
        f"{name}: the slice's data changed (SHA-256 {got.digest}, floors.toml pins "
        f"{pinned['digest']}): measure the new slice and pin its digest and floors on purpose"
    )
    figures = measure(got.data, tmp_path)
    # shown by `make gate` (pytest -rP): the figures themselves, not only pass or fail
    print(f"{name}: " + ", ".join(f"{k} {v:.4f}" for k, v in sorted(figures.items())))
    problems = shortfalls(name, figures, pinned)
    slice_doc = (make_slice.__doc__ or "").strip()
    assert not problems, "\n".join([*problems, f"slice: {slice_doc}", f"measured: {figures}"])
