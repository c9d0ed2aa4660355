"""The one way a pipeline runs, whatever runs it.

Every entry point (``analyze``, ``ingest``, each single-stage command, the benchmarks) calls
:func:`execute` with a :class:`~presslens.pipeline.Pipeline` and an
:class:`~presslens.executors.Executor`.  A run is a fixed sequence of steps; each step is
either a map over pieces of the corpus, done wherever the executor runs work, or a small
decision taken here, on the driver:

1. **read** each input shard and run the first article stage's ``prepare`` on it (map);
2. give every article a run-unique id, in shard order (driver);
3. for each article stage: its ``prepare`` and ``observe`` (map, fused with the previous
   stage's ``finish``), then its ``fit`` over the whole corpus (driver; on a cluster the stage
   is handed the executor's ``map`` to spread its own work, partitioned by its key); the last
   ``finish`` runs on the driver;
4. the group stage forms stories (driver, same ``map``);
5. every story stage over chunks of stories (map), each chunk through all story stages.

Items are cut into chunks of whole shards, articles or stories, and results are put back in
input order, so the result depends neither on the executor nor on the number of workers.
With :class:`~presslens.checkpoint.Checkpoints`, a shard read and prepared and a chunk of
stories analysed are kept as they finish; a killed run started again takes them back instead
of redoing them.  A :class:`Keeper` (the store, for ``ingest``) decides which articles are
new to the stateful stages and supplies articles of earlier runs.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from presslens import faults
from presslens.checkpoint import Checkpoints
from presslens.codec import from_jsonable, to_jsonable
from presslens.config import Config, IngestConfig
from presslens.executors import Executor
from presslens.ingest.ids import UniqueIds
from presslens.ingest.inputs import Shard, read_shard
from presslens.model import Article, Notice, Skip, Story, StoryArticles, Thread, content_hash
from presslens.pipeline import ArticleStage, Grouping, Mapper, Pipeline, Stage, StoryStage

#: called as progress(step, done, total or None)
ProgressFn = Callable[[str, int, int | None], None]

# Articles per chunk of an article step, and article budget of a chunk of stories.  Chunks are
# cut to give each worker about this many pieces (so a slow piece does not leave the others
# idle at the end) within these bounds (small enough for progress, large enough that a task's
# overhead and spaCy's batching stay negligible).
_PIECES_PER_WORKER = 4
_CHUNK_MIN, _CHUNK_MAX = 16, 256
_STORY_CHUNK_MIN, _STORY_CHUNK_MAX = 8, 96


def no_progress(step: str, done: int, total: int | None) -> None:
    """A :data:`ProgressFn` that shows nothing."""
    return None


class Keeper:
    """Where articles of earlier runs live: nowhere, for a run that keeps nothing.

    ``ingest`` passes the store's keeper, which stores the new articles when the stateful
    stages are about to see them, and fetches earlier articles that a story or a revised
    syndication group needs.
    """

    def admit(self, articles: list[Article]) -> list[Article]:
        """The articles the stateful stages should take in (by default: all of them)."""
        return articles

    def fetch(self, ids: Sequence[str]) -> list[Article]:
        """Articles of earlier runs by id (those it has)."""
        return []

    def changed(self) -> list[Article]:
        """Articles of earlier runs whose content changed since their stories were last
        analysed (new versions of a page); asked after :meth:`admit`."""
        return []


@dataclass
class RunResult:
    """What a run produced.

    ``articles`` are the run's articles after every article stage, in input order (for
    ``ingest``: the articles the stateful stages took in); ``stories`` the stories formed or
    touched, with their articles, through every story stage; ``revised`` articles of earlier
    runs whose fields an article stage changed; ``removed`` ids of stories merged away;
    ``rethreaded`` the new thread of stories of earlier runs that only their thread changed;
    ``timings`` seconds of work per stage (summed over workers) and ``total`` wall seconds.
    """

    articles: list[Article]
    stories: list[StoryArticles]
    skipped: list[Skip]
    timings: dict[str, float]
    revised: list[Article] = field(default_factory=list)
    removed: tuple[str, ...] = ()
    rethreaded: dict[str, Thread] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    reused: int = 0
    notices: list[Notice] = field(default_factory=list)


def config_digest(config: Config) -> str:
    """A short digest of every setting: work kept under another configuration is not reused."""
    from presslens import __version__

    blob = json.dumps([__version__, to_jsonable(config)], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


# --- tasks: top-level functions, so that any executor can ship them --------------------------


@dataclass(frozen=True)
class _ReadJob:
    ingest: IngestConfig
    first: ArticleStage | None


def _read_task(
    job: _ReadJob, shard: Shard
) -> tuple[list[Article | Skip | Notice], dict[str, float]]:
    """Read one shard and prepare its articles for the first article stage."""
    faults.reached("read-shard")
    t0 = time.perf_counter()
    items = read_shard(shard, job.ingest)
    timings = {"ingest": time.perf_counter() - t0}
    if job.first is not None:
        t0 = time.perf_counter()
        items = _apply(items, job.first.prepare)
        timings[job.first.name] = time.perf_counter() - t0
    return items, timings


def _apply(items: list[Any], fn: Callable[[Sequence[Article]], list[Article | Skip]]) -> list[Any]:
    """``items`` with every article replaced by ``fn``'s result for it (skips and notices
    stay)."""
    articles = [a for a in items if isinstance(a, Article)]
    done = iter(fn(articles))
    return [next(done) if isinstance(x, Article) else x for x in items]


#: one operation of an article step: ("finish", stage, model), ("prepare", stage, None) or
#: ("observe", stage, None)
_Op = tuple[str, ArticleStage, Any]


def _article_task(
    ops: tuple[_Op, ...], chunk: list[Article]
) -> tuple[list[Article | Skip], list[Any], dict[str, float]]:
    """The fused operations of one article step over one chunk: results in chunk order, the
    last stage's observations of the articles that survived, and seconds per stage."""
    items: list[Article | Skip] = list(chunk)
    observed: list[Any] = []
    timings: dict[str, float] = {}
    for kind, stage, model in ops:
        t0 = time.perf_counter()
        if kind == "finish":
            items = _apply(items, partial(stage.finish, model=model))
        elif kind == "prepare":
            items = _apply(items, stage.prepare)
        else:
            observed = stage.observe([a for a in items if isinstance(a, Article)])
        timings[stage.name] = timings.get(stage.name, 0.0) + time.perf_counter() - t0
    return items, observed, timings


