"""The extractive cited brief."""

from __future__ import annotations

import random
import time

import pytest

from presslens.brief.extractive import (
    build_matrix,
    cite,
    consensus,
    extract_brief,
    headline_span,
    relative_position,
    source_agreement,
)
from presslens.config import BriefParams
from presslens.model import Article, BriefSentence
from presslens.text.words import content_terms

FLOOD = [
    "Heavy rain flooded the river town of Aldmoor on Monday, forcing 2,000 residents to leave.",
    "Mayor Ines Carvalho said the water rose faster than in any flood since 1998.",
    "Rescue teams used boats to reach families trapped on the upper floors of their homes.",
    "The regional government promised emergency funds of 40 million euros for the repairs.",
    "Forecasters expect more rain over the weekend, and the river may rise again.",
]


def _words(brief: tuple[BriefSentence, ...]) -> int:
    return sum(len(s.text.split()) for s in brief)


def _carries(article: Article, text: str) -> bool:
    want = set(content_terms(text))
    return any(
        len(want & set(content_terms(s))) >= 0.5 * len(want)
        for s in article.text.replace("\n", " ").split(". ")
    )


def test_seed_brief_respects_the_budget_and_cites_correctly(seed_articles: list[Article]) -> None:
    brief = extract_brief(seed_articles, 80)
    assert brief
    assert _words(brief) <= 80
    ids = {a.id for a in seed_articles}
    by_id = {a.id: a for a in seed_articles}
    for s in brief:
        assert s.article_id in s.cites
        assert set(s.cites) <= ids
        assert s.support == len(s.cites)  # two outlets, no syndication: each is its own source
        assert s.start is not None and s.end is not None
        assert s.end > s.start
        for aid in s.cites:
            assert _carries(by_id[aid], s.text), (aid, s.text)


def test_information_carried_by_both_outlets_cites_both() -> None:
    a = Article(id="a", text=" ".join(FLOOD), published="2024-03-04")
    b = Article(
        id="b",
        text=FLOOD[0] + " Officials in the capital were not available for comment on Tuesday.",
        published="2024-03-04",
    )
    brief = extract_brief([a, b], 200)
    shared = [s for s in brief if s.text == FLOOD[0]]
    assert shared and shared[0].cites == ("a", "b") and shared[0].support == 2
    only_a = [s for s in brief if s.text == FLOOD[3]]
    assert only_a and only_a[0].cites == ("a",) and only_a[0].support == 1


def test_syndicated_copies_count_as_one_independent_source() -> None:
    text = " ".join(FLOOD)
    arts = [
        Article(id="wire", text=text, syndication_group="g1"),
        Article(id="copy", text=text + " Local reporting contributed.", syndication_group="g1"),
        Article(id="own", text=FLOOD[0] + " Our reporter saw the water rise."),
    ]
    brief = extract_brief(arts, 200)
    first = next(s for s in brief if s.text == FLOOD[0])
    assert set(first.cites) == {"wire", "copy", "own"}
    assert first.support == 2


def test_duplicate_articles_are_cited_together_and_not_repeated() -> None:
    text = " ".join(FLOOD)
    arts = [Article(id="x", text=text), Article(id="y", text=text)]
    brief = extract_brief(arts, 300)
    texts = [s.text for s in brief]
    assert texts and len(texts) == len(set(texts))
    assert all(s.cites == ("x", "y") and s.support == 1 for s in brief)


def test_budget_smaller_than_any_sentence_gives_one_sentence() -> None:
    brief = extract_brief([Article(id="a", text=" ".join(FLOOD))], 3)
    assert len(brief) == 1
    assert brief[0].text in FLOOD


def test_redundant_sentences_are_not_both_chosen() -> None:
    paraphrase = (
        "Heavy rain flooded the river town of Aldmoor on Monday, forcing 2,000 people to leave."
    )
    arts = [
        Article(id="a", text=" ".join(FLOOD)),
        Article(id="b", text=paraphrase + " " + FLOOD[2]),
    ]
    texts = [s.text for s in extract_brief(arts, 500)]
    assert (FLOOD[0] in texts) != (paraphrase in texts)  # one of the two, not both


