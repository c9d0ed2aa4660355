"""Article features for story clustering: TF-IDF over normalised words and named entities.

Words are lower-cased, stop words dropped and plural/possessive endings stripped (a cheap
stand-in for lemmas: spaCy on every article would cost more than the whole clustering).
Entities are runs of capitalised words, found with a regular expression; a single capitalised
word that opens a sentence counts only when the text also capitalises it mid-sentence.
Numbers ("26 pirates", "7.1 magnitude") join the entity block: two events of one kind differ
most in names, places and figures.  Both blocks are TF-IDF weighted and L2-normalised, the
entity block is scaled by ``entity_weight``, and the whole vector is normalised again.

Time is evidence about a pair, not a feature of one article: :func:`pair_time_weight` says how
much of two articles' similarity their dates let stand.  An undated article's date is unknown.
The dates written in its text do not stand in for it: on DEV ECB+ and BASIL, two articles of
one story that both write a full date have latest written dates more than 30 days apart in
two pairs of three (more than a year apart in one of two), and taken as a lower bound the
latest written date is wrong for 12% of the dated DEV articles of ECB+, BASIL and PolNeAR
that write one (a release or an election to come).

The vocabulary and document frequencies grow as articles arrive, so an incremental run can
go on from a saved state; a vector is computed with the document frequencies known then.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from presslens.model import Article, published_date
from presslens.text.words import EVENTLESS_WORDS, STOP_WORDS, light_stem

_EPOCH = dt.date(1970, 1, 1)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# `(?<![\w.])\d+...` written digit-first: the engine then skips non-digits quickly (twice as fast).
# A number hyphenated to a word is part of that word ("COVID-19", "F-16", "mid-2019"), not a
# figure of the event: the name already carries it.
_NUMBER = re.compile(r"\d(?<![\w.]\d)(?<![^\W\d_]-\d)\d*(?:[.,]\d+)*(?!\w)")
# A run does not start inside a word: "vCenter" or "iPhone" holds no name "Center" or "Phone"
# (after a hyphen it may: "anti-Trump", "al-Assad").
_CAPITAL_RUN = re.compile(r"(?<![^\W_])[A-Z][\w’'&.-]*(?:[ \t]+[A-Z][\w’'&.-]*)*")
_STOP = STOP_WORDS | EVENTLESS_WORDS
_SENTENCE_END = frozenset('.!?"“”\n')

# Term of each raw word (``None`` for a stop word or a single letter), memoised: news
# vocabulary is small next to the word count of a corpus.  This memo and the capitalised-run
# memo below are dropped when they grow past this many entries, so memory stays bounded.
_MEMO_MAX = 1_000_000
_term_memo: dict[str, str | None] = {}


def _term(word: str) -> str | None:
    if len(_term_memo) >= _MEMO_MAX:
        _term_memo.clear()
    term = None if len(word) <= 1 or word.lower() in _STOP else light_stem(word)
    _term_memo[word] = term
    return term


def word_counts(text: str) -> Counter[str]:
    """Counts of the normalised content words of ``text`` (stop words and single letters out).

    Words are lower-cased and lose a plural or possessive ending; each distinct word is
    normalised once.
    """
    out: Counter[str] = Counter()
    memo = _term_memo
    for word, n in Counter(_WORD.findall(text)).items():
        term = memo[word] if word in memo else _term(word)
        if term is not None:
            out[term] += n
    return out


def _starts_sentence(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] in _SENTENCE_END


# What a capitalised run contributes, memoised per run (bounded like the term memo):
# its lower-cased parts, whether leading stop words were dropped, and its terms.
_RunInfo = tuple[tuple[str, ...], bool, tuple[str, ...]]
_run_memo: dict[str, _RunInfo | None] = {}


def _run_info(run: str) -> _RunInfo | None:
    parts = [p.strip(".-'’") for p in run.split()]
    parts = [p for p in parts if p]
    dropped = False
    while parts and parts[0].lower() in _STOP:
        parts = parts[1:]
        dropped = True
    info: _RunInfo | None = None
    if parts:
        terms = [" ".join(light_stem(p) for p in parts)]
        if len(parts) > 1:
            terms.extend(light_stem(p) for p in parts if p.lower() not in _STOP)
        info = (tuple(p.lower() for p in parts), dropped, tuple(terms))
    if len(_run_memo) >= _MEMO_MAX:
        _run_memo.clear()
    _run_memo[run] = info
    return info


def entity_terms(text: str) -> list[str]:
    """Capitalised phrases (and their words) and numbers of ``text``, normalised."""
    runs: list[tuple[tuple[str, ...], bool, tuple[str, ...]]] = []
    mid: set[str] = set()
    memo = _run_memo
    for m in _CAPITAL_RUN.finditer(text):
        run = m.group(0)
        info = memo[run] if run in memo else _run_info(run)
        if info is None:
            continue
        lowered, dropped, terms = info
        initial = not dropped and _starts_sentence(text, m.start())
        runs.append((lowered, initial, terms))
        if not initial:
            mid.update(lowered)
    out: list[str] = []
    for lowered, initial, terms in runs:
        if initial and len(lowered) == 1 and lowered[0] not in mid:
            continue
        out.extend(terms)
    out.extend("#" + n.replace(",", "") for n in _NUMBER.findall(text))
    return out


def article_text(article: Article) -> str:
    """The text that is featurised: the title (when not already the text's start) and text."""
    title = (article.title or "").strip()
    if title and not article.text.lstrip().startswith(title):
        return title + ".\n" + article.text
    return article.text


def published_day(published: str | None) -> int | None:
    """Days since 1970-01-01 of the :func:`~presslens.model.published_date` of ``published``."""
    day = published_date(published)
    return None if day is None else (day - _EPOCH).days


def time_weight(gap_days: npt.NDArray[np.float64], scale: float) -> npt.NDArray[np.float64]:
    """How much of a similarity a gap of ``gap_days`` lets stand: ``1 / (1 + (gap/scale)^2)``.

    Same-day coverage keeps all of it, a gap of one ``scale`` half, and the share keeps falling
    at every distance: a pair years apart keeps almost nothing, however many names it shares.
    """
    return 1.0 / (1.0 + (gap_days / scale) ** 2)


#: What an unknown gap lets stand: the weight of a gap of one time scale, the distance at
#: which dates argue neither for a pair (closer) nor against it (further).  An undated pair
#: must be twice as alike as a same-day pair to be linked as strongly.
UNKNOWN_GAP_WEIGHT = 0.5


def pair_time_weight(
    day_a: npt.NDArray[np.int64],
    day_b: npt.NDArray[np.int64],
    dated_a: npt.NDArray[np.bool_],
    dated_b: npt.NDArray[np.bool_],
    scale: float,
    unknown: float = UNKNOWN_GAP_WEIGHT,
) -> npt.NDArray[np.float64]:
    """The time weight of each pair ``(a, b)`` (the arrays broadcast): :func:`time_weight` of
    the gap between two dated articles, ``unknown`` when either is undated."""
    gap = np.abs(day_a - day_b).astype(np.float64)
    return np.where(dated_a & dated_b, time_weight(gap, scale), unknown)


class Featurizer:
    """Turns articles into sparse TF-IDF vectors over a vocabulary that grows."""

    #: prefix of entity terms in the vocabulary (word terms have none)
    ENTITY = "e:"

    def __init__(self, entity_weight: float = 1.0, max_chars: int = 100_000) -> None:
        self.entity_weight = entity_weight
        # Articles are featurised on their first `max_chars` characters: enough for any news
        # article, and one huge input cannot stall the run.
        self.max_chars = max_chars
        self.vocab: dict[str, int] = {}
        self.terms: list[str] = []
        self.df = np.zeros(0, dtype=np.int64)
        self.n_docs = 0

    def _id(self, term: str) -> int:
        """The vocabulary id of ``term``, a new one when it is new."""
        tid = self.vocab.get(term)
        if tid is None:
            tid = len(self.terms)
            self.vocab[term] = tid
            self.terms.append(term)
        return tid

    @staticmethod
    def _counted(
        tokens: list[str], memo: dict[str, int], to_id: Callable[[str], int]
    ) -> Counter[int]:
        """Counts of the vocabulary ids of ``tokens`` (in order of first use, which is the order
        new terms get their ids in), ``memo`` caching each token's id (-1: not a term)."""
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        ids = list(map(memo.get, tokens))
        if None in ids:
            for token in dict.fromkeys([t for t, i in zip(tokens, ids, strict=True) if i is None]):
                memo[token] = to_id(token)
            ids = list(map(memo.get, tokens))
        counted: Counter[int] = Counter(cast("list[int]", ids))  # no None is left
        counted.pop(-1, None)
        return counted

    def _word_id(self, word: str) -> int:
        term = _term_memo[word] if word in _term_memo else _term(word)
        return -1 if term is None else self._id(term)

    def _entity_id(self, entity: str) -> int:
        return self._id(self.ENTITY + entity)

    def featurize(self, articles: list[Article]) -> sp.csr_matrix:
        """Add ``articles`` to the vocabulary and document frequencies; return their TF-IDF rows.

        Each article's terms become id and count arrays as soon as it is read, so a large batch
        holds no per-article ``Counter``; the weighting then runs once over the whole batch.
        Raw words and entities are mapped to vocabulary ids through memos, so each token costs
        one dictionary look-up done in C.
        """
        # raw word (or entity term) -> vocabulary id, -1 for a word that is no term; kept for
        # this batch only, so they add nothing to the memory a large run holds afterwards
        word_ids: dict[str, int] = {}
        entity_ids: dict[str, int] = {}
        ids: list[npt.NDArray[np.int64]] = []
        tfs: list[npt.NDArray[np.float64]] = []
        n_words = np.zeros(len(articles), dtype=np.int64)
        n_ents = np.zeros(len(articles), dtype=np.int64)
        for k, article in enumerate(articles):
            text = article_text(article)[: self.max_chars]
            words_c = self._counted(_WORD.findall(text), word_ids, self._word_id)
            ents_c = self._counted(entity_terms(text), entity_ids, self._entity_id)
            n_words[k], n_ents[k] = len(words_c), len(ents_c)
            ids.append(np.array([*words_c, *ents_c], dtype=np.int64))
            tfs.append(np.array([*words_c.values(), *ents_c.values()], dtype=np.float64))
        terms = self.terms
        self.n_docs += len(articles)
        flat_ids = np.concatenate(ids) if ids else np.empty(0, np.int64)
        tf = np.concatenate(tfs) if tfs else np.empty(0, np.float64)
        del ids, tfs
        if len(terms) > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(len(terms) - len(self.df), np.int64)])
        self.df += np.bincount(flat_ids, minlength=len(self.df))
        lengths = n_words + n_ents
        doc = np.repeat(np.arange(len(articles)), lengths)
        is_ent = np.arange(len(flat_ids)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        is_ent = is_ent >= np.repeat(n_words, lengths)
        vals = (1.0 + np.log(tf)) * (np.log((1.0 + self.n_docs) / (1.0 + self.df[flat_ids])) + 1.0)
        indptr = np.zeros(len(articles) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        # Norms are one dot product per block (not a segmented sum of squares): the summation
        # order, and so every value, stays the one the thresholds were tuned with.
        norms = np.ones(2 * len(articles), dtype=np.float64)
        for k, (lo, mid, hi) in enumerate(
            zip(
                indptr[:-1].tolist(),
                (indptr[:-1] + n_words).tolist(),
                indptr[1:].tolist(),
                strict=True,
            )
        ):
            w, e = vals[lo:mid], vals[mid:hi]
            norms[2 * k] = float(np.sqrt(w @ w)) or 1.0
            norms[2 * k + 1] = float(np.sqrt(e @ e)) or 1.0
        vals /= norms[doc * 2 + is_ent]
        vals[is_ent] *= self.entity_weight
        for k, (lo, hi) in enumerate(zip(indptr[:-1].tolist(), indptr[1:].tolist(), strict=True)):
            v = vals[lo:hi]
            norms[k] = float(np.sqrt(v @ v)) or 1.0
        vals /= norms[doc]
        order = np.lexsort((flat_ids, doc))
        return sp.csr_matrix(
            (vals[order], flat_ids[order], indptr), shape=(len(articles), max(1, len(terms)))
        )

    def is_entity(self, term_id: int) -> bool:
        """Whether vocabulary entry ``term_id`` is an entity (or number) term."""
        return self.terms[term_id].startswith(self.ENTITY)

    def label(self, term_id: int) -> str:
        """Readable form of vocabulary entry ``term_id``."""
        term = self.terms[term_id]
        return term[len(self.ENTITY) :].lstrip("#") if term.startswith(self.ENTITY) else term

    def state(self) -> dict[str, Any]:
        """The vocabulary, document frequencies and document count."""
        return {"terms": list(self.terms), "df": self.df.copy(), "n_docs": self.n_docs}

    def load_state(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state` saved."""
        self.terms = [str(t) for t in state["terms"]]
        self.vocab = {t: i for i, t in enumerate(self.terms)}
        self.df = np.asarray(state["df"], dtype=np.int64)
        self.n_docs = int(state["n_docs"])
