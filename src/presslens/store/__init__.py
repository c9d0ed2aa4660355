"""The embedded SQLite store (WAL, FTS5, versioned schema); see :mod:`presslens.store.schema`."""

from presslens.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration
from presslens.store.store import (
    AddCounts,
    AddResult,
    SearchHit,
    Store,
    fts_query,
    record_key,
)

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AddCounts",
    "AddResult",
    "Migration",
    "SearchHit",
    "Store",
    "fts_query",
    "record_key",
]
