"""``presslens watch`` over 40 news sites served on 127.0.0.1, through the CLI a user runs.

The DEV articles of ../shared/benchdata (ECB+, BASIL, PolNeAR, Multi-News: stories told by
several outlets) are dealt out to 40 fake outlets, each its own host (port) with an RSS feed of 30
entries and an HTML page per article (ETag on every answer, robots.txt absent).  Three parts:

``round``   one round of ``presslens watch --once`` over the 40 x 30 sources with the shipped
            defaults (one request a second per host, the machine's cores as workers): articles
            a second in all, and in its ingest alone.  The obvious alternative in the same
            run: the same 1,200 pages saved by a plain fetcher (no pacing, no robots.txt) into
            a folder per outlet, and the folder given to ``presslens ingest``.
``rounds``  ``presslens watch --every 1s --rounds 100`` on that store while four of the feeds
            gain one entry each round: the memory of the watch (process and workers) after
            every round, and what conditional GET saved (feed polls answered 304, bytes not
            sent against polling without validators; pages fetched twice).
``serve``   the same watch going on for ``--minutes`` while ``presslens serve`` on the same
            store is under wrk load (story list, API pages, changes, the Atom feed, story
            pages): "database is locked" or other errors on either side, failed requests,
            and ``PRAGMA integrity_check`` afterwards.

    .venv/bin/python bench/watch.py [--part round|rounds|serve|all] [--rounds 100] [--minutes 3]

(``rounds`` and ``serve`` start from the store the first part builds, so it always runs.)

Writes out/bench/watch.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from presslens.store import Store
from serve_load import _free_port, _stop, _wait

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "benchdata"
OUT = REPO / "out" / "bench"
PRESSLENS = str(REPO / ".venv" / "bin" / "presslens")
CONTACT = "mailto:bench@example.invalid"


def _records() -> list[dict[str, Any]]:
    recs: list[dict[str, Any]] = []
    for rel in ("clustering/ecbplus", "clustering/basil", "quotes/polnear"):
        with (BENCH / rel / "articles.jsonl").open(encoding="utf-8") as fh:
            recs.extend(json.loads(line) for line in fh if line.strip())
    with (BENCH / "summarization/multinews/stories.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            recs.extend(json.loads(line)["articles"])
    return [r for r in recs if len(r["text"].split()) >= 40]


def _slug(rec: dict[str, Any]) -> str:
    words = re.findall(r"[a-z0-9]+", (rec.get("title") or rec["text"][:80]).lower())[:6]
    digest = hashlib.sha256(rec["id"].encode()).hexdigest()[:8]
    return "-".join([*words, digest])


def _page(rec: dict[str, Any], outlet: str) -> bytes:
    title = rec.get("title") or rec["text"].split("\n")[0][:90]
    paras = "".join(f"<p>{escape(p)}</p>" for p in rec["text"].split("\n") if p.strip())
    published = rec.get("published") or "2026-03-05"
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{escape(title)} | {escape(outlet)}</title>"
        f'<meta property="og:title" content="{escape(title, {chr(34): "&quot;"})}">'
        f'<meta property="og:site_name" content="{escape(outlet)}">'
        f'<meta property="article:published_time" content="{published}">'
        "</head><body><nav><a href='/'>Home</a> <a href='/tag/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{paras}</article>"
        f"<footer>© {escape(outlet)}. All rights reserved.</footer></body></html>"
    ).encode()


def _minutes(rec: dict[str, Any]) -> int:
    """A fixed age for an entry's date (an entry keeps its date as others are added)."""
    return int(hashlib.sha256(rec["id"].encode()).hexdigest()[:4], 16) % 10000


def _feed(outlet: str, base: str, entries: list[dict[str, Any]]) -> bytes:
    stamp = datetime(2026, 3, 5, tzinfo=UTC)
    items = "".join(
        f"<item><title>{escape(e.get('title') or e['id'])}</title>"
        f"<link>{base}/news/{_slug(e)}?utm_source=rss</link><guid>{base}/news/{_slug(e)}</guid>"
        f"<pubDate>{format_datetime(stamp - timedelta(minutes=_minutes(e)))}</pubDate>"
        f"<description>{escape(e['text'][:200])}</description></item>"
        for e in entries
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(outlet)}</title>'
        f"<link>{base}/</link>{items}</channel></rss>"
    ).encode()


