"""Progress for people: a rich bar per step on a terminal, plain lines otherwise, or nothing.

Each step of a run (reading, each article stage, clustering, the story stages) reports how
many of its items are done, however many workers do them; the bar and the plain lines show
the rate and, once a step has gone on a while, the time left.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from presslens.model import Notice, Skip
from presslens.report import RunInfo

#: seconds between plain progress lines when not on a terminal
PLAIN_INTERVAL = 2.0


class Reporter:
    """Shows stage progress and skip lines; silent when ``quiet``."""

    def __init__(self, *, quiet: bool = False, stream: IO[str] | None = None) -> None:
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.console = Console(file=self.stream, highlight=False, soft_wrap=True)
        self.tty = self.console.is_terminal
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._last_line: dict[str, float] = {}
        self._started: dict[str, tuple[float, int]] = {}

    def _rate(self, stage: str, done: int) -> float | None:
        """Items a second since the stage's first report (``None`` until there is a rate)."""
        now = time.monotonic()
        t0, done0 = self._started.setdefault(stage, (now, done))
        return (done - done0) / (now - t0) if now > t0 and done > done0 else None

    @contextmanager
    def live(self) -> Iterator[Reporter]:
        """Context in which progress bars are drawn (a no-op when not on a terminal)."""
        if self.quiet or not self.tty:
            yield self
            return
        with Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        ) as progress:
            self._progress = progress
            try:
                yield self
            finally:
                self._progress = None
                self._tasks.clear()

    def update(self, stage: str, done: int, total: int | None) -> None:
        """Stage ``stage`` has handled ``done`` of ``total`` items."""
        if self.quiet:
            return
        rate = self._rate(stage, done)
        shown = "" if rate is None else f"{rate:,.1f}/s"
        if self._progress is not None:
            task = self._tasks.get(stage)
            if task is None:
                task = self._progress.add_task(stage, total=total, rate=shown)
                self._tasks[stage] = task
            self._progress.update(task, completed=done, total=total, rate=shown)
            return
        now = time.monotonic()
        finished = total is not None and done >= total
        if finished or now - self._last_line.get(stage, 0.0) >= PLAIN_INTERVAL:
            self._last_line[stage] = now
            of = f"/{total}" if total is not None else ""
            more = ""
            if rate is not None:
                more = f" ({shown}"
                if total is not None and not finished:
                    more += f", about {_duration((total - done) / rate)} left"
                more += ")"
            print(f"presslens: {stage}: {done}{of}{more}", file=self.stream, flush=True)

    def skip(self, skip: Skip) -> None:
        """One clear line for an input that was skipped."""
        if not self.quiet:
            self.console.print(f"skipped {skip}", markup=False)

    def notice(self, notice: Notice) -> None:
        """One line for an input read in spite of damage, or that a library warned about."""
        if not self.quiet:
            self.console.print(f"warning: {notice}", markup=False)

    def info(self, message: str) -> None:
        """A line of information (suppressed by ``quiet``)."""
        if not self.quiet:
            self.console.print(message, markup=False)

    def summary(self, run: RunInfo, kept: int, stories: int | None, seconds: float) -> None:
        """The closing table: articles in, kept, skipped by reason, stories, time."""
        if self.quiet:
            return
        table = Table(title="presslens run", show_header=False)
        table.add_column("what")
        table.add_column("count", justify="right")
        table.add_row("articles in", str(run.articles_in))
        table.add_row("kept", str(kept))
        table.add_row("skipped", str(len(run.skipped)))
        for k, n in run.skipped_by_reason().items():
            table.add_row(f"  {k}", str(n))
        if run.warnings:
            table.add_row("warnings", str(len(run.warnings)))
        if stories is not None:
            table.add_row("stories", str(stories))
        table.add_row("time", f"{seconds:.2f} s")
        self.console.print(table)


def _duration(seconds: float) -> str:
    """``1h02m``, ``3m05s`` or ``12s``."""
    s = round(seconds)
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"
