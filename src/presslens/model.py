"""The records that travel between stages: frozen, typed dataclasses.

Stages never mutate a record; they return ``dataclasses.replace(record, ...)``.
A field that a stage has not filled is ``None`` and is left out of the report, so a stage
that is not built yet is absent rather than a placeholder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_WORD = re.compile(r"\w+")


def normalise_for_hash(text: str) -> str:
    """Text as compared for identity: NFKC, case-folded, runs of whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    """SHA-256 (hex) of :func:`normalise_for_hash` of ``text``."""
    return hash_normalised(normalise_for_hash(text))


def hash_normalised(normalised: str) -> str:
    """:func:`content_hash` of a text already passed through :func:`normalise_for_hash`."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    """Number of ``\\w+`` tokens in ``text``."""
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class Removed:
    """One line that cleaning took out of an article, and why."""

    line: str
    reason: str


def _where(path: str, line: int | None, location: str | None) -> str:
    where = f"{path}:{line}" if line is not None else path
    return where if location is None else f"{where}: {location}"


@dataclass(frozen=True, slots=True)
class Skip:
    """An input (or one line of it) that could not become an article.

    ``reason`` says why, the same words for the same cause wherever it happens, so skips can
    be counted by reason; ``location`` says where inside the file when a line number cannot
    ("WARC record at offset 1196 (http://...)", "feed entry 3 (title)").
    """

    path: str
    reason: str
    line: int | None = None
    location: str | None = None

    def __str__(self) -> str:
        return f"{_where(self.path, self.line, self.location)}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something worth knowing about an input that was read all the same: a WARC record whose
    length disagrees with its block, a gzip archive read as one stream, what a library warned
    about while reading the file."""

    path: str
    message: str
    line: int | None = None
    location: str | None = None

    def __str__(self) -> str:
        return f"{_where(self.path, self.line, self.location)}: {self.message}"


@dataclass(frozen=True, slots=True)
class Change:
    """One thing a new version of an article changed.

    ``kind`` is ``headline``, ``figure`` (a number in a sentence that otherwise stands),
    ``paragraph added``, ``paragraph removed``, ``paragraph edited``, ``correction notice``
    (the page now says it was corrected) or ``date``; ``before`` and ``after`` are the text
    on each side (``None`` for an addition or a removal), and ``context`` the new sentence or
    paragraph it sits in, when that says more than ``after`` alone.
    """

    kind: str
    before: str | None = None
    after: str | None = None
    context: str | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """An article's page changed after it was first read: the version it replaced
    (``version``, from 1), when the change was seen (``at``, UTC ISO time) and what changed."""

    version: int
    at: str
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """One news article.

    ``text`` is the cleaned plain text once the clean stage has run (before it, the raw text
    of a plain-text input); every character offset in the report points into it.  ``html``
    holds the raw page for HTML inputs until cleaning turns it into ``text``.
    """

    id: str
    text: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    author: str | None = None
    html: str | None = None
    origin: str = ""
    source_from: str = "unknown"
    removed: tuple[Removed, ...] = ()
    cleaned: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    # --- filled by the syndication stage ---
    syndication_group: str | None = None
    #: whether the article is its syndication group's original (the report field ``original``)
    is_original: bool | None = None
    #: for a copy: the Jaccard of its shingles with its group's original, and the share of the
    #: shorter text's shingles found in the other (see :class:`SyndicationGroup`)
    copy_similarity: float | None = None
    copy_shared: float | None = None
    # --- filled by clean, for HTML inputs ---
    #: what found the text of the page: "precision", "recall" or "body" (see
    #: :mod:`presslens.clean.html`)
    extraction: str | None = None
    # --- kept by the store, for pages read again by ``watch`` ---
    #: each earlier version this text replaced, oldest first (empty for an unchanged page)
    revisions: tuple[Revision, ...] = ()

    @property
    def content_hash(self) -> str:
        """Hash of the normalised text (the store's key)."""
        return content_hash(self.text)

    @property
    def word_count(self) -> int:
        """Number of words of ``text``."""
        return word_count(self.text)


