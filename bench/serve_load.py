"""Load on ``presslens serve``: requests/s and p50/p99 latency of the story list and a story page.

Builds (once, cached under out/bench/) a store of >= 2,000 articles from the DEV benchmark
articles in ../shared/benchdata (PolNeAR, ECB+, BASIL, plus lightly edited copies to pass
2,000), analysed by the real pipeline; then starts ``presslens serve`` on 127.0.0.1 in a child
process and drives it with a bounded number of concurrent clients (wrk, from Debian's package,
when installed: a load generator in C does not compete with the server for the interpreter;
otherwise an httpx client in this process).  In the same run, the same
pages exported as static files and served by ``python -m http.server`` give the obvious
alternative's figures, so the result is read as a ratio.

    .venv/bin/python bench/serve_load.py [--clients 1 5 20] [--seconds 10] [--driver wrk|httpx]
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
import time
from pathlib import Path
from typing import Any

import httpx

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


def _wrk(urls: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """Drive ``urls`` (rotating) with wrk: ``clients`` connections on 1 thread."""
    base = str(httpx.URL(urls[0]).copy_with(path="/", query=None))
    paths = ", ".join(json.dumps(str(httpx.URL(u).raw_path.decode())) for u in urls)
    script = OUT / "wrk_paths.lua"
    script.write_text(_WRK_LUA % paths)
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{max(1, int(seconds))}s",
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


def _serve(cmd: list[str], url: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait(url, proc)
    return proc


def main() -> None:
    """Run the load test and print/write the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=OUT / "serve.db")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 5, 20])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument(
        "--driver", choices=["wrk", "httpx"], default="wrk" if shutil.which("wrk") else "httpx"
    )
    args = ap.parse_args()
    if not BENCH.is_dir():
        sys.exit(f"needs {BENCH}")
    build_store(args.db)
    from presslens.api import export
    from presslens.store import Store

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
