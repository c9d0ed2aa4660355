"""The clean stage: registration, article fields, skips, outlet learning across a batch."""

from __future__ import annotations

from presslens.clean import CleanStage, clean_articles, clean_text
from presslens.clean.stage import NO_HTML_TEXT, NO_TEXT_LEFT
from presslens.config import CleanConfig, load_config
from presslens.model import Article, Removed, Skip
from presslens.pipeline import Pipeline, registered
from presslens.report import reason_kind

BODY = (
    "The council met on Tuesday and agreed to rebuild the flood wall by the autumn, the mayor "
    "said after a meeting that lasted most of the afternoon."
)


def _clean(*articles: Article, config: CleanConfig | None = None) -> list[Article | Skip]:
    return list(clean_articles(articles, config or CleanConfig()))


def test_stage_is_registered_first_and_reads_the_clean_section() -> None:
    assert registered()["clean"] is CleanStage
    assert CleanStage.contract.scope == "corpus"
    assert "article.text" in CleanStage.contract.writes
    config = load_config(overrides={"clean": {"boilerplate_min_articles": 3}})
    stage = CleanStage.from_config(config)
    assert isinstance(stage, CleanStage)
    assert stage.config.boilerplate_min_articles == 3
    assert Pipeline.default(config).names[0] == "clean"


def test_plain_text_article_is_cleaned_and_accounted_for() -> None:
    raw = f"{BODY}\r\n\r\nShare this:\r\nAdvertisement\r\n\r\n{BODY}\u00a0"
    (out,) = _clean(Article("a", raw, title="Wall to be rebuilt", origin="a.txt"))
    assert isinstance(out, Article)
    assert out.cleaned and out.html is None
    assert out.text == f"{BODY}\n\n{BODY}"
    assert out.removed == (
        Removed("Share this:", "share buttons"),
        Removed("Advertisement", "advertisement"),
    )


def test_html_article_gets_text_metadata_and_one_summary_entry() -> None:
    paragraphs = "".join(f"<p>{BODY} Paragraph {n}.</p>" for n in range(4))
    html = (
        '<html><head><meta name="author" content="Ada Writer">'
        '<meta property="article:published_time" content="2024-03-14">'
        "<title>Wall to be rebuilt</title></head><body><nav>Home News Sport Weather</nav>"
        f"<article><h1>Wall to be rebuilt</h1>{paragraphs}</article></body></html>"
    )
    (out,) = _clean(Article("h", "", html=html, origin="h.html"))
    assert isinstance(out, Article)
    assert out.html is None and out.cleaned
    assert out.title == "Wall to be rebuilt"
    assert out.author == "Ada Writer"
    assert out.published == "2024-03-14"
    assert out.text.split("\n\n") == [f"{BODY} Paragraph {n}." for n in range(4)]
    summaries = [r for r in out.removed if r.reason == "html-extraction"]
    assert len(summaries) == 1
    assert summaries[0].line.startswith("<page furniture: ")
    assert "characters outside the main text>" in summaries[0].line


def test_metadata_already_known_is_not_overwritten() -> None:
    html = f"<html><head><title>Page title</title></head><body><p>{BODY}</p></body></html>"
    (out,) = _clean(Article("h", "", html=html, title="Reader title", author="Known"))
    assert isinstance(out, Article)
    assert (out.title, out.author) == ("Reader title", "Known")


def test_html_without_text_is_skipped_with_its_reason() -> None:
    html = "<html><body><script>only()</script></body></html>"
    (skip,) = _clean(Article("h", "", html=html, origin="empty.html"))
    assert isinstance(skip, Skip) and skip.path == "empty.html"
    # What trafilatura logged on the way is named after the reason, not printed.
    assert skip.reason.startswith(NO_HTML_TEXT)
    assert reason_kind(skip.reason) == NO_HTML_TEXT


def test_article_left_empty_is_skipped() -> None:
    out = _clean(
        Article("a", "Share this:\n\nLeave a Reply", origin="a.txt"),
        Article("b", "   \n\u200b\n", origin="b.txt"),
        Article("c", "Advertisement"),
    )
    assert out == [
        Skip("a.txt", NO_TEXT_LEFT),
        Skip("b.txt", NO_TEXT_LEFT),
        Skip("c", NO_TEXT_LEFT),
    ]


def test_a_breadcrumb_title_is_replaced_by_the_headline_line() -> None:
    text = f"Wall to be rebuilt by autumn\n\n{BODY}"
    (out,) = _clean(Article("a", text, title="News / Calder Vale"))
    assert isinstance(out, Article)
    assert out.title == "Wall to be rebuilt by autumn"
    assert out.text == BODY
    assert out.removed == (Removed("News / Calder Vale", "section breadcrumb"),)


def test_a_first_line_repeating_the_title_is_dropped_unless_it_is_all_there_is() -> None:
    (out,) = _clean(Article("a", f"Wall to be rebuilt\n\n{BODY}", title="Wall  to be rebuilt"))
    assert isinstance(out, Article) and out.text == BODY
    (only,) = _clean(Article("b", "Wall to be rebuilt.", title="Wall to be rebuilt."))
    assert isinstance(only, Article) and only.text == "Wall to be rebuilt."


def test_outlet_boilerplate_is_learned_from_the_whole_batch() -> None:
    footer = "Harbour Herald, 5 Quay Street"
    articles = [
        Article(f"h{n}", f"{BODY} Story {n}.\n\n{footer}", source="harbour-herald")
        for n in range(3)
    ]
    loner = Article("x", f"{BODY}\n\n{footer}")
    out = _clean(*articles, loner)
    # Articles come out in input order; the one without a source learns nothing.
    assert [a.id for a in out if isinstance(a, Article)] == ["h0", "h1", "h2", "x"]
    by_id = {a.id: a for a in out if isinstance(a, Article)}
    assert by_id["x"].text.endswith(footer)
    for n in range(3):
        assert by_id[f"h{n}"].text == f"{BODY} Story {n}."
        assert by_id[f"h{n}"].removed == (
            Removed(footer, "repeated in 3 of 3 harbour-herald articles"),
        )


def test_stage_run_matches_the_function() -> None:
    articles = [Article("a", f"{BODY}\nSource link", source="s")]
    assert list(CleanStage().run(articles)) == _clean(*articles)


def test_clean_text_cleans_one_text_without_learning() -> None:
    text, removed = clean_text(f"News / World\n{BODY}\nFrom :Arabnews\nSource link")
    assert text == BODY
    assert [r.reason for r in removed] == ["section breadcrumb", "signature line", "source link"]
