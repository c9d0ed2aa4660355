"""The ``presslens`` command.

Exit status: 0 when at least one article was analysed, 2 when none (or on a usage or
configuration error), 1 on an internal fault or when the work could not be run (workers that
kept dying, a Dask scheduler out of reach).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from presslens import __version__
from presslens.commands import COMMAND_MODULES, Command, add_executor_flags, executor_from
from presslens.errors import ExecutorError, PresslensError
from presslens.progress import Reporter

EXIT_OK, EXIT_FAULT, EXIT_NOTHING = 0, 1, 2


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="presslens.toml layered over the defaults")
    p.add_argument("--quiet", action="store_true", help="no progress, no summary")


def _add_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or http(s) URLs")
    p.add_argument("--source", help="outlet name for inputs that carry none")
    p.add_argument("--max-bytes", type=int, help="skip inputs larger than this (default 20 MB)")


def _overrides(args: argparse.Namespace) -> dict[str, dict[str, object]]:
    embed = getattr(args, "embed", None)
    formats = getattr(args, "formats", None)
    return {
        "ingest": {"source": args.source, "max_bytes": args.max_bytes},
        "cluster": {"embed": embed},
        "compare": {"embed": embed},
        "report": {"formats": None if formats is None else formats.split(",")},
    }


def _cmd_analyze(args: argparse.Namespace) -> int:
    from presslens.api import analyze, resolve_config

    reporter = Reporter(quiet=args.quiet)
    cfg = resolve_config(config_path=args.config, overrides=_overrides(args))
    t0 = time.perf_counter()
    with executor_from(args) as executor, reporter.live():
        report = analyze(
            args.paths,
            config=cfg,
            out=args.out,
            db=args.db,
            progress=reporter.update,
            on_skip=reporter.skip,
            on_notice=reporter.notice,
            executor=executor,
        )
    stories = None if report.stories is None else len(report.stories)
    reporter.summary(report.run, len(report.articles), stories, time.perf_counter() - t0)
    out = Path(args.out)
    if not args.quiet:
        reporter.info(f"report written: {out / 'report.json'} and {out / 'index.html'}")
        if args.db:
            reporter.info(f"browse it: presslens serve --db {args.db}")
    return EXIT_OK if report.articles else EXIT_NOTHING


def _cmd_ingest(args: argparse.Namespace) -> int:
    from presslens.api import ingest_into, resolve_config
    from presslens.report import RunInfo

    reporter = Reporter(quiet=args.quiet)
    cfg = resolve_config(config_path=args.config, overrides=_overrides(args))
    t0 = time.perf_counter()
    with executor_from(args) as executor, reporter.live():
        result = ingest_into(
            args.paths, args.db, config=cfg, progress=reporter.update, executor=executor
        )
    for n in result.notices:
        reporter.notice(n)
    for s in result.skipped:
        reporter.skip(s)
    run = RunInfo(
        inputs=tuple(args.paths),
        articles_in=result.inserted + result.existing + len(result.skipped),
        skipped=result.skipped,
    )
    reporter.summary(run, result.inserted + result.existing, None, time.perf_counter() - t0)
    reporter.info(
        f"{result.inserted} new articles, {result.existing} already in {args.db}; "
        f"{result.stories_touched} stories updated"
    )
    return EXIT_OK if result.inserted + result.existing else EXIT_NOTHING


def _cmd_export(args: argparse.Namespace) -> int:
    from presslens.api import export

    path = export(args.db, args.format, args.out)
    if not args.quiet:
        print(f"written: {path}", file=sys.stderr)
    return EXIT_OK


def _builtin_commands() -> list[Command]:
    def analyze_flags(p: argparse.ArgumentParser) -> None:
        _add_inputs(p)
        add_executor_flags(p)
        p.add_argument("--out", default="presslens-out", metavar="DIR", help="report folder")
        p.add_argument("--db", metavar="FILE", help="also add everything to this SQLite store")
        p.add_argument(
            "--formats",
            metavar="LIST",
            help="what to write under --out, comma-separated: json, html, md, jsonl, shards "
            "(gzipped JSON Lines parts), parquet, csv (default json,html,md)",
        )
        p.add_argument(
            "--embed",
            action="store_true",
            default=None,
            help="cluster and compare with sentence embeddings too (extra)",
        )

    def ingest_flags(p: argparse.ArgumentParser) -> None:
        _add_inputs(p)
        add_executor_flags(p)
        p.add_argument("--db", required=True, metavar="FILE", help="SQLite store to add to")

    def export_flags(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", required=True, metavar="FILE", help="SQLite store to read")
        p.add_argument(
            "--format",
            required=True,
            choices=["jsonl", "json", "md", "html", "shards", "parquet", "csv"],
        )
        p.add_argument("--out", required=True, metavar="DIR", help="folder to write into")

    return [
        Command(
            "analyze", "run the whole pipeline and write a report", analyze_flags, _cmd_analyze
        ),
        Command("ingest", "add articles to a store, incrementally", ingest_flags, _cmd_ingest),
        Command(
            "export",
            "write a store out as jsonl, json, md, html, or parquet/csv tables",
            export_flags,
            _cmd_export,
        ),
    ]


def _family_commands() -> list[Command]:
    out: list[Command] = []
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name is not None and name.startswith(e.name):
                continue
            raise
        out.extend(mod.COMMANDS)
    return out


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every built-in and family subcommand."""
    parser = argparse.ArgumentParser(
        prog="presslens",
        description="Read the same news from many outlets; see what each story's coverage shows.",
    )
    parser.add_argument("--version", action="version", version=f"presslens {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for cmd in _builtin_commands() + _family_commands():
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help, aliases=list(cmd.aliases))
        _add_common(p)
        cmd.configure(p)
        p.set_defaults(_run=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``presslens`` console script."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args._run(args)
    except ExecutorError as e:
        # the work could not be run (workers died, no scheduler): a fault, told plainly
        print(f"presslens: {e}", file=sys.stderr)
        return EXIT_FAULT
    except PresslensError as e:
        print(f"presslens: {e}", file=sys.stderr)
        return EXIT_NOTHING
    except KeyboardInterrupt:
        print("presslens: interrupted", file=sys.stderr)
        return 130
    except Exception:
        print("presslens: internal error (please report it):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_FAULT
    return status


if __name__ == "__main__":
    sys.exit(main())
