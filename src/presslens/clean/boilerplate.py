"""Boilerplate removal from plain text, line by line, with a reason for every line taken out.

Two kinds of furniture are recognised:

* **generic web furniture**, by patterns: comment forms, share and follow buttons, newsletter
  prompts, "alternate addresses" footers, signature lines, breadcrumbs, photo captions and
  credits, copyright lines, advertisement markers, read-more links, feed footers.  Every pattern
  matches a *whole line* and has a word limit, so a sentence of prose that merely mentions
  "share" or "copyright" is never taken.  Once a footer marker is reached and nothing but short
  lines follows it to the end of the article, those short lines go too (the list of alternate
  addresses, a comment form's field labels); a prose line, long or a short full sentence, always
  stays and ends that block.
* **outlet boilerplate**, learned: a short line that recurs in enough of one outlet's articles
  (:class:`OutletBoilerplate`).  Articles of an outlet that are versions of the same story are
  counted once, so the sentences of a republished story are never mistaken for furniture.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

from presslens.config import CleanConfig
from presslens.groups import DisjointSets
from presslens.model import Removed, normalise_for_hash, word_count

_WORD = re.compile(r"\w+")
# marks the digest of a line too long to be boilerplate (no normalised line starts with NUL)
_LONG = "\x00"

# The first lines of an article (after the title, not counting furniture) where section
# breadcrumbs sit.
HEAD_LINES = 4
# After a footer marker, lines up to this many words are furniture when no long line follows
# them (a sentence of four words or more with its full stop is never one); chosen on the seeds
# and the demo corpus, where alternate-address lists and comment-form field labels run to 1-4
# words.
TRAILING_MAX_WORDS = 8
# Two articles of one outlet are versions of the same story when the lines they share make up
# at least this share of the shorter one's lines, and are at least COPY_MIN_LINES (the demo
# corpus's outlet footers are 3 lines of 13-17; a reprint or update shares nearly all of its
# lines; a one-paragraph note sharing only a footer line is not a copy).
COPY_SHARE = 0.5
COPY_MIN_LINES = 2
# A line that occurs in more articles of one outlet than this says nothing about two of them
# being the same story; skipping such lines keeps the copy test linear in practice.
COPY_MAX_LINE_ARTICLES = 20
# A recurring line that reads as a full sentence (this many words or more, ending in a full
# stop, question or exclamation mark) may be a background paragraph an outlet reuses in its
# follow-up stories, so it needs this many stories, not just `min_articles`, to count as
# furniture.  Furniture lines of the seeds and the demo corpus either lack the final stop or
# are caught by the generic patterns.
PROSE_MIN_WORDS = 6
PROSE_MIN_STORIES = 3
_PROSE_END = re.compile(r"[.!?…][\"'”’)\]]*$")

_SOCIAL = (
    r"(?:facebook|twitter|x|whatsapp|linkedin|e-?mail|reddit|pinterest|telegram|messenger"
    r"|instagram|youtube|tiktok|threads|bluesky|mastodon|vk|weibo|wechat|flipboard|tumblr)"
)
# A label's separator: a colon or an arrow, or a dash with spaces around it (not a hyphen).
_SEP = r"(?:\s*[:|»>›]\s*|\s+[–—-]\s+)"


@dataclass(frozen=True, slots=True)
class _Rule:
    """A whole-line pattern for one kind of furniture."""

    reason: str
    pattern: re.Pattern[str]
    max_words: int
    footer: bool = False
    head_only: bool = False


def _rule(
    reason: str,
    pattern: str,
    max_words: int,
    *,
    footer: bool = False,
    head_only: bool = False,
) -> _Rule:
    return _Rule(reason, re.compile(pattern, re.IGNORECASE), max_words, footer, head_only)


# Word limits: each kind's real lines on the seeds, the demo corpus and the DEV extraction pages
# run well under its limit; the limit is what keeps a long prose sentence out of reach.
_RULES: tuple[_Rule, ...] = (
    _rule(
        "comment form",
        r"leave a (?:reply|comment)(?: cancel reply)?"
        r"|your e-?mail address will not be published\.?(?: required fields are marked \*)?"
        r"|required fields are marked \*"
        r"|(?:comment|name|e-?mail|website)\s*\*"
        r"|save my name,? e-?mail,? and website in this browser for the next time i comment\.?"
        r"|notify me of (?:new|follow-up) (?:posts|comments) (?:by|via) e-?mail\.?"
        r"|cancel reply"
        r"|(?:post|submit|add) (?:a |your )?comment"
        r"|comments?(?: \(\d+\))?|\d+ comments?|view comments|show comments"
        r"|comments are (?:closed|moderated\b.*)"
        r"|you must be logged in to (?:post a )?comment\.?"
        r"|log ?in to (?:post a )?comment\.?",
        20,
        footer=True,
    ),
    _rule(
        "source link",
        r"source link|read the original (?:article|story)(?: here)?\.?",
        6,
        footer=True,
    ),
    _rule(
        "share buttons",
        r"share(?: this)?(?: article| story| post| page)?\s*:?"
        rf"|(?:share|tweet|post|pin|send) (?:it |this )?(?:on|to|via|with) {_SOCIAL}"
        r"|click to (?:share|e-?mail|print)\b.*"
        r"|(?:e-?mail|print|share|save) this (?:article|story|page|post)"
        r"|copy(?: the)? link|like this:?|like loading\W*"
        rf"|(?:(?:{_SOCIAL}|share|tweet|print|copy link)[\s|,/·•]*){{2,10}}",
        12,
        footer=True,
    ),
    _rule(
        "newsletter prompt",
        r"(?:subscribe|sign up|get|receive|join)\b.*\b(?:newsletters?|inbox|e-?mail alerts?)\b.*"
        r"|subscribe(?: now| today| here)?(?: (?:from|for|to)\b.*)?\.?",
        20,
        footer=True,
    ),
    _rule(
        "follow prompt",
        rf"follow (?:us|me|@\w+|the [\w ]{{1,30}}?|\w+)(?: on| at)? (?:{_SOCIAL}|@\w+)\b.*"
        r"|follow us(?:\s*(?:on\b|at\b|:).*)?",
        15,
        footer=True,
    ),
    _rule(
        "alternate-address footer",
        r".*(?:website|site) can also be accessed at the following alternat(?:e|ive) "
        r"addresses\s*:?",
        20,
        footer=True,
    ),
    _rule(
        "signature line",
        r"(?:from|source|via|courtesy(?: of)?)\s*:\s*\S.*",
        5,
        footer=True,
    ),
    _rule(
        "feed footer",
        r"the post .+ appeared first on .+",
        40,
        footer=True,
    ),
    _rule(
        "copyright line",
        r"(?:copyright\s*)?©.*|(?:copyright|\(c\))\s+\d{4}\b.*|.*\ball rights reserved\b.*",
        20,
        footer=True,
    ),
    _rule(
        "section breadcrumb",
        r"[\w&'’.-]+(?: [\w&'’.-]+){0,3}"
        r"(?:(?: / |\s*[>»›]\s*)[\w&'’.-]+(?: [\w&'’.-]+){0,3}){1,5}",
        14,
        head_only=True,
    ),
    _rule(
        "photo caption",
        r"this (?:file |undated |handout |aerial )?(?:photo|picture|image|photograph|video grab)"
        r"\b.{0,60}\b(?:shows|taken|provided|released|made available)\b.*"
        r"|image caption\b.*"
        r"|.*\((?:\w+ )?(?:photo|images|pic)(?:\s*/\s*[^)]{1,60})?\)\.?",
        45,
    ),
    _rule(
        "photo credit",
        r"(?:file )?(?:photo|picture|image|photograph)s?(?: credit)?\s*[:|]\s*.*"
        r"|(?:image|photo) (?:copyright|credit|source)\b.*"
        r"|\(?(?:afp|ap|reuters|getty images|epa|xinhua)(?: photo| images)?\)?\.?"
        r"|(?!.*(?:://|www\.)).{0,80}/(?:getty(?: images)?|afp|reuters|ap|epa|shutterstock"
        r"|flickr|instagram|twitter|facebook)\b.{0,40}",
        12,
    ),
    _rule(
        "advertisement",
        r"advertisement|advertising|sponsored(?: content)?|ad|"
        r"(?:story|article) continues below(?: advertisement)?|continue reading(?: below)?",
        4,
    ),
    _rule(
        "read-more link",
        r"(?:read more|read also|also read|see also|related(?: articles?| stories| news| coverage"
        r"| content| posts)?|more from [\w' &]{1,40}|more on this(?: story)?|most (?:viewed|read"
        r"|popular)|recommended(?: for you)?|you may also like|watch(?: video)?|listen)"
        rf"(?:{_SEP}.*)?",
        15,
    ),
    _rule(
        "tag list",
        r"(?:tags|topics|filed under|categories)\s*:.*",
        15,
    ),
)


_MAX_RULE_WORDS = max(rule.max_words for rule in _RULES)


def _shape(line: str) -> str:
    return " ".join(line.split())


def _words_upto(line: str, cap: int) -> int:
    """``word_count(line)``, but stops counting past ``cap`` (article lines can be huge)."""
    return sum(1 for _ in islice(_WORD.finditer(line), cap + 1))


def _rule_for(line: str, *, head: bool) -> _Rule | None:
    # Words are counted on the raw line (collapsing whitespace changes no word), so that a
    # long prose line, which no rule can take, is never reshaped.
    words = _words_upto(line, _MAX_RULE_WORDS)
    if words > _MAX_RULE_WORDS:
        return None
    shaped = _shape(line)
    if not shaped:
        return None
    for rule in _RULES:
        if rule.head_only and not head:
            continue
        if words <= rule.max_words and rule.pattern.fullmatch(shaped):
            return rule
    return None


def furniture_reason(line: str, *, head: bool = False) -> str | None:
    """Why ``line`` is generic web furniture, or ``None`` when it is not.

    ``head`` says the line is among the first lines of the article (or is its title), where
    section breadcrumbs are looked for.
    """
    rule = _rule_for(line, head=head)
    return rule.reason if rule else None


def _is_short(line: str) -> bool:
    """A line short enough to be footer furniture, and not a sentence of four words or more."""
    words = _words_upto(line, TRAILING_MAX_WORDS)
    return words <= TRAILING_MAX_WORDS and (words < 4 or _PROSE_END.search(line) is None)


def generic_removals(lines: Sequence[str]) -> dict[int, str]:
    """Index → reason for each of ``lines`` that is generic furniture.

    Blank lines are ignored.  Beyond the per-line patterns, the trailing furniture block is
    found: the longest run of lines at the end that are all furniture or short; from the first
    footer marker in that run onwards, every line goes (a short line's reason names the footer
    marker above it).
    """
    filled = [i for i, line in enumerate(lines) if line.strip()]
    found: dict[int, str] = {}
    rules: dict[int, _Rule] = {}
    # The head is counted in lines that stay, so that cleaning cleaned text finds the same head.
    kept_before = 0
    for i in filled:
        rule = _rule_for(lines[i], head=kept_before < HEAD_LINES)
        if rule is None:
            kept_before += 1
        else:
            rules[i] = rule
            found[i] = rule.reason
    tail_start = len(filled)
    while tail_start > 0:
        i = filled[tail_start - 1]
        if i not in rules and not _is_short(lines[i]):
            break
        tail_start -= 1
    marker: _Rule | None = None
    for i in filled[tail_start:]:
        rule = rules.get(i)
        if rule is not None and rule.footer:
            marker = rule
        elif marker is not None and i not in found:
            found[i] = f"after {marker.reason}"
    return found


def drop_lines(text: str, reasons: Callable[[int, str], str | None]) -> tuple[str, list[Removed]]:
    """``text`` without the lines for which ``reasons(index, line)`` gives a reason.

    Lines are reported whitespace-collapsed.  A removed line leaves a paragraph break behind (the
    lines around it were never one sentence, and must not be joined by a later normalisation);
    blank lines left doubled are folded, so paragraphs stay separated by one blank line.
    """
    kept: list[str] = []
    removed: list[Removed] = []
    for i, line in enumerate(text.split("\n")):
        reason = reasons(i, line) if line.strip() else None
        if reason is None:
            kept.append(line)
        else:
            kept.append("")
            removed.append(Removed(_shape(line), reason))
    out: list[str] = []
    for line in kept:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out), removed


def remove_generic(text: str) -> tuple[str, list[Removed]]:
    """``text`` without its generic furniture lines, and what was removed (in text order)."""
    found = generic_removals(text.split("\n"))
    return drop_lines(text, lambda i, _line: found.get(i))


def _reads_as_prose(line: str) -> bool:
    return word_count(line) >= PROSE_MIN_WORDS and _PROSE_END.search(line) is not None


@dataclass(frozen=True, slots=True)
class _Learned:
    """What one outlet's articles teach: recurring line → (articles, stories, reads as prose)."""

    articles: int
    stories: int
    lines: dict[str, tuple[int, int, bool]]


