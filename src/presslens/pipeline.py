"""Stages, their registry, and the Pipeline that strings them together.

A stage is a small class with one generator method, ``run(items) -> items``.  Three families
narrow what a subclass writes:

* :class:`ArticleStage` — articles in, articles (or :class:`Skip`) out: cleaning, syndication;
* :class:`GroupStage` — articles in, stories out: story clustering;
* :class:`StoryStage` — stories with their articles in and out: quotes, comparison, briefs.

Stages register themselves with :func:`register`; :meth:`Pipeline.default` builds every
registered stage, so a stage that is not built is simply absent.  Executors (``executors/``)
decide where the stages run; stages never know.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from presslens.config import Config
from presslens.model import Article, Skip, StoryDocs

In = TypeVar("In")
Out = TypeVar("Out")


class Stage(ABC, Generic[In, Out]):
    """One step of the pipeline."""

    #: short name used in progress lines, timings and the registry
    name: ClassVar[str]
    #: position in the pipeline; families are ordered article < group < story
    order: ClassVar[int]

    @abstractmethod
    def run(self, items: Iterable[In]) -> Iterator[Out]:
        """Consume ``items`` and yield the stage's output."""

    @classmethod
    def from_config(cls, config: Config) -> Stage[In, Out]:
        """Build the stage from the run's configuration (override to read a section)."""
        return cls()


class ArticleStage(Stage[Article, Article | Skip]):
    """Articles in, articles out; a dropped article becomes a :class:`Skip` with its reason."""


class GroupStage(Stage[Article, StoryDocs]):
    """Articles in, stories (with their articles) out."""


class StoryStage(Stage[StoryDocs, StoryDocs]):
    """Stories in, enriched stories out."""


_REGISTRY: dict[str, type[Stage[Any, Any]]] = {}

#: modules that define stages; importing them registers the stages.  A module that does not
#: exist yet (a stage family still to be built) is skipped.
STAGE_MODULES: tuple[str, ...] = (
    "presslens.clean.stage",
    "presslens.dedup.stage",
    "presslens.cluster.stage",
    "presslens.nlp.stage",
    "presslens.compare.stage",
    "presslens.summarize.stage",
)

S = TypeVar("S", bound=type[Stage[Any, Any]])


def register(cls: S) -> S:
    """Class decorator: add a stage to the registry under its ``name``."""
    _REGISTRY[cls.name] = cls
    return cls


def registered() -> dict[str, type[Stage[Any, Any]]]:
    """Every registered stage by name, after importing the stage modules that exist."""
    for mod in STAGE_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name is None or not mod.startswith(e.name):
                raise
    return dict(_REGISTRY)


@dataclass(frozen=True)
class Pipeline:
    """An ordered list of stages, split by family."""

    article_stages: tuple[ArticleStage, ...]
    group_stage: GroupStage | None
    story_stages: tuple[StoryStage, ...]

    @classmethod
    def default(cls, config: Config, *, skip: Iterable[str] = ()) -> Pipeline:
        """Every registered stage except those named in ``skip``, in ``order``."""
        skipped = set(skip)
        stages = sorted(
            (c for n, c in registered().items() if n not in skipped), key=lambda c: c.order
        )
        built = [c.from_config(config) for c in stages]
        groups = [s for s in built if isinstance(s, GroupStage)]
        return cls(
            article_stages=tuple(s for s in built if isinstance(s, ArticleStage)),
            group_stage=groups[0] if groups else None,
            story_stages=tuple(s for s in built if isinstance(s, StoryStage)),
        )

    @property
    def names(self) -> list[str]:
        """Names of the stages in the order they run."""
        out = [s.name for s in self.article_stages]
        if self.group_stage is not None:
            out.append(self.group_stage.name)
        out.extend(s.name for s in self.story_stages)
        return out
