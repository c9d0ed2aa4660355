"""Optional abstractive briefs through an OpenAI-compatible chat endpoint, with a citation check.

The model never sees the articles whole: it gets the story's most salient sentences, aligned
across outlets and numbered, and must end every sentence it writes with the numbers it used
(``[2][5]``).  Each generated sentence is then checked against the sentences it cites: enough
of its content words, and every figure in it, must be found there.  Sentences that fail are
dropped and returned as :class:`~presslens.model.RejectedSentence` with the reason.  The
default path (extractive) never needs this module's endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from presslens.brief.extractive import (
    Ranking,
    StoryMatrix,
    citation,
    containment,
    evidence,
    order,
    rank,
)
from presslens.brief.repair import repair
from presslens.config import BriefParams
from presslens.model import BriefSentence, Evidence, RejectedSentence
from presslens.text.sentences import split_sentences
from presslens.text.words import content_terms, numbers

_CITATION = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_SYSTEM_PROMPT = (
    "You write a neutral, factual news brief of at most {words} words from numbered source "
    "sentences taken from several outlets. Use only facts stated in those sentences; keep "
    "attributions (who said what). End every sentence with the numbers of the source "
    "sentences that support it in square brackets, for example [2][5]. Write plain text, "
    "no headings, no lists."
)


@dataclass(frozen=True, slots=True)
class AlignedItem:
    """One numbered input for the model: a sentence and every article that carries it."""

    number: int
    text: str
    cites: tuple[str, ...]
    support: int
    rows: tuple[int, ...]
    #: the sentence of each cited article that carries it
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class LLMBrief:
    """What the abstractive path produced: kept sentences, dropped ones, or the fault."""

    sentences: tuple[BriefSentence, ...]
    rejected: tuple[RejectedSentence, ...]
    error: str | None = None


def aligned_items(
    matrix: StoryMatrix,
    params: BriefParams,
    limit: int,
    merge: float | None = None,
    ranking: Ranking | None = None,
) -> list[AlignedItem]:
    """The ``limit`` most salient distinct sentences of the story, merged across outlets.

    Sentences at least ``merge`` similar (cosine; default the brief's redundancy cap) to a
    more salient one join its item instead of becoming their own.  ``ranking`` is
    :func:`~presslens.brief.extractive.rank` of ``matrix`` when the caller has it already.
    """
    if not matrix.candidates:
        return []
    threshold = params.redundancy_cap if merge is None else merge
    scored = rank(matrix, params) if ranking is None else ranking
    sim, score = scored.sim, scored.score
    ranked = sorted(
        (i for i, c in enumerate(matrix.candidates) if c.eligible), key=lambda i: -score[i]
    )
    heads: list[int] = []
    members: dict[int, list[int]] = {}
    for i in ranked:
        home = next((h for h in heads if sim[i, h] >= threshold), None)
        if home is not None:
            members[home].append(i)
        elif len(heads) < limit:
            heads.append(i)
            members[i] = [i]
    items: list[AlignedItem] = []
    for n, h in enumerate(order(matrix, heads), start=1):
        c = matrix.candidates[h]
        text = repair(c.text, c.assessment)
        cites, support, carried = citation(matrix, text, params, own=c.article)
        found = evidence(matrix, carried, own=c)
        items.append(AlignedItem(n, text, cites, support, tuple(members[h]), found))
    return items


def _endpoint(url: str) -> str:
    base = url.rstrip("/")
    return base if base.endswith("/chat/completions") else base + "/chat/completions"


def _ask(
    client: httpx.Client, url: str, model: str, key: str | None, words: int, prompt: str
) -> str:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {
        "model": model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": _SYSTEM_PROMPT.format(words=words)},
            {"role": "user", "content": prompt},
        ],
    }
    response = client.post(_endpoint(url), json=body, headers=headers)
    response.raise_for_status()
    data = response.json()
    content = data["choices"][0]["message"]["content"]
    if not isinstance(content, str):
        raise TypeError("message content is not text")
    return content


def check_sentence(
    text: str, cited: Sequence[AlignedItem], matrix: StoryMatrix, threshold: float
) -> str | None:
    """Why ``text`` is not supported by the ``cited`` items, or ``None`` when it is.

    Supported: at least ``threshold`` of its IDF-weighted content words occur in the cited
    sentences (and the other outlets' versions of them), and so does every figure.
    """
    source_texts = [matrix.candidates[r].text for item in cited for r in item.rows]
    source_texts.extend(item.text for item in cited)
    hay = {t for s in source_texts for t in content_terms(s)}
    terms = content_terms(text)
    if not terms:
        return "no content words"
    share = containment(terms, hay, matrix.idf)
    if share < threshold:
        return f"unsupported: {share:.0%} of its content words are in the cited sentences"
    figures = set().union(*(numbers(s) for s in source_texts))
    missing = sorted(numbers(text) - figures)
    if missing:
        return f"unsupported: {', '.join(missing)} not in the cited sentences"
    return None


def parse_reply(content: str) -> list[tuple[str, tuple[int, ...]]]:
    """Sentences of the model's reply with the item numbers each cites (markers removed)."""
    out: list[tuple[str, tuple[int, ...]]] = []
    for s, e in split_sentences(content):
        raw = content[s:e]
        nums: list[int] = []
        for m in _CITATION.finditer(raw):
            nums.extend(int(x) for x in re.split(r"\s*[,;]\s*", m.group(1).strip()))
        text = " ".join(_CITATION.sub("", raw).split())
        text = re.sub(r"\s+([.,;:!?])", r"\1", text)
        if text and text not in ".!?":
            out.append((text, tuple(dict.fromkeys(nums))))
        elif out:
            # "A fact. [3]": the markers after a full stop belong to the sentence before
            prev_text, prev_nums = out[-1]
            out[-1] = (prev_text, tuple(dict.fromkeys([*prev_nums, *nums])))
    return out


def abstractive_brief(
    matrix: StoryMatrix,
    words: int,
    url: str,
    model: str,
    *,
    key: str | None = None,
    params: BriefParams | None = None,
    max_items: int = 40,
    support_threshold: float = 0.7,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
    ranking: Ranking | None = None,
) -> LLMBrief:
    """Ask the model at ``url`` for a brief of the story held by ``matrix`` and verify it.

    A fault of the endpoint (unreachable, HTTP error, a reply that is not a chat completion)
    is returned in ``error`` with no sentences, so the caller can fall back to the
    extractive brief; it is never raised.  ``ranking`` is
    :func:`~presslens.brief.extractive.rank` of ``matrix`` when the caller has it already.
    """
    params = params or BriefParams()
    items = aligned_items(matrix, params, max_items, ranking=ranking)
    if not items:
        return LLMBrief((), ())
    prompt = "\n".join(f"[{it.number}] {it.text}" for it in items)
    own_client = client is None
    http = client or httpx.Client(timeout=timeout)
    try:
        content = _ask(http, url, model, key, words, prompt)
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as e:
        return LLMBrief((), (), error=f"LLM endpoint {url}: {type(e).__name__}: {e}")
    finally:
        if own_client:
            http.close()
    by_number = {it.number: it for it in items}
    kept: list[BriefSentence] = []
    rejected: list[RejectedSentence] = []
    used = 0
    for text, nums in parse_reply(content):
        cited = [by_number[n] for n in nums if n in by_number]
        article_ids = tuple(a.id for a in matrix.articles if any(a.id in it.cites for it in cited))
        if not nums:
            rejected.append(RejectedSentence(text, (), "no citation"))
            continue
        if len(cited) < len(nums):
            bad = [str(n) for n in nums if n not in by_number]
            rejected.append(
                RejectedSentence(text, article_ids, f"cites unknown [{', '.join(bad)}]")
            )
            continue
        reason = check_sentence(text, cited, matrix, support_threshold)
        if reason is not None:
            rejected.append(RejectedSentence(text, article_ids, reason))
            continue
        n_words = len(text.split())
        if kept and used + n_words > words:
            rejected.append(RejectedSentence(text, article_ids, "over the word budget"))
            continue
        used += n_words
        support = len(
            {matrix.groups[i] for i, a in enumerate(matrix.articles) if a.id in article_ids}
        )
        shown: dict[str, Evidence] = {}
        for item in cited:
            for ev in item.evidence:
                shown.setdefault(ev.article_id, ev)
        kept.append(
            BriefSentence(
                text=text,
                cites=article_ids,
                support=support,
                evidence=tuple(shown[a] for a in article_ids if a in shown),
            )
        )
    return LLMBrief(tuple(kept), tuple(rejected))