# ISO 8601 calendar date, extended ("2019-02-03") or basic ("20190203"), at the start of the
# value; whatever follows a non-digit (a time, a zone) does not change the day written.
_PUBLISHED = re.compile(r"(\d{4})(-?)(\d{2})\2(\d{2})(?!\d)", re.ASCII)
# The first printed newspapers date from 1605.  A year outside this range is a CMS placeholder
# (0001-01-01, 9999-12-31), not a publication day, and relative dates counted from one
# ("tomorrow", "next year") would run off the end of the calendar.
_PUBLISHED_YEARS = range(1600, 2200)


def calendar_date(year: int, month: int, day: int) -> dt.date | None:
    """The date ``year-month-day``, or ``None`` when the calendar has no such day."""
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def published_date(value: str | None) -> dt.date | None:
    """The day an article's ``published`` value names, or ``None`` when absent or unusable.

    The value is an ISO 8601 date or datetime; its day is taken as written, in the article's
    own time zone (the day its readers called "today").  Surrounding whitespace is ignored;
    impossible days ("2019-02-30"), other notations and placeholder years give ``None``.
    """
    m = _PUBLISHED.match(value.strip()) if value else None
    if m is None or int(m.group(1)) not in _PUBLISHED_YEARS:
        return None
    return calendar_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))


# --- stories & syndication ---


@dataclass(frozen=True, slots=True)
class SyndicationGroup:
    """Articles whose texts are near-duplicates of one another (connected by verified pairs).

    ``original`` is the member published first; ties (and undated members, which rank after
    dated ones) are broken by the smallest id.  ``similarity`` maps each copy to the Jaccard
    similarity of its word shingles with the original's (exact, not the MinHash estimate);
    ``shared`` maps it to the share of the shorter text's shingles found in the other, which
    says what Jaccard does not: a reprint of a story's first paragraphs has a low similarity
    but shares all of itself.
    """

    id: str
    original: str
    copies: tuple[str, ...]
    similarity: Mapping[str, float] = field(default_factory=dict)
    shared: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Membership:
    """Why an article belongs to its story: its score and what it shares with the others."""

    article_id: str
    score: float
    shared_terms: tuple[str, ...] = ()
    shared_entities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ThreadStory:
    """One story of a thread, and why it is linked to the others.

    ``score`` is its average similarity to the thread's other stories (1.0 when alone);
    ``shared_terms`` and ``shared_entities`` are what it shares with them most.
    """

    story_id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int
    score: float
    shared_terms: tuple[str, ...] = ()
    shared_entities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Thread:
    """Stories of one ongoing matter (a shooting and the trial; each week of a shutdown).

    ``stories`` lists every story of the thread, the one that carries it included, oldest
    first (undated last); ``title`` is the title of its largest story.
    """

    id: str
    title: str | None
    stories: tuple[ThreadStory, ...]


# --- entities & quotes ---


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity: a span of an article's cleaned ``text``."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, place, date or group, canonicalised across a story.

    ``type`` is one of ``person``, ``organisation``, ``place``, ``date``, ``group``;
    ``mentions`` counts mentions per article id; ``spans`` lists them with offsets.
    """

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    mentions: Mapping[str, int] = field(default_factory=dict)
    spans: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """Something attributed to a speaker in one article.

    ``start``/``end`` delimit the quoted or reported content (without enclosing quote marks),
    ``speaker_start``/``speaker_end`` the speaker as written (a name, a pronoun or a role),
    ``speaker_canonical`` that speaker resolved to the story's canonical entity name.
    ``kind`` is ``direct``, ``indirect`` or ``mixed``; ``group`` is the quote-variant group.
    """

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_canonical: str | None
    cue: str | None
    kind: str
    article_id: str = ""
    group: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_entity: str | None = None


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word-level diff of a rendering against the reference rendering.

    ``op`` is ``equal``, ``replace``, ``insert`` (words only in the rendering) or ``delete``
    (words only in the reference).
    """

    op: str
    reference: str
    rendering: str


