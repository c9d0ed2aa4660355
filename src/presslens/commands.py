"""How a stage family adds a ``presslens`` subcommand without editing ``cli.py``.

A family's ``command.py`` module defines ``COMMANDS``: a tuple of :class:`Command`.  The CLI
imports every module in :data:`COMMAND_MODULES` that exists.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from presslens.config import IngestConfig
from presslens.ingest import read_inputs
from presslens.model import Article, Notice


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, one-line help, how to add its flags, and what it runs.

    ``run`` returns the process exit status: 0 when at least one item was processed,
    2 when none (bad or empty input), 1 on an internal fault.
    """

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMAND_MODULES: tuple[str, ...] = (
    "presslens.dedup.command",
    "presslens.cluster.command",
    "presslens.nlp.command",
    "presslens.compare.command",
    "presslens.summarize.command",
    "presslens.web.command",
)


def read_articles(
    path: str, config: IngestConfig, command: str, *, quiet: bool = False
) -> list[Article]:
    """The articles of one input for a single-stage command, texts as given (not cleaned).

    Each skipped input gets a line on stderr (unless ``quiet``) and a count at the end, and
    each notice a warning line (unless ``quiet``), so ``presslens quotes`` and the like treat
    bad input the way ``analyze`` does.
    """
    articles: list[Article] = []
    skipped = 0
    for item in read_inputs([path], config):
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, Notice):
            if not quiet:
                print(f"presslens {command}: warning: {item}", file=sys.stderr)
        else:
            skipped += 1
            if not quiet:
                print(f"presslens {command}: skipped {item}", file=sys.stderr)
    if skipped:
        print(f"presslens {command}: {skipped} input(s) skipped", file=sys.stderr)
    if not articles:
        print(f"presslens {command}: no articles read from {path}", file=sys.stderr)
    return articles
