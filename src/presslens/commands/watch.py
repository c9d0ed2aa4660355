"""``presslens watch``, ``presslens sources`` and ``presslens changes``."""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from presslens.commands import Command, add_executor_flags, executor_from
from presslens.errors import ConfigError
from presslens.model import Skip

EXIT_OK, EXIT_NOTHING = 0, 2
_URL = re.compile(r"^https?://", re.IGNORECASE)


def _db_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, metavar="FILE", help="the store")


def _action_flags(p: argparse.ArgumentParser) -> None:
    """``--db``, and ``--quiet`` also after the action (``sources add URL --quiet``); its
    default is left to the ``sources`` parser, which argparse would otherwise overwrite."""
    _db_flag(p)
    p.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help="no summary")


# --- sources ---------------------------------------------------------------------------------


def _sources_flags(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="add feeds or front pages to watch")
    add.add_argument("urls", nargs="+", metavar="URL")
    add.add_argument("--name", help="the outlet's name (else the feed's title, else the host)")
    _action_flags(add)
    listing = sub.add_parser("list", help="list the sources and their health")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    _action_flags(listing)
    remove = sub.add_parser("remove", help="stop watching sources (their articles stay)")
    remove.add_argument("urls", nargs="+", metavar="URL")
    _action_flags(remove)
    imp = sub.add_parser("import", help="add every source of an OPML file or a list of URLs")
    imp.add_argument("file", metavar="FILE")
    _action_flags(imp)


def _add_listed(store: Any, paths: list[str], quiet: bool) -> tuple[int, int]:
    """Add the sources named by ``paths`` (source lists or URLs): (added, already there)."""
    from presslens.watch.sources import read_source_list, source_entry

    added = known = 0
    for path in paths:
        items = [source_entry(path)] if _URL.match(path) else read_source_list(path)
        for item in items:
            if isinstance(item, Skip):
                if not quiet:
                    print(f"presslens: skipped {item}", file=sys.stderr)
                continue
            if store.add_source(item.url, name=item.name, rename=False):
                added += 1
            else:
                known += 1
    return added, known


def _cmd_sources(args: argparse.Namespace) -> int:
    from presslens.store import Store
    from presslens.watch.changes import source_health
    from presslens.watch.sources import SourceEntry, source_entry
    from presslens.watch.urls import canonical_url

    with Store(args.db) as store:
        if args.action == "add":
            if args.name is not None and len(args.urls) > 1:
                raise ConfigError("--name names one source; give one URL with it")
            entries = [source_entry(u, args.name) for u in args.urls]
            # every URL is checked before any is added: a refused command changes nothing
            for entry in entries:
                if isinstance(entry, Skip):
                    raise ConfigError(f"not an http(s) URL: {entry.path!r}: {entry.reason}")
            added = sum(
                store.add_source(e.url, name=e.name) for e in entries if isinstance(e, SourceEntry)
            )
            if not args.quiet:
                print(f"{added} added, {len(args.urls) - added} already listed", file=sys.stderr)
            return EXIT_OK
        if args.action == "remove":
            gone = sum(store.remove_source(canonical_url(u)) for u in args.urls)
            if not args.quiet:
                print(f"{gone} removed, {len(args.urls) - gone} not listed", file=sys.stderr)
            return EXIT_OK if gone else EXIT_NOTHING
        if args.action == "import":
            added, known = _add_listed(store, [args.file], args.quiet)
            if not args.quiet:
                print(f"{added} added, {known} already listed", file=sys.stderr)
            return EXIT_OK if added + known else EXIT_NOTHING
        health = source_health(store)
    if args.format == "json":
        print(json.dumps(health, ensure_ascii=False, indent=2))
        return EXIT_OK
    for s in health:
        name = s["name"] or "-"
        checked = (s["checked_at"] or "never")[:16].replace("T", " ")
        line = (
            f"{s['status']:<15} {name[:30]:<30} {s['url']}  kind={s['kind'] or '?'}"
            f" checked={checked} articles={s['articles']}"
        )
        if s["failures"]:
            line += f" failures={s['failures']} error={s['last_error']}"
        print(line)
    return EXIT_OK if health else EXIT_NOTHING


# --- changes ---------------------------------------------------------------------------------


def _changes_flags(p: argparse.ArgumentParser) -> None:
    _db_flag(p)
    p.add_argument(
        "--since",
        required=True,
        metavar="TIME",
        help="an ISO date or time (local, unless it names a zone) or a duration ago: 24h, 2d",
    )
    p.add_argument("--format", choices=["md", "json"], default="md")


