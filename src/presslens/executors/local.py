"""Run everything in this process, one item after another."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from presslens.executors import Executor, OnResult, call


class InProcess(Executor):
    """The executor of one worker: this process."""

    workers = 1

    def map(
        self,
        fn: Callable[..., Any],
        items: Sequence[Any],
        *,
        shared: Any = None,
        labels: Sequence[str] | None = None,
        on_result: OnResult | None = None,
    ) -> list[Any]:
        """Each item in turn; an exception propagates as it is."""
        out: list[Any] = []
        for i, item in enumerate(items):
            result = call(fn, shared, item)
            out.append(result)
            if on_result is not None:
                on_result(i, result)
        return out

    def describe(self) -> str:
        """How the run was executed."""
        return "in this process"