def test_order_is_chronological_then_by_position() -> None:
    early = Article(
        id="early",
        text="The dam at Brennfeld cracked after three days of storms, engineers reported.",
        published="2024-03-01",
    )
    late = Article(
        id="late",
        text=(
            "Engineers began emergency repairs on the cracked Brennfeld dam on Friday morning. "
            "The repairs to the Brennfeld dam are expected to last for several weeks of work."
        ),
        published="2024-03-05",
    )
    brief = extract_brief([late, early], 200)
    assert [s.article_id for s in brief] == ["early", "late", "late"]
    assert brief[1].start is not None and brief[2].start is not None
    assert brief[1].start < brief[2].start


def test_out_of_context_openings_are_repaired_in_the_brief() -> None:
    # the site furniture between the sentences never enters a brief, so the sentences that
    # follow it lose their context there
    text = (
        "Rescue chief Maria Olsen said the flood barriers in the harbour held overnight. "
        "Follow us on social media for live updates. "
        "She added that no injuries had been reported in the harbour district so far. "
        "Subscribe to our newsletter for more stories. "
        "Earlier, the coast guard closed every port on the western shore of the island."
    )
    brief = extract_brief([Article(id="a", text=text)], 200)
    texts = [s.text for s in brief]
    assert "The coast guard closed every port on the western shore of the island." in texts
    assert "Olsen added that no injuries had been reported in the harbour district so far." in (
        texts
    )
    repaired = {s.repair for s in brief if s.repair}
    assert {"connective", "pronoun"} <= repaired


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["   \n\n  "],
        ["Breaking News"],
        ["Breaking News", ""],
        ["ok."],
    ],
)
def test_stories_without_sentences_give_an_empty_or_tiny_brief(texts: list[str]) -> None:
    arts = [Article(id=f"a{i}", text=t) for i, t in enumerate(texts)]
    brief = extract_brief(arts, 150)
    assert len(brief) <= 1
    for s in brief:
        assert s.cites


def test_single_article_story() -> None:
    brief = extract_brief([Article(id="only", text=" ".join(FLOOD))], 40)
    assert brief and _words(brief) <= 40
    assert all(s.cites == ("only",) and s.support == 1 for s in brief)


def test_fifty_articles_story_is_fast_and_sound() -> None:
    rng = random.Random(7)
    pool = [*FLOOD] + [
        f"Volunteers in district {n} filled {n * 40} sandbags before the second wave arrived."
        for n in range(1, 30)
    ]
    arts = [
        Article(id=f"a{i:02d}", text=" ".join(rng.sample(pool, 8)), source=f"outlet{i % 9}")
        for i in range(50)
    ]
    t0 = time.perf_counter()
    brief = extract_brief(arts, 150)
    elapsed = time.perf_counter() - t0
    assert elapsed < 10
    assert brief and _words(brief) <= 150
    assert max(s.support for s in brief) > 5


def test_cite_threshold_controls_what_counts_as_carrying() -> None:
    a = Article(id="a", text=FLOOD[0])
    b = Article(id="b", text="Heavy rain fell on Monday in the capital, far from any river.")
    matrix = build_matrix([a, b])
    strict, _ = cite(matrix, FLOOD[0], BriefParams(cite_threshold=0.9))
    loose, _ = cite(matrix, FLOOD[0], BriefParams(cite_threshold=0.1, cite_wording=0.1))
    wording, _ = cite(matrix, FLOOD[0], BriefParams(cite_threshold=0.1, cite_wording=0.9))
    assert strict == ("a",)
    assert loose == ("a", "b")
    assert wording == ("a",)


def test_consensus_favours_what_other_sources_also_report() -> None:
    shared = "Heavy rain flooded the river town of Aldmoor on Monday, forcing residents to leave."
    own = "A local bakery handed out free bread to volunteers filling sandbags near the bridge."
    arts = [
        Article(id="a", text=f"{shared} {own}"),
        Article(id="b", text="The river town of Aldmoor flooded on Monday after heavy rain."),
        Article(id="c", text="Residents of Aldmoor were forced to leave when the river flooded."),
    ]
    matrix = build_matrix(arts)
    score = consensus(matrix)
    index = {c.text: i for i, c in enumerate(matrix.candidates)}
    assert score[index[shared]] > 0.5 > score[index[own]]
    assert all(0.0 <= v <= 1.0 for v in score)
    # one source has no one to agree with
    assert not consensus(build_matrix([arts[0]])).any()


