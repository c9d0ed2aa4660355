"""Run work on Dask: a ``LocalCluster`` on this machine, or an existing cluster's scheduler.

Each item travels inside its task, a few tasks per worker at a time (so the scheduler holds
only those items, and can reschedule a task whose worker died); the ``shared`` value is
broadcast once per map; every task is impure (``pure=False``) so nothing is reused between
runs by accident.  A worker that dies has its task rescheduled by the scheduler up to
``retries`` times (``distributed.scheduler.allowed-failures``; set here for a LocalCluster,
by the cluster's own configuration otherwise); past that the run stops naming the item.
Needs the extra ``dask`` (``pip install 'presslens[dask]'``).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from presslens.errors import ExecutorError, MissingDependencyError, PresslensError
from presslens.executors import Executor, OnResult, RemoteError, call

#: seconds to wait for a scheduler given by address before giving up
CONNECT_TIMEOUT = 10.0
# Tasks submitted ahead per worker: enough that no worker waits for the driver between two
# tasks, few enough that the scheduler holds only a handful of items at once.
_IN_FLIGHT = 3


class DaskExecutor(Executor):
    """Work as Dask tasks; ``scheduler`` is an address (``tcp://host:8786``) or ``None`` for a
    LocalCluster of ``workers`` single-threaded worker processes."""

    spread = True

    def __init__(
        self,
        workers: int = 2,
        *,
        scheduler: str | None = None,
        retries: int = 2,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependencyError("distributed", "dask", "running on Dask") from exc
        self.scheduler = scheduler
        self._cluster: Any = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=f"{connect_timeout}s", set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(
                    f"cannot reach the Dask scheduler at {scheduler} "
                    f"within {connect_timeout:g} s: {exc}"
                ) from exc
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        else:
            with dask.config.set({"distributed.scheduler.allowed-failures": retries}):
                self._cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    # port 0: the scheduler's HTTP server takes a free port (8787 may be taken)
                    dashboard_address=":0",
                    # a LocalCluster's shutdown logs heartbeat errors that mean nothing
                    silence_logs=logging.CRITICAL,
                )
            self.client = Client(self._cluster, set_as_default=False)
            self.workers = workers

    def describe(self) -> str:
        """How the run was executed."""
        if self.scheduler:
            return f"Dask cluster at {self.scheduler} ({self.workers} workers)"
        return f"Dask LocalCluster of {self.workers} workers"

    def warm(self, fn: Callable[[Any], Any], shared: Any) -> None:
        """Have each worker the cluster has now run ``fn(shared)`` as a task of its own, not
        waited for (a worker that joins later does the work without it)."""
        from distributed import fire_and_forget

        run = uuid.uuid4().hex[:12]
        for n, address in enumerate(self.client.scheduler_info().get("workers", {})):
            future = self.client.submit(
                _quietly,
                fn,
                shared,
                key=f"presslens-warm-{run}-{n}",
                workers=[address],
                allow_other_workers=False,
                pure=False,
            )
            fire_and_forget(future)

    def map(
        self,
        fn: Callable[..., Any],
        items: Sequence[Any],
        *,
        shared: Any = None,
        labels: Sequence[str] | None = None,
        on_result: OnResult | None = None,
    ) -> list[Any]:
        """Items as tasks on the cluster, results in the items' order.

        At most ``_IN_FLIGHT`` tasks per worker are submitted at a time, so the scheduler never
        holds more than that many items; each item travels inside its task (not scattered to
        one worker), so a task whose worker died is rescheduled with its data.
        """
        from distributed import as_completed

        if not items:
            return []
        run = uuid.uuid4().hex[:12]
        name = getattr(fn, "__name__", "task")
        shared_f = (
            None if shared is None else self.client.scatter(shared, broadcast=True, hash=False)
        )
        results: list[Any] = [None] * len(items)
        pending = iter(range(len(items)))
        index: dict[Any, int] = {}
        live: list[Any] = []

        def submit(ac: Any) -> None:
            i = next(pending, None)
            if i is None:
                return
            future = self.client.submit(
                call, fn, shared_f, items[i], key=f"presslens-{name}-{run}-{i}", pure=False
            )
            index[future.key] = i
            live.append(future)
            ac.add(future)

        try:
            with self.client.as_current():
                ac = as_completed()
                for _ in range(self.workers * _IN_FLIGHT):
                    submit(ac)
                for future in ac:
                    i = index[future.key]
                    if future.status == "error":
                        self._raise(
                            future, labels[i] if labels else f"item {i + 1} of {len(items)}"
                        )
                    results[i] = future.result()
                    live.remove(future)
                    future.release()
                    if on_result is not None:
                        on_result(i, results[i])
                    submit(ac)
        finally:
            if live:
                self.client.cancel(live)
        return results

    @staticmethod
    def _raise(future: Any, where: str) -> None:
        """Raise what a failed task says: a presslens error as itself, workers that kept dying
        as an :class:`ExecutorError` naming the item, anything else as a fault."""
        from distributed.scheduler import KilledWorker

        exc = future.exception()
        if isinstance(exc, PresslensError):
            raise exc
        if isinstance(exc, KilledWorker):
            raise ExecutorError(f"Dask workers died while running {where}; giving up: {exc}")
        tb = "".join(_format(future.traceback(), exc))
        raise RemoteError(f"{where}: a stage failed on a Dask worker:\n{tb}")

    def close(self) -> None:
        """Close the client (and the LocalCluster this executor started)."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _quietly(fn: Callable[[Any], Any], shared: Any) -> None:
    """``fn(shared)``; a failure is the later work's to report."""
    with contextlib.suppress(Exception):
        fn(shared)


def _format(tb: Any, exc: BaseException | None) -> list[str]:
    import traceback

    if exc is None:
        return ["(no traceback)"]
    return traceback.format_exception(type(exc), exc, tb)
