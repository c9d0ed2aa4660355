"""Cited story briefs (extractive, or generated and verified) and story timelines."""

from presslens.brief.extractive import build_matrix, extract_brief
from presslens.brief.llm import LLMBrief, abstractive_brief
from presslens.brief.story import StorySummary, summarize_story
from presslens.brief.timeline import build_timeline, find_dates
from presslens.config import BriefParams
from presslens.text.sentences import split_sentences

__all__ = [
    "BriefParams",
    "LLMBrief",
    "StorySummary",
    "abstractive_brief",
    "build_matrix",
    "build_timeline",
    "extract_brief",
    "find_dates",
    "split_sentences",
    "summarize_story",
]
