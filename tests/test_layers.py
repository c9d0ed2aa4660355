"""Layers only point down: a stage package imports the foundation and earlier stages, never a
later stage, the CLI, the commands or the renderer (checked on the source, import by import)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "presslens"

#: what every stage package may use
FOUNDATION = {
    "codec",
    "config",
    "embed",
    "errors",
    "groups",
    "messages",
    "model",
    "pipeline",
    "text",
}
#: the stage packages, each after the stages whose records it reads
STAGES = ["ingest", "clean", "syndication", "cluster", "quotes", "compare", "brief"]


def _imports(package: str) -> set[str]:
    found: set[str] = set()
    for path in (SRC / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "presslens" and len(parts) > 1:
                    found.add(parts[1])
    return found - {package}


def test_text_layer_stands_alone() -> None:
    assert _imports("text") == set()


def test_stages_import_only_the_foundation_and_earlier_stages() -> None:
    for n, stage in enumerate(STAGES):
        allowed = FOUNDATION | set(STAGES[:n])
        assert _imports(stage) <= allowed, (stage, sorted(_imports(stage) - allowed))


def test_the_renderer_and_the_store_analyse_nothing() -> None:
    analysis = set(STAGES) | {"engine", "api", "cli", "commands"}
    for package in ("report", "store", "web"):
        assert not _imports(package) & analysis, (package, sorted(_imports(package) & analysis))
