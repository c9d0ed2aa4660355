"""presslens: read the same news from many outlets and see what each story's coverage shows."""

from presslens.config import Config, load_config
from presslens.errors import ConfigError, InputError, PresslensError, SchemaError, StoreError
from presslens.model import Article, Removed, Skip, Story, StoryDocs

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Config",
    "ConfigError",
    "InputError",
    "PresslensError",
    "Removed",
    "SchemaError",
    "Skip",
    "StoreError",
    "Story",
    "StoryDocs",
    "__version__",
    "load_config",
]
