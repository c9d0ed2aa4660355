"""Named entities: spaCy's, repaired where it slips on news, canonicalised across a story.

Repairs: titles and ranks ("Major-General", "Dr.", "PM", "General (retd.)") are moved out of
the name into the person's titles, and taken in when spaCy left them outside the entity;
possessive endings are cut ("Khalilzad’s"); a single word tagged as a place or organisation
that is the surname of a person of the story becomes that person (and a "person" that the
story mostly names as a place becomes the place).

Canonicalisation: persons are clustered by surname ("Ghafoor" ⊂ "Asif Ghafoor"), the fullest
name is canonical; roles come from appositions and compound nouns ("Pakistan army spokesman
Major-General Asif Ghafoor", "Ghafoor, the Director General of ISPR") and let "the army
spokesman" or "the premier" be counted as mentions of that person.  Other entities are merged
on a normalised form, with common country abbreviations and parenthesised acronyms as aliases.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from presslens.model import Entity, Mention

TYPES: Mapping[str, str] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "DATE": "date",
}
#: words that title or rank a person; kept as titles, never part of the canonical name
TITLE_WORDS: frozenset[str] = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "president",
        "vice",
        "prime",
        "minister",
        "pm",
        "general",
        "gen",
        "major",
        "lieutenant",
        "lt",
        "colonel",
        "col",
        "captain",
        "capt",
        "admiral",
        "adm",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "ambassador",
        "secretary",
        "chief",
        "judge",
        "justice",
        "sir",
        "lord",
        "lady",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "sheikh",
        "shaikh",
        "imam",
        "rev",
        "reverend",
        "father",
        "mayor",
        "chairman",
        "chairwoman",
        "chancellor",
        "commander",
        "brigadier",
        "sergeant",
        "sgt",
        "marshal",
        "field",
        "corporal",
        "cpl",
        "private",
        "pvt",
        "foreign",
        "defence",
        "defense",
        "interior",
        "finance",
        "deputy",
        "former",
        "retd",
        "retired",
        "emir",
        "sultan",
        "ayatollah",
        "cardinal",
        "bishop",
        "rabbi",
        "speaker",
        "premier",
        "attorney",
        "inspector",
        "superintendent",
        "director",
        "leader",
    ]
)
#: role words that name the same office
_ROLE_CANON: Mapping[str, str] = {
    "pm": "prime minister",
    "premier": "prime minister",
    "prime minister": "prime minister",
    "spokesperson": "spokesman",
    "spokeswoman": "spokesman",
    "spokesman": "spokesman",
    "envoy": "envoy",
    "special envoy": "envoy",
    "special representative": "envoy",
    "gov": "governor",
    "sen": "senator",
    "rep": "representative",
    "gen": "general",
    "pres": "president",
    "congresswoman": "congressman",
}
#: roles too generic to stand for one person of the story ("the man", "the official")
_GENERIC_ROLES = frozenset({"man", "woman", "people", "official", "person", "member", "former"})
#: forms of one country or body that differ in more than case and dots
_ALIAS_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"us", "united states", "usa", "united states of america", "america"}),
    frozenset({"uk", "united kingdom", "britain", "great britain"}),
    frozenset({"un", "united nations"}),
    frozenset({"eu", "european union"}),
)
_POSSESSIVE = ("'s", "’s", "'", "’")
_PAREN_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z.&-]{1,9})\)\s*$")
_SKIP_IN_ACRONYM = frozenset({"of", "the", "and", "for", "&"})
_HYPHENS = re.compile(r"[-‐–]")
_LEADING_THE = re.compile(r"^the\s+")
_TRAILING_POSSESSIVE = re.compile(r"'s?$")
_ROLE_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True, slots=True)
class RawMention:
    """One entity mention of one article, after repairs.

    ``start``/``end`` cover the mention as written, titles included; ``name`` is the name
    without titles or possessive.
    """

    article_id: str
    start: int
    end: int
    name: str
    type: str
    titles: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    acronym: str | None = None


def _is_title(tok: Any) -> bool:
    low: str = tok.lower_.rstrip(".")
    if low in TITLE_WORDS:
        return bool(tok.text[:1].isupper()) or low == "pm"
    parts = [p for p in _HYPHENS.split(low) if p]
    return len(parts) > 1 and all(p in TITLE_WORDS for p in parts)


def _title_run_left(doc: Any, i: int) -> int:
    """Index of the first token of the run of titles that ends just before token ``i``."""
    j = i
    while j > 0:
        prev = doc[j - 1]
        if _is_title(prev) or (prev.text in ("-", "‐", ".") and j > 1 and _is_title(doc[j - 2])):
            j -= 1
        elif (
            prev.text == ")" and j > 3 and doc[j - 2].lower_.rstrip(".") in ("retd", "retired", "r")
        ):
            # "General (retd.) Talat Masood"
            k = j - 2
            while k > 0 and doc[k].text != "(":
                k -= 1
            j = k
        else:
            break
    return j


def _phrase(tokens: Iterable[Any]) -> str:
    toks = [t for t in tokens if (t.dep_ != "det" and not t.is_punct) or t.text in ("(", ")", "-")]
    text = "".join(t.text_with_ws for t in toks).strip(" ,(")
    return " ".join(text.split())


def _role_phrase(head: Any, exclude: set[int]) -> str | None:
    """A role from a noun: its left modifiers, itself and an "of ..." complement."""
    if head.pos_ not in ("NOUN", "PROPN") or head.i in exclude:
        return None
    toks = [
        t for t in head.subtree if t.i not in exclude and t.dep_ not in ("relcl", "acl", "appos")
    ]
    toks = [t for t in toks if t.i >= head.left_edge.i][:12]
    if any(t.ent_type_ == "PERSON" for t in toks):
        return None
    phrase = _phrase(toks)
    return phrase or None


#: endings of nouns that name a person by office or trade (spokesman, analyst, minister)
_ROLE_ENDINGS = ("man", "woman", "person", "ist", "er", "or", "ent", "ant", "ary", "al", "ian")


def role_like(word: str) -> bool:
    """A lower-case noun that names a person by office or trade (spokesman, analyst)."""
    return word.islower() and word.endswith(_ROLE_ENDINGS) and not word.endswith(("ers", "ment"))


def _role_like(tok: Any) -> bool:
    return bool(tok.tag_ == "NN") and str(tok.lower_).endswith(_ROLE_ENDINGS)


def _roles_of(doc: Any, start: int, end: int, name_root: Any) -> list[str]:
    roles: list[str] = []
    exclude = set(range(start, end))
    # compound nouns before the titles: "Pakistan army spokesman Major-General Asif Ghafoor"
    j = start
    nouns: list[str] = []
    while j > 0 and doc[j - 1].pos_ == "NOUN" and doc[j - 1].text.islower() and len(nouns) < 3:
        nouns.insert(0, doc[j - 1].text)
        j -= 1
    if nouns and _role_like(doc[start - 1]):
        roles.append(" ".join(nouns))
    elif start > 1 and doc[start - 1].text == "," and _role_like(doc[start - 2]):
        # "Foreign Office spokesperson, Dr. Mohammad Faisal"
        head = doc[start - 2]
        if head.text.islower():
            left = head.i
            while left > 0 and doc[left - 1].dep_ == "compound" and doc[left - 1].head.i <= head.i:
                left -= 1
            roles.append(_phrase(doc[left : head.i + 1]))
    for child in name_root.children:
        if child.dep_ == "appos":
            role = _role_phrase(child, exclude)
            if role:
                roles.append(role)
    if name_root.dep_ == "appos":
        # "Foreign Office spokesperson, Dr. Mohammad Faisal"
        role = _role_phrase(name_root.head, exclude | {t.i for t in name_root.subtree})
        if role:
            roles.append(role)
    return roles


def _lone_entity(doc: Any, i: int) -> bool:
    """Token ``i`` is a one-word entity ("Qureshi" tagged ORG right after "Shah Mahmood")."""
    return bool(doc[i].ent_iob_ == "B") and (i + 1 >= len(doc) or doc[i + 1].ent_iob_ != "I")


def article_mentions(doc: Any, article_id: str) -> list[RawMention]:
    """Entity mentions of one parsed article, repaired (see the module docstring)."""
    out: list[RawMention] = []
    consumed: set[int] = set()
    for ent in doc.ents:
        etype = TYPES.get(ent.label_)
        if etype is None or ent.start in consumed:
            continue
        toks = list(ent)
        # an entity never runs over a line break: keep its longest line
        lines: list[list[Any]] = [[]]
        for t in toks:
            if "\n" in t.text:
                lines.append([])
            else:
                lines[-1].append(t)
        toks = max(lines, key=len)
        while toks and (toks[-1].text in _POSSESSIVE or toks[-1].is_punct):
            toks = toks[:-1]
        while toks and (toks[0].is_punct or toks[0].lower_ == "the"):
            toks = toks[1:]
        if not toks:
            continue
        titles: list[str] = []
        name_toks = list(toks)
        if etype in ("person", "organisation", "place"):
            k = 0
            while k < len(name_toks) - 1 and (
                _is_title(name_toks[k]) or name_toks[k].text in ("-", "‐", ".")
            ):
                k += 1
            if k:
                titles.append(_phrase(name_toks[:k]))
                name_toks = name_toks[k:]
                if etype != "person" and all(t.text[:1].isupper() for t in name_toks):
                    etype = "person"
        if not name_toks:
            continue
        if etype == "person":
            # the model sometimes stops one word short ("Shah Mahmood" Qureshi)
            nxt = name_toks[-1].i + 1
            while (
                nxt < len(doc)
                and doc[nxt].pos_ == "PROPN"
                and (doc[nxt].ent_iob_ == "O" or _lone_entity(doc, nxt))
                and doc[nxt].text[:1].isupper()
                and "\n" not in doc[nxt - 1].whitespace_
            ):
                name_toks.append(doc[nxt])
                consumed.add(nxt)
                nxt += 1
        start_i = name_toks[0].i
        roles: list[str] = []
        if etype == "person":
            left = _title_run_left(doc, toks[0].i)
            if left < toks[0].i:
                titles.insert(0, _phrase(doc[left : toks[0].i]))
            start_i = min(left, toks[0].i)
            roles = _roles_of(doc, start_i, name_toks[-1].i + 1, name_toks[-1])
        name = " ".join("".join(t.text_with_ws for t in name_toks).split())
        if name.endswith(_POSSESSIVE):
            name = name[: -2 if name.endswith(("'s", "’s")) else -1]
        acronym = None
        m = _PAREN_ACRONYM.search(name)
        if m and etype == "organisation":
            acronym = m.group(1)
            name = name[: m.start()]
        if not name.strip() or (etype == "person" and not any(c.isupper() for c in name)):
            continue
        first = doc[start_i]
        last = name_toks[-1]
        out.append(
            RawMention(
                article_id=article_id,
                start=first.idx,
                end=last.idx + len(last.text),
                name=name,
                type=etype,
                titles=tuple(t for t in titles if t),
                roles=tuple(roles),
                acronym=acronym,
            )
        )
    return out


def _key(name: str) -> str:
    k = name.casefold().replace(".", "").replace("’", "'")
    k = _LEADING_THE.sub("", k)
    k = _TRAILING_POSSESSIVE.sub("", k)
    k = " ".join(k.split())
    for group in _ALIAS_GROUPS:
        if k in group:
            return min(group, key=lambda g: (-len(g), g))
    return k


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in _SKIP_IN_ACRONYM)


def role_keys(phrase: str) -> set[str]:
    """Normalised keys of a role or title phrase ("the army spokesman" → spokesman, ...)."""
    words = [w for w in _ROLE_WORD.findall(phrase.casefold()) if w not in ("the", "a", "an")]
    if not words:
        return set()
    candidates = {words[-1], " ".join(words[-2:]), " ".join(words)}
    return {_ROLE_CANON.get(k, k) for k in candidates} - _GENERIC_ROLES


def _keys_of(roles: Iterable[str]) -> set[str]:
    """Role keys of every role or title phrase of ``roles``."""
    return set().union(*(role_keys(r) for r in roles))


@lru_cache(maxsize=4096)
def _held_keys(roles: tuple[str, ...]) -> frozenset[str]:
    """:func:`_keys_of` an entity's roles, worked out once per set of roles, not per look-up."""
    return frozenset(_keys_of(roles))