@dataclass(frozen=True, slots=True)
class Rendering:
    """How one outlet rendered an utterance, classified against the group's reference.

    ``classification`` is ``verbatim``, ``minor wording``, ``truncated``, ``extended`` or
    ``paraphrase``.
    """

    article_id: str
    text: str
    start: int
    end: int
    speaker: str | None
    classification: str


@dataclass(frozen=True, slots=True)
class RenderingDiff:
    """The word-level diff of one rendering (by article and start) against the reference."""

    article_id: str
    start: int
    classification: str
    ops: tuple[DiffOp, ...]


@dataclass(frozen=True, slots=True)
class QuoteVariant:
    """One utterance as rendered by several outlets of a story.

    ``reference`` is the most common rendering; ``speaker_conflict`` is true when the same
    words are attributed to different speakers (all of them in ``speakers``).
    """

    group: str
    speaker: str | None
    kind: str
    reference: str
    classification: str
    renderings: tuple[Rendering, ...]
    diff: tuple[RenderingDiff, ...]
    speakers: tuple[str, ...] = ()
    speaker_conflict: bool = False


# --- comparison: alignment, discrepancies, framing ---


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """One sentence of one article: ``text == article.text[start:end]``."""

    id: str
    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class AlignedGroup:
    """Sentences of several articles that carry the same information.

    ``support`` counts independent sources (syndication groups), not articles.
    """

    id: str
    support: int
    sentences: tuple[SentenceRef, ...]


@dataclass(frozen=True, slots=True)
class UniqueInfo:
    """What only one independent source reports, listed for one of its articles."""

    article_id: str
    source: str | None
    sentences: tuple[SentenceRef, ...]


@dataclass(frozen=True, slots=True)
class Omission:
    """Information most independent sources carry that this article leaves out."""

    article_id: str
    source: str | None
    group_id: str
    support: int
    evidence: SentenceRef


@dataclass(frozen=True, slots=True)
class DiscrepancyValue:
    """One value given for a disputed fact, with the articles and sentences that give it."""

    value: str
    normalised: str
    article_ids: tuple[str, ...]
    evidence: tuple[SentenceRef, ...]
    vague: bool = False


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """Outlets disagree about one fact.

    ``kind`` is ``number``, ``date``, ``role`` or ``name`` for a conflict, ``vague`` when only
    a vague value ("decades") stands against precise ones; ``quantity`` says what was
    measured (duration, count, money, percent, length, age, tally, date, role, name).
    """

    kind: str
    subject: str
    quantity: str
    values: tuple[DiscrepancyValue, ...]


@dataclass(frozen=True, slots=True)
class FramingTerm:
    """A word or phrase one outlet uses more than the others (log-odds z-score)."""

    term: str
    z: float
    count: int


@dataclass(frozen=True, slots=True)
class Distancing:
    """A scare quote or distancing marker ("so-called", "alleged") and the term it marks."""

    marker: str
    term: str
    article_id: str
    sentence_id: str


@dataclass(frozen=True, slots=True)
class LoadedTerm:
    """A loaded or pejorative word in the outlet's own voice (not inside a quotation).

    ``neutral`` is the plainer word another outlet of the story uses for the same thing
    ("protesters" for "rioters"), when one does.
    """

    term: str
    article_id: str
    sentence_id: str
    neutral: str | None = None


@dataclass(frozen=True, slots=True)
class Voices:
    """Whose voices an outlet quotes."""

    official: int = 0
    analyst: int = 0
    other: int = 0
    named: int = 0
    anonymous: int = 0
    speakers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Framing:
    """How one outlet tells the story."""

    source: str
    article_ids: tuple[str, ...]
    terms: tuple[FramingTerm, ...]
    distancing: tuple[Distancing, ...]
    verbs: Mapping[str, int]
    voices: Voices
    loaded: tuple[LoadedTerm, ...] = ()


