"""Report: schema validity, generic story serialisation, and inert hostile text in every format."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from presslens.errors import SchemaError
from presslens.model import Article, BriefSentence, Evidence, Removed, Skip, Story
from presslens.report import Report, RunInfo, reason_kind, validate_report
from presslens.report.html import safe_url
from presslens.report.markdown import md_escape
from presslens.report.serialize import to_jsonable
from presslens.report.site import brief_evidence

HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'


def _report(stories: tuple[Story, ...] | None = None) -> Report:
    arts = (
        Article(
            "a1",
            "First paragraph.\n\nSecond " + HOSTILE,
            source=HOSTILE,
            url="javascript:alert(1)",
            title=HOSTILE,
            published="2024-03-01",
            removed=(Removed("Leave a Reply", "comment form"), Removed(HOSTILE, "test")),
            cleaned=True,
        ),
        Article("a2", "Plain text.", source="wire", url="https://wire.example/x", title="T"),
    )
    run = RunInfo(
        inputs=("in",),
        articles_in=3,
        skipped=(Skip("bad.bin", "binary file"), Skip("x.jsonl", "invalid JSON: oops", 4)),
        timings={"ingest": 0.01},
        stages=("ingest",),
    )
    return Report(articles=arts, run=run, stories=stories)


def test_document_validates_and_counts() -> None:
    doc = _report().to_dict()
    validate_report(doc)
    assert doc["schema"] == "presslens.report/1"
    assert "stories" not in doc  # no clustering stage ran: the section is absent
    assert doc["run"]["counts"] == {
        "articles_in": 3,
        "kept": 2,
        "skipped": 2,
        "skipped_by_reason": {"binary file": 1, "invalid JSON": 1},
        "warnings": 0,
    }
    assert doc["articles"][0]["removed"][0] == {"line": "Leave a Reply", "reason": "comment form"}
    assert doc["articles"][1]["word_count"] == 2


def test_schema_rejects_a_broken_document() -> None:
    doc = _report().to_dict()
    del doc["articles"][0]["text"]
    doc["run"]["counts"]["kept"] = -1
    with pytest.raises(SchemaError) as e:
        validate_report(doc)
    assert "articles/0" in str(e.value)
    assert "run/counts/kept" in str(e.value)


def test_stories_serialise_generically() -> None:
    @dataclass(frozen=True)
    class Extra:
        term: str
        z: float

    doc = _report((Story("s1", ("a1", "a2"), title=None),)).to_dict()
    validate_report(doc)
    assert doc["stories"] == [{"id": "s1", "article_ids": ["a1", "a2"]}]
    assert to_jsonable({"k": (Extra("x", 1.5),)}) == {"k": [{"term": "x", "z": 1.5}]}


def test_html_is_inert(tmp_path: Path) -> None:
    written = _report((Story("s1", ("a1", "a2"), title=HOSTILE),)).write(tmp_path)
    pages = sorted(tmp_path.rglob("*.html"))
    assert written["html"] == tmp_path / "index.html"
    assert {p.relative_to(tmp_path).as_posix() for p in pages} == {
        "index.html",
        "stories/1.html",
        "articles/1.html",
        "articles/2.html",
    }
    site = "\n".join(p.read_text() for p in pages)
    assert "<script" not in site
    assert "<img" not in site
    assert 'href="javascript' not in site
    assert "&lt;script&gt;" in site
    assert site.count("Content-Security-Policy") == len(pages)
    assert 'href="https://wire.example/x"' in site  # a real http(s) URL does become a link
    index = written["html"].read_text()
    assert "Leave a Reply" in index and "comment form" in index  # removed lines, with reasons
    assert 'href="stories/1.html"' in index and 'href="articles/2.html"' in index


def test_markdown_and_json_are_inert(tmp_path: Path) -> None:
    written = _report().write(tmp_path, ("json", "md", "jsonl"))
    md = written["md"].read_text()
    assert "<script>" not in md and "<img" not in md
    doc = json.loads(written["json"].read_text())
    assert doc["articles"][0]["title"] == HOSTILE  # JSON keeps the data exact; consumers escape
    lines = written["jsonl"].read_text().splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["a1", "a2"]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.example/x", True),
        ("http://a.example", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,hi", False),
        ("//a.example", False),
        (None, False),
        ("http://[::1", False),
    ],
)
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) == ok


def test_md_escape_and_reason_kind() -> None:
    assert md_escape("<b>*x*</b> & [y](z)") == r"&lt;b&gt;\*x\*&lt;/b&gt; &amp; \[y\]\(z\)"
    assert (
        reason_kind("file is 30 bytes, over the cap (ingest.max_bytes)")
        == "file is 30 bytes, over the cap"
    )
    assert reason_kind("invalid JSON: Expecting value") == "invalid JSON"


def test_brief_sentences_say_where_they_were_taken_from() -> None:
    head = BriefSentence(
        "T.",
        ("a2",),
        1,
        "a2",
        0,
        1,
        repair="period",
        located_in="title",
        evidence=(Evidence("a2", "T", 0, 1, "title"),),
    )
    lead = BriefSentence(
        "Plain text.",
        ("a2",),
        1,
        "a2",
        0,
        11,
        located_in="text",
        evidence=(Evidence("a2", "Plain text.", 0, 11),),
    )
    doc = _report((Story("s1", ("a1", "a2"), brief=(head, lead)),)).to_dict()
    validate_report(doc)
    assert [b["located_in"] for b in doc["stories"][0]["brief"]] == ["title", "text"]
    # the page shows each citation's evidence as the brief stage found it, nothing recomputed
    assert brief_evidence(doc["stories"][0]) == [{"a2": "T"}, {"a2": "Plain text."}]
    assert brief_evidence({"brief": [{"text": "Old.", "cites": ["a2"]}]}) == [{}]
    doc["stories"][0]["brief"][0]["located_in"] = "headline"
    with pytest.raises(SchemaError) as e:
        validate_report(doc)
    assert "stories/0/brief/0/located_in" in str(e.value)


def test_skip_locations_and_warnings_in_the_run() -> None:
    from presslens.model import Notice

    skips = (
        Skip("a.warc", "revisit record, no page of its own", location="WARC record at offset 0"),
        Skip("a.warc", "revisit record, no page of its own", location="WARC record at offset 9"),
        Skip("b.jsonl", "not valid JSON: Expecting value (column 1)", line=3),
    )
    notice = Notice("a.warc", "read whole", location="WARC record at offset 9")
    run = RunInfo(inputs=("a.warc",), articles_in=3, skipped=skips, warnings=(notice,))
    doc = run.to_dict(kept=0, stories=None)
    assert doc["counts"]["skipped_by_reason"] == {
        "not valid JSON": 1,
        "revisit record, no page of its own": 2,
    }
    assert doc["counts"]["warnings"] == 1
    assert doc["skipped"][0] == {
        "path": "a.warc",
        "line": None,
        "location": "WARC record at offset 0",
        "reason": "revisit record, no page of its own",
    }
    assert "location" not in doc["skipped"][2]
    assert doc["warnings"] == [
        {
            "path": "a.warc",
            "line": None,
            "location": "WARC record at offset 9",
            "message": "read whole",
        }
    ]
    assert str(skips[0]) == "a.warc: WARC record at offset 0: revisit record, no page of its own"
    assert str(skips[2]).startswith("b.jsonl:3: not valid JSON")
    assert str(notice) == "a.warc: WARC record at offset 9: read whole"