@dataclass
class _Cluster:
    type: str
    names: Counter[str] = field(default_factory=Counter)
    titles: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[str, int, int, str]] = field(default_factory=list)

    def add(self, m: RawMention, surface: str) -> None:
        self.names[m.name] += 1
        self.titles.extend(t for t in m.titles if t not in self.titles)
        self.roles.extend(r for r in m.roles if r not in self.roles)
        if surface not in self.aliases:
            self.aliases.append(surface)
        if m.acronym and m.acronym not in self.aliases:
            self.aliases.append(m.acronym)
        self.mentions.append((m.article_id, m.start, m.end, surface))

    @property
    def canonical(self) -> str:
        longest = max(len(n.split()) for n in self.names)
        full = [(c, n) for n, c in self.names.items() if len(n.split()) == longest]
        return max(full, key=lambda cn: (cn[0], len(cn[1])))[1]


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """A story's canonical entities and the mentions that point at them, per article."""

    entities: tuple[Entity, ...]
    #: article id → sorted (start, end, entity index)
    spans: Mapping[str, tuple[tuple[int, int, int], ...]]

    def mention_at(self, article_id: str, start: int, end: int) -> tuple[int, int, Entity] | None:
        """The entity mentioned in ``[start, end)`` with its mention's span, persons first,
        then the longest overlap."""
        best: tuple[int, int] | None = None
        chosen: tuple[int, int, Entity] | None = None
        for s, e, k in self.spans.get(article_id, ()):
            if s >= end:
                break
            shared = min(e, end) - max(s, start)
            if shared <= 0:
                continue
            ent = self.entities[k]
            rank = (int(ent.type == "person"), shared)
            if best is None or rank > best:
                best, chosen = rank, (s, e, ent)
        return chosen

    def nearest(
        self,
        article_id: str,
        before: int,
        types: frozenset[str],
        *,
        skip: Sequence[tuple[int, int]] = (),
        role: set[str] | None = None,
        within: int | None = None,
    ) -> Entity | None:
        """The entity of ``types`` mentioned last before ``before`` outside ``skip`` spans.

        With ``role``, only persons holding one of those role keys qualify.
        """
        spans = self.spans.get(article_id, ())
        pos = bisect_right(spans, before, key=itemgetter(0))
        for s, e, k in reversed(spans[:pos]):
            if e > before:
                continue
            ent = self.entities[k]
            fits = ent.type in types and (role is None or bool(role & _held_keys(ent.roles)))
            if not fits and within is None:
                # with no reach, a mention that does not fit is passed over whether skipped
                # or not: test that first, the skipped spans only for the ones that fit
                continue
            if any(a <= s < b for a, b in skip):
                continue
            if within is not None and before - e > within:
                return None
            if fits:
                return ent
        return None

    def by_surname(self, surface: str) -> Entity | None:
        """The one person of the story whose surname ends ``surface`` ("Ghafoor")."""
        words = surface.split()
        if not words or not words[-1][:1].isupper():
            return None
        last = words[-1].casefold()
        hits = [
            e for e in self.entities if e.type == "person" and e.name.casefold().split()[-1] == last
        ]
        return hits[0] if len(hits) == 1 else None

    def with_role(self, keys: set[str]) -> list[Entity]:
        """Persons of the story holding one of the role ``keys``, most mentioned first."""
        hits = [e for e in self.entities if e.type == "person" and keys & _held_keys(e.roles)]
        return sorted(hits, key=lambda e: -sum(e.mentions.values()))


