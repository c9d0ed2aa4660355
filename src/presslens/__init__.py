"""presslens: read the same news from many outlets and see what each story's coverage shows.

The names below are the public API.  Those that need the engine, the report or the store are
loaded when first used, so that ``import presslens`` (and ``presslens --help``) stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from presslens.config import Config, load_config
from presslens.errors import (
    ConfigError,
    ExecutorError,
    InputError,
    MissingDependencyError,
    PipelineError,
    PresslensError,
    QueryRefused,
    QueryTimeout,
    SchemaError,
    StoreError,
)
from presslens.executors import Executor, make_executor
from presslens.model import Article, Notice, Removed, Skip, Story, StoryArticles
from presslens.pipeline import Pipeline

if TYPE_CHECKING:
    from presslens.api import IngestResult, analyze, export, ingest_into, run_pipeline
    from presslens.engine import RunResult
    from presslens.report import Report, RunInfo, validate_report
    from presslens.store import Store

__version__ = "0.1.0"

_LAZY = {
    "IngestResult": "presslens.api",
    "analyze": "presslens.api",
    "export": "presslens.api",
    "ingest_into": "presslens.api",
    "run_pipeline": "presslens.api",
    "RunResult": "presslens.engine",
    "Report": "presslens.report",
    "RunInfo": "presslens.report",
    "validate_report": "presslens.report",
    "Store": "presslens.store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'presslens' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Article",
    "Config",
    "ConfigError",
    "Executor",
    "ExecutorError",
    "IngestResult",
    "InputError",
    "MissingDependencyError",
    "Notice",
    "Pipeline",
    "PipelineError",
    "PresslensError",
    "QueryRefused",
    "QueryTimeout",
    "Removed",
    "Report",
    "RunInfo",
    "RunResult",
    "SchemaError",
    "Skip",
    "Store",
    "StoreError",
    "Story",
    "StoryArticles",
    "__version__",
    "analyze",
    "export",
    "ingest_into",
    "load_config",
    "make_executor",
    "run_pipeline",
    "validate_report",
]