def _story_task(
    stages: tuple[StoryStage, ...], chunk: list[StoryArticles]
) -> tuple[list[Story], dict[str, float]]:
    """Every story stage over one chunk of stories; the stories come back (not the articles,
    which no story stage changes)."""
    faults.reached("story-chunk")
    timings: dict[str, float] = {}
    docs = chunk
    for stage in stages:
        t0 = time.perf_counter()
        docs = list(stage.run(docs))
        timings[stage.name] = time.perf_counter() - t0
    return [d.story for d in docs], timings


# --- the run ---------------------------------------------------------------------------------


def _warm(stages: Sequence[Stage]) -> None:
    for stage in stages:
        stage.warm()


def _add(total: dict[str, float], part: Mapping[str, float]) -> None:
    for k, v in part.items():
        total[k] = total.get(k, 0.0) + v


def _chunks(items: Sequence[Any], workers: int) -> list[list[Any]]:
    size = math.ceil(len(items) / max(1, workers * _PIECES_PER_WORKER))
    size = max(_CHUNK_MIN, min(_CHUNK_MAX, size))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _story_chunks(stories: Sequence[StoryArticles], workers: int) -> list[list[StoryArticles]]:
    """Whole stories in chunks that shrink as the run nears its end.

    Each chunk's article budget is the articles still to cut shared over
    ``workers * _PIECES_PER_WORKER``, within the bounds: the first chunks are large and the
    last ones small, so a worker handed the last chunk keeps the others idle for a few seconds,
    not for a whole large chunk (a fixed budget of 96 left one of two workers idle for about
    11 s at the end of 2,000 DEV articles).
    """
    remaining = sum(len(s.articles) for s in stories)
    pieces = max(1, workers * _PIECES_PER_WORKER)
    out: list[list[StoryArticles]] = []
    current: list[StoryArticles] = []
    size = 0
    budget = 0
    for s in stories:
        if current and size + len(s.articles) > budget:
            out.append(current)
            current, size = [], 0
        if not current:
            budget = max(_STORY_CHUNK_MIN, min(_STORY_CHUNK_MAX, math.ceil(remaining / pieces)))
        current.append(s)
        size += len(s.articles)
        remaining -= len(s.articles)
    if current:
        out.append(current)
    return out