def _merge_persons(mentions: Sequence[RawMention]) -> list[tuple[_Cluster, list[RawMention]]]:
    persons = [m for m in mentions if m.type == "person"]
    names = sorted({m.name for m in persons}, key=lambda n: (-len(n.split()), n))
    counts = Counter(m.name for m in persons)
    owner: dict[str, int] = {}
    clusters: list[set[str]] = []
    for name in names:
        words = name.casefold().split()
        fits = []
        for k, members in enumerate(clusters):
            full = max(members, key=lambda n: len(n.split())).casefold().split()
            if (words[-1] == full[-1] and set(words) <= set(full)) or (
                len(words) == 1 and words[0] == full[0] and len(full) > 1
            ):
                fits.append(k)
        if fits:
            k = max(fits, key=lambda c: sum(counts[n] for n in clusters[c]))
            clusters[k].add(name)
            owner[name] = k
        else:
            owner[name] = len(clusters)
            clusters.append({name})
    out: list[tuple[_Cluster, list[RawMention]]] = [(_Cluster("person"), []) for _ in clusters]
    for m in persons:
        out[owner[m.name]][1].append(m)
    return out


def build_index(
    mentions: Sequence[RawMention],
    docs: Mapping[str, Any],
    texts: Mapping[str, str] | None = None,
) -> EntityIndex:
    """Canonical entities of a story from its articles' mentions (``docs``: id → parsed doc;
    ``texts``: id → the doc's text, when the caller has read it)."""
    if texts is None:
        texts = {aid: d.text for aid, d in docs.items()}
    mentions = _retype(mentions)
    groups = _merge_persons(mentions)
    for cluster, members in groups:
        for m in members:
            cluster.add(m, texts[m.article_id][m.start : m.end])
    by_key: dict[str, _Cluster] = {}
    acronyms: dict[str, str] = {}
    for m in mentions:
        if m.type == "person":
            continue
        key = f"{m.type}:{_key(m.name)}"
        if m.acronym:
            acronyms[f"{m.type}:{_key(m.acronym)}"] = key
        by_key.setdefault(key, _Cluster(m.type)).add(m, texts[m.article_id][m.start : m.end])
    for short, full in acronyms.items():
        if short in by_key and full in by_key and short != full:
            src = by_key.pop(short)
            _absorb(by_key[full], src)
    orgs = [k for k in by_key if k.startswith("organisation:") and " " in k]
    for k in [k for k in by_key if k.startswith("organisation:") and " " not in k]:
        target = [o for o in orgs if _initials(o.split(":", 1)[1]) == k.split(":", 1)[1]]
        if len(target) == 1 and k in by_key:
            _absorb(by_key[target[0]], by_key.pop(k))
    clusters = [c for c, _ in groups] + list(by_key.values())
    _surname_mentions([c for c, _ in groups], docs)
    _role_mentions(clusters, docs)
    return _finish(clusters)


