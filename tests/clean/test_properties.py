"""Properties of cleaning on arbitrary text: it never raises, never grows, and settles at once."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from presslens.clean import clean_articles, clean_text, normalise_text
from presslens.config import CleanConfig
from presslens.model import Article, Skip

FURNITURE = [
    "Share this:",
    "Leave a Reply",
    "Source link",
    "From :Arabnews",
    "News / World",
    "Home > World > Asia",
    "Advertisement",
    "Related",
    "Website",
    "Press TV News Roku",
    "Copyright © 2024 Example. All rights reserved.",
    "Your website can also be accessed at the following alternate addresses:",
    "This file photo shows a harbour.",
    "Subscribe",
    "on facebook",
    "share",
]
PROSE = [
    "The council met on Tuesday and agreed to rebuild the wall by the autumn.",
    "and then the minister said",
    "“We will stay out until the plan is withdrawn,” he said.",
    "Shareholders will share the copyright costs, the firm said on Monday.",
    "well-",
    "known",
]
ODD = ["", " ", "\u00a0", "\u200b", "\u00ad", "\t", "e\u0301", "\u0958", "\ufb01", "\x00"]
SEPARATORS = ["\n", "\r\n", "\n\n", "\n\n\n", "\r", "\u2029", "\u2028", " "]

lines = st.one_of(
    st.sampled_from(FURNITURE), st.sampled_from(PROSE), st.sampled_from(ODD), st.text(max_size=40)
)
documents = st.lists(st.tuples(lines, st.sampled_from(SEPARATORS)), max_size=30).map(
    lambda parts: "".join(line + sep for line, sep in parts)
)
any_text = st.one_of(st.text(), documents)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_cleaning_never_raises_and_only_removes_whole_lines(text: str) -> None:
    cleaned, removed = clean_text(text)
    normalised = normalise_text(text).split("\n")
    assert set(cleaned.split("\n")) <= set(normalised) | {""}
    assert all(r.line.strip() and r.reason for r in removed)


@settings(max_examples=300, deadline=None)
@given(any_text)
# Furniture above a breadcrumb pushes it out of the head; a removed line between two halves of
# a sentence must not let a second pass join them.
@example("Share this:\nShare this:\nAdvertisement\nRelated\nNews / X\nThe council met.")
@example("He said the\nShare this:\nmatter was closed after a long and difficult meeting.")
def test_cleaning_cleaned_text_changes_nothing(text: str) -> None:
    cleaned, _ = clean_text(text)
    assert clean_text(cleaned) == (cleaned, ())


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_cleaning_never_makes_text_longer(text: str) -> None:
    # NFC itself may lengthen a few characters (composition exclusions such as U+0958 decompose
    # to two), so the bound is the composed input.
    cleaned, _ = clean_text(text)
    assert len(cleaned) <= len(unicodedata.normalize("NFC", text))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            any_text, st.one_of(st.none(), st.text(max_size=30)), st.sampled_from(["a", None])
        ),
        max_size=5,
    ),
    st.one_of(st.none(), st.text(max_size=200)),
)
def test_the_stage_never_raises(
    items: list[tuple[str, str | None, str | None]], html: str | None
) -> None:
    articles = [
        Article(id=str(n), text=text, title=title, source=source)
        for n, (text, title, source) in enumerate(items)
    ]
    if html is not None:
        articles.append(Article(id="html", text="", html=html, source="a"))
    out = list(clean_articles(articles, CleanConfig()))
    assert len(out) == len(articles)
    for item in out:
        assert isinstance(item, Skip) or (item.cleaned and item.text.strip() and item.html is None)
