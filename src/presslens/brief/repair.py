"""Sentences that read badly out of their article, and how a brief repairs or avoids them.

Taken out of its article a sentence can lose what it leans on: "He said ..." loses the person,
a bare quotation loses its speaker, "Earlier, ..." or "But ..." lose the sentence before.
:func:`assess` says for one sentence whether it can stand alone, can be repaired (and how),
or must be left out of a brief; :func:`repair` produces the repaired text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from presslens.text.dates import MONTHS, WEEKDAYS

# Openers that lean on the sentence before; dropped when that sentence is not in the brief.
_CONNECTIVE = re.compile(
    r"^(?:Earlier|Later|However|Meanwhile|Moreover|Additionally|Furthermore|Nevertheless|"
    r"Nonetheless|Still|Instead|Also|Separately|Similarly|Likewise|Indeed|Besides|Then|"
    r"In addition|In turn|As a result|Even so|At the same time|By contrast|In contrast|"
    r"On the other hand|Otherwise|Thus|Therefore|Hence|Again)\s*,\s+"
    r"|^(?:But|And|So|Yet|Plus|Or)\s+(?=[A-Za-z\"“‘'])"
)
# A subject pronoun that needs a person from the sentences before.
_PERSON_PRONOUN = re.compile(r"^(He|She|His|Her)\b")
# Pronouns and demonstratives whose referent cannot be recovered by a simple rule.
_OPAQUE_START = re.compile(
    r"^(?:(?:It|Its|They|Their|Them|Such|Both)\b"
    r"|(?:This|These|Those|That)\s+(?:is|was|are|were|has|had|have|will|would|could|can|may|"
    r"might|should|must|also|comes|came|means|meant|marks|marked|includes|included)\b"
    r"|(?:This|These|Those|That)[,.]?$)"
)
# "Instead, on Thursday, it sought ...": the same pronouns behind a short opening phrase.
_OPAQUE_AFTER_LEAD = re.compile(
    r"^(?:On|In|At|By|For|Since|After|Before|During|Last|This|Earlier|Later)\b[^,]{1,40},\s+"
    r"(?:it|they|its|their)\b",
    re.IGNORECASE,
)
# "until then", "by then", "since then": a time only the sentence before names.
_BACK_REFERENCE = re.compile(r"\b(?:until|by|since|till)\s+then\b", re.IGNORECASE)
# "...," he said.  A pronoun speaker right after a quotation.
_PRONOUN_SPEAKER = re.compile(r"([”\"’'],?\s+)(he|she)(\s+(?:said|says|added|told|noted|wrote)\b)")
# Verbs of saying after which their speaker may stand ("said Khan") ...
_INVERTING_VERBS = (
    "said|says|added|stated|stressed|noted|explained|wrote|tweeted|declared|insisted|"
    "argued|claimed|announced|replied|continued"
)
_INVERTING = f"(?:{_INVERTING_VERBS})"
# ... and all of them: after "told", "asked" or "warned" stands the one spoken to ("she told
# CBS Sacramento"), so those only follow their speaker.
_SPEECH = f"(?:{_INVERTING_VERBS}|told|warned|asked)"
_NAME = r"((?:[A-Z][\w’'\-]*\.?\s+){0,4}[A-Z][\w’'\-]+)"
# "Tomas Eckley of the Provincial Emergency Service said": the person, not the body.
_AFFILIATION = r"(?:\s+(?:of|from|at)\s+(?:the\s+)?(?:[A-Z][\w’'\-]*\s*){1,6})?"
_SPEAKER_BEFORE_VERB = re.compile(
    _NAME + _AFFILIATION + r"(?:,[^,\"“”]{1,90},)?\s+" + _SPEECH + r"\b"
)
_VERB_BEFORE_SPEAKER = re.compile(_INVERTING + r"\s+" + _NAME)
# Words that end organisation or place names, never a person's surname.
_NOT_PERSON = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "this",
        "that",
        "the",
        "house",
        "ministry",
        "department",
        "office",
        "police",
        "council",
        "government",
        "court",
        "agency",
        "administration",
        "army",
        "military",
        "company",
        "committee",
        "commission",
        "board",
        "party",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "officials",
        "group",
        "union",
        "states",
        "nations",
        "news",
        "times",
        "post",
        "press",
        "reuters",
        "ap",
        "afp",
        "cnn",
        "bbc",
        "report",
        "statement",
        "alliance",
        "service",
        "association",
        "institute",
        "foundation",
        "federation",
        "coalition",
        "network",
        "bank",
        "university",
        "hospital",
        "church",
        "club",
        "league",
        "corporation",
        "organisation",
        "organization",
        "authority",
        "bureau",
        "centre",
        "center",
        "trust",
        "fund",
    ]
)
# Capitalised words of time that follow a verb of saying as a person's name would ("May"
# is left out: it is also a surname).
_WHEN = frozenset([*WEEKDAYS, *MONTHS, "today", "tonight", "yesterday", "tomorrow"]) - {"may"}
# Sentence-initial capitalised words that are not part of a name.
_LEAD_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "but",
        "and",
        "so",
        "when",
        "while",
        "after",
        "before",
        "as",
        "if",
        "however",
        "meanwhile",
        "according",
        "then",
        "also",
        "earlier",
        "later",
        "for",
        "from",
        "with",
        "by",
    ]
)


# "According to the ministry, ..." and "..., officials said Tuesday." / "..., according to
# the data." / "..., said Jane Doe.": the source of a reported fact, which a brief's citations
# already give.  Only a named or institutional speaker is trimmed ("he said" keeps its place:
# the pronoun points at a person the brief may name) and only at the very end of a sentence.
_ATTR_VERB = (
    r"(?:said|says|told|added|stated|noted|explained|wrote|tweeted|announced|reported|reports)"
)
_ATTR_WHEN = (
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"today|yesterday))?"
)
_CAP = r"[A-Z][\w.'’\-]*"
_LEADING_ATTRIBUTION = re.compile(r"^According to [^,\"“”]{2,60},\s+(?=\S)")
_TRAILING_ATTRIBUTION = re.compile(
    r",\s+(?:according to [^,\"“”]{2,60}"
    r"|(?:(?:the|a|an)\s+)?(?:[A-Za-z][\w.'’\-]*\s+){0,4}?"
    r"(?:" + _CAP + r"|officials|police|authorities|sources|campaign|spokesman|spokeswoman"
    r"|spokesperson)\s+"
    + _ATTR_VERB
    + r"(?:\s+(?:The\s+)?"
    + _CAP
    + r"){0,3}"
    + _ATTR_WHEN
    + r"|"
    + _ATTR_VERB
    + r"\s+(?:"
    + _CAP
    + r"\s*){1,5})\.$"
)
#: a trailing attribution is trimmed only when this much of the sentence is left (characters):
#: "Prices rose, the bank said." keeps its speaker, a short claim needs it
_ATTRIBUTION_MIN_KEPT = 40


def strip_attribution(text: str) -> str:
    """``text`` without a leading "According to X," or a trailing ", X said." attribution.

    A sentence with a quotation keeps its attribution (the speaker of a quote is part of the
    information), and so does one whose claim would be left shorter than 40 characters.
    """
    if any(q in text for q in '"“”'):
        return text
    m = _LEADING_ATTRIBUTION.match(text)
    if m:
        rest = text[m.end() :]
        text = rest[:1].upper() + rest[1:]
    m = _TRAILING_ATTRIBUTION.search(text)
    if m and m.start() >= _ATTRIBUTION_MIN_KEPT:
        text = text[: m.start()] + "."
    return text


@dataclass(frozen=True, slots=True)
class Assessment:
    """How a sentence fares out of context.

    ``ok``: usable in a brief; ``repair``: the kind of repair needed when the sentence before
    it in its article is not before it in the brief ("connective", "pronoun", "speaker",
    "pronoun-speaker"), or ``None``; ``name``: the surname a pronoun repair puts in.
    """

    ok: bool
    repair: str | None = None
    name: str | None = None


def _surname(candidate: str) -> str | None:
    words = candidate.split()
    while words and words[0].casefold() in _LEAD_WORDS:
        words = words[1:]
    if not words:
        return None
    last = words[-1].rstrip(".,’'")
    if last.endswith(("’s", "'s")):
        return None
    if last.casefold() in _NOT_PERSON or not last[:1].isupper() or len(last) < 2:
        return None
    # "Trump tweeted Friday": the word after a verb of saying can be when, not who
    if last.casefold() in _WHEN:
        return None
    return last


def find_speaker(texts: Sequence[str]) -> str | None:
    """The surname of the last person quoted as speaking in ``texts`` (nearest last)."""
    for text in reversed(texts):
        found: list[tuple[int, str]] = []
        for m in _SPEAKER_BEFORE_VERB.finditer(text):
            name = _surname(m.group(1))
            if name:
                found.append((m.start(1), name))
        for m in _VERB_BEFORE_SPEAKER.finditer(text):
            name = _surname(m.group(1))
            if name:
                found.append((m.start(1), name))
        if found:
            return max(found)[1]
    return None


def _quote_balance(text: str) -> int:
    straight = text.count('"')
    curly_open = text.count("“")
    curly_close = text.count("”")
    if curly_open or curly_close:
        return curly_open - curly_close
    return straight % 2


def _is_bare_quote(text: str) -> bool:
    t = text.strip()
    if not t or t[0] not in '"“':
        return False
    inner = t[1:]
    close = max(inner.rfind('"'), inner.rfind("”"))
    return close >= len(inner) - 2 and '"' not in inner[:close] and "”" not in inner[:close]


def _opens(text: str, i: int) -> bool:
    """Whether the straight quotation mark at ``text[i]`` can open a quotation.

    One that ends a word ("arrest illegals\".") closes; outside a quotation it is a stray
    mark of the source, and taking it for an opening one would "complete" a quotation that
    never began.
    """
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in ".,!?;:")


def complete_quotes(texts: Sequence[str], breaks: Sequence[bool]) -> tuple[list[str], list[int]]:
    """Close the quotation marks of sentences that are part of a multi-sentence quotation.

    ``breaks[k]`` is true when sentence ``k`` starts a paragraph (a quotation never runs on
    across one here).  Returns the completed texts and, for each sentence, the index of the
    sentence that closes its quotation (itself when it is not inside one), where the
    speaker usually stands: ``"First. Last," he said.``
    """
    out = list(texts)
    closer = list(range(len(texts)))
    inside = False
    opened_at = 0
    style = "“"
    for k, text in enumerate(texts):
        if k < len(breaks) and breaks[k]:
            inside = False
        starts_inside = inside
        for i, ch in enumerate(text):
            if ch == "“":
                inside, style = True, "“"
            elif ch == "”":
                inside = False
            elif ch == '"' and (inside or _opens(text, i)):
                inside, style = not inside, '"'
        if starts_inside:
            out[k] = ("“" if style == "“" else '"') + out[k]
        else:
            opened_at = k
        if inside:
            out[k] = out[k] + ("”" if style == "“" else '"')
        if starts_inside and not inside:
            for j in range(opened_at, k + 1):
                closer[j] = k
    return out, closer


def assess(texts: Sequence[str], index: int, closer: int | None = None) -> Assessment:
    """Whether sentence ``index`` of an article (``texts``) can stand in a brief, and how.

    ``closer`` is the sentence that closes the quotation sentence ``index`` belongs to
    (see :func:`complete_quotes`).
    """
    text = texts[index]
    if _quote_balance(text) != 0:
        return Assessment(ok=False)
    before = texts[max(0, index - 3) : index]
    if _is_bare_quote(text):
        if closer is not None and closer > index:
            name = find_speaker([*texts[max(0, closer - 3) : closer], texts[closer]])
        else:
            name = find_speaker(before) or find_speaker(texts[index + 1 : index + 2])
        return Assessment(ok=name is not None, repair="speaker", name=name)
    m = _PERSON_PRONOUN.match(text)
    if m:
        name = find_speaker(before)
        return Assessment(ok=name is not None, repair="pronoun", name=name)
    # what is left once a connective is dropped ("But he really did ...") must stand alone too
    core = _capitalise(_CONNECTIVE.sub("", text, count=1))
    if (
        _OPAQUE_START.match(core)
        or _OPAQUE_AFTER_LEAD.match(core)
        or (core != text and _PERSON_PRONOUN.match(core))
        or _BACK_REFERENCE.search(text)
    ):
        return Assessment(ok=False)
    if _PRONOUN_SPEAKER.search(text):
        name = find_speaker(before)
        return Assessment(ok=name is not None, repair="pronoun-speaker", name=name)
    if _CONNECTIVE.match(text):
        return Assessment(ok=True, repair="connective")
    return Assessment(ok=True)


def _capitalise(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


def repair(text: str, how: Assessment) -> str:
    """``text`` made to stand alone as ``how`` says (unchanged when no repair applies)."""
    if how.repair == "connective":
        return _capitalise(_CONNECTIVE.sub("", text, count=1))
    if how.name is None:
        return text
    if how.repair == "pronoun":
        m = _PERSON_PRONOUN.match(text)
        if m is None:
            return text
        word = how.name + ("’s" if m.group(1) in {"His", "Her"} else "")
        return word + text[m.end() :]
    if how.repair == "pronoun-speaker":
        name = how.name
        return _PRONOUN_SPEAKER.sub(lambda g: g.group(1) + name + g.group(3), text, count=1)
    if how.repair == "speaker":
        t = text.rstrip()
        close = t[-1]
        body = t[:-1].rstrip()
        if body.endswith("."):
            body = body[:-1] + ","
        elif body[-1:] not in {",", "?", "!"}:
            body = body + ","
        return f"{body}{close} {how.name} said."
    return text