def _absorb(into: _Cluster, src: _Cluster) -> None:
    into.names.update({n: 0 for n in src.names})
    into.aliases.extend(a for a in src.aliases if a not in into.aliases)
    into.mentions.extend(src.mentions)


def _retype(mentions: Sequence[RawMention]) -> list[RawMention]:
    """A surname tagged as a place is the person; a mostly-place "person" is a place."""
    surnames = {m.name.split()[-1].casefold() for m in mentions if m.type == "person"}
    fulls = {m.name.casefold() for m in mentions if m.type == "person" and " " in m.name}
    place_votes = Counter(m.name.casefold() for m in mentions if m.type == "place")
    person_votes = Counter(m.name.casefold() for m in mentions if m.type == "person")
    out = []
    for m in mentions:
        low = m.name.casefold()
        if m.type in ("place", "organisation", "group") and (
            (" " not in low and low in surnames and person_votes[low] + 1 > place_votes[low])
            or low in fulls
        ):
            m = RawMention(m.article_id, m.start, m.end, m.name, "person", m.titles, m.roles)
        elif m.type == "person" and not m.titles and place_votes[low] > person_votes[low]:
            m = RawMention(m.article_id, m.start, m.end, m.name, "place")
        out.append(m)
    return out


def _surname_mentions(persons: list[_Cluster], docs: Mapping[str, Any]) -> None:
    """Count a bare surname spaCy left untagged ("..., Ghafoor, the Director General")."""
    owners: dict[str, list[_Cluster]] = defaultdict(list)
    for c in persons:
        if len(c.canonical.split()) > 1:
            owners[c.canonical.split()[-1]].append(c)
    unique = {k: v[0] for k, v in owners.items() if len(v) == 1}
    if not unique:
        return
    from spacy.attrs import POS
    from spacy.parts_of_speech import PROPN

    for aid, doc in docs.items():
        taken = [(s, e) for c in persons for a, s, e, _ in c.mentions if a == aid]
        # proper nouns picked from the tags, without a Token for every other word
        propn = (doc.to_array([POS]).reshape(-1) == PROPN).nonzero()[0].tolist()
        for tok in (doc[i] for i in propn):
            owner = unique.get(tok.text)
            if owner is None or any(s <= tok.idx < e for s, e in taken):
                continue
            owner.mentions.append((aid, tok.idx, tok.idx + len(tok.text), tok.text))


