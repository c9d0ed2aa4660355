"""A story's entities, quotes and quote variants from its parsed articles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from presslens.config import QuotesConfig
from presslens.model import Article, Entity, Quote, QuoteVariant, StoryArticles
from presslens.quotes.attribution import RawQuote, extract_quotes
from presslens.quotes.entities import (
    EntityIndex,
    RawMention,
    article_mentions,
    build_index,
    role_keys,
    role_like,
)
from presslens.quotes.load import load_nlp
from presslens.quotes.marks import QuoteSpan, find_quote_spans
from presslens.quotes.variants import group_variants

_PERSON = frozenset({"person"})
_BODIES = frozenset({"organisation", "group"})
_SINGULAR = frozenset({"he", "she", "him", "her", "i", "me"})
_PLURAL = frozenset({"they", "we", "it", "them", "us"})
_PRONOUNS = _SINGULAR | _PLURAL
_DET = re.compile(r"^(the|a|an|this|that)\s+", re.IGNORECASE)
# a preposition, then maybe the start of the same name when the tagger took only its last
# word ("Residents of Foundry Row" with "Row" alone tagged)
_PREPOSITION_END = re.compile(
    r"\b(?i:of|in|at|from|for|on)\s+(?i:the\s+)?(?:[A-Z][\w’'\-]*\s+){0,2}$"
)
_NAME_LIKE = re.compile(r"(?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w’'\-]*")
_PREPOSITION_START = re.compile(r"\s+(?:of|in|at|from|for|on)\s", re.IGNORECASE)
#: a plural/neuter pronoun resolves to an organisation mentioned at most this many characters
#: before it; further back the guess is mostly wrong (set by hand, checked on the seeds).
_BODY_REACH = 400
#: a singular pronoun speaker continues the last speaker named at most this many characters
#: before it (about three news paragraphs); set by hand, checked on BASIL DEV and the seeds.
_SPEAKER_REACH = 600


def parse(articles: Sequence[Article], config: QuotesConfig) -> Iterator[Any]:
    """spaCy docs of the articles' texts (cut at ``config.max_chars``), batched."""
    nlp = load_nlp(config.model)
    texts = (a.text[: config.max_chars] for a in articles)
    yield from nlp.pipe(texts, batch_size=config.batch_size)


class _Resolver:
    """Turns a speaker as written into the story's canonical entity."""

    def __init__(
        self, index: EntityIndex, article_id: str, text: str, marks: Sequence[QuoteSpan]
    ) -> None:
        self.index = index
        self.article_id = article_id
        self.text = text
        self.quoted = [(q.start, q.end) for q in marks]
        #: (position, name, entity) of the speakers resolved so far: persons named, for a
        #: later "he said", and speakers that are not persons ("the US embassy", "police"),
        #: for a later "it added" or "they said"
        self.named: list[tuple[int, str, Entity | None]] = []
        self.bodies: list[tuple[int, str, Entity | None]] = []

    def resolve(self, start: int, end: int) -> tuple[str | None, Entity | None]:
        """Canonical name and entity of the speaker written at ``[start, end)``."""
        name, ent = self._resolve(start, end)
        if self.text[start:end].casefold() not in _PRONOUNS:
            if ent is not None and ent.type == "person":
                self.named.append((start, ent.name, ent))
            elif name is not None:
                self.bodies.append((start, name, ent))
        return name, ent

    def _qualifies(self, start: int, end: int, mention: tuple[int, int]) -> bool:
        """Whether the name ``mention`` in the speaker phrase ``[start, end)`` is a modifier.

        A name is the speaker when the phrase ends with it ("Mayor Ruth Kettering") or goes
        on only with an apposition ("Ruth Kettering, the mayor"); it qualifies the speaker
        when words of the phrase other than an affiliation ("of the Emergency Service")
        follow it ("Ostrey's mayor") or it follows a preposition ("residents of Foundry Row").
        """
        head = self.text[start:end].split(",")[0]
        # a possessive alone ("Trump's claim" written as "Trump's") leaves the name the speaker
        after = re.sub(r"^['’]s\b", "", self.text[mention[1] : start + len(head)])
        before = self.text[start : mention[0]]
        # "Tomas Eckley of the Provincial Emergency Service": an affiliation, not a head
        followed = bool(re.search(r"\w", after)) and not _PREPOSITION_START.match(after)
        return followed or bool(_PREPOSITION_END.search(before))

    @staticmethod
    def _last_of(
        spoken: list[tuple[int, str, Entity | None]], before: int
    ) -> tuple[str, Entity | None] | None:
        """The name and entity of the last of ``spoken`` shortly before ``before``."""
        earlier = [s for s in spoken if s[0] < before]
        if not earlier:
            return None
        pos, name, ent = max(earlier, key=itemgetter(0))
        return (name, ent) if before - pos <= _SPEAKER_REACH else None

    def _resolve(self, start: int, end: int) -> tuple[str | None, Entity | None]:
        surface = self.text[start:end]
        low = surface.casefold()
        if low in _SINGULAR:
            # "he said" mostly continues the last named speaker, not the last person named
            # (who is often the one spoken to or about)
            last = self._last_of(self.named, start)
            if last is not None:
                return last
            ent = self.index.nearest(self.article_id, start, _PERSON, skip=self.quoted)
            return (ent.name, ent) if ent else (None, None)
        if low in _PLURAL:
            # "It added ..." after "the US embassy said": the body that spoke last, before
            # any organisation merely named in between
            last = self._last_of(self.bodies, start)
            if last is not None:
                return last
            ent = self.index.nearest(
                self.article_id, start, _BODIES, skip=self.quoted, within=_BODY_REACH
            )
            return (ent.name, ent) if ent else (None, None)
        found = self.index.mention_at(self.article_id, start, end)
        # "Ostrey's mayor", "residents of Foundry Row", "the Calder Vale Insurers'
        # Association": the name only qualifies the one who spoke
        ent = None if found is None or self._qualifies(start, end, found[:2]) else found[2]
        if ent is not None and (ent.type == "person" or not _DET.match(surface)):
            return ent.name, ent
        keys = role_keys(surface)
        if keys:
            holder = self.index.nearest(
                self.article_id, start, _PERSON, skip=self.quoted, role=keys
            )
            if holder is None:
                holders = self.index.with_role(keys)
                holder = holders[0] if holders else None
            if holder is not None:
                return holder.name, holder
        words = surface.split()
        if ent is None and len(words) > 1 and _DET.match(surface) and role_like(words[-1]):
            # "the four-term congressman": a person-like role nobody holds by name here
            near = self.index.nearest(self.article_id, start, _PERSON, skip=self.quoted)
            if near is not None:
                return near.name, near
        # only a name may be a surname ("Hospital officials in Marrowby" is no Mr Marrowby)
        person = self.index.by_surname(surface) if _NAME_LIKE.fullmatch(surface) else None
        if person is not None:
            return person.name, person
        if ent is not None:
            return _DET.sub("", surface), None
        return _DET.sub("", " ".join(surface.split())) or None, None


