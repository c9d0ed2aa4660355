"""The stories an input names: the group stage of the single-stage commands.

``presslens quotes``, ``compare`` and ``summarize`` do not cluster; they take the stories the
input gives.  An article record's ``"story"`` field names its story; records without one form
one story named after the input (``compare``, ``summarize``) or a story each (``quotes``,
``entities``), or every record is one story (``--story``).  A story's ``"words"`` (from a
story record, see :mod:`presslens.ingest.jsonl`) is its brief's word budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from presslens.model import Article, Skip, Story
from presslens.pipeline import (
    ArticleStage,
    Grouping,
    GroupStage,
    Mapper,
    Scope,
    contract,
    register,
)


class Unnamed(StrEnum):
    """Where the articles without a ``"story"`` field go."""

    ONE = "one"  # together, in the story named ``default_id``
    EACH = "each"  # each in a story of its own
    ALL = "all"  # every article in ``default_id``, whatever its field says


def story_key(article: Article) -> str | None:
    """The ``"story"`` field an input record gave the article, if any."""
    key = article.extra.get("story")
    return None if key is None else str(key)


@register
class GivenStories(GroupStage):
    """Groups articles by the story their input names, in the order stories first appear."""

    name = "stories"
    default = False
    contract = contract(
        Scope.CORPUS,
        reads={"article.extra"},
        uses={"article.title"},
        writes={"story"},
        partition="the story field: each story is one partition",
    )

    def __init__(self, default_id: str = "story", unnamed: Unnamed = Unnamed.ONE) -> None:
        self.default_id = default_id
        self.unnamed = unnamed

    def _key(self, article: Article) -> str:
        if self.unnamed is Unnamed.ALL:
            return self.default_id
        key = story_key(article)
        if key is not None:
            return key
        return article.id if self.unnamed is Unnamed.EACH else self.default_id

    def group(
        self,
        articles: Sequence[Article],
        state: Any,
        mapper: Mapper | None,
        revised: Sequence[Article] = (),
    ) -> Grouping:
        """One story per key, articles in input order, titled by its first titled article."""
        members: dict[str, list[Article]] = {}
        for article in articles:
            members.setdefault(self._key(article), []).append(article)
        stories = []
        for sid, arts in members.items():
            title = next((a.title for a in arts if a.title), None)
            words = next((w for a in arts if isinstance(w := a.extra.get("words"), int)), None)
            stories.append(
                Story(id=sid, article_ids=tuple(a.id for a in arts), title=title, brief_words=words)
            )
        return Grouping(tuple(stories))


@register
class GivenText(ArticleStage):
    """Keeps the articles that carry text: a single-stage command reads text as given, so a
    record with only HTML (which ``analyze`` would extract) is skipped with a reason."""

    name = "given-text"
    default = False
    contract = contract(Scope.ARTICLE, reads={"article.text", "article.html"})

    def prepare(self, articles: Sequence[Article]) -> list[Article | Skip]:
        """Each article, or a skip when it has no text."""
        return [
            a
            if a.text.strip()
            else Skip(
                a.origin or a.id,
                "no text (an HTML record needs `presslens analyze`, which extracts it)"
                if a.html
                else "no text",
            )
            for a in articles
        ]