def test_source_agreement_favours_the_outlet_sharing_most_with_the_others() -> None:
    arts = [
        Article(id="a", text=" ".join(FLOOD[:3])),
        Article(id="b", text=" ".join(FLOOD[:2]) + " " + FLOOD[3]),
        Article(
            id="c",
            text="A columnist argues that building on the river plain was a mistake. "
            "Aldmoor grew fast in the nineties and planners ignored the old maps.",
        ),
    ]
    matrix = build_matrix(arts)
    score = source_agreement(matrix)
    by_article = {matrix.candidates[r].article: score[r] for r in range(len(matrix.candidates))}
    for rows in matrix.by_article.values():
        assert len({float(score[r]) for r in rows}) == 1  # one value per source
    assert by_article[0] > by_article[2] and by_article[1] > by_article[2]
    assert all(0.0 <= v <= 1.0 + 1e-9 for v in score)
    # syndicated copies are one source, which has no one else to agree with
    wire = [Article(id=f"w{k}", text=" ".join(FLOOD), syndication_group="g") for k in range(3)]
    assert not source_agreement(build_matrix(wire)).any()
    assert not source_agreement(build_matrix([arts[0]])).any()


def test_relative_position_falls_from_the_first_sentence_to_the_last() -> None:
    arts = [Article(id="a", text=" ".join(FLOOD)), Article(id="b", text=" ".join(FLOOD[:2]))]
    matrix = build_matrix(arts)
    prior = relative_position(matrix)
    for rows in matrix.by_article.values():
        values = [float(prior[r]) for r in rows]
        assert values[0] == 1.0
        assert values == sorted(values, reverse=True)
        assert all(0.0 < v <= 1.0 for v in values)
    # the second sentence of a five-sentence article is nearer its top than of a two-sentence one
    assert prior[matrix.by_article[0][1]] > prior[matrix.by_article[1][1]]


def test_trimmed_attribution_is_marked_and_still_cited_by_its_source() -> None:
    claim = "Forty people died in the floods near the capital over the weekend"
    arts = [
        Article(id="a", text=f"{claim}, officials said Monday. " + " ".join(FLOOD[1:3])),
        Article(id="b", text=f"{claim}, according to the ministry. " + FLOOD[3]),
    ]
    brief = extract_brief(arts, 200, BriefParams(trim_attribution=True))
    trimmed = [s for s in brief if s.text == claim + "."]
    assert trimmed and trimmed[0].repair == "attribution"
    assert trimmed[0].cites == ("a", "b")
    kept = extract_brief(arts, 200)  # the default keeps who made the claim
    assert not any(s.text == claim + "." for s in kept)
    assert any(s.text.startswith(claim + ",") for s in kept)


def test_unquoted_first_person_opinion_and_reader_furniture_are_not_brief_sentences() -> None:
    matrix = build_matrix(
        [
            Article(
                id="a",
                text="I never personally experienced any inappropriate behaviour at the club. "
                "Here's what you need to know about the vote and the count tonight. "
                "The club board voted on Tuesday to expel its former chairman. "
                "The league must now stop this kind of abuse for good at every club. "
                "The board said the chairman must repay the money he took from the club. "
                "“We will appeal the decision,” the chairman's lawyer said on Tuesday.",
            )
        ]
    )
    eligible = {c.text for c in matrix.candidates if c.eligible}
    assert "The club board voted on Tuesday to expel its former chairman." in eligible
    # first person inside quotation marks is someone's quoted words, with a speaker
    assert any(t.startswith("“We will appeal") for t in eligible)
    assert not any(t.startswith(("I never", "Here's")) for t in eligible)
    # an opinion nobody is said to hold is the outlet's own; a reported one is news
    assert not any(t.startswith("The league must") for t in eligible)
    assert any(t.startswith("The board said the chairman must") for t in eligible)


# Two outlets' invented accounts of one event, each with a headline in its title field.
HEADLINED = [
    Article(
        id="north",
        title="Flood forces 2,000 residents out of Aldmoor",
        text=" ".join(FLOOD[1:4]),
        published="2024-03-04",
    ),
    Article(
        id="south",
        title="Aldmoor flood forces 2,000 residents from their homes.",
        text=" ".join(FLOOD[2:]),
        published="2024-03-04",
    ),
]


def test_a_headline_in_the_title_field_is_a_cited_brief_sentence_located_in_the_title() -> None:
    brief = extract_brief(HEADLINED, 60)
    heads = [s for s in brief if s.located_in == "title"]
    assert len(heads) == 1  # the two headlines repeat each other: one is chosen
    head = heads[0]
    art = next(a for a in HEADLINED if a.id == head.article_id)
    assert art.title is not None and head.start is not None and head.end is not None
    # the offsets index the title; an unterminated headline gains its full stop
    assert head.text.rstrip(".") == art.title[head.start : head.end].rstrip(".")
    assert head.text.endswith(".")
    assert head.repair == ("period" if not art.title.endswith(".") else None)
    # each outlet's headline carries it, so both are cited
    assert set(head.cites) == {"north", "south"} and head.support == 2
    for s in brief:
        if s.located_in == "text":
            src = next(a for a in HEADLINED if a.id == s.article_id)
            assert s.start is not None and s.end is not None
            assert src.text[s.start : s.end].rstrip(".") in s.text


