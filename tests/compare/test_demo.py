"""Golden checks on the bundled demo corpus (examples/demo + tests/data/demo_expected.json)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from presslens.compare.core import compare
from presslens.config import Config
from presslens.model import Article, Story, StoryArticles
from presslens.text.words import FUNCTION_WORDS


def _ref(art: Article, demo: Path) -> list[str]:
    origin = re.sub(r"#entry-\d+$", "", art.origin)
    refs = [art.id]
    if art.url:
        refs.append(art.url)
    if origin:
        refs.append(Path(origin).resolve().relative_to(demo.resolve()).as_posix())
    return refs


@pytest.fixture(scope="module")
def demo(
    repo_dir: Path, demo_dir: Path
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Article]]:
    expected_path = repo_dir / "tests" / "data" / "demo_expected.json"
    if not expected_path.is_file() or not demo_dir.is_dir():
        pytest.skip("demo corpus or tests/data/demo_expected.json not present")
    from presslens.ingest import read_inputs
    from presslens.pipeline import registered

    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    cfg = Config()
    arts = [a for a in read_inputs([demo_dir], cfg.ingest) if isinstance(a, Article)]
    if "clean" not in registered():
        pytest.skip("needs the clean stage to turn the demo's HTML into text")
    cleaned = [
        a for a in registered()["clean"].from_config(cfg).run(arts) if isinstance(a, Article)
    ]
    by_ref: dict[str, Article] = {}
    for art in cleaned:
        for r in _ref(art, demo_dir):
            if r in expected["articles"]:
                by_ref[r] = art
    assert len(by_ref) == len(expected["articles"])
    members: dict[str, list[Article]] = defaultdict(list)
    for r, meta in expected["articles"].items():
        members[meta["story"]].append(by_ref[r])
    stories = {
        sid: compare(StoryArticles(Story(sid, tuple(a.id for a in arts_)), tuple(arts_))).story
        for sid, arts_ in members.items()
    }
    return expected, stories, by_ref


def test_demo_conflicts_are_found(demo: Any) -> None:
    expected, stories, by_ref = demo
    conflicts = [d for d in expected["discrepancies"] if d["kind"] == "conflict"]
    assert conflicts
    for exp in conflicts:
        found = stories[exp["story"]].discrepancies
        ok = False
        for d in found:
            if d.kind == "vague":
                continue
            evidence = {(e.article_id, e.text) for v in d.values for e in v.evidence}
            covered = {
                v["ref"]
                for v in exp["values"]
                if any(aid == by_ref[v["ref"]].id and v["text"] in t for aid, t in evidence)
            }
            values = {v["value"] for v in exp["values"] if v["ref"] in covered}
            ok = ok or len(values) > 1
        assert ok, exp["what"]


def test_demo_scare_quotes(demo: Any) -> None:
    expected, stories, by_ref = demo
    marked: set[tuple[str, str]] = set()
    for story in stories.values():
        for f in story.framing:
            marked.update((d.article_id, d.term) for d in f.distancing)
    for exp in expected["scare_quotes"]:
        term = re.search(r"[‘“\"]([^’”\"]+)[’”\"]", exp["text"])
        assert term is not None
        assert (by_ref[exp["ref"]].id, term.group(1)) in marked, exp


def test_demo_attribution_verbs(demo: Any) -> None:
    expected, stories, by_ref = demo
    verbs: dict[str, dict[str, int]] = {}
    for story in stories.values():
        for f in story.framing:
            for aid in f.article_ids:
                verbs[aid] = dict(f.verbs)
    lemma = {"insists": "insisted", "claims": "claimed", "admits": "admitted"}
    for exp in expected["attribution_verbs"]:
        v = lemma.get(exp["verb"], exp["verb"])
        assert verbs[by_ref[exp["ref"]].id].get(v, 0) >= 1, exp


def test_demo_unique(demo: Any) -> None:
    expected, stories, by_ref = demo
    for exp in expected["unique"]:
        aid = by_ref[exp["ref"]].id
        unique = stories[exp["story"]].unique
        texts = " ".join(s.text for u in unique if u.article_id == aid for s in u.sentences)
        assert exp["absent_from_other_articles"] in texts, exp["what"]
        others = " ".join(s.text for u in unique if u.article_id != aid for s in u.sentences)
        assert exp["absent_from_other_articles"] not in others


def test_demo_vague_against_precise_is_a_soft_discrepancy(demo: Any) -> None:
    expected, stories, by_ref = demo
    softs = [d for d in expected["discrepancies"] if d["kind"] == "vague_vs_precise"]
    assert len(softs) == 3
    for exp in softs:
        found = [d for d in stories[exp["story"]].discrepancies if d.kind == "vague"]
        ok = False
        for d in found:
            evidence = {(e.article_id, e.text) for v in d.values for e in v.evidence}
            given = {
                (v["qualifier"] == "exact", v["value"])
                for v in exp["values"]
                if any(aid == by_ref[v["ref"]].id and v["text"] in t for aid, t in evidence)
            }
            # Both sides must be there: a precise or differently hedged figure and the
            # vague or hedged one.
            ok = ok or len(given) > 1
        assert ok, exp["what"]


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower().replace("’", "'")))


def test_demo_loaded_terms_reach_framing(demo: Any) -> None:
    expected, stories, by_ref = demo
    by_article: dict[str, set[str]] = defaultdict(set)
    for story in stories.values():
        for f in story.framing:
            for aid in f.article_ids:
                by_article[aid].update(_norm(t.term) for t in f.terms)
                by_article[aid].update(_norm(d.term) for d in f.distancing)
                by_article[aid].update(_norm(t.term) for t in f.loaded)
    for exp in expected["loaded_terms"]:
        want = _norm(exp["term"])
        terms = by_article[by_ref[exp["ref"]].id]
        assert any(t and (t in want or want in t) for t in terms), exp["term"]


def test_demo_loaded_terms_have_neutral_counterparts(demo: Any) -> None:
    expected, stories, by_ref = demo
    neutral: dict[tuple[str, str], str | None] = {}
    for story in stories.values():
        for f in story.framing:
            for t in f.loaded:
                neutral[(t.article_id, _norm(t.term))] = t.neutral
    rioters = next(e for e in expected["loaded_terms"] if e["term"] == "rioters")
    assert neutral[(by_ref[rioters["ref"]].id, "rioters")] == "protesters"


def test_demo_quoted_words_are_not_the_outlets_loaded_terms(demo: Any) -> None:
    expected, stories, by_ref = demo
    for exp in expected["not_loaded"]:
        aid = by_ref[exp["ref"]].id
        words = set(_norm(exp["term"]).split()) - FUNCTION_WORDS
        for story in stories.values():
            for f in story.framing:
                for t in f.loaded:
                    if t.article_id == aid:
                        assert not words & set(_norm(t.term).split()), (exp, t)
