"""presslens: read the same news from many outlets and see what each story's coverage shows."""

__version__ = "0.1.0"

from presslens.api import IngestResult, analyze, export, ingest_into, run_pipeline
from presslens.config import Config, load_config
from presslens.engine import RunResult
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
from presslens.model import Article, Notice, Removed, Skip, Story, StoryDocs
from presslens.pipeline import Pipeline
from presslens.report import Report, RunInfo, validate_report
from presslens.store import Store

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
    "StoryDocs",
    "__version__",
    "analyze",
    "export",
    "ingest_into",
    "load_config",
    "make_executor",
    "run_pipeline",
    "validate_report",
]
