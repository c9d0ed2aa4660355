"""Keep a :class:`~presslens.cluster.index.StoryIndex` in the store between runs.

The index is saved in the store (:meth:`presslens.store.Store.save_cluster_state`) as two
parts: ``meta`` (zlib-compressed JSON) and ``arrays`` (a compressed ``.npz``, loaded without
pickle).  :func:`assign_incremental` is what ``presslens ingest`` calls: it places new
articles in the stories already stored, without recomputing the corpus.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from presslens.cluster.index import StoryIndex
from presslens.config import Config
from presslens.errors import ConfigError, StoreError
from presslens.model import Article, Story, Thread
from presslens.report.serialize import to_jsonable
from presslens.store import Store


@dataclass(frozen=True)
class IncrementalUpdate:
    """What an incremental run changed.

    ``stories``: the new or changed stories (write them with ``Store.put_stories``);
    ``removed``: ids of stories merged into others (no longer exist); ``articles``: the new
    articles with their syndication fields; ``assignments``: story id of each new article;
    ``threads``: the thread of every story; ``rethreaded``: ids of stored stories, not among
    ``stories``, whose thread changed (a new story joined it, or one of its stories grew):
    :func:`write_update` rewrites their ``thread`` field.
    """

    stories: list[Story]
    removed: list[str]
    articles: list[Article]
    assignments: dict[str, str]
    threads: dict[str, Thread] = field(default_factory=dict)
    rethreaded: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        """Number of new or changed stories (so the update reads like ``list[Story]``)."""
        return len(self.stories)

    def __iter__(self) -> Iterator[Story]:
        """The new or changed stories."""
        return iter(self.stories)


def check_incremental_config(config: Config) -> None:
    """Raise :class:`ConfigError` when ``config`` asks for what incremental clustering cannot do.

    The saved index keeps no sentence embeddings, so an incremental run would silently cluster
    without them; callers check before they write anything to the store.
    """
    if config.cluster.embed:
        raise ConfigError(
            "--embed is not supported with --db: the stored story index has no embeddings"
        )


def save_index(store: Store, index: StoryIndex) -> None:
    """Write ``index`` into ``store`` (replacing what was saved)."""
    meta, arrays = index.state()
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    blob_meta = zlib.compress(json.dumps(meta, ensure_ascii=False).encode("utf-8"), 6)
    store.save_cluster_state({"meta": blob_meta, "arrays": buf.getvalue()})


def load_index(store: Store, config: Config) -> StoryIndex | None:
    """The index saved in ``store``, or ``None`` when none was saved yet."""
    parts = store.cluster_state() or {}
    if "meta" not in parts or "arrays" not in parts:
        return None
    try:
        meta: dict[str, Any] = json.loads(zlib.decompress(parts["meta"]).decode("utf-8"))
        with np.load(io.BytesIO(parts["arrays"]), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (ValueError, OSError, zlib.error, KeyError) as exc:
        raise StoreError(f"{store.path}: the saved story index is damaged: {exc}") from exc
    return StoryIndex.from_state(meta, arrays, config.cluster, config.dedup)


def assign_incremental(
    store: Store, new_articles: Iterable[Article], config: Config
) -> IncrementalUpdate:
    """Place ``new_articles`` in the stories of ``store`` and save the index.

    The first call on a store that has articles but no index yet builds it from them.  The
    caller writes ``stories`` (and the articles' syndication fields) to the store.  Raises
    :class:`ConfigError` with ``config.cluster.embed`` (see :func:`check_incremental_config`).
    """
    check_incremental_config(config)
    new = list(new_articles)
    index = load_index(store, config)
    if index is None:
        index = StoryIndex(config.cluster, config.dedup)
        new_ids = {a.id for a in new}
        index.add(a for a in store.articles() if a.id not in new_ids)
    before = {s.sid for s in index.stories_by_key.values()}
    threads_before = index.threads()
    touched = index.add(new)
    # An article already in a saved index (a run killed after saving it, before its stories
    # were written) is skipped by ``add``; its story must still be returned to be written.
    touched.update(sid for a in new if (sid := index.story_of(a.id)) is not None)
    after = {s.sid for s in index.stories_by_key.values()}
    save_index(store, index)
    synd = index.syndication.result()
    changed_groups = {synd.group_of[a.id] for a in new if a.id in synd.group_of}
    regrouped = {i for g in synd.groups if g.id in changed_groups for i in (g.original, *g.copies)}
    for aid in regrouped:
        sid = index.story_of(aid)
        if sid is not None:
            touched.add(sid)
    threads = index.threads()
    rethreaded = sorted(
        sid
        for sid, thread in threads.items()
        if sid not in touched and threads_before.get(sid) != thread
    )
    return IncrementalUpdate(
        stories=index.stories(only=touched, threads=threads),
        removed=sorted(before - after),
        articles=[synd.annotate(a) for a in new],
        assignments={a.id: sid for a in new if (sid := index.story_of(a.id)) is not None},
        threads=threads,
        rethreaded=rethreaded,
    )


def write_update(
    store: Store, update: IncrementalUpdate, stories: Iterable[Story] | None = None
) -> None:
    """Write an incremental update to ``store``: the new articles' syndication fields, the
    changed stories (``stories`` when the caller re-analysed them, else ``update.stories``),
    the new thread of stories whose thread changed, and the removal of stories merged into
    others."""
    for a in update.articles:
        store.update_syndication(a.id, a.syndication_group, a.original)
    written = list(update.stories if stories is None else stories)
    store.put_stories(to_jsonable(s) for s in written)
    done = {s.id for s in written}
    rethreaded = []
    for sid in update.rethreaded:
        doc = store.get_story(sid) if sid not in done else None
        if doc is not None:
            doc["thread"] = to_jsonable(update.threads[sid])
            rethreaded.append(doc)
    store.put_stories(rethreaded)
    store.delete_stories(update.removed)
