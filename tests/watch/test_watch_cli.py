"""``presslens sources``, ``presslens changes`` and ``presslens watch`` as a user runs them:
adding and listing sources, the changes report, a clean stop on SIGTERM and SIGINT, and a
watch killed in the middle of its ingest that the next round completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fakesite import FEED_TYPE, FakeSite, Reply, article_page, rss, sites

from presslens.cli import main
from presslens.model import Article
from presslens.store import Store
from presslens.watch.watcher import only_watch

DAY = "Thu, 05 Mar 2026 10:00:00 GMT"
STORY = [
    "Floodwater reached the old stone bridge in Calder on Thursday after two days of heavy "
    "rain, officials said.",
    "Twelve people died and 300 homes were damaged, according to the regional emergency office.",
    "Rescue teams from three neighbouring districts arrived on Friday morning with boats.",
]


def test_sources_add_list_import_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    assert main(["sources", "add", "https://wire.example/feed?utm_source=x", "--db", db]) == 0
    assert (
        main(["sources", "add", "https://vale.example/", "--name", "Vale Watch", "--db", db]) == 0
    )
    listing = tmp_path / "more.opml"
    listing.write_text(
        '<opml version="2.0"><body><outline text="Herald" xmlUrl="https://herald.example/rss"/>'
        '<outline text="Again" xmlUrl="https://wire.example/feed"/></body></opml>',
        encoding="utf-8",
    )
    assert main(["sources", "import", str(listing), "--db", db]) == 0
    assert "1 added, 1 already listed" in capsys.readouterr().err
    listing.write_text("https://vale.example/ Another Name\n", encoding="utf-8")
    assert main(["sources", "import", str(listing), "--db", db]) == 0
    assert main(["sources", "list", "--format", "json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(s["url"], s["name"], s["status"]) for s in listed] == [
        # a list names a source that had no name, never renames one
        ("https://wire.example/feed", "Again", "not checked yet"),
        ("https://vale.example/", "Vale Watch", "not checked yet"),
        ("https://herald.example/rss", "Herald", "not checked yet"),
    ]
    assert main(["sources", "list", "--db", db]) == 0
    assert "Vale Watch" in capsys.readouterr().out
    assert main(["sources", "remove", "https://vale.example", "--db", db]) == 0
    assert main(["sources", "remove", "https://vale.example", "--db", db]) == 2
    assert main(["sources", "add", "ftp://x.example/", "--db", db]) == 2
    assert "not an http(s) URL" in capsys.readouterr().err


def test_sources_add_refuses_a_url_without_a_host(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    # nothing is added when one URL of the command is refused
    assert main(["sources", "add", "https://wire.example/feed", "http://", "--db", db]) == 2
    assert "not an http(s) URL: 'http://': invalid URL: no host" in capsys.readouterr().err
    with Store(db) as store:
        assert store.list_sources() == []


def test_changes_as_markdown_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add_article(
            Article("a1", "Twelve people died in the flood.", source="Meridian Wire", url="u1")
        )
        store.add_article(Article("b1", "Dockers walked out.", source="Harbour Herald", url="u2"))
        store.put_stories(
            [
                {
                    "id": "s1",
                    "title": "Flood <b>kills</b>",
                    "article_ids": ["a1"],
                    "sources": ["Meridian Wire"],
                    "independent_sources": 1,
                },
                {
                    "id": "s2",
                    "title": "Strike",
                    "article_ids": ["b1"],
                    "sources": ["Harbour Herald"],
                    "independent_sources": 1,
                },
            ]
        )
        later = Article(
            "a1x", "Fifteen people died in the flood.", source="Meridian Wire", url="u1"
        )
        assert store.add_article(later, revise_by_url=True).revised
    assert main(["changes", "--db", str(db), "--since", "1h", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in doc["new_stories"]] == ["s1", "s2"]
    assert doc["new_stories"][0]["not_covered_by"] == ["Harbour Herald"]
    (corrected,) = doc["corrected_articles"]
    assert corrected["article_id"] == "a1" and corrected["stories"] == ["s1"]
    assert corrected["changes"] == [
        {
            "kind": "figure",
            "before": "Twelve",
            "after": "Fifteen",
            "context": "Fifteen people died in the flood.",
        }
    ]
    assert main(["changes", "--db", str(db), "--since", "2999-01-01T00:00+00:00"]) == 0
    text = capsys.readouterr().out
    assert "## New stories (0)" in text and "## Corrected articles (0)" in text
    assert main(["changes", "--db", str(db), "--since", "1h"]) == 0
    text = capsys.readouterr().out
    assert "Flood &lt;b&gt;kills&lt;/b&gt;" in text and "Not covered yet by: Harbour Herald" in text
    assert main(["changes", "--db", str(db), "--since", "whenever"]) == 2


def test_watch_needs_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "--db", str(tmp_path / "s.db"), "--once"]) == 2
    assert "no sources" in capsys.readouterr().err


def test_one_watch_per_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    with only_watch(db):
        assert main(["watch", "https://wire.example/feed", "--db", str(db), "--once"]) == 2
    assert "another presslens watch is running on" in capsys.readouterr().err
    with only_watch(db):
        pass  # released: the next watch may start


def _watch(db: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "presslens.cli", "watch", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PRESSLENS_WORKERS": "1", **(env or {})},
    )


@contextmanager
def _lines(proc: subprocess.Popen[str]) -> Iterator[list[str]]:
    """The process's output, collected by a thread as it comes; the process is ended and its
    pipe closed on leaving."""
    lines: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        lines.extend(iter(proc.stdout.readline, ""))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield lines
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        reader.join(5)
        assert proc.stdout is not None
        proc.stdout.close()


def _wait_for(lines: list[str], needle: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(needle in line for line in lines):
            return
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} not seen in {lines}")


@pytest.fixture
def quiet_site() -> Iterator[FakeSite]:
    with sites(1) as (site,):
        site.routes["/robots.txt"] = Reply(404, b"")
        site.routes["/feed"] = Reply(200, rss("Empty Wire", []), FEED_TYPE, etag=True)
        site.routes["/slow"] = Reply(200, rss("Slow", []), FEED_TYPE, delay=30.0)
        yield site


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_watch_stops_cleanly_between_rounds(
    tmp_path: Path, quiet_site: FakeSite, signum: signal.Signals
) -> None:
    proc = _watch(tmp_path / "s.db", quiet_site.url("/feed"), "--every", "1h")
    with _lines(proc) as lines:
        _wait_for(lines, "round 1:")
        t0 = time.monotonic()
        proc.send_signal(signum)
        assert proc.wait(timeout=20) == 0
        assert time.monotonic() - t0 < 5
        _wait_for(lines, "stopped after 1 round(s)", 5)


def test_watch_stops_in_the_middle_of_polling(tmp_path: Path, quiet_site: FakeSite) -> None:
    db = tmp_path / "s.db"
    proc = _watch(db, quiet_site.url("/slow"), "--every", "1h")
    with _lines(proc) as lines:
        deadline = time.monotonic() + 60
        while quiet_site.hits["/slow"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert time.monotonic() - t0 < 5
        _wait_for(lines, "stopped before it finished", 5)
    with Store(db) as store:
        (source,) = store.list_sources()
        # a round abandoned while polling leaves nothing behind
        assert source.checked_at is None and store.integrity_check()


@pytest.mark.slow
def test_a_watch_killed_while_ingesting_is_completed_by_the_next_round(tmp_path: Path) -> None:
    with sites(1) as (site,):
        site.routes["/robots.txt"] = Reply(404, b"")
        for n, slug in enumerate(("flood-reaches-calder-bridge", "calder-counts-its-losses")):
            site.routes[f"/news/{slug}"] = Reply(
                200, article_page(f"Story {n}", STORY, published="2026-03-05", site="Wire")
            )
        site.routes["/feed"] = Reply(
            200,
            rss(
                "Wire",
                [
                    ("Flood", site.url("/news/flood-reaches-calder-bridge"), DAY, "F."),
                    ("Losses", site.url("/news/calder-counts-its-losses"), DAY, "L."),
                ],
            ),
            FEED_TYPE,
            etag=True,
        )
        db = tmp_path / "s.db"
        killed = _watch(db, site.url("/feed"), "--once", env={"PRESSLENS_FAULT": "before-commit"})
        killed.communicate(timeout=300)
        assert killed.returncode == -9
        spool = list((tmp_path / "s.db.spool").glob("*.jsonl"))
        assert len(spool) == 1
        with Store(db) as store:
            assert store.count_articles() == 2 and len(store.articles_without_story()) == 2
            assert store.story_ids() == []
        again = _watch(db, "--once")
        out, _ = again.communicate(timeout=300)
        assert again.returncode == 0, out
        # the feed was unchanged: the pages came from the spool, not from the site again
        assert site.hits["/news/flood-reaches-calder-bridge"] == 1
        assert not list((tmp_path / "s.db.spool").glob("*.jsonl"))
        with Store(db) as store:
            assert store.count_articles() == 2 and store.articles_without_story() == []
            assert store.story_ids() and store.integrity_check()
