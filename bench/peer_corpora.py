"""Other projects' test corpora through ``presslens analyze``, as a new user would run them.

Each folder given is analysed by the ``presslens`` CLI (a subprocess, defaults, ``--quiet``):
files in, articles kept, skips by reason, warnings, what reached stderr (``--quiet`` should
leave it empty) and whether a traceback did (must be 0).  For the HTML files of a folder, the
obvious alternative runs in the same process: plain ``trafilatura.extract(html)``; the figure is
the share of the pages where it finds text on which presslens also keeps an article.

The corpora are not part of this repository (nor of ../shared): fetch them into /tmp, e.g. the
``tests/`` folder of feedparser's sdist, warcio's ``test/data``, trafilatura's
``tests/resources`` and ``tests/cache``, newspaper's ``tests/data/html``.

    .venv/bin/python bench/peer_corpora.py NAME=FOLDER [NAME=FOLDER ...]

Prints a table and writes out/bench/peer_corpora.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import trafilatura

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "out" / "bench" / "peer_corpora.json"
PRESSLENS = REPO / ".venv" / "bin" / "presslens"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def _files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _plain_trafilatura_has_text(path: Path) -> bool:
    data = path.read_bytes()
    try:
        text = trafilatura.extract(data.decode("utf-8", errors="replace"))
    except Exception:  # the baseline failing on a page counts as finding no text
        return False
    return bool(text and text.strip())


def _analyze(folder: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [str(PRESSLENS), "analyze", str(folder), "--out", tmp, "--quiet"],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - t0
        report_path = Path(tmp) / "report.json"
        report = (
            json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else None
        )
    return {
        "exit": proc.returncode,
        "seconds": round(seconds, 1),
        "stderr_lines": len(proc.stderr.splitlines()),
        "stderr_head": proc.stderr.splitlines()[:8],
        "tracebacks": proc.stderr.count("Traceback"),
        "report": report,
    }


def measure(name: str, folder: Path) -> dict[str, Any]:
    """One corpus: the CLI's figures and, for its HTML pages, plain trafilatura's."""
    files = _files(folder)
    run = _analyze(folder)
    report = run.pop("report")
    row: dict[str, Any] = {"corpus": name, "folder": str(folder), "files_in": len(files), **run}
    if report is None:
        return row
    counts = report["run"]["counts"]
    row["articles"] = counts["kept"]
    row["skipped"] = counts["skipped"]
    row["skipped_by_reason"] = counts.get("skipped_by_reason", {})
    row["warnings"] = len(report["run"].get("warnings", []))
    modes = Counter(a.get("extraction") for a in report["articles"] if a.get("extraction"))
    if modes:
        row["extraction_modes"] = dict(modes)
    pages = [p for p in files if p.suffix.lower() in HTML_SUFFIXES]
    if pages:
        kept = {a["origin"] for a in report["articles"]}
        with_text = [p for p in pages if _plain_trafilatura_has_text(p)]
        both = [p for p in with_text if str(p) in kept]
        row["html_pages"] = len(pages)
        row["trafilatura_has_text"] = len(with_text)
        row["presslens_also"] = len(both)
        row["share"] = round(len(both) / len(with_text), 4) if with_text else None
        row["lost"] = [str(p.relative_to(folder)) for p in with_text if str(p) not in kept]
    return row


def main() -> None:
    """Measure every corpus given on the command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpora", nargs="+", metavar="NAME=FOLDER")
    ap.add_argument("--json", type=Path, default=OUT, help=f"where to write (default {OUT})")
    args = ap.parse_args()
    # trafilatura logs its own misses; the baseline's verdict is what counts here.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    rows = []
    for spec in args.corpora:
        name, _, folder = spec.partition("=")
        row = measure(name, Path(folder).resolve())
        rows.append(row)
        share = (
            f"{row['presslens_also']}/{row['trafilatura_has_text']} = {row['share']:.3f}"
            if row.get("share") is not None
            else "-"
        )
        print(
            f"{name:18} files={row['files_in']:5} articles={row.get('articles', '?'):5} "
            f"skipped={row.get('skipped', '?'):5} warnings={row.get('warnings', '?'):4} "
            f"stderr_lines={row['stderr_lines']:4} tracebacks={row['tracebacks']} "
            f"exit={row['exit']} html text kept where trafilatura has text: {share} "
            f"({row['seconds']} s)"
        )
        for reason, n in sorted(row.get("skipped_by_reason", {}).items(), key=lambda kv: -kv[1]):
            print(f"{'':20}{n:6}  {reason}")
        if row.get("extraction_modes"):
            print(f"{'':20}extraction modes: {row['extraction_modes']}")
        for lost in row.get("lost", [])[:10]:
            print(f"{'':20}lost: {lost}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"corpora": rows}, indent=1, ensure_ascii=False) + "\n")
    print(f"written {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