def _role_mentions(clusters: list[_Cluster], docs: Mapping[str, Any]) -> None:
    """Add "the army spokesman" / "the premier" as mentions of the person with that role."""
    holders: list[tuple[_Cluster, set[str]]] = []
    for c in clusters:
        if c.type == "person":
            keys = _keys_of(c.titles + c.roles)
            if keys:
                holders.append((c, keys))
    if not holders:
        return
    vocabulary = set().union(*(k for _, k in holders))
    for aid, doc in docs.items():
        taken = sorted((s, e) for c in clusters for a, s, e, _ in c.mentions if a == aid)
        for chunk in doc.noun_chunks:
            if chunk[0].lower_ not in ("the", "this", "that") or chunk.root.pos_ != "NOUN":
                continue
            start, end = chunk.start_char, chunk.end_char
            if any(s < end and start < e for s, e in taken):
                continue
            keys = role_keys(chunk.text)
            if not keys & vocabulary or chunk.root.lower_ in _GENERIC_ROLES:
                continue
            fitting = [c for c, k in holders if k & keys]
            before = [
                (max((s for a, s, _, _ in c.mentions if a == aid and s < start), default=-1), c)
                for c in fitting
            ]
            seen = [(s, c) for s, c in before if s >= 0]
            if seen:
                chosen = max(seen, key=lambda sc: sc[0])[1]
            elif len(fitting) == 1:
                chosen = fitting[0]
            else:
                continue
            surface = chunk.text
            if surface not in chosen.aliases:
                chosen.aliases.append(surface)
            chosen.mentions.append((aid, start, end, surface))


def _finish(clusters: Sequence[_Cluster]) -> EntityIndex:
    ordered = sorted(
        (c for c in clusters if c.mentions),
        key=lambda c: (-len(c.mentions), c.type, c.canonical),
    )
    entities: list[Entity] = []
    spans: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for k, c in enumerate(ordered):
        per_article = Counter(a for a, _, _, _ in c.mentions)
        name = c.canonical
        entities.append(
            Entity(
                id=f"e{k + 1}",
                name=name,
                type=c.type,
                aliases=tuple(a for a in c.aliases if a != name),
                roles=tuple(dict.fromkeys(c.titles + c.roles)),
                mentions=dict(sorted(per_article.items())),
                spans=tuple(
                    Mention(a, s, e, t) for a, s, e, t in sorted(c.mentions, key=lambda m: m[:3])
                ),
            )
        )
        for a, s, e, _ in c.mentions:
            spans[a].append((s, e, k))
    return EntityIndex(tuple(entities), {a: tuple(sorted(v)) for a, v in spans.items()})
