"""WARC files: HTML responses become articles; other records and truncation are Skips."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ingest_helpers import one_skip, run
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def _page(n: int) -> bytes:
    return (
        f"<html><head><title>Story {n}</title></head><body><p>Paragraph {n}. "
        + "Filler sentence. " * 60
        + "</p></body></html>"
    ).encode()


def _response(
    writer: WARCWriter, uri: str, body: bytes, content_type: str, status: str = "200 OK"
) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"},
    )
    writer.write_record(record)


def _warc(path: Path, *, gzip: bool) -> Path:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        host = [("Host", "news.example")]
        request = StatusAndHeaders("GET /a HTTP/1.1", host, is_http_request=True)
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/a",
                "request",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=request,
            )
        )
        _response(writer, "https://www.news.example/a", _page(1), "text/html; charset=utf-8")
        _response(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x00\x00", "image/png")
        gone = b"<html>gone</html>"
        _response(writer, "https://news.example/gone", gone, "text/html", "404 Not Found")
        revisit = writer.create_revisit_record(
            "https://news.example/a",
            digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            refers_to_uri="https://news.example/a",
            refers_to_date="2024-03-05T10:00:00Z",
        )
        writer.write_record(revisit)
        _response(writer, "https://news.example/b", _page(2), "application/xhtml+xml")
    return path


@pytest.mark.parametrize("gzip", [False, True])
def test_html_responses_become_articles(tmp_path: Path, gzip: bool) -> None:
    path = _warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), gzip=gzip)
    articles, skips = run([path])
    assert [a.url for a in articles] == ["https://www.news.example/a", "https://news.example/b"]
    first = articles[0]
    assert first.html == _page(1).decode()
    assert first.text == ""
    assert first.title == "Story 1"
    assert first.published == "2024-03-05T10:00:00+00:00"
    assert (first.source, first.source_from) == ("news.example", "url")
    assert first.origin.startswith(f"{path}@")
    assert first.id.startswith("news.example-")
    assert len({a.id for a in articles}) == 2
    again, _ = run([path])
    assert [a.id for a in again] == [a.id for a in articles]
    reasons = [s.reason for s in skips]
    assert reasons == [
        "image/png response, not HTML",
        "HTTP status 404, not a page",
        "revisit record, no page of its own",
    ]
    where = [s.location or "" for s in skips]
    assert where[0].endswith("(https://news.example/logo.png)")
    assert where[1].endswith("(https://news.example/gone)")
    assert where[2].endswith("(https://news.example/a)")
    assert all(
        s.path == str(path) and w.startswith("WARC record at offset")
        for s, w in zip(skips, where, strict=True)
    )


@pytest.mark.parametrize("gzip", [False, True])
def test_truncated_warc_yields_the_records_before_the_cut(tmp_path: Path, gzip: bool) -> None:
    whole = _warc(tmp_path / "whole.warc", gzip=gzip)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(data[: len(data) - 300])
    articles, skips = run([cut])
    assert [a.url for a in articles] == ["https://www.news.example/a"]
    assert len(skips) == 4  # the png, the 404, the revisit, then the cut-off page
    assert "truncated" in skips[-1].reason


def test_warc_cut_inside_the_first_record(tmp_path: Path) -> None:
    data = _warc(tmp_path / "whole.warc.gz", gzip=True).read_bytes()
    cut = tmp_path / "stub.warc.gz"
    cut.write_bytes(data[:40])
    skip = one_skip([cut])
    assert "truncated" in skip.reason or "not a readable WARC file" in skip.reason


def test_not_a_warc(tmp_path: Path) -> None:
    f = tmp_path / "fake.warc"
    f.write_text("this is plain text, not an archive\n", "utf-8")
    assert one_skip([f]).reason.startswith("not a readable WARC file")


def test_page_over_the_cap(tmp_path: Path) -> None:
    path = _warc(tmp_path / "crawl.warc", gzip=False)
    articles, skips = run([path], max_bytes=200)
    assert articles == []
    over = [s.reason for s in skips if "over the cap" in s.reason]
    assert len(over) == 2
    assert over[0] == "page over the cap of 200 bytes (ingest.max_bytes)"


def _record_ends(path: Path) -> list[int]:
    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        starts = [records.offset for _ in records]
    return [*starts[1:], path.stat().st_size]


@pytest.mark.parametrize("gzip", [False, True])
def test_no_cut_point_raises_or_passes_a_partial_page(tmp_path: Path, gzip: bool) -> None:
    whole = _warc(tmp_path / "whole.warc", gzip=gzip)
    data = whole.read_bytes()
    ends = _record_ends(whole)
    full = {_page(1).decode(), _page(2).decode()}
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    for end in range(1, len(data), 23):
        cut.write_bytes(data[:end])
        articles, skips = run([cut])
        assert all(a.html in full for a in articles), end
        # A cut in the last few bytes of a record takes only its separator or gzip trailer.
        if not any(0 <= e - end <= 16 for e in ends):
            assert skips, end
            assert len(articles) < 2, end


def test_warc_without_responses(tmp_path: Path) -> None:
    path = tmp_path / "info-only.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
    assert one_skip([path]).reason == (
        "no responses in this WARC (only warcinfo, request or metadata records)"
    )