class Outlet:
    """One fake outlet on its own port: a feed whose entries can grow, and its pages."""

    def __init__(self, n: int, entries: list[dict[str, Any]]) -> None:
        self.name = f"Outlet {n:02d}"
        self.entries = list(entries)
        self.pages: dict[str, bytes] = {}
        self.hits: dict[str, int] = {}
        self.not_modified = 0
        self.feed_polls = 0
        self.feed_bytes_sent = 0
        self.feed_bytes_unconditional = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        for e in entries:
            self.add_page(e)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add_page(self, rec: dict[str, Any]) -> None:
        self.pages[f"/news/{_slug(rec)}"] = _page(rec, self.name)

    def grow(self, rec: dict[str, Any]) -> None:
        """A new article at the top of the feed."""
        with self.lock:
            self.add_page(rec)
            self.entries.insert(0, rec)

    def feed(self) -> bytes:
        with self.lock:
            return _feed(self.name, self.base, self.entries[:30])

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outlet = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with outlet.lock:
                    outlet.hits[path] = outlet.hits.get(path, 0) + 1
                if path == "/feed.xml":
                    body, kind = outlet.feed(), "application/rss+xml"
                elif path in outlet.pages:
                    body, kind = outlet.pages[path], "text/html; charset=utf-8"
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                fresh = self.headers.get("If-None-Match") == etag
                if path == "/feed.xml":
                    with outlet.lock:
                        outlet.feed_polls += 1
                        outlet.feed_bytes_unconditional += len(body)
                        outlet.not_modified += fresh
                        outlet.feed_bytes_sent += 0 if fresh else len(body)
                self.send_response(304 if fresh else 200)
                self.send_header("ETag", etag)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", "0" if fresh else str(len(body)))
                self.end_headers()
                if not fresh:
                    self.wfile.write(body)

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# wrk asks for the paths in turn and counts the answers by status; each thread counts its
# own, and `done` adds them up into lines wrk's own report does not have
_WRK_LUA = """
local paths = {%s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) i = 0; counts = {} end
function request() i = i + 1; return wrk.format("GET", paths[(i %% #paths) + 1]) end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, status .. "=" .. n) end
  io.write("STATUS " .. table.concat(parts, " ") .. "\\n")
  io.write(string.format("P99 %%d\\n", latency:percentile(99)))
  local e = summary.errors
  io.write(string.format("ERRORS %%d\\n", e.connect + e.read + e.write + e.timeout))
end
"""


def _wrk(base: str, paths: list[str], clients: int, seconds: int) -> dict[str, Any]:
    """``clients`` wrk connections asking for ``paths`` for ``seconds``: the answers by
    status, socket errors (timeouts included) and the 99th percentile latency in ms."""
    script = OUT / "watch_wrk.lua"
    script.write_text(_WRK_LUA % ", ".join(json.dumps(p) for p in paths))
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout=30s", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    statuses: dict[str, int] = {}
    result: dict[str, Any] = {"statuses": statuses, "socket_errors": 0, "p99_ms": 0.0}
    for line in out.splitlines():
        if line.startswith("STATUS"):
            for part in line.split()[1:]:
                code, n = part.split("=")
                statuses[code] = statuses.get(code, 0) + int(n)
        elif line.startswith("P99"):
            result["p99_ms"] = round(int(line.split()[1]) / 1000, 1)
        elif line.startswith("ERRORS"):
            result["socket_errors"] = int(line.split()[1])
    return result


def _fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(f"{db}.spool", ignore_errors=True)


def _copy(src: Path, dst: Path) -> None:
    _fresh(dst)
    with Store(src) as store:
        store.integrity_check()  # opening for writing checkpoints the WAL into the file
    shutil.copy(src, dst)


def _last_round(db: Path) -> dict[str, Any]:
    with Store(db, readonly=True) as store:
        last = store.last_watch_round()
    assert last is not None
    return last