@dataclass(frozen=True, slots=True)
class Correction:
    """An outlet changed an article of the story after publishing it (one
    :class:`Revision` of that article, told at story level)."""

    article_id: str
    source: str | None
    version: int
    at: str
    changes: tuple[Change, ...]


# --- brief & timeline ---


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where one cited article carries a brief sentence: its sentence, located in the field
    ``located_in`` names ("text", or "title" for a headline) at ``start``/``end``."""

    article_id: str
    text: str
    start: int
    end: int
    located_in: str = "text"


@dataclass(frozen=True, slots=True)
class BriefSentence:
    """One sentence of a story brief and every article that carries its information.

    ``support`` counts independent sources (syndication groups) among ``cites``.  For an
    extractive sentence ``article_id``/``start``/``end`` locate the sentence it was taken
    from, in the article field ``located_in`` names ("text", or "title" for a headline),
    and ``repair`` names what was changed so it reads alone ("connective", "pronoun",
    "pronoun-speaker", "speaker", "period" for a headline's added full stop); a generated
    (LLM) sentence has ``article_id`` and ``located_in`` ``None``.  ``evidence`` gives, for
    each cited article, the sentence that carries the brief sentence there.
    """

    text: str
    cites: tuple[str, ...]
    support: int
    article_id: str | None = None
    start: int | None = None
    end: int | None = None
    repair: str | None = None
    located_in: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class RejectedSentence:
    """A generated brief sentence that was dropped, with the reason (e.g. "unsupported")."""

    text: str
    cites: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated event of a story, merged across outlets.

    ``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` as ``precision`` ("day", "month",
    "year") says; ``expression`` is the date as the first citing article wrote it ("on
    Thursday", "three months ago"), resolved against that article's publication date.
    """

    date: str
    precision: str
    text: str
    cites: tuple[str, ...]
    support: int
    expression: str
    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Story:
    """A set of articles about one real-world event; later stages fill the optional parts."""

    id: str
    article_ids: tuple[str, ...]
    title: str | None = None
    # --- filled by the cluster stage ---
    sources: tuple[str, ...] | None = None
    independent_sources: int | None = None
    first_published: str | None = None
    last_published: str | None = None
    syndication: tuple[SyndicationGroup, ...] | None = None
    memberships: tuple[Membership, ...] | None = None
    thread: Thread | None = None
    # --- filled by the compare stage ---
    alignment: tuple[AlignedGroup, ...] | None = None
    unique: tuple[UniqueInfo, ...] | None = None
    omissions: tuple[Omission, ...] | None = None
    discrepancies: tuple[Discrepancy, ...] | None = None
    framing: tuple[Framing, ...] | None = None
    #: the story's articles that their outlets changed after publishing, oldest change first
    corrections: tuple[Correction, ...] | None = None
    # --- filled by the quotes stage ---
    entities: tuple[Entity, ...] | None = None
    quotes: tuple[Quote, ...] | None = None
    quote_variants: tuple[QuoteVariant, ...] | None = None
    # --- filled by the brief stage ---
    brief: tuple[BriefSentence, ...] | None = None
    timeline: tuple[TimelineEvent, ...] | None = None
    brief_rejected: tuple[RejectedSentence, ...] | None = None
    #: how the brief was written ("extractive" or "llm") and, when a generated brief was
    #: asked for and the extractive one stands in, why
    brief_method: str | None = None
    brief_error: str | None = None
    #: the brief's word budget when the input set one for this story (else the configured one)
    brief_words: int | None = None


@dataclass(frozen=True, slots=True)
class StoryArticles:
    """A story travelling with its articles, the item of every story stage."""

    story: Story
    articles: tuple[Article, ...]