def _shard_key(digest: str, shard: Shard) -> str | None:
    if shard.urls or "?" in shard.stamp:
        return None
    blob = json.dumps([digest, shard.files, shard.stamp])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _story_key(digest: str, chunk: Sequence[StoryArticles]) -> str:
    h = hashlib.sha256(digest.encode("utf-8"))
    for bundle in chunk:
        h.update(json.dumps(to_jsonable(bundle.story), sort_keys=True).encode("utf-8"))
        for a in bundle.articles:
            meta: list[object] = [a.id, content_hash(a.text), a.title, a.source, a.published]
            meta += [a.syndication_group, a.is_original, a.copy_similarity, a.copy_shared]
            h.update(json.dumps(meta).encode("utf-8"))
    return h.hexdigest()


_KINDS: dict[str, type[Article] | type[Skip] | type[Notice]] = {
    "article": Article,
    "skip": Skip,
    "notice": Notice,
}


def _encode_items(items: Iterable[Article | Skip | Notice]) -> list[dict[str, Any]]:
    return [{type(x).__name__.lower(): to_jsonable(x)} for x in items]


def _decode_items(rows: Iterable[Mapping[str, Any]]) -> list[Article | Skip | Notice]:
    out: list[Article | Skip | Notice] = []
    for row in rows:
        ((kind, value),) = row.items()
        out.append(from_jsonable(_KINDS[kind], value))
    return out