def test_a_headline_atop_the_text_is_read_once_whether_or_not_the_title_repeats_it() -> None:
    body = " ".join(FLOOD[1:])
    title = "Flood forces 2,000 residents out of Aldmoor"
    pasted = Article(id="a", text=f"{title}\n\n{body}", title=title)
    field = Article(id="a", text=body, title=title)
    for art in (pasted, field):
        matrix = build_matrix([art])
        heads = [c for c in matrix.candidates if normalise(c.text) == normalise(title + ".")]
        assert len(heads) == 1, art
        assert heads[0].eligible and heads[0].index == 0
    assert build_matrix([pasted]).candidates[0].located_in == "text"
    assert build_matrix([field]).candidates[0].located_in == "title"
    # the body's first sentence is the article's lead either way
    for art in (pasted, field):
        assert [c.prose_index for c in build_matrix([art]).candidates[:2]] == [0, 0]


def test_a_later_repeat_of_the_headline_is_not_a_brief_sentence() -> None:
    title = "Flood forces 2,000 residents out of Aldmoor"
    art = Article(id="a", text=" ".join(FLOOD[1:3]) + f"\n\n{title}.\n\n" + FLOOD[3], title=title)
    matrix = build_matrix([art])
    repeats = [c for c in matrix.candidates if c.located_in == "text" and c.text == title + "."]
    assert len(repeats) == 1 and not repeats[0].eligible
    assert matrix.candidates[0].located_in == "title" and matrix.candidates[0].eligible


HEAD = "Flood closes the Tess bridge"
SITE = "harbourherald.example"


@pytest.mark.parametrize(
    ("title", "source", "headline"),
    [
        (f"{HEAD} | Harbour Herald", None, HEAD),
        (f"Harbour Herald | Local | {HEAD}", None, HEAD),
        (f"{HEAD} – Harbour Herald", SITE, HEAD),
        (f"HarbourHerald - {HEAD}", SITE, HEAD),
        # a dash that does not name the site is the headline's own
        ("Bridge stays shut — for now", SITE, "Bridge stays shut — for now"),
        (f"{HEAD} – Harbour Herald", None, f"{HEAD} – Harbour Herald"),
        (f"  {HEAD}  ", None, HEAD),
        (" | ", None, ""),
        ("", None, ""),
    ],
)
def test_the_headline_of_a_page_title_leaves_the_site_name_out(
    title: str, source: str | None, headline: str
) -> None:
    start, end = headline_span(title, source)
    assert title[start:end] == headline


def test_a_headline_with_its_site_name_is_read_without_it() -> None:
    title = "Flood forces 2,000 residents out of Aldmoor | Harbour Herald"
    art = Article(id="a", text=" ".join(FLOOD[1:]), title=title, source="harbourherald.example")
    head = build_matrix([art]).candidates[0]
    assert head.located_in == "title"
    assert title[head.start : head.end] == "Flood forces 2,000 residents out of Aldmoor"
    assert head.text == "Flood forces 2,000 residents out of Aldmoor."


def normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def test_each_cited_article_carries_its_own_evidence_headlines_included() -> None:
    x = Article("x", " ".join(FLOOD[:3]), published="2024-03-05")
    y = Article(
        "y",
        "The regional government promised emergency funds. Rescue teams used boats again.",
        title="Heavy rain floods Aldmoor on Monday, forcing 2,000 residents to leave",
        published="2024-03-05",
    )
    brief = extract_brief([x, y], 60)
    first = next(b for b in brief if b.text.startswith("Heavy rain"))
    assert set(first.cites) == {"x", "y"}
    shown = {e.article_id: e for e in first.evidence}
    assert shown["x"].located_in == "text" and shown["x"].text == first.text
    assert shown["y"].located_in == "title"
    # evidence offsets index the field they name
    assert x.text[shown["x"].start : shown["x"].end] == shown["x"].text
    assert (y.title or "")[shown["y"].start : shown["y"].end] in shown["y"].text
