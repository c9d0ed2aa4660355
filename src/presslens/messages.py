"""What libraries say while they read an input, kept instead of printed.

warcio writes straight to ``sys.stderr``, trafilatura and warcio log through :mod:`logging`,
and others raise Python warnings; left alone, each reaches the terminal raw, without the
file's name and in spite of ``--quiet``.  :func:`captured` collects all three while a block
runs, and :func:`quietly` does so around each step of a reader, turning what it heard into
:class:`~presslens.model.Notice` records that name the file: the run reports them with the
rest, and the command line shows them unless told to be quiet.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from presslens.model import Notice

T = TypeVar("T")

#: longest message kept from a library (a warning can quote a whole damaged record)
MESSAGE_CHARS = 300


@dataclass(frozen=True, slots=True)
class Heard:
    """One thing a library said: who said it (``warcio``, ``trafilatura``, a warning's
    category, ``stderr``) and what."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.heard: list[Heard] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.heard.append(Heard(record.name.split(".", 1)[0], _short(record.getMessage())))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


class _Listening:
    """Collects what libraries say while its ``with`` block runs; reusable, one block at a
    time.  A class rather than a generator context manager: it runs once per item read, so
    its cost shows in ingest speed."""

    # Made afresh by each __enter__ (a catch_warnings or redirect_stderr cannot be entered
    # twice).
    _err: io.StringIO
    _warnings: warnings.catch_warnings
    _caught: list[warnings.WarningMessage]
    _stderr: contextlib.redirect_stderr[io.StringIO]

    def __init__(self) -> None:
        self._handler = _Collect()

    def __enter__(self) -> list[Heard]:
        heard: list[Heard] = []
        self._handler.heard = heard
        self._err = io.StringIO()
        self._warnings = warnings.catch_warnings(record=True)
        self._caught = self._warnings.__enter__()
        warnings.simplefilter("always")
        self._stderr = contextlib.redirect_stderr(self._err)
        self._stderr.__enter__()
        logging.getLogger().addHandler(self._handler)
        return heard

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self._handler)
        self._stderr.__exit__(None, None, None)
        self._warnings.__exit__(None, None, None)
        heard = self._handler.heard
        heard.extend(Heard(w.category.__name__, _short(str(w.message))) for w in self._caught)
        if self._err.getvalue().strip():
            heard.append(Heard("stderr", _short(self._err.getvalue())))


def captured() -> contextlib.AbstractContextManager[list[Heard]]:
    """Collect log records (WARNING and up), Python warnings and raw ``sys.stderr`` output
    while the block runs; the list it gives is filled when the block ends.

    The warnings filter and ``sys.stderr`` are process-wide, so this belongs around reading
    (one thread), not around work that other threads do at the same time.
    """
    return _Listening()


def quietly(items: Iterator[T], path: str) -> Iterator[T | Notice]:
    """``items``, with what libraries said while each one was made as a :class:`Notice`
    (naming ``path``) just before it."""
    listening = _Listening()
    while True:
        with listening as heard:
            step = list(itertools.islice(items, 1))
        for h in heard:
            yield Notice(path, str(h))
        if not step:
            return
        yield step[0]
