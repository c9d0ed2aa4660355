"""The public API: ``__all__`` names exactly the public names, and each one exists."""

from __future__ import annotations

import presslens


def test_all_matches_public_names() -> None:
    public = {n for n in vars(presslens) if not n.startswith("_") and n != "annotations"}
    modules = {n for n in public if type(getattr(presslens, n)).__name__ == "module"}
    assert set(presslens.__all__) == (public - modules) | {"__version__"}
    for name in presslens.__all__:
        assert hasattr(presslens, name), name


def test_version_is_a_string() -> None:
    assert isinstance(presslens.__version__, str) and presslens.__version__.count(".") == 2
