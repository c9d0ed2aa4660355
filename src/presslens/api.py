"""The Python API; it mirrors the CLI (``presslens analyze|ingest|export``).

Every function builds a :class:`~presslens.pipeline.Pipeline` and hands it, with an
:class:`~presslens.executors.Executor`, to :func:`presslens.engine.execute`: there is one way
to run a stage.  ``workers`` (local processes), ``dask`` / ``scheduler`` (Dask) or an
``executor`` you built choose where the work runs; the default is this process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from presslens.checkpoint import FolderCheckpoints, StoreCheckpoints
from presslens.codec import to_jsonable
from presslens.config import Config, load_config
from presslens.engine import Keeper, ProgressFn, RunResult, execute, no_progress
from presslens.executors import Executor, make_executor
from presslens.ingest.inputs import plan_shards
from presslens.model import Article, Notice, Skip, StoryArticles
from presslens.pipeline import Pipeline
from presslens.report import Report, RunInfo
from presslens.store import Store

#: the folder under ``--out`` where a run keeps finished work, so a killed run resumes
WORK_DIR = ".work"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def resolve_config(
    config: Config | None = None,
    config_path: str | Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Config:
    """``config`` as given, else shipped defaults + ``config_path`` + ``overrides``."""
    if config is not None:
        config.validate()
        return config
    return load_config(config_path, overrides)


@contextmanager
def executor_for(
    executor: Executor | None = None,
    *,
    workers: int | None = 1,
    dask: bool = False,
    scheduler: str | None = None,
) -> Iterator[Executor]:
    """``executor`` as given (left open), else the one ``workers`` / ``dask`` / ``scheduler``
    ask for (closed on leaving)."""
    if executor is not None:
        yield executor
        return
    made = make_executor(workers, dask=dask, scheduler=scheduler)
    try:
        yield made
    finally:
        made.close()


def analyze(
    paths: Iterable[str | Path],
    *,
    config: Config | None = None,
    config_path: str | Path | None = None,
    source: str | None = None,
    out: str | Path | None = None,
    db: str | Path | None = None,
    progress: ProgressFn = no_progress,
    on_skip: Any = None,
    on_notice: Any = None,
    workers: int | None = 1,
    dask: bool = False,
    scheduler: str | None = None,
    executor: Executor | None = None,
) -> Report:
    """Read ``paths``, run every registered stage, and return the :class:`Report`.

    With ``out`` the report files are written there (formats from ``config.report``) and
    finished work is kept in ``out/.work``, so the same run started again after a kill
    resumes; with ``db`` the articles, stories and the run summary are added to that SQLite
    store.  ``on_skip`` (a callable taking a :class:`Skip`) is told about each skipped input,
    and ``on_notice`` (a callable taking a :class:`Notice`) about each input read in spite of
    damage or with a library's warning; both are also in the report's ``run``.
    """
    cfg = resolve_config(config, config_path, {"ingest": {"source": source}})
    started = _now()
    inputs = tuple(str(p) for p in paths)
    pipeline = Pipeline.default(cfg)
    checkpoints = None if out is None else FolderCheckpoints(Path(out) / WORK_DIR)
    with executor_for(executor, workers=workers, dask=dask, scheduler=scheduler) as ex:
        result = execute(
            pipeline,
            ex,
            config=cfg,
            shards=plan_shards(inputs, cfg.ingest),
            checkpoints=checkpoints,
            progress=progress,
        )
        where = ex.describe()
    if on_notice is not None:
        for n in result.notices:
            on_notice(n)
    if on_skip is not None:
        for s in result.skipped:
            on_skip(s)
    run = _run_info(inputs, result, ("ingest", *pipeline.names), started, where)
    report = Report(
        articles=tuple(result.articles),
        run=run,
        stories=None
        if pipeline.group_stage is None
        else tuple(bundle.story for bundle in result.stories),
    )
    if db is not None:
        _store_result(db, result.articles, result.stories, report)
    if out is not None:
        report.write(out, cfg.report.formats, cfg.report.shard_size)
        if checkpoints is not None:
            checkpoints.done()
    return report


def _run_info(
    inputs: tuple[str, ...],
    result: RunResult,
    stages: tuple[str, ...],
    started: str,
    executor: str,
) -> RunInfo:
    return RunInfo(
        inputs=inputs,
        articles_in=len(result.articles) + len(result.skipped),
        skipped=tuple(result.skipped),
        timings=result.timings,
        stages=stages,
        started=started,
        finished=_now(),
        executor=executor,
        resumed=result.reused,
        warnings=tuple(result.notices),
    )


def _store_result(
    db: str | Path, articles: list[Article], stories: list[StoryArticles], report: Report
) -> None:
    with Store(db) as store:
        renamed: dict[str, str] = {}
        for article in articles:
            added = store.add_article(article)
            if added.id != article.id:
                renamed[article.id] = added.id
        if stories:
            store.put_stories(_remap_ids(to_jsonable(bundle.story), renamed) for bundle in stories)
        store.record_run(report.run_dict())


def _remap_ids(value: Any, renamed: Mapping[str, str]) -> Any:
    """``value`` with every string that is a renamed article id replaced by the stored id.

    The store renames an article whose id is already taken by different content; the story
    documents must then point at the stored id wherever they cite the article.
    """
    if not renamed:
        return value
    if isinstance(value, str):
        return renamed.get(value, value)
    if isinstance(value, list):
        return [_remap_ids(v, renamed) for v in value]
    if isinstance(value, dict):
        return {renamed.get(k, k): _remap_ids(v, renamed) for k, v in value.items()}
    return value


class StoreKeeper(Keeper):
    """The store as the keeper of an incremental run.

    New articles are stored (each in its own transaction, so nothing read is lost) when the
    stateful stages are about to take them in; those stages then see the new articles, under
    the ids the store gave them, and every stored article that is in no story yet (left by a
    run that was killed before it committed).  When the store holds stories but no saved
    stage state (an older store, or one written by ``analyze --db``), the stages see every
    stored article, so their state is rebuilt.

    With ``versions`` (``watch``), an article whose URL is stored with other content becomes
    that article's new version (:meth:`Store.add_article` with ``revise_by_url``); it and
    every new version a killed run left pending are :meth:`changed`, so their stories are
    analysed again.
    """

    def __init__(
        self,
        store: Store,
        *,
        rebuild: bool = False,
        progress: ProgressFn,
        versions: bool = False,
    ) -> None:
        self.store = store
        self.rebuild = rebuild
        self.progress = progress
        self.versions = versions
        self.inserted = 0
        self.existing = 0
        self.revised = 0
        #: ids of the articles given to the run as changed (their pending mark is cleared
        #: when the run commits)
        self.changed_ids: list[str] = []
        #: the stored id of every article offered, new or already stored, in input order
        self.stored_ids: list[str] = []

    def admit(self, articles: list[Article]) -> list[Article]:
        """Store the new articles; return what the stateful stages must take in."""
        new: list[Article] = []
        for i, article in enumerate(articles):
            added = self.store.add_article(article, revise_by_url=self.versions)
            self.stored_ids.append(added.id)
            if added.inserted:
                self.inserted += 1
                new.append(article if added.id == article.id else replace(article, id=added.id))
            elif added.revised:
                self.revised += 1
            else:
                self.existing += 1
            self.progress("store", i + 1, len(articles))
        new_ids = {a.id for a in new}
        earlier = self.store.articles() if self.rebuild else self.store.articles_without_story()
        return [a for a in earlier if a.id not in new_ids] + new

    def fetch(self, ids: Sequence[str]) -> list[Article]:
        """Stored articles by id."""
        return [a for i in ids if (a := self.store.get_article(i)) is not None]

    def changed(self) -> list[Article]:
        """Stored articles with a new version whose stories are not analysed again yet."""
        pending = self.store.pending_revisions()
        self.changed_ids = [a.id for a in pending]
        return pending


@dataclass(frozen=True)
class IngestResult:
    """What :func:`ingest_into` (or an incremental single-stage run) added to a store."""

    inserted: int
    existing: int
    skipped: tuple[Skip, ...]
    stories_touched: int
    result: RunResult | None = None
    #: articles stored before at their URL that took this content as a new version
    revised: int = 0
    #: the stored id of every article read, new or already stored, in input order
    stored_ids: tuple[str, ...] = ()
    #: inputs read in spite of damage, or that a library warned about
    notices: tuple[Notice, ...] = ()


def run_on_store(
    pipeline: Pipeline,
    db: str | Path,
    inputs: Sequence[str],
    config: Config,
    executor: Executor,
    progress: ProgressFn = no_progress,
    *,
    versions: bool = False,
) -> IngestResult:
    """Run ``pipeline`` over ``inputs`` into the store ``db``, incrementally.

    The stateful stages start from the state the store keeps; their new state, the
    articles' syndication fields, the stories touched and the run summary are committed in
    one transaction at the end, and finished work is kept in the store until then, so a
    killed run leaves the store as it was (plus the new articles) and a rerun completes it.
    With ``versions`` an input article whose URL is already stored with other content is a
    new version of that article (how ``watch`` stores a corrected page): the store keeps
    the earlier text and what changed, and the article's stories are analysed again.
    """
    from presslens import faults

    started = _now()
    with Store(db) as store:
        saved = store.stage_states()
        states = {
            s.name: s.load_state(saved[s.name]) for s in pipeline.stateful() if s.name in saved
        }
        # the stored stories, needed only when a stage has no saved state to start from (read
        # once: the run writes no story before it commits)
        stored = store.story_ids() if any(s.name not in saved for s in pipeline.stateful()) else []
        rebuild = bool(stored)
        keeper = StoreKeeper(store, rebuild=rebuild, progress=progress, versions=versions)
        checkpoints = StoreCheckpoints(store)
        result = execute(
            pipeline,
            executor,
            config=config,
            shards=plan_shards(inputs, config.ingest),
            states=states,
            keeper=keeper,
            checkpoints=checkpoints,
            progress=progress,
        )
        written = {bundle.story.id for bundle in result.stories}
        removed = set(result.removed)
        if rebuild:
            removed |= set(stored) - written
        run = _run_info(
            tuple(inputs),
            result,
            ("ingest", *pipeline.names, "store"),
            started,
            executor.describe(),
        )
        faults.reached("before-commit")
        store.commit_update(
            states={
                s.name: s.dump_state(states[s.name])
                for s in pipeline.stateful()
                if s.name in states
            },
            syndication=[*result.articles, *result.revised],
            stories=[to_jsonable(bundle.story) for bundle in result.stories],
            removed=sorted(removed - written),
            rethreaded={
                sid: to_jsonable(thread)
                for sid, thread in result.rethreaded.items()
                if sid not in written and sid not in removed
            },
            run=run.to_dict(keeper.inserted + keeper.existing + keeper.revised, None),
            revised=keeper.changed_ids,
        )
        checkpoints.done()
    return IngestResult(
        inserted=keeper.inserted,
        existing=keeper.existing,
        skipped=tuple(result.skipped),
        stories_touched=len(result.stories),
        result=result,
        stored_ids=tuple(keeper.stored_ids),
        notices=tuple(result.notices),
        revised=keeper.revised,
    )


def ingest_into(
    paths: Iterable[str | Path],
    db: str | Path,
    *,
    config: Config | None = None,
    config_path: str | Path | None = None,
    source: str | None = None,
    progress: ProgressFn = no_progress,
    workers: int | None = 1,
    dask: bool = False,
    scheduler: str | None = None,
    executor: Executor | None = None,
) -> IngestResult:
    """Read and clean ``paths`` and add the new articles to the store ``db``, incrementally.

    Articles already in the store (same content key) are not added twice.  New articles join
    existing stories or open new ones, and only the stories they touch go through the story
    stages again.  ``cluster.embed`` is refused with a :class:`~presslens.errors.ConfigError`
    before anything is stored, since the stored story index keeps no embeddings.
    """
    cfg = resolve_config(config, config_path, {"ingest": {"source": source}})
    pipeline = Pipeline.default(cfg)
    pipeline.check_incremental()
    with executor_for(executor, workers=workers, dask=dask, scheduler=scheduler) as ex:
        return run_on_store(pipeline, db, tuple(str(p) for p in paths), cfg, ex, progress)


def export(db: str | Path, fmt: str, out: str | Path) -> Path:
    """Write the store's articles (and stories) as ``fmt`` under ``out``: ``jsonl``, ``json``,
    ``md``, ``html``, ``shards`` (gzipped JSON Lines parts), or ``parquet`` / ``csv`` (one table
    each for articles, stories, quotes and discrepancies; parquet needs the extra ``parquet``)."""
    with Store(db, readonly=True) as store:
        articles = tuple(store.articles())
        stories = tuple(store.story_records())
    now = _now()
    run = RunInfo(
        inputs=(str(db),), articles_in=len(articles), stages=("export",), started=now, finished=now
    )
    report = Report(articles=articles, run=run, stories=stories or None)
    return report.write(out, (fmt,))[fmt]


def run_pipeline(
    pipeline: Pipeline,
    *,
    config: Config,
    paths: Sequence[str | Path] = (),
    articles: Sequence[Article] | None = None,
    executor: Executor | None = None,
    workers: int | None = 1,
    progress: ProgressFn = no_progress,
) -> RunResult:
    """Run any pipeline (the stages of a single-stage command, say) over ``paths`` or
    ``articles``, with nothing kept between runs."""
    with executor_for(executor, workers=workers) as ex:
        return execute(
            pipeline,
            ex,
            config=config,
            shards=plan_shards([str(p) for p in paths], config.ingest) if articles is None else (),
            articles=articles,
            progress=progress,
        )
