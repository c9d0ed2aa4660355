"""What libraries say while reading is kept as notices naming the file, never printed."""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Iterator

import pytest

from presslens.messages import MESSAGE_CHARS, captured, quietly
from presslens.model import Notice


def _chatty_reader() -> Iterator[str]:
    logging.getLogger("somelib.parser").warning("odd byte at %d", 7)
    yield "first"
    warnings.warn("old API", DeprecationWarning, stacklevel=1)
    sys.stderr.write("  raw words\n  over two lines\n")
    yield "second"
    logging.getLogger("somelib").info("too quiet to keep")
    yield "third"


def test_quietly_turns_what_was_said_into_notices_before_the_item(
    capsys: pytest.CaptureFixture[str],
) -> None:
    items = list(quietly(_chatty_reader(), "feed.xml"))
    assert items == [
        Notice("feed.xml", "somelib: odd byte at 7"),
        "first",
        Notice("feed.xml", "DeprecationWarning: old API"),
        Notice("feed.xml", "stderr: raw words over two lines"),
        "second",
        "third",
    ]
    assert capsys.readouterr().err == ""


def test_what_the_consumer_prints_between_items_is_not_captured(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for item in quietly(_chatty_reader(), "feed.xml"):
        if item == "first":
            print("the caller's own line", file=sys.stderr)
    assert capsys.readouterr().err == "the caller's own line\n"


def test_captured_restores_everything_and_shortens_long_messages() -> None:
    before = (sys.stderr, list(logging.getLogger().handlers), list(warnings.filters))
    with captured() as heard:
        logging.getLogger("lib").error("x" * (MESSAGE_CHARS * 2))
    assert len(heard) == 1 and len(heard[0].message) == MESSAGE_CHARS
    assert (sys.stderr, list(logging.getLogger().handlers), list(warnings.filters)) == before
