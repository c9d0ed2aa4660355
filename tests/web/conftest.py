"""A small store with a hostile article and two stories, shared by the web tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.model import Article, Removed
from presslens.store import Store

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def _articles() -> list[Article]:
    return [
        Article(
            "wire-1",
            "Floodwater reached the old bridge on Thursday.\n\nThe mayor said the town would "
            "recover. \u201cWe will rebuild,\u201d she said.",
            source="Meridian Wire",
            url="https://wire.example/flood",
            title="Flood reaches bridge",
            published="2024-03-07",
            removed=(Removed("Share this:", "share buttons"),),
            cleaned=True,
            syndication_group="g1",
            is_original=True,
        ),
        Article(
            "copy-1",
            "Floodwater reached the old bridge on Thursday.\n\nThe mayor said the town would "
            "recover.",
            source="Vale Watch",
            url="https://vale.example/a",
            title="Bridge under water",
            published="2024-03-08",
            cleaned=True,
            syndication_group="g1",
            is_original=False,
        ),
        Article(
            "hostile-1",
            f"A strange report {HOSTILE} about the flood.",
            source=f"Evil {HOSTILE}",
            url="javascript:alert(1)",
            title=f"Title {HOSTILE}",
            published="2024-03-09",
            cleaned=True,
        ),
        Article(
            "strike-1",
            "Dock workers walked out at dawn over pay.",
            source="Harbour Herald",
            title="Dockers strike",
            published="2024-04-02",
            cleaned=True,
        ),
    ]


STORIES = [
    {
        "id": "s-flood",
        "title": f"Flood {HOSTILE}",
        "article_ids": ["wire-1", "copy-1", "hostile-1"],
        "sources": ["Evil " + HOSTILE, "Meridian Wire", "Vale Watch"],
        "independent_sources": 2,
        "first_published": "2024-03-07",
        "last_published": "2024-03-09",
        "syndication": [
            {
                "id": "g1",
                "original": "wire-1",
                "copies": ["copy-1"],
                "similarity": {"copy-1": 0.93},
                "shared": {"copy-1": 0.97},
            }
        ],
        "brief": [
            {
                "text": "Floodwater reached the old bridge.",
                "cites": ["wire-1", "copy-1"],
                "support": 1,
                "evidence": [
                    {
                        "article_id": aid,
                        "text": "Floodwater reached the old bridge on Thursday.",
                        "start": 0,
                        "end": 46,
                    }
                    for aid in ("wire-1", "copy-1")
                ],
            }
        ],
        "quotes": [
            {
                "article_id": "wire-1",
                "text": "We will rebuild,",
                "start": 90,
                "end": 106,
                "speaker": "the mayor",
                "kind": "direct",
                "cue": "said",
            }
        ],
        "quote_variants": [
            {
                "group": "q1",
                "speaker": "the mayor",
                "kind": "direct",
                "reference": "We will rebuild",
                "classification": "minor wording",
                "renderings": [
                    {"article_id": "wire-1", "text": "We will rebuild", "start": 90, "end": 105},
                    {"article_id": "hostile-1", "text": HOSTILE, "start": 0, "end": 5},
                ],
                "diff": [
                    {
                        "article_id": "hostile-1",
                        "start": 0,
                        "classification": "paraphrase",
                        "ops": [
                            {"op": "equal", "reference": "We", "rendering": "We"},
                            {"op": "replace", "reference": "will", "rendering": HOSTILE},
                            {"op": "delete", "reference": "rebuild", "rendering": ""},
                        ],
                    }
                ],
                "speakers": ["the mayor", "Evil"],
                "speaker_conflict": True,
            }
        ],
        "discrepancies": [
            {
                "kind": "number",
                "subject": "bridge age",
                "quantity": "age",
                "values": [
                    {
                        "value": "100 years",
                        "normalised": "100",
                        "article_ids": ["wire-1"],
                        "evidence": [{"article_id": "wire-1", "text": "It is 100 years old."}],
                    },
                    {
                        "value": HOSTILE,
                        "normalised": "90",
                        "article_ids": ["hostile-1"],
                        "evidence": [{"article_id": "hostile-1", "text": HOSTILE}],
                    },
                ],
            }
        ],
        "entities": [
            {
                "id": "e1",
                "name": "Thursday",
                "type": "date",
                "aliases": [],
                "roles": [],
                "mentions": {"wire-1": 1},
                "spans": [{"article_id": "wire-1", "start": 37, "end": 45, "text": "Thursday"}],
            }
        ],
        "alignment": [
            {
                "id": "g0",
                "support": 2,
                "sentences": [
                    {"id": "wire-1#s0", "article_id": "wire-1", "start": 0, "end": 46},
                    {"id": "copy-1#s0", "article_id": "copy-1", "start": 0, "end": 46},
                ],
            }
        ],
        "unique": [
            {
                "article_id": "hostile-1",
                "source": "Evil",
                "sentences": [
                    {"id": "hostile-1#s0", "article_id": "hostile-1", "start": 0, "end": 20}
                ],
            }
        ],
        "framing": [
            {
                "source": HOSTILE,
                "terms": [{"term": HOSTILE, "z": 2.5, "count": 2}],
                "distancing": [{"marker": "scare quotes", "term": HOSTILE}],
                "loaded": [{"term": "rioters", "neutral": "protesters"}],
                "verbs": {"claimed": 1},
                "voices": {"official": 1, "speakers": [HOSTILE]},
            }
        ],
    },
    {
        "id": "s-strike",
        "title": "Dockers strike",
        "article_ids": ["strike-1"],
        "sources": ["Harbour Herald"],
        "independent_sources": 1,
        "first_published": "2024-04-02",
        "last_published": "2024-04-02",
    },
]


@pytest.fixture
def web_db(tmp_path: Path) -> Path:
    """A store file holding the articles and stories above."""
    db = tmp_path / "web.db"
    with Store(db) as store:
        store.add_articles(_articles())
        store.put_stories(STORIES)
        store.record_run({"inputs": ["test"], "counts": {}})
    return db