def _cmd_changes(args: argparse.Namespace) -> int:
    from presslens.store import Store
    from presslens.watch.changes import (
        changes_since,
        parse_since,
        render_changes_markdown,
    )

    since = parse_since(args.since)
    with Store(args.db, readonly=True) as store:
        doc = changes_since(store, since)
    if args.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(render_changes_markdown(doc))
    return EXIT_OK


# --- watch -----------------------------------------------------------------------------------


def _watch_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCES",
        help="OPML files, text files of URLs or URLs to add to the store's sources first",
    )
    _db_flag(p)
    p.add_argument("--every", metavar="DURATION", help="time between rounds (default 15m)")
    p.add_argument("--once", action="store_true", help="one round, then exit (for cron)")
    p.add_argument("--rounds", type=int, metavar="N", help="stop after N rounds")
    p.add_argument(
        "--contact",
        metavar="URL",
        help="where sites can reach you (a URL or mailto:), sent in the User-Agent",
    )
    add_executor_flags(p)


@contextmanager
def _stop_on_signals(stop: Any) -> Iterator[None]:
    """SIGINT and SIGTERM ask ``stop()`` to end the watch cleanly; a second one ends it now."""
    seen = 0

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal seen
        seen += 1
        if seen > 1:
            raise KeyboardInterrupt
        stop()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _cmd_watch(args: argparse.Namespace) -> int:
    from presslens.api import resolve_config
    from presslens.progress import Reporter
    from presslens.store import Store
    from presslens.watch.changes import parse_duration
    from presslens.watch.watcher import Watcher, WatchStopped, only_watch

    every = None if args.every is None else parse_duration(args.every).total_seconds() / 60
    if args.rounds is not None and args.rounds < 1:
        raise ConfigError(f"--rounds must be at least 1, got {args.rounds}")
    cfg = resolve_config(
        config_path=args.config,
        overrides={"watch": {"contact": args.contact, "every_minutes": every}},
    )
    reporter = Reporter(quiet=args.quiet)
    with Store(args.db) as store:
        _add_listed(store, args.sources, args.quiet)
        count = len(store.list_sources())
    if not count:
        print(
            "presslens watch: no sources: give an OPML file or a list of URLs, or"
            " `presslens sources add URL --db FILE`",
            file=sys.stderr,
        )
        return EXIT_NOTHING
    if cfg.watch.contact is None:
        reporter.info(
            "presslens watch: warning: no contact set; pass --contact URL (or [watch] contact)"
            " so that sites can reach you"
        )
    interval = cfg.watch.every_minutes * 60
    rounds = 0
    with only_watch(args.db), executor_from(args) as executor:
        watcher = Watcher(args.db, cfg, executor, progress=reporter.update)
        reporter.info(
            f"presslens watch: {count} sources into {args.db}, a round every {interval:g} s"
        )
        with _stop_on_signals(watcher.request_stop):
            while not watcher.stop_event.is_set():
                rounds += 1
                started = time.monotonic()
                try:
                    with reporter.live():
                        summary = watcher.run_round(rounds)
                except WatchStopped:
                    reporter.info(
                        f"round {rounds}: stopped while ingesting; its pages wait in"
                        f" {watcher.spool} for the next round"
                    )
                    break
                reporter.info(summary.line())
                for error in summary.errors:
                    reporter.info(f"  failing: {error}")
                with Store(args.db) as store:
                    store.record_run({"watch_round": summary.to_dict()})
                if args.once or (args.rounds is not None and rounds >= args.rounds):
                    break
                watcher.phase = "wait"
                watcher.stop_event.wait(max(0.0, interval - (time.monotonic() - started)))
                watcher.phase = "idle"
    if watcher.stop_event.is_set():
        reporter.info(f"presslens watch: stopped after {rounds} round(s)")
    return EXIT_OK


COMMANDS = (
    Command(
        "watch",
        "follow feeds and front pages: poll them in rounds, ingest what is new or corrected",
        _watch_flags,
        _cmd_watch,
    ),
    Command(
        "sources",
        "add, list, remove or import the sources a store watches",
        _sources_flags,
        _cmd_sources,
    ),
    Command(
        "changes",
        "what changed in a store since a time: new and grown stories, discrepancies, corrections",
        _changes_flags,
        _cmd_changes,
    ),
)
