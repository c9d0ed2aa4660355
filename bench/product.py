"""How a bench runs a ``presslens`` command: the console script in a child process, as a user
types it; or, for the quality gate in the test suite (tests/quality), the same command line
handed to ``presslens.cli.main`` in the calling process, which saves each command's start-up
(about 2 s) and loads spaCy once for every check.

Every bench function that runs a command takes a ``cli`` argument, :func:`console` by default.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

#: the console script of the environment running this bench, as a user would call it
PRESSLENS = Path(sys.executable).with_name("presslens")

#: a ``presslens`` command line (without the program name) in, its exit status out
Cli = Callable[[Sequence[str]], int]


def console(argv: Sequence[str]) -> int:
    """Run ``presslens ARGV...`` in a child process; its stderr is shown when it fails."""
    done = subprocess.run([str(PRESSLENS), *argv], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
    return done.returncode


def presslens(argv: Sequence[str], cli: Cli = console) -> None:
    """Run ``presslens ARGV...`` with ``cli``; a command that fails stops the bench."""
    status = cli(list(argv))
    if status != 0:
        raise RuntimeError(f"presslens {argv[0]} failed with status {status}")
