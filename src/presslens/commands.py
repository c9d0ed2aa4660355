"""How a stage family adds a ``presslens`` subcommand without editing ``cli.py``.

A family's ``command.py`` module defines ``COMMANDS``: a tuple of :class:`Command`.  The CLI
imports every module in :data:`COMMAND_MODULES` that exists.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


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