def _quote(raw: RawQuote, article: Article, resolver: _Resolver) -> Quote:
    text = article.text
    speaker = canonical = entity = None
    if raw.speaker_start is not None and raw.speaker_end is not None:
        speaker = text[raw.speaker_start : raw.speaker_end]
        if raw.antecedent_start is not None and raw.antecedent_end is not None:
            canonical, ent = resolver.resolve(raw.antecedent_start, raw.antecedent_end)
        else:
            canonical, ent = resolver.resolve(raw.speaker_start, raw.speaker_end)
        entity = ent.id if ent is not None else None
    cue = text[raw.cue_start : raw.cue_end] if raw.cue_start is not None else None
    return Quote(
        text=text[raw.start : raw.end],
        start=raw.start,
        end=raw.end,
        speaker=speaker,
        speaker_start=raw.speaker_start,
        speaker_end=raw.speaker_end,
        speaker_canonical=canonical,
        cue=cue,
        kind=raw.kind,
        article_id=article.id,
        cue_start=raw.cue_start,
        cue_end=raw.cue_end,
        speaker_entity=entity,
    )


def analyze_docs(
    story: StoryArticles, docs: Sequence[Any], config: QuotesConfig
) -> tuple[tuple[Entity, ...], tuple[Quote, ...], tuple[QuoteVariant, ...]]:
    """Entities, quotes (with variant groups) and quote variants of a parsed story."""
    by_id = {a.id: d for a, d in zip(story.articles, docs, strict=True)}
    mentions: list[RawMention] = []
    # per article: the doc's text, its quotation marks (found once, for the quotes and for
    # the resolver) and its raw quotes
    parsed: dict[str, tuple[str, list[QuoteSpan], list[RawQuote]]] = {}
    for article, doc in zip(story.articles, docs, strict=True):
        mentions.extend(article_mentions(doc, article.id))
        text = doc.text
        marks = find_quote_spans(text)
        raw = extract_quotes(doc, min_direct_words=config.min_direct_words, marks=marks, text=text)
        parsed[article.id] = (text, marks, raw)
    index = build_index(mentions, by_id, {aid: p[0] for aid, p in parsed.items()})
    quotes: list[Quote] = []
    for article in story.articles:
        text, marks, raw = parsed[article.id]
        resolver = _Resolver(index, article.id, text, marks)
        quotes.extend(_quote(r, article, resolver) for r in raw)
    grouped, variants = group_variants(quotes, config)
    return index.entities, grouped, variants


def analyze_stories(
    stories: Iterable[StoryArticles], config: QuotesConfig
) -> Iterator[
    tuple[StoryArticles, tuple[Entity, ...], tuple[Quote, ...], tuple[QuoteVariant, ...]]
]:
    """:func:`analyze_docs` for each story, in order; articles are parsed in batches that
    span stories so that one-article stories still use ``nlp.pipe`` efficiently."""
    pending: list[StoryArticles] = []
    size = 0
    for story in stories:
        pending.append(story)
        size += len(story.articles)
        if size >= config.batch_size:
            yield from _analyze_batch(pending, config)
            pending, size = [], 0
    if pending:
        yield from _analyze_batch(pending, config)


def _analyze_batch(
    stories: Sequence[StoryArticles], config: QuotesConfig
) -> Iterator[
    tuple[StoryArticles, tuple[Entity, ...], tuple[Quote, ...], tuple[QuoteVariant, ...]]
]:
    docs = list(parse([a for s in stories for a in s.articles], config))
    at = 0
    for story in stories:
        n = len(story.articles)
        yield (story, *analyze_docs(story, docs[at : at + n], config))
        at += n