def part_round(outlets: list[Outlet], db: Path) -> dict[str, Any]:
    """One round of watch over every outlet, against fetch-then-ingest of the same pages."""
    _fresh(db)
    listing = OUT / "watch-sources.txt"
    listing.write_text("".join(f"{o.base}/feed.xml {o.name}\n" for o in outlets))
    subprocess.run(
        [PRESSLENS, "sources", "import", str(listing), "--db", str(db), "--quiet"], check=True
    )
    t0 = time.perf_counter()
    subprocess.run(
        [PRESSLENS, "watch", "--db", str(db), "--once", "--contact", CONTACT, "--quiet"],
        check=True,
    )
    wall = time.perf_counter() - t0
    last = _last_round(db)
    with Store(db, readonly=True) as store:
        stored = store.count_articles()
        stories = len(store.story_ids())
    # the alternative: every page saved into a folder per outlet by a plain fetcher (no
    # pacing, no robots.txt), then the folder given to `presslens ingest`
    import httpx

    alt_db = db.with_name("watch-alt.db")
    _fresh(alt_db)
    folder = OUT / "watch-alt"
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    with httpx.Client(timeout=30) as client:
        for o in outlets:
            (folder / o.name).mkdir(parents=True)
            for e in o.entries[:30]:
                page = client.get(f"{o.base}/news/{_slug(e)}").content
                (folder / o.name / f"{_slug(e)}.html").write_bytes(page)
    fetched = time.perf_counter() - t0
    t1 = time.perf_counter()
    subprocess.run([PRESSLENS, "ingest", str(folder), "--db", str(alt_db), "--quiet"], check=True)
    ingested = time.perf_counter() - t1
    with Store(alt_db, readonly=True) as store:
        alt_stored = store.count_articles()
        alt_stories = len(store.story_ids())
    n = last["new_articles"]
    out = {
        "sources": len(outlets),
        "entries": sum(min(30, len(o.entries)) for o in outlets),
        "articles_stored": stored,
        "stories": stories,
        "wall_s": round(wall, 1),
        "poll_s": round(last["poll_seconds"], 1),
        "ingest_s": round(last["ingest_seconds"], 1),
        "requests": last["requests"],
        "articles_per_s": round(n / wall, 2),
        "ingest_articles_per_s": round(n / last["ingest_seconds"], 2),
        "alternative": {
            "fetch_s": round(fetched, 1),
            "ingest_s": round(ingested, 1),
            "articles_stored": alt_stored,
            "stories": alt_stories,
            "articles_per_s": round(alt_stored / (fetched + ingested), 2),
            "ingest_articles_per_s": round(alt_stored / ingested, 2),
        },
    }
    print(
        f"round of {out['sources']} x 30: {n} new articles in {wall:.1f} s"
        f" ({out['articles_per_s']}/s; polling {out['poll_s']} s, ingest {out['ingest_s']} s ="
        f" {out['ingest_articles_per_s']}/s), {out['requests']} requests, {stories} stories\n"
        f"  alternative, the pages saved unpaced, then `presslens ingest` of the folder:"
        f" fetch {fetched:.1f} s,"
        f" ingest {ingested:.1f} s ({out['alternative']['ingest_articles_per_s']}/s),"
        f" {alt_stored} articles, {alt_stories} stories"
    )
    return out


class _Grower:
    """Before every round of a running watch, four feeds gain an entry each."""

    def __init__(self, outlets: list[Outlet], spare: list[dict[str, Any]]) -> None:
        self.outlets = outlets
        self.spare = spare
        self.added = 0

    def on_round(self, n: int) -> None:
        for k in range(4):
            if not self.spare:
                return
            self.outlets[(4 * n + k) % len(self.outlets)].grow(self.spare.pop())
            self.added += 1


def _tree_rss(pid: int) -> tuple[int, int, int]:
    """RSS of the process, RSS of its children (the workers) together, and their number."""
    try:
        proc = psutil.Process(pid)
        own = proc.memory_info().rss
        children = proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0, 0
    total = 0
    for p in children:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return own, total, len(children)


