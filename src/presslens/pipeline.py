"""Stages, their contracts, and the Pipeline that orders them by what they read and write.

A stage is a small class that declares a :class:`Contract`: its **scope** (one article at a
time, one story at a time, or the whole corpus, with the key the corpus can be partitioned
by), the record fields it **reads** and **writes**, fields it **uses** when an earlier stage
wrote them, and the **state** it keeps between runs.  :class:`Pipeline` orders stages from
those declarations (a stage runs after every stage that writes what it reads) and refuses a
pipeline whose declarations do not fit together, naming the stage and the field.

Three families narrow what a stage does:

* :class:`ArticleStage` — articles in, articles (or :class:`Skip`) out.  Per-article work is
  done in :meth:`~ArticleStage.prepare` and :meth:`~ArticleStage.finish`, which an executor
  may run anywhere; what needs the corpus (an outlet's boilerplate, syndicated copies) is
  learned in :meth:`~ArticleStage.fit` from what :meth:`~ArticleStage.observe` reported.
* :class:`GroupStage` — articles in, stories out (story clustering; or the stories an input
  names, for the single-stage commands).
* :class:`StoryStage` — stories with their articles in and out, one story at a time.

Stages never know where they run: executors (:mod:`presslens.executors`) and the engine
(:mod:`presslens.engine`) decide.  A stage that wants to spread its own corpus-wide work is
handed a :data:`Mapper`, never an executor.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Self, TypeVar

from presslens.config import Config
from presslens.errors import PipelineError
from presslens.model import Article, Skip, Story, StoryArticles, Thread

T = TypeVar("T")
R = TypeVar("R")

#: ``mapper(fn, items)``: ``[fn(x) for x in items]``, computed on the executor's workers
#: (a Dask cluster); results come back in order.  A corpus stage is handed one when its
#: corpus-wide work is worth spreading, and ``None`` when it should do that work in place.
Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]


class Scope(StrEnum):
    """How much of the corpus a stage needs at once."""

    ARTICLE = "article"
    STORY = "story"
    CORPUS = "corpus"


#: what an input record carries before any stage ran
INPUT_FIELDS = frozenset(
    {
        "article.id",
        "article.text",
        "article.html",
        "article.source",
        "article.url",
        "article.title",
        "article.published",
        "article.author",
        "article.extra",
        "article.revisions",
    }
)


@dataclass(frozen=True)
class Contract:
    """What a stage needs, what it gives, and what it keeps.

    ``reads`` must be written by an earlier stage or carried by the input (:data:`INPUT_FIELDS`);
    ``uses`` is read when present (the comparison uses quotes for its voices when the quotes
    stage ran).  ``state`` names what a corpus stage keeps between runs (saved in the store
    by ``ingest``); ``partition`` names the key a corpus stage can be split by.
    """

    scope: Scope
    reads: frozenset[str] = frozenset()
    writes: frozenset[str] = frozenset()
    uses: frozenset[str] = frozenset()
    state: str | None = None
    partition: str | None = None

    def __post_init__(self) -> None:
        if self.scope is Scope.CORPUS and not self.partition:
            raise PipelineError("a corpus-wide stage must name the key it is partitioned by")
        if self.scope is not Scope.CORPUS and (self.partition or self.state):
            raise PipelineError("only a corpus-wide stage keeps state or is partitioned")


def contract(
    scope: Scope,
    *,
    reads: Iterable[str] = (),
    writes: Iterable[str] = (),
    uses: Iterable[str] = (),
    state: str | None = None,
    partition: str | None = None,
) -> Contract:
    """A :class:`Contract` from plain iterables of field names."""
    return Contract(scope, frozenset(reads), frozenset(writes), frozenset(uses), state, partition)


class Stage(ABC):
    """One step of the pipeline: a name and a contract; the families say how it runs."""

    #: short name used in progress lines, timings and the registry
    name: ClassVar[str]
    #: what the stage reads, writes and keeps
    contract: ClassVar[Contract]
    #: whether :meth:`Pipeline.default` includes the stage (a command may still select it)
    default: ClassVar[bool] = True

    @classmethod
    def from_config(cls, config: Config) -> Self:
        """Build the stage from the run's configuration (override to read a section)."""
        return cls()

    def warm(self) -> None:  # noqa: B027 - most stages load nothing ahead
        """Load what the stage's work needs (a model) ahead of its first item.

        A worker process calls it while the driver is still busy with the corpus stages, so
        the load does not hold up the stage's first items; the work itself must not rely on
        it having been called.
        """

    # --- state (corpus stages with ``contract.state`` only) --------------------------------

    def check_incremental(self) -> None:  # noqa: B027 - most stages have nothing to check
        """Raise :class:`~presslens.errors.ConfigError` when the stage, as configured, cannot
        keep its state between runs (called before an incremental run stores anything)."""

    def new_state(self) -> Any:
        """The state of a corpus that holds nothing yet."""
        return None

    def load_state(self, parts: Mapping[str, bytes]) -> Any:
        """The state saved by :meth:`dump_state` (``parts`` as the store kept them)."""
        raise PipelineError(f"stage {self.name!r} keeps no state")

    def dump_state(self, state: Any) -> dict[str, bytes]:
        """``state`` as named byte strings for the store."""
        raise PipelineError(f"stage {self.name!r} keeps no state")


