"""``presslens serve``: the story browser on loopback by default."""

from __future__ import annotations

import argparse
import sys

from presslens.commands import Command

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
#: seconds a stopping server (SIGTERM, SIGINT) lets requests in flight finish before it
#: cancels them and interrupts their store work
GRACEFUL_STOP = 3


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default="presslens.db", metavar="FILE", help="store to serve")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument(
        "--query-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help="store work one request may use before it answers 503 (default 2)",
    )


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    from presslens.errors import ConfigError
    from presslens.web.server import QUERY_BUDGET, create_app

    if args.host not in LOOPBACK:
        print(
            f"presslens: warning: serving on {args.host}, reachable from other machines; "
            "the browser has no login — bind 127.0.0.1 unless you mean it",
            file=sys.stderr,
        )
    budget = QUERY_BUDGET if args.query_budget is None else args.query_budget
    if not budget > 0:
        raise ConfigError(f"--query-budget must be a positive number of seconds, got {budget}")
    app = create_app(args.db, query_budget=budget)
    if not args.quiet:
        print(f"presslens: serving {args.db} on http://{args.host}:{args.port}/", file=sys.stderr)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning" if args.quiet else "info",
        timeout_graceful_shutdown=GRACEFUL_STOP,
    )
    return 0


COMMANDS = (Command("serve", "browse a store in a local web app", _configure, _run),)