class _Run:
    """The state of one :func:`execute` call, step by step."""

    def __init__(
        self,
        pipeline: Pipeline,
        executor: Executor,
        *,
        config: Config,
        states: dict[str, Any] | None,
        keeper: Keeper,
        checkpoints: Checkpoints | None,
        progress: ProgressFn,
    ) -> None:
        self.pipeline = pipeline
        self.executor = executor
        self.config = config
        self.digest = config_digest(config)
        self.states = {} if states is None else states
        self.keeper = keeper
        self.checkpoints = checkpoints
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.skipped: list[Skip] = []
        self.notices: list[Notice] = []
        self.mapper: Mapper | None = executor.map if executor.spread else None

    def state(self, name: str) -> Any:
        stage = next(s for s in self.pipeline.stages if s.name == name)
        if name not in self.states:
            self.states[name] = stage.new_state()
        return self.states[name]

    # step 1-2
    def read(self, shards: Sequence[Shard | Skip]) -> list[Article]:
        first = self.pipeline.article_stages[0] if self.pipeline.article_stages else None
        job = _ReadJob(self.config.ingest, first)
        real = [s for s in shards if isinstance(s, Shard)]
        results: list[list[Article | Skip | Notice] | None] = [None] * len(real)
        keys = [_shard_key(self.digest, s) for s in real]
        todo: list[int] = []
        for i, key in enumerate(keys):
            kept = (
                None
                if key is None or self.checkpoints is None
                else self.checkpoints.get("shard", key)
            )
            if kept is not None:
                results[i] = _decode_items(kept)
            else:
                todo.append(i)
        done = len(real) - len(todo)
        self.progress("read", done, len(real))

        def finished(n: int, out: tuple[list[Article | Skip | Notice], dict[str, float]]) -> None:
            nonlocal done
            i = todo[n]
            key = keys[i]
            if key is not None and self.checkpoints is not None:
                self.checkpoints.put("shard", key, _encode_items(out[0]))
            done += 1
            self.progress("read", done, len(real))

        outs = self.executor.map(
            _read_task,
            [real[i] for i in todo],
            shared=job,
            labels=[real[i].label for i in todo],
            on_result=finished,
        )
        for i, (items, timings) in zip(todo, outs, strict=True):
            results[i] = items
            _add(self.timings, timings)
        ids = UniqueIds()
        articles: list[Article] = []
        by_shard = iter(results)
        for s in shards:
            if isinstance(s, Skip):
                self.skipped.append(s)
                continue
            for item in next(by_shard) or []:
                if isinstance(item, Skip):
                    self.skipped.append(item)
                elif isinstance(item, Notice):
                    self.notices.append(item)
                else:
                    articles.append(ids.unique(item))
        return articles

    def _map_articles(
        self, ops: tuple[_Op, ...], articles: list[Article], step: str
    ) -> tuple[list[Article], list[Any]]:
        chunks = _chunks(articles, self.executor.workers)
        done = 0

        def finished(n: int, out: Any) -> None:
            nonlocal done
            done += len(chunks[n])
            self.progress(step, done, len(articles))

        outs = self.executor.map(_article_task, chunks, shared=ops, on_result=finished)
        kept: list[Article] = []
        observed: list[Any] = []
        for items, obs, timings in outs:
            _add(self.timings, timings)
            for x in items:
                if isinstance(x, Skip):
                    self.skipped.append(x)
                else:
                    kept.append(x)
            observed.extend(obs)
        return kept, observed

    # step 3
    def article_stages(
        self, articles: list[Article], prepared_first: bool
    ) -> tuple[list[Article], list[Article]]:
        """The articles after every article stage, and the revised articles of earlier runs."""
        pending: tuple[_Op, ...] = ()
        admitted = False
        revised: list[Article] = []
        changed: list[Article] = []
        for k, stage in enumerate(self.pipeline.article_stages):
            stateful = stage.contract.state is not None
            if stateful and not admitted:
                if pending:
                    articles, _ = self._map_articles(pending, articles, pending[-1][1].name)
                    pending = ()
                articles = self.keeper.admit(articles)
                changed = self.keeper.changed()
                admitted = True
            ops = list(pending)
            if k > 0 or not prepared_first:
                ops.append(("prepare", stage, None))
            fits = type(stage).fit is not ArticleStage.fit
            if fits:
                ops.append(("observe", stage, None))
            observed: list[Any] = []
            if ops:
                articles, observed = self._map_articles(tuple(ops), articles, stage.name)
            pending = ()
            if fits:
                t0 = time.perf_counter()
                state = self.state(stage.name) if stateful else stage.new_state()
                model = stage.fit(articles, observed, state, self.mapper)
                _add(self.timings, {stage.name: time.perf_counter() - t0})
                again = stage.revised(model)
                if again or (stateful and changed):
                    # articles of earlier runs this fit regrouped, and those whose content
                    # changed (their stories are analysed again), take the stage's fields
                    known = {a.id for a in articles}
                    wanted = list(dict.fromkeys([*again, *(a.id for a in changed)]))
                    earlier = self.keeper.fetch([i for i in wanted if i not in known])
                    revised = [x for x in stage.finish(earlier, model) if isinstance(x, Article)]
                    changed = []
                pending = (("finish", stage, model),)
            faults.reached(f"after:{stage.name}")
        if pending:
            t0 = time.perf_counter()
            _, stage, model = pending[0]
            out = stage.finish(articles, model)
            articles = []
            for x in out:
                if isinstance(x, Skip):
                    self.skipped.append(x)
                else:
                    articles.append(x)
            _add(self.timings, {stage.name: time.perf_counter() - t0})
        if not admitted:
            articles = self.keeper.admit(articles)
            changed = self.keeper.changed()
        known = {a.id for a in articles} | {a.id for a in revised}
        return articles, revised + [a for a in changed if a.id not in known]

    # step 4
    def group(
        self, articles: list[Article], revised: list[Article]
    ) -> tuple[list[StoryArticles], Grouping]:
        stage = self.pipeline.group_stage
        assert stage is not None
        t0 = time.perf_counter()
        state = self.state(stage.name) if stage.contract.state else stage.new_state()
        grouping = stage.group(articles, state, self.mapper, revised)
        by_id = {a.id: a for a in revised}
        by_id.update((a.id, a) for a in articles)
        missing = sorted({i for s in grouping.stories for i in s.article_ids} - set(by_id))
        by_id.update((a.id, a) for a in self.keeper.fetch(missing))
        stories = [
            StoryArticles(s, tuple(by_id[i] for i in s.article_ids if i in by_id))
            for s in grouping.stories
        ]
        _add(self.timings, {stage.name: time.perf_counter() - t0})
        faults.reached(f"after:{stage.name}")
        self.progress(stage.name, len(stories), len(stories))
        return stories, grouping

    # step 5
    def story_stages(self, stories: list[StoryArticles]) -> list[StoryArticles]:
        stages = self.pipeline.story_stages
        if not stages or not stories:
            return stories
        chunks = _story_chunks(stories, self.executor.workers)
        # a chunk's key hashes every text in it: computed only when there are checkpoints
        keys = [] if self.checkpoints is None else [_story_key(self.digest, c) for c in chunks]
        results: list[list[Story] | None] = [None] * len(chunks)
        todo: list[int] = []
        for i in range(len(chunks)):
            kept = None if self.checkpoints is None else self.checkpoints.get("stories", keys[i])
            if kept is not None:
                results[i] = [from_jsonable(Story, s) for s in kept]
            else:
                todo.append(i)
        total = len(stories)
        done = sum(len(chunks[i]) for i in range(len(chunks)) if results[i] is not None)
        step = "+".join(s.name for s in stages)
        self.progress(step, done, total)

        def finished(n: int, out: tuple[list[Story], dict[str, float]]) -> None:
            nonlocal done
            i = todo[n]
            if self.checkpoints is not None:
                self.checkpoints.put("stories", keys[i], [to_jsonable(s) for s in out[0]])
            faults.reached("after:story-chunk")
            done += len(chunks[i])
            self.progress(step, done, total)

        outs = self.executor.map(
            _story_task,
            [chunks[i] for i in todo],
            shared=stages,
            labels=[f"stories {chunks[i][0].story.id} (+{len(chunks[i]) - 1})" for i in todo],
            on_result=finished,
        )
        for i, (out, timings) in zip(todo, outs, strict=True):
            results[i] = out
            _add(self.timings, timings)
        finished_docs: list[StoryArticles] = []
        for chunk, out in zip(chunks, results, strict=True):
            assert out is not None
            finished_docs.extend(
                StoryArticles(story, bundle.articles)
                for bundle, story in zip(chunk, out, strict=True)
            )
        return finished_docs


