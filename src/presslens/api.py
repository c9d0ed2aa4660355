"""The Python API; it mirrors the CLI (``presslens analyze|ingest|export``)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from presslens.config import Config, load_config
from presslens.executors.local import ProgressFn, no_progress, run_local, run_story_stages
from presslens.ingest import read_inputs
from presslens.model import Article, Notice, Skip, StoryDocs
from presslens.pipeline import Pipeline
from presslens.report import Report, RunInfo
from presslens.report.serialize import to_jsonable
from presslens.store import Store


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _read(
    paths: Iterable[str | Path],
    config: Config,
    progress: ProgressFn,
    notices: list[Notice] | None = None,
) -> tuple[list[Article], list[Skip]]:
    """The articles and skips of ``paths``; their notices go to ``notices`` when given."""
    articles: list[Article] = []
    skipped: list[Skip] = []
    for item in read_inputs(paths, config.ingest):
        if isinstance(item, Notice):
            if notices is not None:
                notices.append(item)
            continue
        if isinstance(item, Skip):
            skipped.append(item)
        else:
            articles.append(item)
        progress("ingest", len(articles) + len(skipped), None)
    return articles, skipped


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
) -> Report:
    """Read ``paths``, run every registered stage, and return the :class:`Report`.

    With ``out`` the report files are written there (formats from ``config.report``); with
    ``db`` the articles, stories and the run summary are added to that SQLite store.
    ``on_skip`` (a callable taking a :class:`Skip`) is told about each skipped input, and
    ``on_notice`` (a callable taking a :class:`Notice`) about each input read in spite of
    damage or with a library's warning; both are also in the report's ``run``.
    """
    cfg = resolve_config(config, config_path, {"ingest": {"source": source}})
    started, t0 = _now(), time.perf_counter()
    inputs = tuple(str(p) for p in paths)
    notices: list[Notice] = []
    articles, skipped = _read(inputs, cfg, progress, notices)
    timings = {"ingest": time.perf_counter() - t0}
    pipeline = Pipeline.default(cfg)
    result = run_local(pipeline, articles, progress)
    timings.update(result.timings)
    all_skipped = skipped + result.skipped
    if on_notice is not None:
        for n in notices:
            on_notice(n)
    if on_skip is not None:
        for s in all_skipped:
            on_skip(s)
    run = RunInfo(
        inputs=inputs,
        articles_in=len(articles) + len(skipped),
        skipped=tuple(all_skipped),
        timings=timings,
        stages=("ingest", *pipeline.names),
        started=started,
        finished=_now(),
        warnings=tuple(notices),
    )
    report = Report(
        articles=tuple(result.articles),
        run=run,
        stories=None if pipeline.group_stage is None else tuple(sd.story for sd in result.stories),
    )
    if db is not None:
        _store_result(db, result.articles, result.stories, report)
    if out is not None:
        report.write(out, cfg.report.formats)
    return report


def _store_result(
    db: str | Path, articles: list[Article], stories: list[StoryDocs], report: Report
) -> None:
    with Store(db) as store:
        renamed: dict[str, str] = {}
        for article in articles:
            added = store.add_article(article)
            if added.id != article.id:
                renamed[article.id] = added.id
        if stories:
            store.put_stories(_remap_ids(to_jsonable(sd.story), renamed) for sd in stories)
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


@dataclass(frozen=True)
class IngestResult:
    """What :func:`ingest_into` added to a store."""

    inserted: int
    existing: int
    skipped: tuple[Skip, ...]
    stories_touched: int


def ingest_into(
    paths: Iterable[str | Path],
    db: str | Path,
    *,
    config: Config | None = None,
    config_path: str | Path | None = None,
    source: str | None = None,
    progress: ProgressFn = no_progress,
) -> IngestResult:
    """Read and clean ``paths`` and add the new articles to the store ``db``, incrementally.

    Articles already in the store (same content key) are not added twice.  When the story
    clustering family is installed, new articles join existing stories or open new ones;
    ``cluster.embed`` is then refused with a :class:`~presslens.errors.ConfigError`, since
    the stored story index keeps no embeddings.
    """
    cfg = resolve_config(config, config_path, {"ingest": {"source": source}})
    _check_incremental(cfg)
    started, t0 = _now(), time.perf_counter()
    inputs = tuple(str(p) for p in paths)
    articles, skipped = _read(inputs, cfg, progress)
    pipeline = Pipeline.default(cfg)
    result = run_local(
        Pipeline(article_stages=pipeline.article_stages, group_stage=None, story_stages=()),
        articles,
        progress,
    )
    all_skipped = skipped + result.skipped
    with Store(db) as store:
        inserted: list[Article] = []
        existing = 0
        for i, article in enumerate(result.articles):
            added = store.add_article(article)
            if added.inserted:
                inserted.append(
                    article if added.id == article.id else replace(article, id=added.id)
                )
            else:
                existing += 1
            progress("store", i + 1, len(result.articles))
        # Articles a killed run stored but never placed in a story are placed now too.
        new_ids = {a.id for a in inserted}
        pending = inserted + [a for a in store.articles_without_story() if a.id not in new_ids]
        touched = _assign_stories(store, pending, pipeline, cfg, progress)
        run = RunInfo(
            inputs=inputs,
            articles_in=len(articles) + len(skipped),
            skipped=tuple(all_skipped),
            timings={"total": time.perf_counter() - t0},
            stages=("ingest", *(s.name for s in pipeline.article_stages), "store"),
            started=started,
            finished=_now(),
        )
        store.record_run(run.to_dict(len(result.articles), None))
    return IngestResult(
        inserted=len(inserted),
        existing=existing,
        skipped=tuple(all_skipped),
        stories_touched=touched,
    )


def _check_incremental(config: Config) -> None:
    """Refuse, before anything is stored, a config that incremental clustering would ignore."""
    try:
        from presslens.cluster.persist import check_incremental_config
    except ImportError:
        return
    check_incremental_config(config)


def _assign_stories(
    store: Store, articles: list[Article], pipeline: Pipeline, config: Config, progress: ProgressFn
) -> int:
    """Place new articles in the store's stories and refresh only the stories they touched.

    Needs the story clustering family; without it the articles are stored and no story changes.
    """
    try:
        from presslens.cluster.persist import assign_incremental, write_update
    except ImportError:
        return 0
    if not articles:
        return 0
    update = assign_incremental(store, articles, config)
    annotated = {a.id: a for a in update.articles}  # new articles with their syndication
    bundles = []
    for story in update.stories:
        found = (annotated.get(aid) or store.get_article(aid) for aid in story.article_ids)
        bundles.append(StoryDocs(story, tuple(a for a in found if a is not None)))
    done = run_story_stages(pipeline.story_stages, bundles, progress)
    write_update(store, update, (sd.story for sd in done))
    return len(done)


def export(db: str | Path, fmt: str, out: str | Path) -> Path:
    """Write the store's articles (and stories) as ``fmt`` (jsonl, json, md, html) under ``out``."""
    with Store(db, readonly=True) as store:
        articles = tuple(store.articles())
        stories = tuple(store.stories())
    now = _now()
    run = RunInfo(
        inputs=(str(db),), articles_in=len(articles), stages=("export",), started=now, finished=now
    )
    report = Report(articles=articles, run=run, stories=stories or None)
    return report.write(out, (fmt,))[fmt]
