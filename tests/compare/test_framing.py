"""Framing: log-odds terms, distancing, attribution verbs, voices."""

from __future__ import annotations

from collections import Counter

from presslens.compare.core import compare
from presslens.compare.framing import log_odds
from presslens.config import CompareConfig
from presslens.model import Article, Quote

from .conftest import MakeStory


def test_log_odds_z_sign_and_symmetry() -> None:
    counts = {
        "a": Counter({"regime": 8, "government": 1, "said": 10}),
        "b": Counter({"regime": 1, "government": 8, "said": 10}),
    }
    z = log_odds(counts, prior_strength=50.0)
    assert z["a"]["regime"][0] > 1.0 > z["a"]["government"][0]
    assert abs(z["a"]["said"][0]) < 0.5
    assert abs(z["a"]["regime"][0] + z["b"]["regime"][0]) < 1e-9
    assert log_odds({"a": Counter()}, prior_strength=1.0) == {"a": {}}


def test_distancing_verbs_and_light_voices(make_story: MakeStory) -> None:
    a = Article(
        id="a",
        source="partisan",
        text=(
            "The so-called reform plan was pushed through by the alleged reformers. "
            "Union bosses claimed the ‘negotiations’ were a sham. "
            "“We will not back down,” insisted union leader Rolf Stennet."
        ),
    )
    b = Article(
        id="b",
        source="neutral",
        text=(
            "The reform plan passed on Tuesday. Union leaders said the negotiations failed. "
            "“We will not back down,” said union leader Rolf Stennet, a docker for 20 years. "
            "“The economy is hurting,” said Professor Ann Lee, an economist."
        ),
    )
    framing = {f.source: f for f in compare(make_story(a, b)).story.framing or ()}
    marks = {(d.marker, d.term) for d in framing["partisan"].distancing}
    assert ("so-called", "reform plan") in marks
    assert ("alleged", "reformers") in marks
    assert ("scare quotes", "negotiations") in marks
    assert not framing["neutral"].distancing
    assert framing["partisan"].verbs.get("claimed") == 1
    assert framing["partisan"].verbs.get("insisted") == 1
    assert "claimed" not in framing["neutral"].verbs
    assert framing["neutral"].voices.analyst == 1
    assert "Rolf Stennet" in framing["neutral"].voices.speakers


def test_voices_use_story_quotes_when_present(make_story: MakeStory) -> None:
    import dataclasses

    text = "“Calm down,” said a government spokesman. “It is bad,” said analyst Jo Park."
    a = Article(id="a", text=text, source="x")
    b = Article(id="b", text="Nothing quoted here at all today.", source="y")
    docs = make_story(a, b)
    start = text.index("Jo Park")
    quote = Quote(
        text="It is bad", start=text.index("It is bad"), end=text.index("It is bad") + 9,
        speaker="Jo Park", speaker_start=start, speaker_end=start + 7,
        speaker_canonical="Jo Park", cue="said", kind="direct", article_id="a",
    )  # fmt: skip
    docs = dataclasses.replace(docs, story=dataclasses.replace(docs.story, quotes=(quote,)))
    framing = {f.source: f for f in compare(docs).story.framing or ()}
    assert framing["x"].voices.speakers == ("Jo Park",)
    assert framing["x"].voices.analyst == 1 and framing["x"].voices.named == 1
    assert framing["y"].voices.speakers == ()


def test_loaded_terms_outside_quotes_with_neutral_counterpart(make_story: MakeStory) -> None:
    a = Article(
        id="a",
        source="x",
        text="Rioters blocked the gate. “They were a mob of angry men,” said one driver.",
    )
    b = Article(id="b", source="y", text="Protesters blocked the gate of the terminal on Tuesday.")
    story = compare(make_story(a, b)).story
    loaded = {f.source: f.loaded for f in story.framing or ()}
    assert [(t.term, t.neutral) for t in loaded["x"]] == [("Rioters", "protesters")]
    assert loaded["y"] == ()


def test_bylines_date_lines_and_datelines_are_not_framing_terms(make_story: MakeStory) -> None:
    body = (
        "Dockers stayed on strike at the port for a third day as talks stalled.\n\n"
        "The union said the pension plan would cut what members receive.\n\n"
    )
    header = "By Kaja Dornfeld\nMeridian Wire | 29 March 2024, 17:05 GMT\n\n"
    wire = [
        Article(
            id=f"w{k}",
            source="wire",
            text=header
            + f"SALTMERE (Meridian) - Ships waited in the bay on day {k}.\n\n"
            + body
            + "Ships waited in the bay as losses mounted.",
        )
        for k in (1, 2)
    ]
    paper = Article(
        id="p",
        source="paper",
        text=body + "Militant union bosses held the economy to ransom as rioters clashed.",
    )
    # every term that leans toward the wire at all, so that a byline would show
    config = CompareConfig(framing_min_z=0.0, framing_top=50)
    story = compare(make_story(*wire, paper), config).story
    terms = {t.term for f in story.framing or () if f.source == "wire" for t in f.terms}
    assert "ships" in terms
    assert not terms & {"kaja", "dornfeld", "kaja dornfeld", "meridian", "gmt", "saltmere"}
