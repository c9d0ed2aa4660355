"""Run work in worker processes on this machine.

Each worker is a spawned process that lives for the whole run (so a model it loads is loaded
once) and runs one item at a time.  Workers start with the first map that has more than one
item: a map of one item while none is running is done here, since starting a worker costs
more than the item (a small input never starts any).  The driver knows which item each
worker holds: when a worker dies (killed, out of memory) its item goes to a fresh worker, up
to ``retries`` times, after which the run stops with a message naming the item.  An exception
raised by the work itself is not bad luck and is not retried: a presslens error is raised
here as itself (as in this process), any other as a :class:`RemoteError`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from presslens import errors
from presslens.errors import ExecutorError, PresslensError
from presslens.executors import Executor, OnResult, RemoteError, call

#: environment a worker sets before anything imports numpy: one BLAS thread per worker, as
#: the workers already use every core
_ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
}
# seconds a worker is given to leave on its own before it is terminated
_JOIN_SECONDS = 5.0


def _serve(conn: Connection) -> None:
    """A worker's loop: take the map's function and shared value, then items, until told to
    stop or the driver goes away."""
    for key, value in _ONE_THREAD.items():
        os.environ.setdefault(key, value)
    fn: Callable[..., Any] | None = None
    shared: Any = None
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        if msg[0] == "map":
            _, fn, shared = msg
            continue
        if msg[0] == "warm":
            # nothing is answered: a failure here shows again, reported, when the work runs
            with contextlib.suppress(Exception):
                msg[1](msg[2])
            continue
        _, index, item = msg
        try:
            assert fn is not None
            result = call(fn, shared, item)
        except PresslensError as exc:
            # the class's name and the message as text, not the exception: one whose
            # __init__ takes other arguments (MissingDependencyError) cannot be unpickled
            conn.send(("presslens", index, (type(exc).__name__, str(exc))))
        except BaseException:
            conn.send(("error", index, traceback.format_exc()))
        else:
            conn.send(("ok", index, result))


def _rebuild(name: str, message: str) -> PresslensError:
    """The presslens error a worker raised, as the driver raises it: the same class when it
    is one of :mod:`presslens.errors` built from a message alone, else a PresslensError with
    the same message."""
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, PresslensError):
        try:
            return cls(message)
        except TypeError:
            pass
    return PresslensError(message)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    map_id: int = -1
    item: int | None = None


class LocalProcesses(Executor):
    """``workers`` spawned processes; a dead worker's item is retried ``retries`` times."""

    def __init__(self, workers: int, *, retries: int = 2) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.retries = retries
        self._ctx = multiprocessing.get_context("spawn")
        self._pool: list[_Worker] = []
        self._map_id = 0

    def describe(self) -> str:
        """How the run was executed."""
        return f"{self.workers} local worker processes"

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_serve, args=(child,), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _bury(self, worker: _Worker) -> None:
        self._pool.remove(worker)
        worker.conn.close()
        worker.process.join(timeout=0.1)

    def warm(self, fn: Callable[[Any], Any], shared: Any) -> None:
        """Start the workers if none runs, and have each run ``fn(shared)`` before its next
        item."""
        try:
            while len(self._pool) < self.workers:
                self._pool.append(self._spawn())
            for worker in self._pool:
                worker.conn.send(("warm", fn, shared))
        except BaseException:
            self.close()
            raise

    def map(
        self,
        fn: Callable[..., Any],
        items: Sequence[Any],
        *,
        shared: Any = None,
        labels: Sequence[str] | None = None,
        on_result: OnResult | None = None,
    ) -> list[Any]:
        """Items spread over the workers, results in the items' order."""
        if len(items) == 1 and not self._pool:
            result = call(fn, shared, items[0])
            if on_result is not None:
                on_result(0, result)
            return [result]
        self._map_id += 1
        results: list[Any] = [None] * len(items)
        attempts = [0] * len(items)
        todo = deque(range(len(items)))
        finished = 0

        def label(i: int) -> str:
            return labels[i] if labels is not None else f"item {i + 1} of {len(items)}"

        try:
            while finished < len(items):
                while len(self._pool) < self.workers:
                    self._pool.append(self._spawn())
                for worker in self._pool:
                    if worker.item is None and todo:
                        i = todo.popleft()
                        if worker.map_id != self._map_id:
                            worker.conn.send(("map", fn, shared))
                            worker.map_id = self._map_id
                        worker.conn.send(("item", i, items[i]))
                        worker.item = i
                busy = [w for w in self._pool if w.item is not None]
                waits: dict[Any, _Worker] = {}
                for w in busy:
                    waits[w.conn] = w
                    waits[w.process.sentinel] = w
                dead: list[_Worker] = []
                for ready in wait(list(waits)):
                    worker = waits[ready]
                    if worker in dead or worker.item is None:
                        continue
                    try:
                        kind, i, payload = worker.conn.recv()
                    except (EOFError, OSError):
                        dead.append(worker)
                        continue
                    worker.item = None
                    if kind == "presslens":
                        raise _rebuild(*payload)
                    if kind == "error":
                        raise RemoteError(f"{label(i)}: a stage failed in a worker:\n{payload}")
                    results[i] = payload
                    finished += 1
                    if on_result is not None:
                        on_result(i, payload)
                for worker in dead:
                    lost = worker.item
                    assert lost is not None
                    i = lost
                    attempts[i] += 1
                    self._bury(worker)
                    if attempts[i] > self.retries:
                        raise ExecutorError(
                            f"a worker process died {attempts[i]} times while running "
                            f"{label(i)} (exit code {worker.process.exitcode}); giving up"
                        )
                    todo.appendleft(i)
        except BaseException:
            self.close()
            raise
        return results

    def close(self) -> None:
        """Stop every worker (politely, then by force)."""
        for worker in self._pool:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        for worker in self._pool:
            worker.process.join(timeout=_JOIN_SECONDS if worker.item is None else 0.1)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(timeout=_JOIN_SECONDS)
            worker.conn.close()
        self._pool = []
