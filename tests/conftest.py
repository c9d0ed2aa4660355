"""Shared fixtures: paths to the repo, the demo corpus and ../shared (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
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
