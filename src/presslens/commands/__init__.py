"""The ``presslens`` subcommands beyond analyze, ingest and export, one module each.

Each module of :data:`COMMAND_MODULES` defines ``COMMANDS``: a tuple of :class:`Command`; the
CLI imports every one that exists.  The analysis packages never import this one: a command
builds a pipeline of the stages it needs and runs it with :func:`run_command`, through the same
engine and executors as ``analyze``.  A command module imports what its work needs inside its
``run``, so that ``presslens --help`` loads no model and no scientific library.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from presslens.errors import ConfigError
from presslens.executors import Executor, make_executor

if TYPE_CHECKING:
    from presslens.config import Config
    from presslens.engine import RunResult
    from presslens.pipeline import Pipeline

#: environment variable that sets the default number of workers (else: the machine's cores)
WORKERS_ENV = "PRESSLENS_WORKERS"


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
    #: other names the command answers to (names it had before)
    aliases: tuple[str, ...] = ()


COMMAND_MODULES: tuple[str, ...] = (
    "presslens.commands.cluster",
    "presslens.commands.quotes",
    "presslens.commands.compare",
    "presslens.commands.brief",
    "presslens.commands.serve",
    "presslens.commands.watch",
)


def add_executor_flags(p: argparse.ArgumentParser) -> None:
    """``--workers``, ``--dask`` and ``--scheduler``: where the work runs."""
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help=f"worker processes (default: ${WORKERS_ENV}, else the machine's cores; "
        "1 runs in this process)",
    )
    p.add_argument(
        "--dask", action="store_true", help="run on a Dask LocalCluster of --workers workers"
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on the Dask cluster at tcp://HOST:8786"
    )


def executor_from(args: argparse.Namespace) -> Executor:
    """The executor the flags of :func:`add_executor_flags` ask for."""
    workers = args.workers
    if workers is None and os.environ.get(WORKERS_ENV):
        try:
            workers = int(os.environ[WORKERS_ENV])
        except ValueError:
            raise ConfigError(
                f"{WORKERS_ENV} must be a whole number, got {os.environ[WORKERS_ENV]!r}"
            ) from None
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    return make_executor(workers, dask=args.dask, scheduler=args.scheduler)


def run_command(
    args: argparse.Namespace, config: Config, pipeline: Pipeline, command: str
) -> RunResult | None:
    """Run a single-stage command's ``pipeline`` over its input ``args.input``.

    Each skipped input gets a line on stderr (unless ``--quiet``) and a count at the end, as
    ``analyze`` does; ``None`` (after saying so) when no article could be read.
    """
    from presslens.api import run_pipeline

    with executor_from(args) as executor:
        result = run_pipeline(pipeline, config=config, paths=[args.input], executor=executor)
    report_skips(result, args, command)
    if not result.articles:
        print(f"presslens {command}: no articles read from {args.input}", file=sys.stderr)
        return None
    return result


def report_skips(result: RunResult, args: argparse.Namespace, command: str) -> None:
    """Tell stderr about the inputs a command skipped, and (unless ``--quiet``) about those it
    read in spite of damage or with a library's warning."""
    if not args.quiet:
        for notice in result.notices:
            print(f"presslens {command}: warning: {notice}", file=sys.stderr)
    if not result.skipped:
        return
    if not args.quiet:
        for item in result.skipped:
            print(f"presslens {command}: skipped {item}", file=sys.stderr)
    print(f"presslens {command}: {len(result.skipped)} input(s) skipped", file=sys.stderr)
