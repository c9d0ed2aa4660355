"""Executors decide where work runs; stages never import them.

Every executor offers one operation, :meth:`Executor.map`: apply a top-level function to a
list of picklable items and return the results in the items' order, with an optional
``shared`` value that travels once to each worker rather than with every item.  The engine
(:mod:`presslens.engine`) builds every run out of such maps, so the same input gives the same
result whichever executor runs it and with any number of workers:

* :class:`~presslens.executors.local.InProcess` — here, one item after another;
* :class:`~presslens.executors.processes.LocalProcesses` — worker processes on this machine,
  a dead worker's item retried on a fresh worker;
* :class:`~presslens.executors.dask.DaskExecutor` — a Dask ``LocalCluster`` or an existing
  cluster's scheduler (extra ``dask``).

Heavy resources (the spaCy pipeline) are loaded once per worker process: the functions that
load them cache what they load, and a worker process lives for the whole run.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Self

#: called as ``on_result(index, result)`` on the driver as each item finishes
OnResult = Callable[[int, Any], None]


class RemoteError(Exception):
    """A stage raised inside a worker; the message carries the worker's traceback.

    Not a :class:`~presslens.errors.PresslensError`: it is a fault in presslens, reported
    as an internal error like any exception raised in this process.
    """


class Executor(ABC):
    """Runs functions over items, somewhere."""

    #: how many items can run at once
    workers: int = 1
    #: whether a corpus stage's own work is worth shipping to the workers (on a cluster it
    #: is; on one machine, moving the features costs more than computing them in place)
    spread: bool = False

    @abstractmethod
    def map(
        self,
        fn: Callable[..., Any],
        items: Sequence[Any],
        *,
        shared: Any = None,
        labels: Sequence[str] | None = None,
        on_result: OnResult | None = None,
    ) -> list[Any]:
        """``[fn(shared, item) for item in items]`` (``fn(item)`` when ``shared`` is None),
        computed wherever this executor runs work, in the items' order.

        ``labels`` name the items in error messages (a shard's path); ``on_result`` is told
        of each result as it arrives, in whatever order the items finish.
        """

    def warm(self, fn: Callable[[Any], Any], shared: Any) -> None:  # noqa: B027 - optional
        """Have every worker run ``fn(shared)`` now, without waiting for it: loading what
        later work needs while this process does other things.  Errors are the later work's
        to report.  Executors whose workers start with the work ignore it."""

    def describe(self) -> str:
        """A few words for the run summary ("2 local worker processes")."""
        return type(self).__name__

    def close(self) -> None:  # noqa: B027 - executors without resources need no cleanup
        """Release workers and connections."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def call(fn: Callable[..., Any], shared: Any, item: Any) -> Any:
    """``fn(shared, item)``, or ``fn(item)`` when there is nothing shared."""
    return fn(item) if shared is None else fn(shared, item)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def make_executor(
    workers: int | None = None,
    *,
    dask: bool = False,
    scheduler: str | None = None,
    retries: int = 2,
) -> Executor:
    """The executor a user asked for: ``scheduler`` → that Dask cluster; ``dask`` → a Dask
    LocalCluster of ``workers``; else ``workers`` local processes (1: this process).

    ``workers`` defaults to the machine's cores.
    """
    n = default_workers() if workers is None else workers
    if scheduler or dask:
        from presslens.executors.dask import DaskExecutor

        return DaskExecutor(workers=n, scheduler=scheduler, retries=retries)
    if n <= 1:
        from presslens.executors.local import InProcess

        return InProcess()
    from presslens.executors.processes import LocalProcesses

    return LocalProcesses(n, retries=retries)