def execute(
    pipeline: Pipeline,
    executor: Executor,
    *,
    config: Config,
    shards: Sequence[Shard | Skip] = (),
    articles: Sequence[Article] | None = None,
    states: dict[str, Any] | None = None,
    keeper: Keeper | None = None,
    checkpoints: Checkpoints | None = None,
    progress: ProgressFn = no_progress,
) -> RunResult:
    """Run ``pipeline`` on ``executor`` over the input ``shards`` (or over ``articles``
    already read) and return what it produced.

    ``states`` maps a stateful stage's name to its state; a stage missing from it gets a
    fresh state, added to ``states``, and every state is updated in place, for the caller to
    save.
    """
    t0 = time.perf_counter()
    run = _Run(
        pipeline,
        executor,
        config=config,
        states=states,
        keeper=keeper or Keeper(),
        checkpoints=checkpoints,
        progress=progress,
    )
    if articles is None:
        read = run.read(shards)
        prepared = bool(pipeline.article_stages)
    else:
        ids = UniqueIds()
        read = [ids.unique(a) for a in articles]
        prepared = False
    kept, revised = run.article_stages(read, prepared)
    stories: list[StoryArticles] = []
    grouping = Grouping(())
    if pipeline.group_stage is not None and pipeline.story_stages and len(kept) > _STORY_CHUNK_MIN:
        # more than one chunk of stories is coming: the workers load their models while the
        # corpus stages run here
        executor.warm(_warm, pipeline.story_stages)
    if pipeline.group_stage is not None:
        stories, grouping = run.group(kept, revised)
        stories = run.story_stages(stories)
    run.timings["total"] = time.perf_counter() - t0
    return RunResult(
        articles=kept,
        stories=stories,
        skipped=run.skipped,
        timings=run.timings,
        revised=revised,
        removed=tuple(grouping.removed),
        rethreaded=dict(grouping.rethreaded),
        counts=dict(grouping.counts),
        reused=0 if checkpoints is None else checkpoints.hits,
        notices=run.notices,
    )
