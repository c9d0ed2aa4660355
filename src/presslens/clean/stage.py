"""The clean stage: HTML to text, text normalised, boilerplate removed and accounted for.

Each article comes out with ``text`` cleaned, ``html`` dropped, ``cleaned`` set and every line
taken out listed in ``removed`` with its reason.  Outlet boilerplate is learned from the whole
batch, so articles that carry a ``source`` are held until the input ends; articles without one
cannot be compared with anything and pass straight through.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from presslens.clean.boilerplate import (
    BoilerplateRules,
    OutletBoilerplate,
    drop_lines,
    furniture_reason,
    remove_generic,
)
from presslens.clean.html import extract_html
from presslens.clean.text import normalise_chars, normalise_text
from presslens.config import CleanConfig, Config
from presslens.model import Article, Removed, Skip, normalise_for_hash, word_count
from presslens.pipeline import ArticleStage, Mapper, Scope, contract, register

NO_HTML_TEXT = "no article text found in HTML"
NO_TEXT_LEFT = "no text left after cleaning"
# A first line that replaces a furniture title must look like a headline: news headlines run
# to about 20 words (the longest of the demo corpus and the seeds has 12); 25 leaves room.
HEADLINE_MAX_WORDS = 25


def clean_text(text: str) -> tuple[str, tuple[Removed, ...]]:
    """One plain-text article cleaned on its own (no outlet learning): text and removed lines."""
    cleaned, removed = remove_generic(normalise_text(text))
    return cleaned, tuple(removed)


def _first_line(text: str) -> tuple[str, str]:
    """The first line of ``text`` and the rest, with leading blank lines dropped."""
    head, _, rest = text.partition("\n")
    return head.strip(), rest.lstrip("\n")


def _settle_title(title: str | None, text: str) -> tuple[str | None, str, list[Removed]]:
    """Drop a furniture title, and a first line that only repeats the title (unless it is all
    the text there is).

    A title that is furniture (a breadcrumb taken as the headline of a text file) is listed as
    removed and replaced by the text's first line when that line reads like a headline; the
    line then moves to the title, as a plain-text reader would have done.
    """
    removed: list[Removed] = []
    if title is not None:
        title = " ".join(normalise_chars(title).split()) or None
    if title is not None:
        reason = furniture_reason(title, head=True)
        if reason is not None:
            removed.append(Removed(title, reason))
            title = None
            first, rest = _first_line(text)
            if (
                rest.strip()
                and furniture_reason(first, head=True) is None
                and word_count(first) <= HEADLINE_MAX_WORDS
                and not first.endswith(".")
            ):
                title, text = first, rest
    if title is not None:
        first, rest = _first_line(text)
        if rest.strip() and normalise_for_hash(first) == normalise_for_hash(title):
            text = rest
    return title, text, removed


def _prepare(article: Article) -> Article | Skip:
    """Everything that needs only the article itself: HTML, normalisation, generic furniture."""
    removed: list[Removed] = list(article.removed)
    title, author, published = article.title, article.author, article.published
    extraction = article.extraction
    if article.html is not None:
        page = extract_html(article.html, article.url)
        if page.method == "none":
            said = f" ({'; '.join(page.messages)})" if page.messages else ""
            return Skip(article.origin or article.id, NO_HTML_TEXT + said)
        raw = page.text
        extraction = page.method
        if page.furniture_chars:
            removed.append(
                Removed(
                    f"<page furniture: {page.furniture_chars} characters outside the main text>",
                    "html-extraction",
                )
            )
        title = title or page.title
        author = author or page.author
        published = published or page.published
    else:
        raw = article.text
    title, text, title_removed = _settle_title(title, normalise_text(raw))
    text, generic = remove_generic(text)
    return dataclasses.replace(
        article,
        text=text,
        html=None,
        title=title,
        author=author,
        published=published,
        removed=(*removed, *title_removed, *generic),
        cleaned=True,
        extraction=extraction,
    )


def _finish(article: Article, learner: BoilerplateRules | None) -> Article | Skip:
    lines = {} if learner is None else learner.lines_of(article.source)
    if lines:
        # the outlet's table is looked up once, not once per line of the article
        key = OutletBoilerplate.key
        text, learned = drop_lines(article.text, lambda _i, line: lines.get(key(line)))
        if learned:
            article = dataclasses.replace(article, text=text, removed=(*article.removed, *learned))
    if not article.text.strip():
        return Skip(article.origin or article.id, NO_TEXT_LEFT)
    return article


def clean_articles(articles: Iterable[Article], config: CleanConfig) -> Iterator[Article | Skip]:
    """Clean a batch of articles in this process, learning each outlet's boilerplate from the
    batch itself (skips first, then the articles in input order)."""
    return CleanStage(config).run(articles)


@register
class CleanStage(ArticleStage):
    """HTML → text, normalised text, generic and outlet boilerplate removed.

    Extraction and normalisation are per article (:meth:`prepare`); outlet boilerplate is
    learned from every article of the run that names its outlet (:meth:`fit`, over the line
    keys :meth:`observe` reports) and removed in :meth:`finish`.
    """

    name = "clean"
    contract = contract(
        Scope.CORPUS,
        reads={"article.text", "article.html", "article.title", "article.source"},
        # the cleaned text (and what an HTML page said of its title, author and date)
        # replaces the input's, so every reader of these fields runs after cleaning
        writes={
            "article.text",
            "article.title",
            "article.author",
            "article.published",
            "article.removed",
        },
        partition="outlet: boilerplate is learned from each outlet's own articles",
    )

    def __init__(self, config: CleanConfig | None = None) -> None:
        self.config = config or CleanConfig()
        self._keys = OutletBoilerplate.from_config(self.config)

    @classmethod
    def from_config(cls, config: Config) -> CleanStage:
        """The stage with the run's ``[clean]`` settings."""
        return cls(config.clean)

    def prepare(self, articles: Sequence[Article]) -> list[Article | Skip]:
        """HTML extraction, normalisation and generic furniture, per article."""
        return [_prepare(a) for a in articles]

    def observe(self, articles: Sequence[Article]) -> list[Any]:
        """The line keys of each article that names its outlet (``None`` for the others)."""
        return [
            None if a.source is None else self._keys.line_keys(a.text.split("\n")) for a in articles
        ]

    def fit(
        self,
        articles: Sequence[Article],
        observed: Sequence[Any],
        state: Any,
        mapper: Mapper | None,
    ) -> BoilerplateRules:
        """Learn each outlet's boilerplate from its articles."""
        learner = OutletBoilerplate.from_config(self.config)
        for article, keys in zip(articles, observed, strict=True):
            if article.source is not None and keys is not None:
                learner.add_keys(article.source, keys)
        return learner.rules()

    def finish(self, articles: Sequence[Article], model: Any) -> list[Article | Skip]:
        """Each article without its outlet's boilerplate (a text left empty is a skip)."""
        return [_finish(a, model) for a in articles]
