"""Quotes and reported speech in one parsed article.

Three passes over a spaCy ``Doc``:

1. every cue (a verb of saying or thinking with a clausal complement, or "according to")
   yields an attribution: its content from the dependency tree, its speaker from the subject
   (climbing through conjunctions, participles and relative clauses);
2. contents that overlap quotation marks snap to the marked span: inside one quotation the
   attribution is *direct*, a clause holding part quotation and part paraphrase is *mixed*;
3. quotations no cue reached take the nearest cue of their sentence or the adjacent ones
   (", he said", "He added:"), then the speaker of the quotation just before them in the same
   run of paragraphs; long ones with no speaker in reach are kept unattributed.

The speaker is returned as written ("he", "the spokesman", "who", "Asif Ghafoor"), with the
character span to resolve later against the story's entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from presslens.nlp.marks import QuoteSpan, find_quote_spans


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: verbs of saying: they take a clausal complement or a quotation.
SPEECH_VERBS = _lexicon(
    """
    say tell add write ask note report announce suggest argue explain acknowledge admit claim
    insist warn declare state stress emphasize emphasise reiterate assert contend maintain confirm
    deny reply respond answer recall conclude predict promise pledge vow threaten tweet post
    testify allege complain concede caution urge mention observe comment remark continue counter
    retort quip joke boast brag charge scoff muse lament estimate propose recommend demand
    shout yell whisper cry proclaim tout concur agree disagree indicate reveal signal hint
    point inform assure remind advise order instruct"""
)
#: verbs of thinking and knowing: attributions only with a clausal complement.
THOUGHT_VERBS = _lexicon(
    """
    think believe know hope expect fear worry feel figure suspect doubt assume guess understand
    realize realise wonder consider imagine bet wish hear learn find show decide recognize
    recognise see notice reckon presume speculate surmise trust sense accept"""
)
#: verbs whose infinitive complement is attributed content ("urged them to", "wants X to").
XCOMP_VERBS = _lexicon(
    """
    want urge ask tell promise pledge vow threaten plan intend refuse decline agree seek call
    demand expect hope vote"""
)
#: verbs whose content is the object of "of"/"for" ("accused X of ...", "praised X for ...").
PREP_VERBS = _lexicon(
    "accuse blame criticize criticise praise credit thank condemn fault applaud slam"
)
#: verbs whose direct object is attributed content in PARC-style annotation ("endorsed
#: Trump", "described the plan as ...", "announced a run").
OBJECT_VERBS = _lexicon(
    """
    call criticize criticise endorse support back describe announce discuss mention prefer
    praise defend dismiss propose confirm deny reject oppose cite share offer express question
    mock list blame condemn promise pledge demand unveil welcome applaud slam attack
    acknowledge predict recommend tweet report view name challenge identify nominate denounce
    claim release repeat echo embrace favor favour highlight ignore blast imply urge
    portray raise seek want"""
)
#: verb + preposition pairs whose object is the content ("talked about", "called for").
PHRASAL: Mapping[str, frozenset[str]] = {
    "talk": frozenset({"about"}),
    "call": frozenset({"for"}),
    "vote": frozenset({"for", "against"}),
    "refer": frozenset({"to"}),
    "point": frozenset({"to"}),
    "ask": frozenset({"about"}),
    "push": frozenset({"for"}),
    "argue": frozenset({"for", "against"}),
    "speak": frozenset({"about", "of"}),
    "complain": frozenset({"about"}),
    "warn": frozenset({"about", "of", "against"}),
    "advocate": frozenset({"for"}),
    "campaign": frozenset({"for", "against"}),
}
_IRREGULAR = {
    "said": "say", "told": "tell", "wrote": "write", "written": "write", "thought": "think",
    "knew": "know", "known": "know", "felt": "feel", "heard": "hear", "found": "find",
    "saw": "see", "seen": "see", "understood": "understand", "sought": "seek",
    "shown": "show", "taught": "teach",
}  # fmt: skip
_ALL_CUES = (
    SPEECH_VERBS | THOUGHT_VERBS | XCOMP_VERBS | PREP_VERBS | OBJECT_VERBS | frozenset(PHRASAL)
)


def _inflections(verb: str) -> set[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", verb + "ed", stem + "ed", stem + "ing", verb + "ing", verb + "d"}
    if verb.endswith("y"):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if verb.endswith(("s", "sh", "ch", "x")):
        forms.add(verb + "es")
    if len(verb) > 2 and verb[-1] not in "aeiouwy" and verb[-2] in "aeiou":
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


#: surface form → cue lemma, so that a lemmatiser slip ("hoped" → "hop") does not hide a cue
_FORMS: dict[str, str] = {
    form: verb for verb in sorted(_ALL_CUES) for form in _inflections(verb)
} | _IRREGULAR


def cue_lemma(tok: Any) -> str | None:
    """The cue verb ``tok`` stands for, or None when it is not a cue."""
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ == "aux":
        return None
    lemma = tok.lemma_.lower()
    if lemma in _ALL_CUES:
        return str(lemma)
    return _FORMS.get(tok.lower_)


#: a cue after a quotation reaches back over at most this many words ('..." General (retd.)
#: Talat Masood, a security analyst, told'): longer gaps are a new statement.  Set by hand
#: from that seed sentence.
_MAX_CUE_GAP_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?][\"”’]?\s+[A-Z“\"]|\n")
_SPEECH_OR_PREP = SPEECH_VERBS | PREP_VERBS
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_PRONOUNS = frozenset(
    {"he", "she", "they", "i", "we", "you", "it", "him", "her", "them", "us", "me"}
)
_CLIMB = frozenset({"conj", "advcl", "xcomp", "acl", "pcomp"})


@dataclass(frozen=True, slots=True)
class RawQuote:
    """A quote of one article before its speaker is resolved against the story's entities.

    ``speaker_kind`` says how the speaker was written: ``name``, ``pronoun``, ``role``,
    ``relative`` (who/which, with ``antecedent_*`` pointing at the noun it stands for) or
    ``inherited`` (taken from the quotation before); ``None`` when there is no speaker.
    """

    start: int
    end: int
    kind: str
    speaker_start: int | None
    speaker_end: int | None
    speaker_kind: str | None
    cue_start: int | None
    cue_end: int | None
    antecedent_start: int | None = None
    antecedent_end: int | None = None
    #: the quoted pieces when a quotation is interrupted by its cue ('"A," he said. "B."')
    fragments: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class _Speaker:
    start: int
    end: int
    kind: str
    antecedent: tuple[int, int] | None = None


def _span_of(tokens: Iterable[Any]) -> tuple[int, int] | None:
    toks = [t for t in tokens if not (t.is_punct or t.is_space)]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _noun_phrase(tok: Any) -> tuple[int, int]:
    """Character span of a subject: its subtree without relative clauses or set-off appositions."""
    drop: set[int] = set()
    for child in tok.children:
        if child.dep_ in ("relcl", "acl") or (child.dep_ in ("appos", "punct") and child.i > tok.i):
            drop.update(t.i for t in child.subtree)
    keep = [t for t in tok.subtree if t.i not in drop]
    # a subject runs contiguously up to the head; anything after a dropped piece goes too
    contiguous: list[Any] = []
    for t in keep:
        if contiguous and t.i != contiguous[-1].i + 1 and t.i > tok.i:
            break
        contiguous.append(t)
    span = _span_of(contiguous)
    if span is None:
        return tok.idx, tok.idx + len(tok.text)
    text = tok.doc.text
    # a subject never runs over a line break (headlines and bylines above it are not part of it)
    line_start = text.rfind("\n", span[0], tok.idx) + 1
    line_end = text.find("\n", tok.idx, span[1])
    return max(span[0], line_start), span[1] if line_end < 0 else line_end


def _speaker_from(tok: Any) -> _Speaker:
    start, end = _noun_phrase(tok)
    low = tok.lower_
    if low in _RELATIVE and tok.head.dep_ == "relcl":
        ante = tok.head.head
        return _Speaker(start, end, "relative", _noun_phrase(ante))
    if tok.pos_ == "PRON" or (low in _PRONOUNS and tok.text != "US"):
        return _Speaker(start, end, "pronoun")
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return _Speaker(start, end, "name")
    return _Speaker(start, end, "role")


def _subject_of(verb: Any) -> _Speaker | None:
    tok = verb
    for _ in range(4):
        for child in tok.children:
            if child.dep_ in _SUBJECTS:
                return _speaker_from(child)
            if child.dep_ == "agent":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return _speaker_from(objs[0])
        if tok.dep_ == "relcl":
            return _speaker_from(tok.head)
        if tok.dep_ not in _CLIMB or tok.head is tok:
            return None
        tok = tok.head
    return None


def _content_of(verb: Any, lemma: str) -> tuple[int, int] | None:
    """The content a cue verb attributes: clause first, then prepositional or direct object."""
    children = list(verb.children)
    target = next(
        (
            c
            for c in children
            if (c.dep_ == "ccomp" and lemma not in PREP_VERBS)
            or (c.dep_ == "xcomp" and lemma in XCOMP_VERBS)
        ),
        None,
    )
    if target is None:
        for c in children:
            if c.dep_ != "prep":
                continue
            if (lemma in PREP_VERBS and c.lower_ in ("of", "for")) or c.lower_ in PHRASAL.get(
                lemma, ()
            ):
                objs = [o for o in c.children if o.dep_ in ("pobj", "pcomp")]
                if objs:
                    target = objs[0]
                    break
    if target is None and lemma in OBJECT_VERBS:
        target = next((c for c in children if c.dep_ == "dobj" and c.pos_ != "PRON"), None)
    if (
        target is None
        and verb.dep_ in ("parataxis", "ccomp")
        and verb.head.i < verb.i
        and lemma in SPEECH_VERBS
        and verb.head.pos_ in ("VERB", "AUX")
    ):
        # "The economy is strong, he said": the parser hangs the cue under its content
        cue_part = {t.i for t in verb.subtree}
        return _span_of(t for t in verb.head.subtree if t.i not in cue_part and t.i < verb.i)
    if target is None:
        return None
    toks = list(target.subtree)
    if toks[0].i <= verb.i <= toks[-1].i:
        toks = [t for t in toks if t.i > verb.i] or [t for t in toks if t.i < verb.i]
    return _span_of(toks)


def _according_to(doc: Any) -> list[tuple[tuple[int, int], _Speaker, tuple[int, int]]]:
    """(content, speaker, cue) for every "according to X"."""
    out = []
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        to = doc[tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"] or [
            c for c in tok.children if c.dep_ == "pobj"
        ]
        if not objs:
            continue
        speaker = _speaker_from(objs[0])
        pp = {t.i for t in tok.subtree} | {t.i for t in to.subtree} | {tok.i}
        sent = tok.sent
        rest = [t for t in sent if t.i not in pp]
        # the content is the side of the sentence the phrase does not sit in the middle of
        before = [t for t in rest if t.i < tok.i]
        after = [t for t in rest if t.i > tok.i]
        side = (
            after
            if len([t for t in after if not t.is_punct])
            > len([t for t in before if not t.is_punct])
            else before
        )
        span = _span_of(side)
        if span is not None:
            out.append((span, speaker, (tok.idx, to.idx + len(to.text))))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _snap(
    content: tuple[int, int], marks: Sequence[QuoteSpan]
) -> tuple[tuple[int, int], str, list[int]]:
    """Content snapped to the quotations it overlaps; its kind; the quotations used."""
    hit = [k for k, q in enumerate(marks) if _overlap(content, (q.start, q.end)) > 0]
    if not hit:
        return content, "indirect", []
    if len(hit) == 1:
        q = marks[hit[0]]
        # inside one quotation give or take the punctuation at its edges
        if content[0] >= q.start - 2 and content[1] <= q.end + 2:
            return (q.start, q.end), "direct", hit
    start = min([content[0]] + [marks[k].start for k in hit])
    end = max([content[1]] + [marks[k].end for k in hit])
    return (start, end), "mixed", hit


def _words(text: str) -> int:
    return len(text.split())


def _sentence_index(doc: Any) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.sents]


def _paragraph_break(text: str, a: int, b: int) -> bool:
    return "\n" in text[min(a, b) : max(a, b)]


def _headline_end(text: str) -> int:
    """End of a leading headline line: a short first line without closing punctuation."""
    first = text.split("\n", 1)[0]
    stripped = first.rstrip()
    if 0 < len(stripped.split()) <= 25 and "\n" in text and stripped[-1:] not in '.!?"”':
        return len(first)
    return 0


def extract_quotes(doc: Any, *, min_direct_words: int = 5) -> list[RawQuote]:
    """Every attribution of a parsed article, sorted by content start."""
    text: str = doc.text
    marks = find_quote_spans(text)
    inside = [(q.start, q.end) for q in marks]
    headline_end = _headline_end(text)
    found: list[RawQuote] = []
    used: set[int] = set()
    cues_used: dict[int, int] = {}

    def add(
        content: tuple[int, int], speaker: _Speaker | None, cue: tuple[int, int] | None
    ) -> None:
        if cue is not None and any(a <= cue[0] and cue[1] <= b for a, b in inside):
            # a cue inside a quotation is the quoted speaker's own reporting, not the outlet's
            return
        span, kind, hit = _snap(content, marks)
        used.update(hit)
        found.append(
            RawQuote(
                start=span[0],
                end=span[1],
                kind=kind,
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
                speaker_kind=speaker.kind if speaker else None,
                cue_start=cue[0] if cue else None,
                cue_end=cue[1] if cue else None,
                antecedent_start=speaker.antecedent[0] if speaker and speaker.antecedent else None,
                antecedent_end=speaker.antecedent[1] if speaker and speaker.antecedent else None,
            )
        )

    cue_tokens = [t for t in doc if cue_lemma(t) is not None]
    for verb in cue_tokens:
        content = _content_of(verb, cue_lemma(verb) or "")
        if content is None:
            continue
        cue = (verb.idx, verb.idx + len(verb.text))
        cues_used[verb.i] = len(found)
        add(content, _subject_of(verb), cue)

    for content, speaker, cue in _according_to(doc):
        add(content, speaker, cue)

    _attach_quotations(doc, marks, used, cue_tokens, headline_end, min_direct_words, add, found)
    found.sort(key=lambda q: (q.start, q.end))
    return _merge_continuations(_drop_nested(_dedupe(found)), text)


def _attach_quotations(
    doc: Any,
    marks: Sequence[QuoteSpan],
    used: set[int],
    cue_tokens: Sequence[Any],
    headline_end: int,
    min_direct_words: int,
    add: Any,
    found: list[RawQuote],
) -> None:
    text: str = doc.text
    sents = _sentence_index(doc)
    quoted = [(q.start, q.end) for q in marks]

    def outside(tok: Any) -> bool:
        return not any(a - 1 <= tok.idx < b + 1 for a, b in quoted)

    speech = [t for t in cue_tokens if cue_lemma(t) in _SPEECH_OR_PREP and outside(t)]
    for k, q in enumerate(marks):
        if k in used:
            continue
        span = (q.start, q.end)
        best: Any = None
        best_dist = 10**9
        for tok in speech:
            if _paragraph_break(text, tok.idx, q.start if tok.idx < q.start else q.end):
                continue
            dist = q.start - tok.idx if tok.idx < q.start else tok.idx - q.end
            # a cue reaches the quotation from its own sentence or the adjacent one
            s_tok = next((s for s in sents if s[0] <= tok.idx < s[1]), None)
            if s_tok is None:
                continue
            between = text[min(tok.idx, q.end) : max(tok.idx, q.start)]
            near = (
                _overlap(s_tok, span) > 0
                or (
                    tok.idx > q.end
                    and len(between.split()) <= _MAX_CUE_GAP_WORDS
                    and not _SENTENCE_END.search(between)
                )
                or (tok.idx < q.start and q.start - s_tok[1] <= 3 and _colon_before(text, q.start))
            )
            if near and dist < best_dist and not any(m in between[1:] for m in '“"'):
                best, best_dist = tok, dist
        if best is not None:
            add(span, _subject_of(best), (best.idx, best.idx + len(best.text)))
            continue
        if q.end <= headline_end:
            root = next((s.root for s in doc.sents if s.start_char < headline_end), None)
            speaker = _subject_of(root) if root is not None else None
            cue = (root.idx, root.idx + len(root.text)) if root is not None and speaker else None
            add(span, speaker, cue)
            continue
        previous = _previous_speaker(found, q.start, text)
        opens_sentence = any(abs(s[0] - q.start) <= 2 for s in sents)
        if (
            previous is not None
            and opens_sentence
            and _words(text[q.start : q.end]) >= min_direct_words
        ):
            used.add(k)
            found.append(
                RawQuote(
                    start=q.start,
                    end=q.end,
                    kind="direct",
                    speaker_start=previous.speaker_start,
                    speaker_end=previous.speaker_end,
                    speaker_kind="inherited",
                    cue_start=None,
                    cue_end=None,
                    antecedent_start=previous.speaker_start,
                    antecedent_end=previous.speaker_end,
                )
            )
        elif _words(text[q.start : q.end]) >= min_direct_words:
            add(span, None, None)


def _colon_before(text: str, start: int) -> bool:
    head = text[max(0, start - 4) : start].rstrip("“\"' \n")
    return head.endswith((":", ","))


def _previous_speaker(found: Sequence[RawQuote], start: int, text: str) -> RawQuote | None:
    """The attributed direct quote just before ``start``, when at most one paragraph apart."""
    before = [
        q for q in found if q.end <= start and q.speaker_start is not None and q.kind != "indirect"
    ]
    if not before:
        return None
    last = max(before, key=lambda q: q.end)
    if text[last.end : start].count("\n") > 3 or len(text[last.end : start]) > 400:
        return None
    return last


def _dedupe(quotes: list[RawQuote]) -> list[RawQuote]:
    """One attribution per content span: the first found wins; nested spans are kept."""
    out: list[RawQuote] = []
    seen: set[tuple[int, int]] = set()
    for q in quotes:
        if (q.start, q.end) in seen or q.end <= q.start:
            continue
        seen.add((q.start, q.end))
        out.append(q)
    return out


def _drop_nested(quotes: list[RawQuote]) -> list[RawQuote]:
    """Drop attributions reported inside another one's content (its cue and content within it).

    "He said that she feels X" is one attribution of what he said; on PolNeAR DEV the inner
    one was not annotated separately in most cases.
    """
    out = []
    for q in quotes:
        inside = q.cue_start is not None and any(
            o is not q and o.start <= q.cue_start and q.end <= o.end and o.start <= q.start
            for o in quotes
        )
        if not inside:
            out.append(q)
    return out


#: a cue clause between two pieces of one quotation is at most this many words
#: ('"A," Espinoza said. "B."'), as for a cue after a quotation.  Merging such pieces (with
#: :func:`_drop_nested`) raised precision from 0.75 to 0.88 on the first 150 PolNeAR DEV articles.
_MAX_INTERRUPTION_WORDS = 12


def _merge_continuations(quotes: list[RawQuote], text: str) -> list[RawQuote]:
    """Join a quotation interrupted by its cue, or continued right after it, into one quote."""
    out: list[RawQuote] = []
    for q in quotes:
        prev = out[-1] if out else None
        if (
            prev is not None
            and q.kind == "direct"
            and prev.kind in ("direct", "mixed")
            and prev.end < q.start
            and (q.cue_start is None or q.cue_start == prev.cue_start)
            and len(text[prev.end : q.start].split()) <= _MAX_INTERRUPTION_WORDS
            and text[prev.end : q.start].count("\n") <= 2
        ):
            pieces = prev.fragments or ((prev.start, prev.end),)
            out[-1] = replace(prev, end=q.end, fragments=(*pieces, (q.start, q.end)))
            continue
        out.append(q)
    return out
