"""A writer killed at any moment loses at most the article in flight; a rerun completes it."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from presslens.errors import StoreError
from presslens.store import Store

N = 2000
_ROW = (
    "SELECT id, key, source, url, title, published, author, origin, source_from, text,"
    " word_count, removed, cleaned, extra, syndication_group, original FROM articles ORDER BY seq"
)


def _rows(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(_ROW).fetchall()
    finally:
        conn.close()


def _ingest(synth: ModuleType, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(synth.__file__), str(path), str(N)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_after(proc: subprocess.Popen[str], path: Path, at_least: int) -> None:
    """SIGKILL ``proc`` once a reader sees ``at_least`` articles in the store."""
    deadline = time.monotonic() + 45
    reader: Store | None = None
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if reader is None:
                try:
                    reader = Store(path, readonly=True)
                except StoreError:
                    # Not created or not migrated yet.
                    time.sleep(0.002)
                    continue
            if reader.count_articles() >= at_least:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        if reader is not None:
            reader.close()
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"


@pytest.mark.slow
def test_killed_ingest_resumes_to_the_same_store(tmp_path: Path, synth: ModuleType) -> None:
    reference = tmp_path / "reference.db"
    with Store(reference) as store:
        start = time.perf_counter()
        counts = store.add_articles(synth.articles(N))
        elapsed = time.perf_counter() - start
        assert counts.inserted == N
        expected_digest = store.content_digest()
    assert elapsed < 5.0, f"{N} articles took {elapsed:.2f} s"
    expected = _rows(reference)

    crashed = tmp_path / "crashed.db"
    previous = 0
    for at_least in (150, 900):
        _kill_after(_ingest(synth, crashed), crashed, at_least)
        with Store(crashed) as store:
            assert store.integrity_check()
            count = store.count_articles()
        # Every article written so far is whole and the same as in one clean run: the
        # stored rows are exactly a prefix of the reference rows.
        assert previous <= count < N
        assert _rows(crashed) == expected[:count]
        previous = count

    resumed = _ingest(synth, crashed)
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    assert json.loads(out) == {"inserted": N - previous, "existing": previous}

    with Store(crashed) as store:
        assert store.integrity_check()
        assert store.count_articles() == N
        assert store.content_digest() == expected_digest
    rows = _rows(crashed)
    assert rows == expected
    assert len({r[0] for r in rows}) == len({r[1] for r in rows}) == N
