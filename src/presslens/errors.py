"""The one exception hierarchy of presslens.

Bad articles are data, not exceptions: a reader that meets a broken file yields a
:class:`presslens.model.Skip` and goes on.  Exceptions are for faults the caller must
handle: a bad configuration, a store that cannot be opened, a missing optional dependency.
"""

from __future__ import annotations


class PresslensError(Exception):
    """Base class of every exception raised on purpose by presslens."""


class ConfigError(PresslensError):
    """A configuration value is missing, mistyped or out of range (the message names it)."""


class StoreError(PresslensError):
    """The SQLite store cannot be opened, migrated or written."""


class SchemaError(PresslensError):
    """A report does not match the shipped JSON Schema."""


class MissingDependencyError(PresslensError):
    """An optional dependency is needed; the message carries the install hint."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs the optional package {package!r}: pip install 'presslens[{extra}]'"
        )
        self.package = package
        self.extra = extra


class InputError(PresslensError):
    """An input cannot be read at all (raised inside readers, turned into a Skip by ingest)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


class PipelineError(ConfigError):
    """Stages whose contracts do not fit together (the message names the stage and field)."""


class ExecutorError(PresslensError):
    """Work could not be run: a worker died past its retries (the message names the shard),
    or a scheduler could not be reached (the message names the address)."""


class QueryRefused(StoreError):
    """A search the store will not run as given (e.g. too many distinct terms); says why."""


class QueryTimeout(StoreError):
    """A read ran past its time budget and was stopped (see ``Store.time_budget``)."""