def _run_watch(
    db: Path,
    outlets: list[Outlet],
    spare: list[dict[str, Any]],
    rounds: int | None,
    minutes: float | None,
    every: str,
) -> dict[str, Any]:
    """Run `presslens watch` on ``db``, growing four feeds per round; memory per round."""
    args = [PRESSLENS, "watch", "--db", str(db), "--every", every, "--contact", CONTACT]
    if rounds is not None:
        args += ["--rounds", str(rounds)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    grower = _Grower(outlets, spare)
    grower.on_round(0)
    rss: list[tuple[int, int, int]] = []
    lines: list[str] = []
    assert proc.stdout is not None
    deadline = None if minutes is None else time.monotonic() + 60 * minutes
    stopper = None
    if deadline is not None:
        stopper = threading.Timer(60 * minutes, proc.terminate)
        stopper.start()
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        m = re.match(r"round (\d+): ", line)
        if m:
            rss.append(_tree_rss(proc.pid))
            grower.on_round(int(m.group(1)))
    proc.wait()
    if stopper is not None:
        stopper.cancel()
    return {"returncode": proc.returncode, "rss": rss, "lines": lines, "added": grower.added}


def part_rounds(
    outlets: list[Outlet], spare: list[dict[str, Any]], src: Path, db: Path, rounds: int
) -> dict[str, Any]:
    """100 rounds on the store of the first part: memory, and what conditional GET saved."""
    _copy(src, db)
    before = {
        o.base: (o.feed_polls, o.not_modified, o.feed_bytes_sent, o.feed_bytes_unconditional)
        for o in outlets
    }
    pages_before = {o.base: dict(o.hits) for o in outlets}
    run = _run_watch(db, outlets, spare, rounds, None, "1s")
    rss = [(own + kids) / 2**20 for own, kids, _ in run["rss"]]
    main_rss = [own / 2**20 for own, _, _ in run["rss"]]
    workers = [(n, kids / 2**20) for _, kids, n in run["rss"]]
    polls = sum(o.feed_polls - before[o.base][0] for o in outlets)
    not_modified = sum(o.not_modified - before[o.base][1] for o in outlets)
    sent = sum(o.feed_bytes_sent - before[o.base][2] for o in outlets)
    unconditional = sum(o.feed_bytes_unconditional - before[o.base][3] for o in outlets)
    twice = sum(
        1
        for o in outlets
        for p, n in o.hits.items()
        if p.startswith("/news/") and n - pages_before[o.base].get(p, 0) > 1
    )
    pages = sum(
        n - pages_before[o.base].get(p, 0)
        for o in outlets
        for p, n in o.hits.items()
        if p.startswith("/news/")
    )
    with Store(db, readonly=True) as store:
        ok = store.integrity_check()
        articles = store.count_articles()

    def slope(values: list[float]) -> float:
        tail = values[len(values) // 2 :]
        return (tail[-1] - tail[0]) / max(1, len(tail) - 1) if len(tail) > 1 else 0.0

    marks = [k for k in (1, 10, 25, 50, 75, 100) if k <= len(rss)]
    out = {
        "rounds": len(rss),
        "returncode": run["returncode"],
        "articles_added": run["added"],
        "articles_in_store": articles,
        "rss_mb": {str(k): round(rss[k - 1], 1) for k in marks},
        "rss_mb_max": round(max(rss), 1) if rss else None,
        "rss_mb_per_round_last_half": round(slope(rss), 3),
        "main_rss_mb": {str(k): round(main_rss[k - 1], 1) for k in marks},
        "main_rss_mb_per_round_last_half": round(slope(main_rss), 3),
        "workers": {str(k): [workers[k - 1][0], round(workers[k - 1][1], 1)] for k in marks},
        "feed_polls": polls,
        "feed_polls_not_modified": not_modified,
        "feed_bytes_sent": sent,
        "feed_bytes_without_validators": unconditional,
        "page_requests": pages,
        "pages_fetched_more_than_once": twice,
        "integrity_ok": ok,
    }
    print(
        f"{out['rounds']} rounds: RSS (watch + workers) {out['rss_mb']} MB, last half"
        f" {out['rss_mb_per_round_last_half']:+.3f} MB/round; the watch process alone"
        f" {out['main_rss_mb']} MB ({out['main_rss_mb_per_round_last_half']:+.3f} MB/round);"
        f" workers (number, MB) {out['workers']}; {run['added']} articles added\n"
        f"  feed polls {polls}, answered 304: {not_modified} ({not_modified / max(1, polls):.1%});"
        f" feed bytes {sent:,} against {unconditional:,} without validators"
        f" ({1 - sent / max(1, unconditional):.1%} saved); {pages} page requests,"
        f" pages fetched more than once: {twice}; integrity {'ok' if ok else 'FAILED'}"
    )
    return out


def part_serve(
    outlets: list[Outlet], spare: list[dict[str, Any]], src: Path, db: Path, minutes: float
) -> dict[str, Any]:
    """watch and serve on one store, serve under wrk load, for ``minutes``."""
    _copy(src, db)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    serve_log = OUT / "watch-serve.log"
    with serve_log.open("w") as log:
        server = subprocess.Popen(
            [PRESSLENS, "serve", "--db", str(db), "--port", str(port), "--quiet"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _wait(base + "/openapi.json", server)
        with Store(db, readonly=True) as store:
            story_ids = store.story_ids()[:100]
        paths = [
            "/",
            "/api/stories",
            "/changes",
            "/api/changes?since=2h",
            "/sources",
            "/feeds/stories.atom",
            *(f"/stories/{s}" for s in story_ids),
        ]
        loads: list[dict[str, Any]] = []
        stop = threading.Event()

        def load() -> None:
            while not stop.is_set():
                loads.append(_wrk(base, paths, 20, 20))

        driver = threading.Thread(target=load, daemon=True)
        driver.start()
        run = _run_watch(db, outlets, spare, None, minutes, "5s")
        stop.set()
        driver.join()
        stop_s = _stop(server)
    with Store(db) as store:
        ok = store.integrity_check()
        # a story merged into another by a round answers 404 from then on
        merged = sum(store.story_states(s, "")[1].removed for s in story_ids)
    statuses: dict[str, int] = {}
    for r in loads:
        for code, n in r["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    serve_text = serve_log.read_text()
    watch_text = "\n".join(run["lines"])
    finished = [line for line in run["lines"] if re.match(r"round \d+: \d+ sources", line)]
    result = {
        "minutes": minutes,
        "rounds": len(finished),
        "articles_stored_by_rounds": sum(
            int(m.group(1)) for line in finished if (m := re.search(r"(\d+) new articles", line))
        ),
        "articles_added": run["added"],
        "requests": sum(statuses.values()),
        "statuses": statuses,
        "socket_errors": sum(r["socket_errors"] for r in loads),
        "story_pages_merged_away": merged,
        "p99_ms_worst": max((r["p99_ms"] for r in loads), default=None),
        "locked_serve": serve_text.count("locked"),
        "locked_watch": watch_text.count("locked"),
        "tracebacks": serve_text.count("Traceback") + watch_text.count("Traceback"),
        "watch_exit": run["returncode"],
        "serve_stop_s": round(stop_s, 1),
        "integrity_ok": ok,
    }
    print(
        f"watch + serve for {minutes} min: {result['rounds']} rounds finished, storing"
        f" {result['articles_stored_by_rounds']} new articles; {result['requests']} requests,"
        f" by status {statuses} ({merged} of the {len(story_ids)} story pages asked for were"
        f" merged into other stories by a round: those answer 404), socket errors"
        f" {result['socket_errors']}, worst p99"
        f" {result['p99_ms_worst']} ms; 'locked' in serve log {result['locked_serve']}, in watch"
        f" output {result['locked_watch']}; tracebacks {result['tracebacks']}; integrity"
        f" {'ok' if ok else 'FAILED'}"
    )
    return result


def main() -> None:
    """Run the parts asked for and write out/bench/watch.json."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--part", choices=["round", "rounds", "serve", "all"], default="all")
    ap.add_argument("--sources", type=int, default=40)
    ap.add_argument("--entries", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--minutes", type=float, default=3.0)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    recs = _records()
    need = args.sources * args.entries
    if len(recs) < need + 4 * args.rounds:
        sys.exit(f"need {need + 4 * args.rounds} DEV articles, found {len(recs)}")
    outlets = [Outlet(i, recs[i : need : args.sources]) for i in range(args.sources)]
    spare = recs[need:]
    first = OUT / "watch-round.db"
    results: dict[str, Any] = {"machine": f"{os.cpu_count()} cores"}
    try:
        # the outlets listen on new ports each run: the first part builds the store the
        # others start from, every time
        results["round"] = part_round(outlets, first)
        # each part starts from the store that has read the feeds as they are now
        latest = first
        if args.part in ("rounds", "all"):
            latest = OUT / "watch-rounds.db"
            results["rounds"] = part_rounds(outlets, spare, first, latest, args.rounds)
        if args.part in ("serve", "all"):
            results["serve"] = part_serve(
                outlets, spare, latest, OUT / "watch-serve.db", args.minutes
            )
    finally:
        for o in outlets:
            o.close()
    path = OUT / "watch.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**old, **results}, indent=1) + "\n")
    print(f"written {path}")


if __name__ == "__main__":
    main()