class ArticleStage(Stage):
    """Articles in, articles or :class:`Skip` out.

    ``prepare`` and ``finish`` see a batch of articles and may run in any process; ``fit``
    sees what ``observe`` reported for every article of the run (in input order) and the
    stage's state, and returns the model that ``finish`` applies.  A stage without corpus
    statistics overrides ``prepare`` only.
    """

    def prepare(self, articles: Sequence[Article]) -> list[Article | Skip]:
        """Per-article work before the corpus is seen (one result per article)."""
        return list(articles)

    def observe(self, articles: Sequence[Article]) -> list[Any]:
        """What :meth:`fit` needs to know of each article (one value per article)."""
        return [None] * len(articles)

    def fit(
        self,
        articles: Sequence[Article],
        observed: Sequence[Any],
        state: Any,
        mapper: Mapper | None,
    ) -> Any:
        """Learn from the corpus; the model is handed to :meth:`finish`.  ``state`` is updated
        in place when the stage keeps one."""
        return None

    def finish(self, articles: Sequence[Article], model: Any) -> list[Article | Skip]:
        """Per-article work with the fitted model (one result per article)."""
        return list(articles)

    def revised(self, model: Any) -> tuple[str, ...]:
        """Ids of articles of an earlier run that this fit changed (``finish`` them again)."""
        return ()

    def run(self, items: Iterable[Article]) -> Iterator[Article | Skip]:
        """The whole stage over ``items`` in this process (skips first, then articles)."""
        prepared = self.prepare(list(items))
        kept = [a for a in prepared if isinstance(a, Article)]
        yield from (s for s in prepared if isinstance(s, Skip))
        model = self.fit(kept, self.observe(kept), self.new_state(), None)
        yield from self.finish(kept, model)


@dataclass(frozen=True)
class Grouping:
    """What a group stage found: the stories (all, or those an update touched), the ids of
    stories that no longer exist (merged into others), the new thread of stories of an earlier
    run that are not among ``stories`` but whose thread changed, and counts worth reporting."""

    stories: tuple[Story, ...]
    removed: tuple[str, ...] = ()
    rethreaded: Mapping[str, Thread] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)


class GroupStage(Stage):
    """Articles in, stories out."""

    @abstractmethod
    def group(
        self,
        articles: Sequence[Article],
        state: Any,
        mapper: Mapper | None,
        revised: Sequence[Article] = (),
    ) -> Grouping:
        """Place ``articles`` in stories; ``revised`` are articles of an earlier run whose
        fields an earlier stage changed.  ``state`` is updated in place when kept."""

    def run(self, items: Iterable[Article]) -> Iterator[StoryArticles]:
        """Every story with its articles, in this process."""
        articles = list(items)
        by_id = {a.id: a for a in articles}
        grouping = self.group(articles, self.new_state(), None)
        for story in grouping.stories:
            yield StoryArticles(story, tuple(by_id[i] for i in story.article_ids))


class StoryStage(Stage):
    """Stories with their articles in and out, one story at a time."""

    @abstractmethod
    def run(self, items: Iterable[StoryArticles]) -> Iterator[StoryArticles]:
        """Each story of ``items``, in order, with the stage's fields filled."""


_REGISTRY: dict[str, type[Stage]] = {}

#: modules that define stages; importing them registers the stages.  A module that does not
#: exist (a stage family not installed) is skipped.
STAGE_MODULES: tuple[str, ...] = (
    "presslens.clean.stage",
    "presslens.syndication.stage",
    "presslens.cluster.stage",
    "presslens.grouping",
    "presslens.quotes.stage",
    "presslens.compare.stage",
    "presslens.brief.stage",
)

S = TypeVar("S", bound=type[Stage])


def register(cls: S) -> S:
    """Class decorator: add a stage to the registry under its ``name``."""
    _REGISTRY[cls.name] = cls
    return cls


def registered() -> dict[str, type[Stage]]:
    """Every registered stage by name, after importing the stage modules that exist, in the
    order of :data:`STAGE_MODULES` (whatever order they happened to be imported in)."""
    for mod in STAGE_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name is None or not mod.startswith(e.name):
                raise

    def position(cls: type[Stage]) -> tuple[int, str]:
        module = cls.__module__
        return (STAGE_MODULES.index(module) if module in STAGE_MODULES else len(STAGE_MODULES),
                cls.name)  # fmt: skip

    return {cls.name: cls for cls in sorted(_REGISTRY.values(), key=position)}


