"""The public API: ``__all__`` names exactly the public names, and each one exists."""

from __future__ import annotations

import subprocess
import sys
import types

import presslens

_NOT_API = {"annotations", "importlib", "TYPE_CHECKING", "Any"}


def test_all_matches_public_names() -> None:
    public = {n for n in dir(presslens) if not n.startswith("_") and n not in _NOT_API}
    modules = {n for n in public if isinstance(getattr(presslens, n), types.ModuleType)}
    assert set(presslens.__all__) == (public - modules) | {"__version__"}
    for name in presslens.__all__:
        assert hasattr(presslens, name), name


def test_version_is_a_string() -> None:
    assert isinstance(presslens.__version__, str) and presslens.__version__.count(".") == 2


def test_import_and_help_load_no_heavy_library() -> None:
    probe = (
        "import sys, presslens.cli; presslens.cli.build_parser();"
        " heavy = {'spacy', 'sklearn', 'scipy', 'trafilatura', 'datasketch', 'dask'};"
        " print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