class OutletBoilerplate:
    """Learns, per outlet, short lines that recur across its articles.

    Feed it every article's lines with :meth:`add` (a store can feed it an outlet's stored
    articles the same way), then ask :meth:`reason` about a line.  A line is outlet boilerplate
    when it has at most ``max_words`` words and occurs in at least ``min_articles`` stories of
    the outlet, and in at least ``min_share`` of them.  A *story* here is a group of the
    outlet's articles that share most of their lines (reprints, updates); counting stories
    rather than articles keeps a republished article's sentences from passing as furniture.
    A line that reads as a full sentence needs at least ``PROSE_MIN_STORIES`` stories.
    """

    def __init__(self, min_articles: int = 2, min_share: float = 0.5, max_words: int = 25) -> None:
        self.min_articles = min_articles
        self.min_share = min_share
        self.max_words = max_words
        self._articles: dict[str, list[frozenset[str]]] = defaultdict(list)
        self._names: dict[str, str] = {}
        self._learned: dict[str, _Learned] = {}

    @classmethod
    def from_config(cls, config: CleanConfig) -> OutletBoilerplate:
        """A learner with the thresholds of ``config``."""
        return cls(
            config.boilerplate_min_articles,
            config.boilerplate_min_share,
            config.boilerplate_max_words,
        )

    @staticmethod
    def key(line: str) -> str:
        """The form under which a line is counted: NFKC, case-folded, whitespace collapsed."""
        return normalise_for_hash(line)

    @staticmethod
    def _outlet(source: str) -> str:
        return normalise_for_hash(source)

    def add(self, source: str, lines: Iterable[str]) -> None:
        """Count the lines of one article of ``source`` (each distinct line once)."""
        self.add_keys(source, self.line_keys(lines))

    def line_keys(self, lines: Iterable[str]) -> frozenset[str]:
        """What :meth:`add` counts of an article's lines, computable wherever the article is.

        A line longer than ``max_words`` can never be boilerplate; it only tells reprints of
        one story apart from other stories, so it is kept as a short digest.
        """
        out: set[str] = set()
        for line in lines:
            k = self.key(line)
            if not k:
                continue
            if _words_upto(k, self.max_words) > self.max_words:
                k = _LONG + hashlib.blake2b(k.encode("utf-8"), digest_size=12).hexdigest()
            out.add(k)
        return frozenset(out)

    def add_keys(self, source: str, keys: frozenset[str]) -> None:
        """Count one article of ``source`` by its :meth:`line_keys`."""
        outlet = self._outlet(source)
        self._articles[outlet].append(keys)
        self._names.setdefault(outlet, source)
        self._learned.pop(outlet, None)

    def articles(self, source: str) -> int:
        """How many articles of ``source`` have been added."""
        return len(self._articles.get(self._outlet(source), ()))

    def _learn(self, outlet: str) -> _Learned:
        cached = self._learned.get(outlet)
        if cached is not None:
            return cached
        docs = self._articles.get(outlet, [])
        holders: dict[str, list[int]] = defaultdict(list)
        for d, keys in enumerate(docs):
            for k in keys:
                holders[k].append(d)
        shared: dict[tuple[int, int], int] = defaultdict(int)
        for held in holders.values():
            if 1 < len(held) <= COPY_MAX_LINE_ARTICLES:
                for x, a in enumerate(held):
                    for b in held[x + 1 :]:
                        shared[a, b] += 1
        groups = DisjointSets(range(len(docs)))
        for (a, b), n in shared.items():
            if n >= max(COPY_MIN_LINES, COPY_SHARE * min(len(docs[a]), len(docs[b]))):
                groups.union(a, b)
        stories = len({groups.find(d) for d in range(len(docs))})
        lines = {
            k: (len(held), len({groups.find(d) for d in held}), _reads_as_prose(k))
            for k, held in holders.items()
            if len(held) >= self.min_articles and not k.startswith(_LONG)
        }
        learned = _Learned(len(docs), stories, lines)
        self._learned[outlet] = learned
        return learned

    def learned(self, source: str) -> dict[str, int]:
        """The outlet's boilerplate lines (in :meth:`key` form) → number of articles holding it."""
        return self._boilerplate(self._outlet(source))

    def _boilerplate(self, outlet: str) -> dict[str, int]:
        learned = self._learn(outlet)
        return {
            k: n
            for k, (n, stories, prose) in learned.lines.items()
            if self._qualifies(stories, learned.stories, prose)
        }

    def _qualifies(self, stories: int, total: int, prose: bool) -> bool:
        needed = max(self.min_articles, PROSE_MIN_STORIES) if prose else self.min_articles
        return stories >= needed and stories >= self.min_share * total

    def _reasons(self, outlet: str) -> dict[str, str]:
        """The outlet's boilerplate lines → why ("repeated in N of M <source> articles")."""
        total, name = self._learn(outlet).articles, self._names[outlet]
        return {
            k: f"repeated in {n} of {total} {name} articles"
            for k, n in self._boilerplate(outlet).items()
        }

    def rules(self) -> BoilerplateRules:
        """What was learned, as the small table removing lines needs (it travels to workers;
        the learner, which holds every article's line keys, stays where it learned)."""
        return BoilerplateRules({outlet: self._reasons(outlet) for outlet in self._articles})

    def reason(self, source: str | None, line: str) -> str | None:
        """Why ``line`` is boilerplate of ``source`` ("repeated in N of M <source> articles")."""
        if source is None:
            return None
        outlet = self._outlet(source)
        if outlet not in self._articles:
            return None
        return self._reasons(outlet).get(self.key(line))


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """Each outlet's boilerplate lines (in :meth:`OutletBoilerplate.key` form) and why."""

    table: dict[str, dict[str, str]]

    def lines_of(self, source: str | None) -> Mapping[str, str]:
        """The boilerplate lines of ``source`` (in :meth:`OutletBoilerplate.key` form) → why,
        as :meth:`OutletBoilerplate.reason` says it; empty for an outlet with none.  Looked up
        once for all of an article's lines."""
        return {} if source is None else self.table.get(normalise_for_hash(source), {})