_FAMILY_RANK = {ArticleStage: 0, GroupStage: 1, StoryStage: 2}


def _rank(stage: Stage) -> int:
    return next(r for fam, r in _FAMILY_RANK.items() if isinstance(stage, fam))


def _order(stages: Sequence[Stage], inputs: frozenset[str]) -> tuple[Stage, ...]:
    """``stages`` in an order that runs every writer before its readers; among stages free to
    run, articles before groups before stories, then the order they were given in.

    Raises :class:`PipelineError` naming the stage and field when a read is never written,
    two stages write one field, a family reads what it cannot, or the stages form a cycle.
    """
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise PipelineError(f"a stage is given twice: {sorted(names)}")
    writer: dict[str, Stage] = {}
    for s in stages:
        for f in s.contract.writes:
            if f in writer:
                raise PipelineError(f"stages {writer[f].name!r} and {s.name!r} both write {f!r}")
            writer[f] = s
    groups = [s for s in stages if isinstance(s, GroupStage)]
    if len(groups) > 1:
        raise PipelineError(f"more than one stage groups stories: {[g.name for g in groups]}")
    after: dict[str, set[str]] = {s.name: set() for s in stages}
    for s in stages:
        c = s.contract
        if isinstance(s, ArticleStage) and any(f.startswith("story") for f in c.reads | c.uses):
            raise PipelineError(f"article stage {s.name!r} cannot read stories")
        for f in c.reads:
            if f not in writer and f not in inputs:
                raise PipelineError(
                    f"stage {s.name!r} reads {f!r}, which no stage writes and the input lacks"
                )
        for f in c.reads | c.uses:
            w = writer.get(f)
            if w is not None and w is not s:
                after[s.name].add(w.name)
    by_name = {s.name: s for s in stages}
    position = {s.name: i for i, s in enumerate(stages)}
    done: list[Stage] = []
    placed: set[str] = set()
    while len(done) < len(stages):
        ready = [by_name[n] for n in after if n not in placed and after[n] <= placed]
        if not ready:
            stuck = sorted(n for n in after if n not in placed)
            raise PipelineError(f"stages depend on each other in a cycle: {stuck}")
        nxt = min(ready, key=lambda s: (_rank(s), position[s.name]))
        done.append(nxt)
        placed.add(nxt.name)
    ranks = [_rank(s) for s in done]
    if ranks != sorted(ranks):
        raise PipelineError(f"stage order breaks families: {[s.name for s in done]}")
    return tuple(done)


@dataclass(frozen=True)
class Pipeline:
    """Stages in the order their contracts require (checked when built)."""

    stages: tuple[Stage, ...]
    inputs: frozenset[str] = INPUT_FIELDS

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", _order(self.stages, self.inputs))

    @classmethod
    def default(cls, config: Config, *, skip: Iterable[str] = ()) -> Pipeline:
        """Every registered default stage except those named in ``skip``."""
        skipped = set(skip)
        return cls(
            tuple(
                c.from_config(config)
                for n, c in registered().items()
                if c.default and n not in skipped
            )
        )

    @classmethod
    def of(cls, config: Config, names: Iterable[str], **replace: Stage) -> Pipeline:
        """The registered stages ``names``; a stage given by keyword replaces the registered
        one of that name (a configured instance)."""
        stages = registered()
        built: list[Stage] = []
        for n in names:
            if n in replace:
                built.append(replace[n])
            elif n in stages:
                built.append(stages[n].from_config(config))
            else:
                raise PipelineError(f"no stage named {n!r} is installed")
        return cls(tuple(built))

    @property
    def article_stages(self) -> tuple[ArticleStage, ...]:
        """The article stages, in order."""
        return tuple(s for s in self.stages if isinstance(s, ArticleStage))

    @property
    def group_stage(self) -> GroupStage | None:
        """The stage that forms stories, if any."""
        return next((s for s in self.stages if isinstance(s, GroupStage)), None)

    @property
    def story_stages(self) -> tuple[StoryStage, ...]:
        """The story stages, in order."""
        return tuple(s for s in self.stages if isinstance(s, StoryStage))

    @property
    def names(self) -> list[str]:
        """Names of the stages in the order they run."""
        return [s.name for s in self.stages]

    def stateful(self) -> list[Stage]:
        """The stages that keep state between runs."""
        return [s for s in self.stages if s.contract.state is not None]

    def check_incremental(self) -> None:
        """Raise :class:`~presslens.errors.ConfigError` when a stateful stage, as configured,
        cannot keep its state between runs (before an incremental run stores anything)."""
        for stage in self.stateful():
            stage.check_incremental()
