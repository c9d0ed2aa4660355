"""Executors: the same report in this process, in worker processes and on Dask; workers that
die are replaced; a run that is killed resumes; the spaCy model loads once per worker."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import presslens
from presslens import engine
from presslens.errors import ExecutorError, InputError, MissingDependencyError, PresslensError
from presslens.executors import Executor, RemoteError
from presslens.executors.local import InProcess
from presslens.executors.processes import LocalProcesses
from presslens.quotes.load import load_nlp
from presslens.quotes.stage import QuotesStage


def comparable(report: presslens.Report) -> dict[str, Any]:
    """The report without what legitimately differs between runs (times, the executor)."""
    doc = report.to_dict()
    doc.pop("generated")
    for key in ("timings", "started", "finished", "executor", "resumed"):
        doc["run"].pop(key, None)
    return doc


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut even the demo corpus into several pieces, so that every worker gets some."""
    monkeypatch.setattr(engine, "_CHUNK_MIN", 2)
    monkeypatch.setattr(engine, "_STORY_CHUNK_MIN", 2)


@pytest.fixture(scope="module")
def in_process(demo_dir: Path) -> dict[str, Any]:
    return comparable(presslens.analyze([demo_dir], executor=InProcess()))


def _dask(workers: int = 2) -> Executor:
    pytest.importorskip("distributed", reason="the Dask executor needs the extra 'dask'")
    from presslens.executors.dask import DaskExecutor

    return DaskExecutor(workers)


@pytest.mark.slow
def test_local_processes_give_the_in_process_report(
    demo_dir: Path, in_process: dict[str, Any], small_chunks: None
) -> None:
    with LocalProcesses(2) as ex:
        report = presslens.analyze([demo_dir], executor=ex)
        assert len(ex._pool) == 2  # the work really went to two workers
    assert comparable(report) == in_process
    assert report.run.executor == "2 local worker processes"


@pytest.mark.slow
def test_a_dask_local_cluster_gives_the_in_process_report(
    demo_dir: Path, in_process: dict[str, Any], small_chunks: None
) -> None:
    with _dask() as ex:
        report = presslens.analyze([demo_dir], executor=ex)
    assert comparable(report) == in_process
    assert report.run.executor == "Dask LocalCluster of 2 workers"


def _loads(_: int) -> tuple[int, int]:
    load_nlp()
    return os.getpid(), load_nlp.cache_info().misses


@pytest.mark.slow
def test_the_model_loads_once_per_worker() -> None:
    with LocalProcesses(2) as ex:
        seen = ex.map(_loads, list(range(12)))
    per_worker: dict[int, set[int]] = {}
    for pid, misses in seen:
        per_worker.setdefault(pid, set()).add(misses)
    assert len(per_worker) == 2 and os.getpid() not in per_worker
    assert all(m == {1} for m in per_worker.values())


def _loaded(_: int) -> tuple[int, int]:
    """This worker's pid and how many pipelines it holds, without loading one."""
    return os.getpid(), load_nlp.cache_info().currsize


def _fails(_: object) -> None:
    raise RuntimeError("cannot warm up")


def _double(item: int) -> int:
    return 2 * item


@pytest.mark.slow
def test_warming_loads_the_model_in_every_worker_before_its_work() -> None:
    with LocalProcesses(2) as ex:
        ex.warm(engine._warm, (QuotesStage(),))
        seen = ex.map(_loaded, list(range(4)))
    assert {pid for pid, _ in seen} != {os.getpid()}
    assert len({pid for pid, _ in seen}) == 2
    assert all(held == 1 for _, held in seen)


@pytest.mark.slow
def test_a_dask_warm_up_loads_the_model_on_every_worker() -> None:
    with _dask() as ex:
        ex.warm(engine._warm, (QuotesStage(),))
        ex.warm(_fails, None)
        seen = ex.map(_loaded, list(range(4)))
    assert os.getpid() not in {pid for pid, _ in seen}
    assert all(held == 1 for _, held in seen)


def test_a_warm_up_that_fails_leaves_the_work_to_run() -> None:
    with LocalProcesses(2) as ex:
        ex.warm(_fails, None)
        assert ex.map(_double, [1, 2, 3]) == [2, 4, 6]


class _Recording(InProcess):
    def __init__(self) -> None:
        self.warmed: list[Any] = []

    def warm(self, fn: Callable[[Any], Any], shared: Any) -> None:
        self.warmed.append(shared)


def test_the_workers_warm_up_only_when_several_chunks_of_stories_follow(
    demo_dir: Path, tmp_path: Path
) -> None:
    ex = _Recording()
    presslens.analyze([demo_dir], executor=ex)
    assert [[s.name for s in stages] for stages in ex.warmed] == [["quotes", "compare", "brief"]]
    one = tmp_path / "one.txt"
    one.write_text("Title\n\nOne short article, on its own.\n", encoding="utf-8")
    ex = _Recording()
    presslens.analyze([one], executor=ex)
    assert ex.warmed == []


