"""How each outlet tells the story: distinctive terms, distancing, attribution verbs, voices.

Distinctive terms use the weighted log-odds ratio with an informative Dirichlet prior of
Monroe, Colaresi & Quinn (2008, "Fightin' Words"): each outlet's n-gram counts against the
other outlets' pooled counts, with the story's own pooled frequencies as the prior, and a
z-score per term so that rare words do not dominate.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from presslens.compare.align import Sent
from presslens.model import (
    Article,
    Distancing,
    Framing,
    FramingTerm,
    LoadedTerm,
    Quote,
    Voices,
)
from presslens.text.sentences import SENTENCE_END, strip_dateline
from presslens.text.words import FUNCTION_WORDS, words

_DISTANCING = re.compile(
    r"\b(?P<marker>so[- ]called|alleged(?:ly)?|purported(?:ly)?|self[- ]styled|supposed(?:ly)?|"
    r"self[- ]proclaimed|would-be)\s+(?=(?P<rest>[^.,;:!?()\"“”]{1,80}))",
    re.IGNORECASE,
)
# Words that end the phrase a distancing marker applies to ("so-called war on terror in 2001").
_PHRASE_END = frozenset(
    [
        "in",
        "at",
        "since",
        "that",
        "which",
        "who",
        "and",
        "but",
        "as",
        "for",
        "with",
        "by",
        "from",
        "when",
        "while",
        "after",
        "before",
        "during",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "to",
    ]
)
_MAX_PHRASE = 4
_SCARE = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=\())(?:“([^“”]{1,40})”|‘([^‘’]{1,40})’|\"([^\"]{1,40})\")"
)
_SPEECH_BEFORE = re.compile(
    r"(?:said|says|told|asked|added|wrote|stated|called it|:)\s*,?\s*$", re.IGNORECASE
)
_MAX_SCARE_WORDS = 3
_MARKER_BEFORE = re.compile(r"(?:so[- ]called|alleged|purported|self[- ]styled)\s*$", re.IGNORECASE)

# Attribution verbs by lemma.  "said" is the neutral default; the others carry a judgement
# (claimed: doubt, admitted: concession, insisted: defensiveness).
_VERBS = {
    "said": "said", "says": "said", "say": "said", "told": "told", "tells": "told",
    "added": "added", "adds": "added", "stated": "stated",
    "noted": "noted", "notes": "noted", "explained": "explained", "announced": "announced",
    "claimed": "claimed", "claims": "claimed", "insisted": "insisted", "insists": "insisted",
    "admitted": "admitted", "admits": "admitted", "conceded": "conceded", "concedes": "conceded",
    "acknowledged": "acknowledged", "acknowledges": "acknowledged", "argued": "argued",
    "argues": "argued", "asserted": "asserted", "asserts": "asserted", "alleged": "alleged",
    "alleges": "alleged", "warned": "warned", "warns": "warned", "denied": "denied",
    "denies": "denied", "boasted": "boasted", "complained": "complained",
    "stressed": "stressed", "stresses": "stressed", "reiterated": "reiterated",
    "maintained": "maintained", "maintains": "maintained", "suggested": "suggested",
    "charged": "charged", "accused": "accused", "vowed": "vowed", "pledged": "pledged",
    "emphasized": "stressed", "emphasised": "stressed", "reaffirmed": "reiterated",
}  # fmt: skip
_OFFICIAL = frozenset(
    [
        "minister",
        "ministry",
        "president",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "official",
        "officials",
        "embassy",
        "government",
        "police",
        "general",
        "senator",
        "governor",
        "secretary",
        "ambassador",
        "envoy",
        "premier",
        "department",
        "army",
        "military",
        "office",
        "prosecutor",
        "mayor",
        "representative",
        "congressman",
        "congresswoman",
        "lawmaker",
        "administration",
        "commander",
        "chief",
        "director",
        "agency",
        "authorities",
        "pentagon",
        "kremlin",
    ]
)
_ANALYST = frozenset(
    [
        "analyst",
        "analysts",
        "expert",
        "experts",
        "professor",
        "scholar",
        "researcher",
        "fellow",
        "economist",
        "commentator",
        "observer",
        "observers",
        "academic",
    ]
)
_ANONYMOUS = re.compile(
    r"\b(?:officials?|sources?|a\s+spokes(?:man|woman|person)|an?\s+(?:official|aide|source|"
    r"diplomat|person)|people\s+familiar|aides?|diplomats?)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"[A-Z][\w’'-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][\w’'-]+)+")
_QUOTED = re.compile(r"[“\"]([^“”\"]{12,})[”\"]")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})


# Loaded and pejorative words of news copy, written for presslens from the usual pairs of
# style guides (a word that judges where a plain one would report), each with the plain
# words other outlets use for the same thing.  Deliberately small: a word here is reported
# on every outlet that uses it in its own voice, so only words that nearly always judge are
# listed (not "protest", "cut" or "crisis").
_LOADED: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"rioters?", ("protesters", "protester", "demonstrators", "strikers")),
    (r"mobs?", ("crowd", "crowds", "protesters")),
    (r"thugs?", ("protesters", "attackers", "men")),
    (r"(?:militant\s+)?union\s+bosses", ("union leaders", "union", "union officials")),
    (r"militants?", ("fighters", "activists", "members")),
    (r"agitators?", ("activists", "protesters")),
    (r"extremists?", ("activists",)),
    (r"cronies", ("allies", "associates")),
    (r"regime", ("government", "administration")),
    (r"illegals", ("immigrants", "migrants")),
    (r"hordes?", ("crowds", "groups")),
    (r"hold(?:s|ing)?\s+(?:[\w’']+\s+){0,3}to\s+ransom|held\s+(?:[\w’']+\s+){0,3}to\s+ransom", ()),
    (r"long[- ]overdue", ()),
    (r"austerity(?:\s+drive)?", ("changes", "plan", "reform")),
    (r"power\s+grab", ()),
    (r"witch[- ]hunt", ("investigation", "inquiry")),
    (r"draconian", ()),
    (r"job[- ]killing", ()),
    (r"slash(?:es|ed|ing)?", ("cut", "cuts", "reduce")),
    (r"caved?|caving", ("agreed", "conceded")),
    (r"handouts?", ("benefits", "payments", "aid")),
)  # fmt: skip
_NEUTRAL_WORDS = frozenset(w for _, plain in _LOADED for w in plain)
_LOADED_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<l{i}>{p})" for i, (p, _) in enumerate(_LOADED)) + r")\b",
    re.IGNORECASE,
)
# A quotation of more than this many words is someone else's voice, not the outlet's;
# shorter ones are scare quotes and stay the outlet's.
_OWN_VOICE_MAX_QUOTED = _MAX_SCARE_WORDS
_QUOTATION = re.compile(r"“[^“”]*”|\"[^\"]*\"|‘[^‘’]*’(?!\w)")


def loaded_terms(sent: Sent, neutral_words: frozenset[str]) -> list[LoadedTerm]:
    """Loaded words in a sentence outside quotations, with the neutral word the other
    outlets use for the same thing when they use one (``neutral_words``: their words)."""
    text = sent.ref.text
    quoted = [
        m.span()
        for m in _QUOTATION.finditer(text)
        if len(m.group().split()) > _OWN_VOICE_MAX_QUOTED
    ]
    out = []
    for m in _LOADED_RE.finditer(text):
        if any(s <= m.start() < e for s, e in quoted):
            continue
        i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        neutral = next((w for w in _LOADED[i][1] if w in neutral_words), None)
        out.append(LoadedTerm(m.group(), sent.ref.article_id, sent.ref.id, neutral))
    return out


_POSSESSIVE_END = re.compile(r"'s$")


def _ngrams(text: str) -> Iterable[str]:
    toks = [_POSSESSIVE_END.sub("", w.lower().replace("’", "'")) for w in words(text)]
    # a term neither starts nor ends on a function word or a single letter, and holds no number
    edge = [t not in FUNCTION_WORDS and len(t) >= 2 for t in toks]
    digit = [t.isdigit() for t in toks]
    for n in (1, 2, 3):
        for i in range(len(toks) - n + 1):
            j = i + n
            if edge[i] and edge[j - 1] and not any(digit[i:j]):
                yield " ".join(toks[i:j])


def log_odds(
    counts: Mapping[str, Counter[str]], *, prior_strength: float
) -> dict[str, dict[str, tuple[float, int]]]:
    """Monroe et al. (2008) z-scores of each term for each outlet against the rest.

    Returns outlet → term → (z, count in that outlet).  The prior is the pooled frequency
    of the term in the story, scaled to ``prior_strength`` pseudo-counts.
    """
    pooled: Counter[str] = Counter()
    for c in counts.values():
        pooled.update(c)
    n_all = sum(pooled.values())
    out: dict[str, dict[str, tuple[float, int]]] = {}
    if n_all == 0:
        return {k: {} for k in counts}
    for outlet, c in counts.items():
        n_i = sum(c.values())
        n_j = n_all - n_i
        scores: dict[str, tuple[float, int]] = {}
        for term, y_i in c.items():
            alpha = prior_strength * pooled[term] / n_all
            y_j = pooled[term] - y_i
            d_i = math.log((y_i + alpha) / (n_i + prior_strength - y_i - alpha))
            d_j = math.log((y_j + alpha) / (n_j + prior_strength - y_j - alpha))
            var = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
            scores[term] = ((d_i - d_j) / math.sqrt(var), y_i)
        out[outlet] = scores
    return out


def distancing(sent: Sent) -> list[Distancing]:
    """Distancing markers and scare quotes in one sentence."""
    text = sent.ref.text
    out = []
    for m in _DISTANCING.finditer(text):
        quoted = _SCARE.match(text, m.start("rest"))
        if quoted:
            # "so-called ‘reform’": the marker and the quotation marks are one distancing.
            term = next(g for g in quoted.groups() if g is not None).strip()
            marker = m.group("marker").lower().replace(" ", "-")
            out.append(Distancing(marker, term, sent.ref.article_id, sent.ref.id))
            continue
        phrase: list[str] = []
        for w in m.group("rest").split():
            if w.lower() in _PHRASE_END or len(phrase) == _MAX_PHRASE:
                break
            phrase.append(w.strip("'’"))
        if phrase:
            marker = m.group("marker").lower().replace(" ", "-")
            out.append(Distancing(marker, " ".join(phrase), sent.ref.article_id, sent.ref.id))
    for m in _SCARE.finditer(text):
        term = next(g for g in m.groups() if g is not None).strip()
        n_words = len(term.split())
        if not 0 < n_words <= _MAX_SCARE_WORDS or term[-1:] in ".,!?":
            continue
        if _SPEECH_BEFORE.search(text[: m.start()]) or _MARKER_BEFORE.search(text[: m.start()]):
            continue
        out.append(Distancing("scare quotes", term, sent.ref.article_id, sent.ref.id))
    return out


def _classify(context: str, speaker: str) -> tuple[str, bool]:
    """(official | analyst | other, named) for a speaker seen in ``context``."""
    lowered = {w.lower() for w in words(context)}
    category = "other"
    if lowered & _ANALYST:
        category = "analyst"
    elif lowered & _OFFICIAL:
        category = "official"
    named = bool(_NAME.search(speaker)) and not _ANONYMOUS.fullmatch(speaker.strip())
    return category, named


def _voices_from_quotes(
    quotes: Sequence[Quote], texts: Mapping[str, str]
) -> list[tuple[str, str, bool]]:
    out = []
    for q in quotes:
        speaker = q.speaker_canonical or q.speaker
        if not speaker or speaker.lower() in _PRONOUNS:
            continue
        text = texts.get(q.article_id, "")
        if q.speaker_start is not None and q.speaker_end is not None:
            context = text[max(0, q.speaker_start - 80) : q.speaker_end + 80]
        else:
            context = speaker
        out.append((speaker, *_classify(context, speaker)))
    return out


def _voices_light(sents: Sequence[Sent]) -> list[tuple[str, str, bool]]:
    """Speakers of quoted sentences found without the quotes stage: the name or noun phrase
    next to an attribution verb outside the quotation marks."""
    out = []
    for s in sents:
        text = s.ref.text
        if not _QUOTED.search(text):
            continue
        outside = _QUOTED.sub(" ", text)
        verb = next(
            (m for m in re.finditer(r"[A-Za-z]+", outside) if m.group().lower() in _VERBS), None
        )
        if verb is None:
            continue
        around = outside[max(0, verb.start() - 90) : verb.end() + 90]
        names = [
            m.group()
            for m in _NAME.finditer(around)
            if m.group().split()[0].lower() not in FUNCTION_WORDS
        ]
        if names:
            speaker = min(names, key=lambda n: abs(around.find(n) - 90))
        else:
            anon = _ANONYMOUS.search(around)
            if anon is None:
                continue
            speaker = anon.group()
        out.append((speaker, *_classify(around, speaker)))
    return out


# Bylines, date lines and credits ("By Kaja Dornfeld", "Published: 27 March 2024", "— Meridian
# Wire") are the page's furniture, not how the outlet tells the story: a line this short
# without a sentence's end is left out of the distinctive terms.
_FURNITURE_WORDS = 12


def _prose(text: str) -> bool:
    """Whether a sentence is running text rather than a byline, date line or credit."""
    return text.rstrip().endswith(SENTENCE_END) or len(text.split()) > _FURNITURE_WORDS


def _phrases(sents: Sequence[Sent]) -> set[str]:
    """Lower-cased words and two-word phrases of an outlet, for the neutral-word check."""
    out: set[str] = set()
    for s in sents:
        toks = [w.lower().replace("’", "'") for w in words(s.ref.text)]
        out.update(toks)
        out.update(f"{a} {b}" for a, b in itertools.pairwise(toks))
    return out


def framing(
    articles: Sequence[Article],
    sents: Sequence[Sent],
    quotes: Sequence[Quote] | None,
    *,
    prior_strength: float,
    min_z: float,
    top_terms: int,
) -> list[Framing]:
    """One :class:`Framing` per outlet (``Article.source``, else the article id)."""
    outlet_of = {a.id: a.source or a.id for a in articles}
    by_outlet: dict[str, list[Sent]] = defaultdict(list)
    for s in sents:
        by_outlet[outlet_of[s.ref.article_id]].append(s)
    scores: dict[str, dict[str, tuple[float, int]]] = {}
    if len(by_outlet) > 1:
        # an outlet's terms are set against the others': a story of one outlet has none
        counts = {
            o: Counter(
                g for s in ss if _prose(s.ref.text) for g in _ngrams(strip_dateline(s.ref.text))
            )
            for o, ss in by_outlet.items()
        }
        scores = log_odds(counts, prior_strength=prior_strength)
    texts = {a.id: a.text for a in articles}
    vocab = {o: _phrases(ss) for o, ss in by_outlet.items()}
    out = []
    for outlet, ss in by_outlet.items():
        ranked = sorted(
            ((t, z, c) for t, (z, c) in scores.get(outlet, {}).items() if z >= min_z and c > 1),
            key=lambda x: -x[1],
        )
        terms: list[FramingTerm] = []
        for t, z, c in ranked:
            if any(t in kept.term and c == kept.count for kept in terms):
                continue
            terms.append(FramingTerm(t, round(z, 3), c))
            if len(terms) == top_terms:
                break
        verbs: Counter[str] = Counter()
        for s in ss:
            verbs.update(_VERBS[w] for w in words(s.ref.text) if w in _VERBS)
        ids = tuple(dict.fromkeys(s.ref.article_id for s in ss))
        if quotes is not None:
            mine = [q for q in quotes if q.article_id in ids]
            found = _voices_from_quotes(mine, texts)
        else:
            found = _voices_light(ss)
        cats = Counter(c for _, c, _ in found)
        others = frozenset(
            w for w in _NEUTRAL_WORDS if any(w in v for o, v in vocab.items() if o != outlet)
        )
        out.append(
            Framing(
                source=outlet,
                article_ids=ids,
                terms=tuple(terms),
                distancing=tuple(d for s in ss for d in distancing(s)),
                verbs=dict(verbs.most_common()),
                voices=Voices(
                    official=cats["official"],
                    analyst=cats["analyst"],
                    other=cats["other"],
                    named=sum(1 for _, _, n in found if n),
                    anonymous=sum(1 for _, _, n in found if not n),
                    speakers=tuple(dict.fromkeys(sp for sp, _, _ in found)),
                ),
                loaded=tuple(t for s in ss for t in loaded_terms(s, others)),
            )
        )
    return out
