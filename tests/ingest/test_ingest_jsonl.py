"""JSON Lines and JSON records: fields, extra keys, and a Skip per bad line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from ingest_helpers import one_skip, run


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_records_fields_and_extra(tmp_path: Path) -> None:
    f = _jsonl(
        tmp_path / "feed.jsonl",
        [
            json.dumps(
                {
                    "id": "r1",
                    "source": "Reuters",
                    "url": "https://www.reuters.com/x",
                    "title": "T",
                    "published": "2024-03-05",
                    "text": "Body one.",
                    "lang": "en",
                    "tags": ["a", "b"],
                }
            ),
            json.dumps({"text": "Body two.", "url": "https://www.bbc.co.uk/news/1"}),
            json.dumps({"id": 7, "html": "<p>x</p>", "published": "Tue, 05 Mar 2024 10:00:00 GMT"}),
        ],
    )
    (a, b, c), skips = run([f])
    assert skips == []
    assert (a.id, a.source, a.source_from, a.url, a.title, a.published, a.text) == (
        "r1",
        "Reuters",
        "record",
        "https://www.reuters.com/x",
        "T",
        "2024-03-05",
        "Body one.",
    )
    assert dict(a.extra) == {"lang": "en", "tags": ["a", "b"]}
    assert a.origin == f"{f}:1"
    assert (b.id, b.source, b.source_from, b.origin) == ("feed-2", "bbc.co.uk", "url", f"{f}:2")
    assert (c.id, c.html, c.text, c.published) == ("7", "<p>x</p>", "", "2024-03-05T10:00:00+00:00")


def test_bad_lines_are_skips_with_line_numbers_and_the_file_goes_on(tmp_path: Path) -> None:
    f = _jsonl(
        tmp_path / "mixed.jsonl",
        [
            json.dumps({"id": "ok1", "text": "fine"}),
            '{"id": "broken", "text": "no end',
            "",
            json.dumps({"id": "notext", "title": "only a title"}),
            json.dumps({"id": "badtype", "text": "t", "title": 3}),
            json.dumps(["a", "list"]),
            json.dumps({"id": "empty", "text": "   "}),
            json.dumps({"id": ["x"], "text": "t"}),
            json.dumps({"id": "ok2", "text": "also fine"}),
        ],
    )
    articles, skips = run([f])
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert [(s.path, s.line) for s in skips] == [(str(f), n) for n in (2, 4, 5, 6, 7, 8)]
    reasons = [s.reason for s in skips]
    assert reasons[0].startswith("not valid JSON: Unterminated string")
    assert reasons[1:] == [
        "record has no 'text' or 'html' field",
        "field 'title' must be a string, got a number",
        "record is a list, not a JSON object",
        "record's 'text' is empty",
        "field 'id' must be a string, got a list",
    ]
    assert str(skips[1]) == f"{f}:4: record has no 'text' or 'html' field"


def test_line_over_the_cap(tmp_path: Path) -> None:
    big = json.dumps({"text": "x" * 500})
    f = _jsonl(tmp_path / "big.jsonl", [big, json.dumps({"id": "small", "text": "ok"})])
    articles, skips = run([f], max_bytes=200)
    assert [a.id for a in articles] == ["small"]
    size = len(big) + 1  # with its newline
    assert [(s.line, s.reason) for s in skips] == [
        (1, f"line over the size cap of 200 bytes (ingest.max_bytes): {size} bytes")
    ]


def test_unparseable_date_is_kept_as_metadata(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "d.jsonl", [json.dumps({"text": "t", "published": "sometime soon"})])
    (article,), _ = run([f])
    assert article.published is None
    assert dict(article.extra) == {"published_raw": "sometime soon"}


def test_blank_only_and_invalid_utf8(tmp_path: Path) -> None:
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n \n\n", "utf-8")
    assert one_skip([blank]).reason == "no records (only blank lines)"
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"text": "caf\xe9"}\n'.encode("latin-1"))
    skip = one_skip([latin])
    at = len('{"text": "caf')
    assert (skip.line, skip.location, skip.reason) == (
        1,
        f"byte {at}",
        "not valid UTF-8 (JSON Lines are UTF-8)",
    )


def test_gzipped_jsonl_and_truncated_gzip(tmp_path: Path) -> None:
    records = [{"id": f"g{i}", "text": f"body {i} " * 50} for i in range(40)]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    packed = gzip.compress(lines.encode("utf-8"))
    whole = tmp_path / "whole.jsonl.gz"
    whole.write_bytes(packed)
    articles, skips = run([whole])
    assert skips == []
    assert [a.id for a in articles] == [f"g{i}" for i in range(40)]
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    articles, skips = run([cut])
    assert 0 < len(articles) < 40
    assert [a.id for a in articles] == [f"g{i}" for i in range(len(articles))]
    assert len(skips) == 1
    assert skips[0].reason.startswith("cannot read compressed data")
    assert skips[0].location == f"after line {len(articles)}"


def test_json_one_record_and_list(tmp_path: Path) -> None:
    single = tmp_path / "single.json"
    single.write_text(json.dumps({"title": "One", "text": "Only record."}), "utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "first"}, {"nope": 1}, {"id": "x", "text": "third"}]))
    articles, skips = run([single, many])
    assert [(a.id, a.origin) for a in articles] == [
        ("single", str(single)),
        ("many-1", f"{many}#1"),
        ("x", f"{many}#3"),
    ]
    assert [(s.path, s.location, s.reason) for s in skips] == [
        (str(many), "record 2", "record has no 'text' or 'html' field")
    ]


def test_bad_json_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "text": "x",\n  oops\n}', "utf-8")
    skip = one_skip([broken])
    assert skip.line == 3
    assert skip.reason.startswith("not valid JSON: Expecting property name")
    scalar = tmp_path / "scalar.json"
    scalar.write_text('"just a string"', "utf-8")
    assert one_skip([scalar]).reason == "top level is a string, not an object or a list of objects"
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, "utf-8")
    assert one_skip([deep]).reason.startswith("not valid JSON")
