"""Load on ``presslens serve``: requests/s and p50/p99 latency of the story list and a story page.

Builds (once, cached under out/bench/) a store of >= 2,000 articles from the DEV benchmark
articles in ../shared/benchdata (PolNeAR, ECB+, BASIL, plus lightly edited copies to pass
2,000), analysed by the real pipeline; then starts ``presslens serve`` on 127.0.0.1 in a child
process and drives it with a bounded number of concurrent clients (wrk, from Debian's package,
when installed: a load generator in C does not compete with the server for the interpreter;
otherwise an httpx client in this process).  In the same run, the same
pages exported as static files and served by ``python -m http.server`` give the obvious
alternative's figures, so the result is read as a ratio.

``--busy`` runs the hostile case instead: a store of the same >= 2,000 articles built with
``presslens ingest``, 200 wrk connections for 20 s on each of ``/``, ``/?q=`` with long queries
(320 repeats of "the", 16 common words, 16 prefix terms), ``/api/stories`` and story pages,
first on a quiet store and then with ``presslens ingest`` adding NeuS and Multi-News articles
to the same store in small batches throughout; all the while a probe asks for
``/openapi.json`` and one article every 100 ms and keeps the longest wait.  Errors count every
non-2xx answer and every socket error, wrk's timeouts (30 s) included.

    .venv/bin/python bench/serve_load.py [--clients 1 5 20] [--seconds 10] [--driver wrk|httpx]
    .venv/bin/python bench/serve_load.py --busy [--connections 200] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import httpx

from presslens.store import Store

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "benchdata"
OUT = REPO / "out" / "bench"
MIN_ARTICLES = 2000


def _records() -> list[dict[str, Any]]:
    recs: list[dict[str, Any]] = []
    for rel in ("quotes/polnear", "clustering/ecbplus", "clustering/basil"):
        with (BENCH / rel / "articles.jsonl").open(encoding="utf-8") as fh:
            recs.extend(json.loads(line) for line in fh if line.strip())
    rng = random.Random(7)
    base = list(recs)
    i = 0
    while len(recs) < MIN_ARTICLES:
        r = dict(base[i % len(base)])
        words = r["text"].split(" ")
        if len(words) > 20:
            words[rng.randrange(len(words))] = "reportedly"
        r["id"] = f"{r['id']}-copy{i}"
        r["source"] = f"reprint-{i % 7}"
        r["text"] = " ".join(words)
        recs.append(r)
        i += 1
    return recs


def build_store(db: Path) -> None:
    """Analyse the benchmark articles into ``db`` with the real pipeline (skipped if present)."""
    if db.exists():
        return
    from presslens.api import analyze

    db.parent.mkdir(parents=True, exist_ok=True)
    src = db.with_suffix(".jsonl")
    with src.open("w", encoding="utf-8") as fh:
        for r in _records():
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    t0 = time.perf_counter()
    analyze([src], db=db)
    print(f"built {db} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


async def _drive(urls: list[str], clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def worker(k: int) -> None:
            nonlocal errors
            j = k
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                try:
                    r = await client.get(urls[j % len(urls)])
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - t0)
                j += 1

        t_start = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(clients)))
        elapsed = time.perf_counter() - t_start
    latencies.sort()
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1),
    }


_WRK_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def _unit_ms(text: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def _wrk(
    urls: list[str], clients: int, seconds: float, threads: int = 1, timeout_s: int = 2
) -> dict[str, Any]:
    """Drive ``urls`` (rotating) with wrk: ``clients`` connections on ``threads`` threads."""
    base = str(httpx.URL(urls[0]).copy_with(path="/", query=None))
    paths = ", ".join(json.dumps(str(httpx.URL(u).raw_path.decode())) for u in urls)
    script = OUT / "wrk_paths.lua"
    script.write_text(_WRK_LUA % paths)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{clients}",
            f"-d{max(1, int(seconds))}s",
            f"--timeout={timeout_s}s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stats: dict[str, Any] = {"clients": clients, "errors": 0}
    for line in out.splitlines():
        parts = line.split()
        if line.strip().startswith("50%"):
            stats["p50_ms"] = round(_unit_ms(parts[1]), 1)
        elif line.strip().startswith("99%"):
            stats["p99_ms"] = round(_unit_ms(parts[1]), 1)
        elif line.startswith("Requests/sec:"):
            stats["rps"] = round(float(parts[1]), 1)
        elif "requests in" in line:
            stats["requests"] = int(parts[0])
        elif line.strip().startswith(("Non-2xx", "Socket errors")):
            stats["errors"] += sum(int(x.strip(",")) for x in parts if x.strip(",").isdigit())
    return stats


def _stop(proc: subprocess.Popen[bytes], patience: float = 30) -> float:
    """SIGTERM, then SIGKILL after ``patience`` seconds; how long it took to go."""
    t0 = time.perf_counter()
    proc.terminate()
    try:
        proc.wait(timeout=patience)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return time.perf_counter() - t0


def _serve(cmd: list[str], url: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait(url, proc)
    return proc


LONG_QUERIES = [
    " ".join(["the"] * 320),
    "the of and to in a that for on said with was as by his at",
    " ".join(f"{c}*" for c in "abcdefghilmnoprs"),
]


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def _presslens(*args: str) -> list[str]:
    return [str(REPO / ".venv/bin/presslens"), *args]


def build_ingested_store(db: Path) -> None:
    """The benchmark articles added to ``db`` by ``presslens ingest`` (skipped if present)."""
    if db.exists():
        return
    src = _jsonl(db.with_suffix(".jsonl"), _records())
    t0 = time.perf_counter()
    subprocess.run(_presslens("ingest", str(src), "--db", str(db), "--quiet"), check=True)
    print(f"built {db} with presslens ingest in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def _ingest_batches(folder: Path, size: int = 40) -> list[Path]:
    """NeuS and Multi-News articles (not in the served store) in batches to ingest."""
    recs: list[dict[str, Any]] = []
    for rel in ("summarization/neus", "summarization/multinews"):
        with (BENCH / rel / "stories.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                story = json.loads(line)
                for a in story["articles"]:
                    recs.append({"id": a["id"], "title": a.get("title"), "text": a["text"]})
    return [
        _jsonl(folder / f"batch-{i // size:03d}.jsonl", recs[i : i + size])
        for i in range(0, len(recs), size)
    ]


class _Ingest(threading.Thread):
    """``presslens ingest`` of one batch after another into ``db`` until stopped."""

    def __init__(self, db: Path, batches: list[Path]) -> None:
        super().__init__(daemon=True)
        self.db, self.batches = db, batches
        self.stop = threading.Event()
        self.done = 0

    def run(self) -> None:
        for batch in self.batches:
            if self.stop.is_set():
                return
            subprocess.run(
                _presslens("ingest", str(batch), "--db", str(self.db), "--quiet"),
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.done += 1


class _Probe(threading.Thread):
    """One request at a time to cheap pages, every ``every`` seconds; keeps the longest wait."""

    def __init__(self, urls: list[str], every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.urls, self.every = urls, every
        self.stop = threading.Event()
        self.longest = 0.0
        self.failures = 0
        self.count = 0

    def run(self) -> None:
        with httpx.Client(timeout=120) as client:
            while not self.stop.is_set():
                for url in self.urls:
                    t0 = time.perf_counter()
                    try:
                        ok = client.get(url).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    self.longest = max(self.longest, time.perf_counter() - t0)
                    self.failures += not ok
                    self.count += 1
                self.stop.wait(self.every)


def busy(args: argparse.Namespace) -> None:
    """200 connections per endpoint on a quiet store, then with an ingest running into it."""
    built = OUT / "serve-ingested.db"
    build_ingested_store(built)
    batches = _ingest_batches(OUT / "serve-ingest-batches")
    with Store(built, readonly=True) as store:
        n_articles = store.count_articles()
        story_ids = [s["id"] for s in store.stories()]
        article_id = next(store.articles()).id
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    endpoints = {
        "/": [base + "/"],
        "/?q= (long)": [f"{base}/?q={quote_plus(q)}" for q in LONG_QUERIES],
        "/api/stories": [base + "/api/stories", base + "/api/stories?page=2"],
        "story pages": [
            f"{base}/stories/{httpx.URL(s).raw_path.decode()}" for s in story_ids[:200]
        ],
    }
    results: dict[str, Any] = {"articles": n_articles, "stories": len(story_ids), "runs": []}
    for ingesting in (False, True):
        work = OUT / "serve-busy.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        shutil.copy(built, work)
        proc = _serve(
            _presslens("serve", "--db", str(work), "--port", str(port), "--quiet"),
            base + "/openapi.json",
        )
        ingest = _Ingest(work, batches)
        if ingesting:
            ingest.start()
        try:
            for name, urls in endpoints.items():
                probe = _Probe([base + "/openapi.json", f"{base}/api/articles/{article_id}"])
                probe.start()
                r = _wrk(urls, args.connections, args.seconds, threads=2, timeout_s=30)
                probe.stop.set()
                probe.join()
                r.update(
                    endpoint=name,
                    ingest_running=ingesting,
                    probe_longest_ms=round(1000 * probe.longest, 1),
                    probe_requests=probe.count,
                    probe_failures=probe.failures,
                )
                results["runs"].append(r)
                print(
                    f"{'ingest running' if ingesting else 'quiet store':15} {name:14} "
                    f"requests={r.get('requests', 0):7} rps={r.get('rps', 0):8} "
                    f"errors={r['errors']:5} p50={r.get('p50_ms')} ms p99={r.get('p99_ms')} ms "
                    f"longest probe wait={r['probe_longest_ms']} ms"
                )
        finally:
            ingest.stop.set()
            stop_seconds = _stop(proc)
            if ingesting:
                ingest.join()
        print(f"server stopped {stop_seconds:.1f} s after SIGTERM")
        results.setdefault("stop_seconds", []).append(round(stop_seconds, 1))
        if ingesting:
            results["ingest_batches_done"] = ingest.done
            print(f"ingest batches of 40 articles done meanwhile: {ingest.done}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "serve_load_busy.json").write_text(json.dumps(results, indent=1) + "\n")
    print(
        f"{n_articles} articles, {len(story_ids)} stories; written {OUT / 'serve_load_busy.json'}"
    )


def main() -> None:
    """Run the load test and print/write the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=OUT / "serve.db")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 5, 20])
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument(
        "--driver", choices=["wrk", "httpx"], default="wrk" if shutil.which("wrk") else "httpx"
    )
    ap.add_argument("--busy", action="store_true", help="the hostile case (see above; needs wrk)")
    ap.add_argument("--connections", type=int, default=200)
    args = ap.parse_args()
    if not BENCH.is_dir():
        sys.exit(f"needs {BENCH}")
    if args.busy:
        if not shutil.which("wrk"):
            sys.exit("--busy needs wrk (Debian package wrk)")
        args.seconds = args.seconds or 20.0
        busy(args)
        return
    args.seconds = args.seconds or 10.0
    build_store(args.db)
    from presslens.api import export

    with Store(args.db, readonly=True) as store:
        n_articles = store.count_articles()
        story_ids = [s["id"] for s in store.stories()]
    site = OUT / "serve-static"
    if not (site / "index.html").exists():
        export(args.db, "html", site)
    results: dict[str, Any] = {"articles": n_articles, "stories": len(story_ids), "runs": []}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    servers = {
        "presslens serve": (
            [
                str(REPO / ".venv/bin/presslens"),
                "serve",
                "--db",
                str(args.db),
                "--port",
                str(port),
                "--quiet",
            ],
            {
                "list": [base + "/"],
                "story": [
                    f"{base}/stories/{httpx.URL(s).raw_path.decode()}" for s in story_ids[:200]
                ]
                or [base + "/"],
            },
        ),
        "static files (python -m http.server)": (
            [
                sys.executable,
                "-m",
                "http.server",
                str(port),
                "--bind",
                "127.0.0.1",
                "--directory",
                str(site),
            ],
            {
                "list": [base + "/index.html"],
                "story": [f"{base}/stories/{i + 1}.html" for i in range(min(200, len(story_ids)))]
                or [base + "/index.html"],
            },
        ),
    }
    for name, (cmd, pages) in servers.items():
        proc = _serve(cmd, pages["list"][0])
        try:
            for page, urls in pages.items():
                for clients in args.clients:
                    if args.driver == "wrk":
                        r = _wrk(urls, clients, args.seconds)
                    else:
                        r = asyncio.run(_drive(urls, clients, args.seconds))
                    r.update(server=name, page=page, driver=args.driver)
                    results["runs"].append(r)
                    print(
                        f"{name:38} {page:6} clients={clients:3} rps={r['rps']:8} "
                        f"p50={r['p50_ms']:7} ms p99={r['p99_ms']:7} ms errors={r['errors']}"
                    )
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "serve_load.json").write_text(json.dumps(results, indent=1) + "\n")
    print(f"{n_articles} articles, {len(story_ids)} stories; written {OUT / 'serve_load.json'}")


if __name__ == "__main__":
    main()