def test_story_chunks_shrink_towards_the_end_and_keep_stories_whole() -> None:
    from presslens.model import Article, Story, StoryArticles

    def story(n: int, k: int) -> StoryArticles:
        arts = tuple(Article(id=f"s{n}a{i}", text="x") for i in range(k))
        return StoryArticles(Story(id=f"s{n}", article_ids=tuple(a.id for a in arts)), arts)

    stories = [story(n, 1 + n % 3) for n in range(600)]
    chunks = engine._story_chunks(stories, 2)
    sizes = [sum(len(s.articles) for s in c) for c in chunks]
    assert [s for c in chunks for s in c] == stories
    assert sizes[0] > 3 * sizes[-2]  # the last full chunk is far smaller than the first
    assert max(sizes) <= engine._STORY_CHUNK_MAX + 2
    # never growing by more than a story that did not fit the chunk before
    assert all(b <= a + 2 for a, b in itertools.pairwise(sizes))


def _refuses(item: int) -> int:
    if item == 1:
        raise InputError(f"item {item} cannot be read")
    return item


def _needs_a_package(item: int) -> int:
    raise MissingDependencyError("nosuchpackage", "extra", f"item {item}")


@pytest.mark.parametrize("executor", [InProcess, lambda: LocalProcesses(2)])
def test_a_presslens_error_in_the_work_is_raised_as_itself(
    executor: Callable[[], Executor],
) -> None:
    with executor() as ex, pytest.raises(InputError, match="item 1 cannot be read") as info:
        ex.map(_refuses, [0, 1])
    assert not isinstance(info.value, RemoteError)


def test_a_presslens_error_that_cannot_be_rebuilt_comes_back_with_its_message() -> None:
    with LocalProcesses(2) as ex, pytest.raises(PresslensError) as info:
        ex.map(_needs_a_package, [0, 1])
    assert "needs the optional package 'nosuchpackage'" in str(info.value)
    assert not isinstance(info.value, RemoteError)


@pytest.mark.slow
def test_a_worker_that_dies_is_replaced_and_the_result_is_unchanged(
    demo_dir: Path,
    in_process: dict[str, Any],
    small_chunks: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PRESSLENS_FAULT", "story-chunk")
    monkeypatch.setenv("PRESSLENS_FAULT_ONCE", str(tmp_path / "died-once"))
    with LocalProcesses(2) as ex:
        report = presslens.analyze([demo_dir], executor=ex)
    assert (tmp_path / "died-once").exists()  # a worker was killed part way
    assert comparable(report) == in_process


@pytest.mark.slow
def test_a_dask_worker_that_dies_is_replaced(
    demo_dir: Path,
    in_process: dict[str, Any],
    small_chunks: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PRESSLENS_FAULT", "story-chunk")
    monkeypatch.setenv("PRESSLENS_FAULT_ONCE", str(tmp_path / "died-once"))
    with _dask() as ex:
        report = presslens.analyze([demo_dir], executor=ex)
    assert (tmp_path / "died-once").exists()
    assert comparable(report) == in_process


@pytest.mark.slow
def test_work_that_keeps_killing_workers_stops_the_run_naming_it(
    demo_dir: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESSLENS_FAULT", "story-chunk")
    with LocalProcesses(2, retries=1) as ex, pytest.raises(ExecutorError) as info:
        presslens.analyze([demo_dir], executor=ex)
    assert "died 2 times while running stories story-" in str(info.value)


def test_an_unreachable_scheduler_fails_within_seconds_naming_it() -> None:
    pytest.importorskip("distributed", reason="the Dask executor needs the extra 'dask'")
    from presslens.executors.dask import DaskExecutor

    t0 = time.monotonic()
    with pytest.raises(ExecutorError, match=r"tcp://127\.0\.0\.1:9 "):
        DaskExecutor(scheduler="tcp://127.0.0.1:9", connect_timeout=2)
    assert time.monotonic() - t0 < 15


def _analyze(demo_dir: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presslens.cli", "analyze", str(demo_dir), "--out", str(out)],
        env={**os.environ, "PRESSLENS_WORKERS": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _report(out: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return doc


def _strip(doc: dict[str, Any]) -> dict[str, Any]:
    doc.pop("generated")
    for key in ("timings", "started", "finished", "executor", "resumed"):
        doc["run"].pop(key, None)
    return doc


@pytest.mark.slow
def test_a_killed_run_resumes_from_its_finished_work(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    killed = _analyze(demo_dir, out, PRESSLENS_FAULT="after:story-chunk")
    assert killed.returncode == -9  # SIGKILL, as the OOM killer would stop it
    assert not (out / "report.json").exists()
    assert len(list((out / ".work" / "stories").iterdir())) == 1  # one chunk was finished
    resumed = _analyze(demo_dir, out)
    assert resumed.returncode == 0, resumed.stderr
    fresh = tmp_path / "fresh"
    assert _analyze(demo_dir, fresh).returncode == 0
    first, second = _report(out), _report(fresh)
    assert first["run"]["resumed"] >= 2  # the shards read and the finished chunk came back
    assert second["run"]["resumed"] == 0
    assert _strip(first) == _strip(second)
