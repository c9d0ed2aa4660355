"""presslens: read the same news from many outlets and see what each story's coverage shows."""

__version__ = "0.1.0"

from presslens.api import IngestResult, analyze, export, ingest_into
from presslens.config import Config, load_config
from presslens.errors import (
    ConfigError,
    InputError,
    MissingDependencyError,
    PresslensError,
    QueryRefused,
    QueryTimeout,
    SchemaError,
    StoreError,
)
from presslens.model import Article, Notice, Removed, Skip, Story, StoryDocs
from presslens.report import Report, RunInfo, validate_report
from presslens.store import Store

__all__ = [
    "Article",
    "Config",
    "ConfigError",
    "IngestResult",
    "InputError",
    "MissingDependencyError",
    "Notice",
    "PresslensError",
    "QueryRefused",
    "QueryTimeout",
    "Removed",
    "Report",
    "RunInfo",
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
    "validate_report",
]
