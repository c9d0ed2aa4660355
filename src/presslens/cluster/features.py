"""Article features for story clustering: TF-IDF over normalised words and named entities.

Words are lower-cased, stop words dropped and plural/possessive endings stripped (a cheap
stand-in for lemmas: spaCy on every article would cost more than the whole clustering).
Entities are runs of capitalised words, found with a regular expression; a single capitalised
word that opens a sentence counts only when the text also capitalises it mid-sentence.
Numbers ("26 pirates", "7.1 magnitude") join the entity block: two events of one kind differ
most in names, places and figures.  Both blocks are TF-IDF weighted and L2-normalised, the
entity block is scaled by ``entity_weight``, and the whole vector is normalised again.

The vocabulary and document frequencies grow as articles arrive, so an incremental run can
go on from a saved state; a vector is computed with the document frequencies known then.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from presslens.model import Article
from presslens.words import light_stem

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# `(?<![\w.])\d+...` written digit-first: the engine then skips non-digits quickly (twice as fast).
_NUMBER = re.compile(r"\d(?<![\w.]\d)\d*(?:[.,]\d+)*(?!\w)")
_CAPITAL_RUN = re.compile(r"[A-Z][\w’'&.-]*(?:[ \t]+[A-Z][\w’'&.-]*)*")
# Words of news prose that carry no event: reporting verbs, titles and calendar words.
_STOP = frozenset(ENGLISH_STOP_WORDS) | {
    "said", "says", "say", "told", "according", "mr", "mrs", "ms", "dr", "also", "just",
    "like", "would", "could", "new", "year", "years", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "today", "yesterday", "week", "time",
}  # fmt: skip
_SENTENCE_END = frozenset('.!?"“”\n')

Vector = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]


# Normalised forms are memoised (bounded like the shingle hashes' memo).
_MEMO_MAX = 1_000_000
_memo: dict[str, str] = {}


def normalise_word(word: str) -> str:
    """Lower-case ``word`` and strip a possessive or plural ending."""
    out = _memo.get(word)
    if out is None:
        if len(_memo) >= _MEMO_MAX:
            _memo.clear()
        out = light_stem(word)
        _memo[word] = out
    return out


def word_terms(text: str) -> list[str]:
    """The normalised content words of ``text``."""
    return [normalise_word(w) for w in _WORD.findall(text) if len(w) > 1 and w.lower() not in _STOP]


# Term of each raw word (``None`` for a stop word or a single letter), memoised like the above.
_term_memo: dict[str, str | None] = {}


def _term(word: str) -> str | None:
    if len(_term_memo) >= _MEMO_MAX:
        _term_memo.clear()
    term = None if len(word) <= 1 or word.lower() in _STOP else normalise_word(word)
    _term_memo[word] = term
    return term


def word_counts(text: str) -> Counter[str]:
    """``Counter(word_terms(text))``, same order, with each distinct word normalised once."""
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


# What a capitalised run contributes, memoised per run (bounded like the other memos):
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
        terms = [" ".join(normalise_word(p) for p in parts)]
        if len(parts) > 1:
            terms.extend(normalise_word(p) for p in parts if p.lower() not in _STOP)
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
    """Days since 1970-01-01 of an ISO date or datetime, or ``None`` when absent or unreadable."""
    if not published:
        return None
    try:
        return (dt.date.fromisoformat(published[:10]) - dt.date(1970, 1, 1)).days
    except ValueError:
        return None


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

    def counts(self, article: Article) -> tuple[Counter[str], Counter[str]]:
        """Word and entity term counts of ``article``."""
        text = article_text(article)[: self.max_chars]
        return word_counts(text), Counter(entity_terms(text))

    def observe(self, counts: list[tuple[Counter[str], Counter[str]]]) -> None:
        """Add documents' terms to the vocabulary and document frequencies."""
        grow: list[int] = []
        for words_c, ents_c in counts:
            self.n_docs += 1
            for term in (*words_c, *(self.ENTITY + e for e in ents_c)):
                tid = self.vocab.get(term)
                if tid is None:
                    tid = len(self.terms)
                    self.vocab[term] = tid
                    self.terms.append(term)
                grow.append(tid)
        if len(self.terms) > len(self.df):
            self.df = np.concatenate(
                [self.df, np.zeros(len(self.terms) - len(self.df), dtype=np.int64)]
            )
        if grow:
            np.add.at(self.df, np.asarray(grow, dtype=np.int64), 1)

    def featurize(self, articles: list[Article]) -> sp.csr_matrix:
        """Observe ``articles`` and return their TF-IDF rows (as :meth:`observe` + :meth:`vector`).

        Each article's terms become id and count arrays as soon as it is read, so a large batch
        holds no per-article ``Counter``; the weighting then runs once over the whole batch.
        """
        vocab, terms = self.vocab, self.terms
        ids: list[npt.NDArray[np.int64]] = []
        tfs: list[npt.NDArray[np.float64]] = []
        n_words = np.zeros(len(articles), dtype=np.int64)
        n_ents = np.zeros(len(articles), dtype=np.int64)
        for k, article in enumerate(articles):
            words_c, ents_c = self.counts(article)
            row: list[int] = []
            for term in (*words_c, *(self.ENTITY + e for e in ents_c)):
                tid = vocab.get(term)
                if tid is None:
                    tid = len(terms)
                    vocab[term] = tid
                    terms.append(term)
                row.append(tid)
            n_words[k], n_ents[k] = len(words_c), len(ents_c)
            ids.append(np.array(row, dtype=np.int64))
            tfs.append(np.fromiter((*words_c.values(), *ents_c.values()), np.float64, len(row)))
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
        # Norms are dot products per block, as in `vector`, so the values match it bit for bit.
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

    def _block(self, counts: Counter[str], prefix: str) -> Vector:
        vocab = self.vocab
        pairs = [(vocab.get(prefix + t, -1), c) for t, c in counts.items()]
        ids = np.array([t for t, _ in pairs if t >= 0], dtype=np.int64)
        tf = np.array([c for t, c in pairs if t >= 0], dtype=np.float64)
        vals = (1.0 + np.log(tf)) * (np.log((1.0 + self.n_docs) / (1.0 + self.df[ids])) + 1.0)
        norm = float(np.sqrt(vals @ vals)) or 1.0
        return ids, vals / norm

    def vector(self, counts: tuple[Counter[str], Counter[str]]) -> Vector:
        """The normalised TF-IDF vector of one document's counts (terms seen by :meth:`observe`)."""
        wid, wval = self._block(counts[0], "")
        eid, evals = self._block(counts[1], self.ENTITY)
        ids = np.concatenate([wid, eid])
        vals = np.concatenate([wval, evals * self.entity_weight])
        norm = float(np.sqrt(vals @ vals)) or 1.0
        order = np.argsort(ids)
        return ids[order], vals[order] / norm

    def matrix(self, vectors: list[Vector]) -> sp.csr_matrix:
        """Stack vectors into a CSR matrix over the current vocabulary."""
        indptr = np.zeros(len(vectors) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(v[0]) for v in vectors])
        if vectors:
            indices = np.concatenate([v[0] for v in vectors])
            data = np.concatenate([v[1] for v in vectors])
        else:
            indices, data = np.empty(0, np.int64), np.empty(0, np.float64)
        return sp.csr_matrix((data, indices, indptr), shape=(len(vectors), max(1, len(self.terms))))

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
