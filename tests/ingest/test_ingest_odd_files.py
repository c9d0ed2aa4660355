"""Shapes of odd files from other projects' test suites that a reader must survive.

Every fixture is written here, small and invented; the docstring of each test says which
peer's file it has the shape of and what presslens used to do with it.
"""

from __future__ import annotations

import contextlib
import gzip
import io
from pathlib import Path

from ingest_helpers import read_all

from presslens.ingest.warc import ONE_STREAM, WRONG_LENGTH

PARAGRAPH = (
    "The harbour board voted on Monday to close the north quay for repairs that will take "
    "most of the summer, its chair said after a long meeting in the town hall."
)


def _page(n: int) -> bytes:
    return (
        f"<html><head><title>Quay story {n}</title></head><body><article>"
        f"<h1>Quay story {n}</h1><p>{PARAGRAPH}</p><p>Part {n} of the series.</p>"
        "</article></body></html>"
    ).encode()


def _record(uri: str, body: bytes, *, short_by: int = 0) -> bytes:
    """One WARC response record written by hand, its Content-Length ``short_by`` bytes less
    than its block."""
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    block = http + body
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\n"
        "WARC-Date: 2024-05-02T08:00:00Z\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(block) - short_by}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def _quiet_read(path: Path) -> tuple[list[object], list[object], list[object], str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        articles, skips, notices = read_all([path])
    return list(articles), list(skips), list(notices), err.getvalue()


def test_warc_record_longer_than_its_content_length_is_kept_with_a_notice(
    tmp_path: Path,
) -> None:
    """warcio's ``example-trunc.warc``: a record whose Content-Length (973) is two bytes short
    of its block (975).  warcio printed a raw warning on stderr, without the file's name, and
    the record passed as if nothing were wrong."""
    path = tmp_path / "short-length.warc"
    first, second = "https://quay.example/1", "https://quay.example/2"
    path.write_bytes(_record(first, _page(1), short_by=2) + _record(second, _page(2)))
    articles, skips, notices, stderr = _quiet_read(path)
    assert stderr == ""
    assert [a.url for a in articles] == [first, second]  # type: ignore[attr-defined]
    assert skips == []
    (notice,) = notices
    assert notice.path == str(path) and notice.message == WRONG_LENGTH  # type: ignore[attr-defined]
    assert notice.location == f"WARC record at offset 0 ({first})"  # type: ignore[attr-defined]


def test_warc_gzipped_as_one_stream_is_read_whole(tmp_path: Path) -> None:
    """warcio's ``example-bad-non-chunked.warc.gz``: several records compressed as one gzip
    stream instead of one gzip member per record.  warcio refuses it after the first record,
    and presslens skipped the rest as "unreadable WARC data at offset -2519"."""
    plain = _record("https://quay.example/1", _page(1)) + _record(
        "https://quay.example/2", _page(2)
    )
    plain += _record("https://quay.example/3", _page(3))
    path = tmp_path / "one-stream.warc.gz"
    path.write_bytes(gzip.compress(plain))
    articles, skips, notices, stderr = _quiet_read(path)
    assert stderr == ""
    assert [a.url for a in articles] == [  # type: ignore[attr-defined]
        "https://quay.example/1",
        "https://quay.example/2",
        "https://quay.example/3",
    ]
    assert skips == []
    assert [n.message for n in notices] == [ONE_STREAM]  # type: ignore[attr-defined]
    # Read again, the same articles under the same ids.
    again, _, _, _ = _quiet_read(path)
    assert [a.id for a in again] == [a.id for a in articles]  # type: ignore[attr-defined]


def test_warc_library_warning_names_the_file(tmp_path: Path) -> None:
    """warcio's ``standard-torture-validate-field.warc`` shape: a WARC-Target-URI with a space.
    warcio logs "Replacing spaces in invalid WARC-Target-URI" through logging, which reached
    stderr raw in spite of ``--quiet``."""
    path = tmp_path / "spaced.warc"
    path.write_bytes(_record("https://quay.example/a page", _page(1)))
    articles, skips, notices, stderr = _quiet_read(path)
    assert stderr == "" and skips == []
    assert len(articles) == 1
    assert [n.path for n in notices] == [str(path)]  # type: ignore[attr-defined]
    assert "warcio: Replacing spaces" in notices[0].message  # type: ignore[attr-defined]


def test_html_with_stray_nul_bytes_is_read(tmp_path: Path) -> None:
    """A saved news page of trafilatura's evaluation set (lostiempos.com) has a run of NUL
    bytes after an advertisement's <img>; presslens refused the whole page as a binary file."""
    path = tmp_path / "nul.html"
    menu = b"".join(b'<li><a href="/section/%d">Section %d</a></li>' % (i, i) for i in range(400))
    ad = b'<img src="ad.gif" alt="">' + b"\x00" * 11
    page = _page(1).replace(b"<body>", b"<body><nav><ul>" + menu + b"</ul></nav>" + ad)
    assert 11 / len(page) < 0.001  # a few stray bytes in a page of the usual size
    path.write_bytes(page)
    (article,), skips, notices, _ = _quiet_read(path)
    assert skips == [] and notices == []
    assert "\x00" not in article.html and "Quay story 1" in article.html  # type: ignore[attr-defined]


def test_text_of_a_binary_file_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "packed.txt"
    path.write_bytes(gzip.compress(PARAGRAPH.encode() * 40, mtime=0))
    articles, skips, _, _ = _quiet_read(path)
    assert articles == [] and [s.reason for s in skips] == ["binary file"]  # type: ignore[attr-defined]
