"""One story in, its brief, rejected generated sentences and timeline out."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from presslens.brief.extractive import brief_from_matrix, build_matrix, rank
from presslens.brief.llm import abstractive_brief
from presslens.brief.timeline import timeline_from_matrix
from presslens.config import BriefConfig, BriefParams
from presslens.model import Article, BriefSentence, RejectedSentence, TimelineEvent


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story's brief (``method`` "extractive" or "llm"), timeline and what was dropped.

    ``error`` says why the LLM path failed when it was asked for (the brief is then the
    extractive one).
    """

    brief: tuple[BriefSentence, ...]
    timeline: tuple[TimelineEvent, ...] | None
    rejected: tuple[RejectedSentence, ...]
    method: str
    error: str | None = None


def summarize_story(
    articles: Sequence[Article],
    config: BriefConfig,
    words: int | None = None,
    *,
    params: BriefParams | None = None,
    client: httpx.Client | None = None,
) -> StorySummary:
    """Brief and timeline of the story told by ``articles``.

    ``words`` overrides ``config.words``; ``params`` (default: those of ``config``) the
    extractive constants.  With ``config.llm_url`` and ``config.llm_model`` the brief is
    generated and verified (:mod:`presslens.brief.llm`); when the endpoint fails, or every
    generated sentence is rejected, the extractive brief stands in.
    """
    params = params or config
    budget = config.words if words is None else words
    matrix = build_matrix(articles, params)
    # the brief, the timeline and the LLM's items all rank the same sentences the same way
    ranking = rank(matrix, params) if matrix.candidates else None
    timeline = (
        timeline_from_matrix(
            matrix, params, config.timeline_max_events, config.timeline_merge, ranking
        )
        if config.timeline
        else None
    )
    if config.llm_url and config.llm_model:
        result = abstractive_brief(
            matrix,
            budget,
            config.llm_url,
            config.llm_model,
            key=os.environ.get(config.llm_key_env) or None,
            params=params,
            max_items=config.llm_max_items,
            support_threshold=config.llm_support,
            timeout=config.llm_timeout,
            client=client,
            ranking=ranking,
        )
        if result.sentences:
            return StorySummary(result.sentences, timeline, result.rejected, "llm")
        error = result.error or "every generated sentence was rejected"
        return StorySummary(
            brief_from_matrix(matrix, budget, params, ranking),
            timeline,
            result.rejected,
            "extractive",
            error,
        )
    brief = brief_from_matrix(matrix, budget, params, ranking)
    return StorySummary(brief, timeline, (), "extractive")
