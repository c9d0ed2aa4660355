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
    def __init__(self, heard: list[Heard]) -> None:
        super().__init__(logging.WARNING)
        self.heard = heard

    def emit(self, record: logging.LogRecord) -> None:
        self.heard.append(Heard(record.name.split(".", 1)[0], _short(record.getMessage())))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


@contextlib.contextmanager
def captured() -> Iterator[list[Heard]]:
    """Collect log records (WARNING and up), Python warnings and raw ``sys.stderr`` output
    while the block runs; the list is filled when the block ends.

    The warnings filter and ``sys.stderr`` are process-wide, so this belongs around reading
    (one thread), not around work that other threads do at the same time.
    """
    heard: list[Heard] = []
    handler = _Collect(heard)
    root = logging.getLogger()
    err = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(err):
        warnings.simplefilter("always")
        root.addHandler(handler)
        try:
            yield heard
        finally:
            root.removeHandler(handler)
            heard.extend(Heard(w.category.__name__, _short(str(w.message))) for w in caught)
            if err.getvalue().strip():
                heard.append(Heard("stderr", _short(err.getvalue())))


def quietly(items: Iterator[T], path: str) -> Iterator[T | Notice]:
    """``items``, with what libraries said while each one was made as a :class:`Notice`
    (naming ``path``) just before it."""
    while True:
        with captured() as heard:
            step = list(itertools.islice(items, 1))
        for h in heard:
            yield Notice(path, str(h))
        if not step:
            return
        yield step[0]
