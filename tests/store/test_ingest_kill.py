"""An ingest killed at any step boundary leaves the store as it was plus the articles it had
stored; the same ingest run again ends exactly where an uninterrupted one does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from presslens.store import Store

# every place the fault hook can stop an ingest, in the order a run reaches them
BOUNDARIES = (
    "read-shard",
    "after:clean",
    "after:syndication",
    "after:cluster",
    "story-chunk",
    "after:story-chunk",
    "before-commit",
)


def _split_demo(demo_dir: Path, root: Path) -> tuple[Path, Path]:
    """The demo corpus as two deliveries: most outlets first, two more later (their stories
    join stories of the first delivery)."""
    base, late = root / "base", root / "b"
    shutil.copytree(demo_dir, base, ignore=shutil.ignore_patterns("README.md"))
    late.mkdir()
    for outlet in ("radio-calder", "vale-watch"):
        shutil.move(base / outlet, late / outlet)
    return base, late


def _ingest(cwd: Path, corpus: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRESSLENS_WORKERS": "1"}
    env.pop("PRESSLENS_FAULT", None)
    if fault:
        env["PRESSLENS_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "presslens.cli", "ingest", corpus, "--db", "s.db", "--quiet"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _snapshot(db: Path) -> dict[str, Any]:
    with Store(db) as store:
        assert store.integrity_check()
        articles = {a.id: (a.syndication_group, a.is_original) for a in store.articles()}
        stories = {s["id"]: s for s in store.stories()}
        placed = {a for s in stories.values() for a in s["article_ids"]}
        return {
            "articles": articles,
            "stories": stories,
            "unplaced": sorted(set(articles) - placed),
            "states": sorted(store.stage_states()),
        }


@pytest.fixture(scope="module")
def first_delivery(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with both deliveries and a store that holds the first one."""
    root = tmp_path_factory.mktemp("first")
    _split_demo(demo_dir, root)
    assert _ingest(root, "base").returncode == 0
    return root


@pytest.fixture(scope="module")
def uninterrupted(first_delivery: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("whole")
    shutil.copytree(first_delivery, root, dirs_exist_ok=True)
    assert _ingest(root, "b").returncode == 0
    snap = _snapshot(root / "s.db")
    assert snap["unplaced"] == [] and snap["states"] == ["cluster", "syndication"]
    return snap


@pytest.mark.slow
@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_a_kill_at_any_boundary_is_completed_by_the_rerun(
    boundary: str, first_delivery: Path, tmp_path: Path, uninterrupted: dict[str, Any]
) -> None:
    shutil.copytree(first_delivery, tmp_path, dirs_exist_ok=True)
    before = _snapshot(tmp_path / "s.db")
    killed = _ingest(tmp_path, "b", fault=boundary)
    assert killed.returncode == -9, killed.stderr
    after_kill = _snapshot(tmp_path / "s.db")
    # nothing but new articles landed: the stories, their index and the groups are as before
    assert after_kill["stories"] == before["stories"]
    for article_id, fields in before["articles"].items():
        assert after_kill["articles"][article_id] == fields
    rerun = _ingest(tmp_path, "b")
    assert rerun.returncode == 0, rerun.stderr
    assert _snapshot(tmp_path / "s.db") == uninterrupted
