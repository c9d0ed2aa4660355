"""Finished work kept between runs, so a run that was killed resumes where it stopped.

The engine keeps two kinds of work: an input shard read and prepared (keyed by the shard's
path, size, modification time and the configuration), and a chunk of stories through every
story stage (keyed by the digest of the stories and their articles' content and the
configuration).  A key names its content, so a rerun over the same input finds the same keys
and skips that work, and a changed input or setting simply misses.  Entries are written
atomically; an entry that cannot be read is treated as missing.

:class:`FolderCheckpoints` keeps them as files (``analyze --out DIR`` uses ``DIR/.work``);
:class:`StoreCheckpoints` keeps them in the store (``ingest``).
"""

from __future__ import annotations

import json
import os
import shutil
import zlib
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from presslens.store import Store


class Checkpoints(ABC):
    """Finished work by kind and key; :meth:`done` forgets what this run did not use."""

    def __init__(self) -> None:
        self.used: set[tuple[str, str]] = set()
        self.hits = 0

    @abstractmethod
    def _read(self, kind: str, key: str) -> bytes | None: ...

    @abstractmethod
    def _write(self, kind: str, key: str, blob: bytes) -> None: ...

    @abstractmethod
    def _prune(self, keep: set[tuple[str, str]]) -> None: ...

    def get(self, kind: str, key: str) -> Any | None:
        """The JSON value kept under ``kind``/``key``, or ``None``."""
        blob = self._read(kind, key)
        if blob is None:
            return None
        try:
            value = json.loads(zlib.decompress(blob).decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, json.JSONDecodeError):
            return None
        self.used.add((kind, key))
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        """Keep ``value`` (JSON-able) under ``kind``/``key``."""
        blob = zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 3)
        self._write(kind, key, blob)
        self.used.add((kind, key))

    def done(self) -> None:
        """The run finished: keep only the entries it used (the next run's likely hits)."""
        self._prune(self.used)


class FolderCheckpoints(Checkpoints):
    """Entries as files ``ROOT/KIND/KEY.json.z``."""

    def __init__(self, root: str | Path) -> None:
        super().__init__()
        self.root = Path(root)

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / f"{key}.json.z"

    def _read(self, kind: str, key: str) -> bytes | None:
        try:
            return self._path(kind, key).read_bytes()
        except OSError:
            return None

    def _write(self, kind: str, key: str, blob: bytes) -> None:
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)

    def _prune(self, keep: set[tuple[str, str]]) -> None:
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                if (folder.name, entry.name.removesuffix(".json.z")) not in keep:
                    if entry.is_dir():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)


class StoreCheckpoints(Checkpoints):
    """Entries in the store's ``work`` table; :meth:`done` empties it (the store now holds
    what the work produced)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def _read(self, kind: str, key: str) -> bytes | None:
        return self.store.work_get(kind, key)

    def _write(self, kind: str, key: str, blob: bytes) -> None:
        self.store.work_put(kind, key, blob)

    def _prune(self, keep: set[tuple[str, str]]) -> None:
        self.store.work_clear()
