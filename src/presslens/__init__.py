"""presslens: read the same news from many outlets and see what each story's coverage shows."""

__version__ = "0.1.0"

from presslens.api import IngestResult, analyze, export, ingest_into  # noqa: E402
from presslens.config import Config, load_config  # noqa: E402
from presslens.errors import (  # noqa: E402
    ConfigError,
    InputError,
    MissingDependencyError,
    PresslensError,
    SchemaError,
    StoreError,
)
from presslens.model import Article, Removed, Skip, Story, StoryDocs  # noqa: E402
from presslens.report import Report, RunInfo, validate_report  # noqa: E402
from presslens.store import Store  # noqa: E402

__all__ = [
    "Article",
    "Config",
    "ConfigError",
    "IngestResult",
    "InputError",
    "MissingDependencyError",
    "PresslensError",
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
