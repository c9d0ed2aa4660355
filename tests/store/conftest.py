"""Fixtures of the store tests: a fresh store path and the synthetic article generator."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from presslens.store import Store

CHILD = Path(__file__).with_name("ingest_child.py")


def _load_child() -> ModuleType:
    spec = importlib.util.spec_from_file_location("presslens_store_ingest_child", CHILD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def synth() -> ModuleType:
    """``ingest_child``: ``article(i)``, ``articles(n)`` and the ingest script's path."""
    return _load_child()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where a test's store file goes (not created)."""
    return tmp_path / "store" / "presslens.db"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    """A new, empty writable store."""
    with Store(store_path) as s:
        yield s
