"""Every reader against damaged copies of a good file: cut, bytes flipped, inserted, dropped.

Whatever the damage, reading never raises and never prints: each input gives articles, skips
or notices that name the file, a skip's reason carries no location (that has its own field, so
skips count by reason), ids stay unique, and the clean stage takes whatever articles came out.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import read_all
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presslens.clean import clean_articles
from presslens.config import CleanConfig
from presslens.model import Article, Skip
from presslens.report import reason_kind

BODY = (
    "The harbour board voted on Monday to close the north quay for repairs, its chair said. "
    "Fishing crews will move to the south basin, where twenty more moorings are promised."
)
PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Quay closed</title>"
    "<meta property='article:published_time' content='2024-05-02'></head><body>"
    f"<nav><a href='/'>Home</a></nav><article><h1>Quay closed</h1><p>{BODY}</p>"
    "<p>“We had no choice,” the chair said.</p></article></body></html>"
)


def _warc(gzipped: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("t.warc", {"software": "test"}))
    for n in (1, 2):
        body = PAGE.replace("Quay closed", f"Quay closed {n}").encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://quay.example/{n}",
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
            )
        )
    return out.getvalue()


RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Herald</title><link>https://herald.example/</link>
<item><title>Quay closed</title><link>/quay</link><pubDate>Thu, 02 May 2024 08:00:00 GMT</pubDate>
<description>{BODY}</description></item>
<item><title>Second</title><guid>x-2</guid><description><![CDATA[<p>{BODY}</p>]]></description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Herald</title>
<entry><title>Quay</title><id>urn:x:1</id><updated>2024-05-02T08:00:00Z</updated>
<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>"""

RECORDS = [
    {"id": "q1", "source": "Herald", "title": "Quay", "published": "2024-05-02", "text": BODY},
    {"id": "q2", "url": "https://quay.example/2", "html": PAGE, "extra": {"k": [1, 2]}},
]
JSONL = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS)

GOOD: dict[str, bytes] = {
    ".warc": _warc(False),
    ".warc.gz": _warc(True),
    ".rss": RSS.encode(),
    ".atom": ATOM.encode(),
    ".jsonl": JSONL.encode(),
    ".jsonl.gz": gzip.compress(JSONL.encode(), mtime=0),
    ".json": json.dumps(RECORDS).encode(),
    ".html": PAGE.encode(),
    ".txt": f"Quay closed\nPublished: 2 May 2024\n\n{BODY}\n".encode(),
}
# The same records gzipped as one stream (not one member per record): damage that only
# the one-stream reading path meets.
GOOD["-stream.warc.gz"] = gzip.compress(_warc(False), mtime=0)

Edit = tuple[str, int, int, bytes]
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["cut", "flip", "insert", "drop"]),
        st.integers(min_value=0, max_value=1 << 16),
        st.integers(min_value=1, max_value=64),
        st.binary(min_size=1, max_size=24),
    ),
    min_size=1,
    max_size=4,
)


def _damage(data: bytes, edits: list[Edit]) -> bytes:
    for op, at, size, junk in edits:
        at %= len(data) + 1
        if op == "cut":
            data = data[:at]
        elif op == "flip":
            data = data[:at] + bytes(b ^ 0xA5 for b in data[at : at + size]) + data[at + size :]
        elif op == "insert":
            data = data[:at] + junk + data[at:]
        else:
            data = data[:at] + data[at + size :]
        if not data:
            break
    return data


@pytest.mark.parametrize("suffix", sorted(GOOD))
def test_the_good_files_read_cleanly(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"good{suffix}"
    path.write_bytes(GOOD[suffix])
    articles, skips, notices = read_all([path])
    assert articles and not skips
    # Only the one-stream archive is worth a notice.
    assert len(notices) == (1 if suffix == "-stream.warc.gz" else 0)


@pytest.mark.parametrize("suffix", sorted(GOOD))
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(edits=EDITS)
def test_damaged_files_give_articles_skips_or_notices(
    tmp_path: Path, suffix: str, edits: list[Edit]
) -> None:
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(_damage(GOOD[suffix], edits))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        articles, skips, notices = read_all([path])
        cleaned = list(clean_articles(articles, CleanConfig()))
    assert err.getvalue() == ""
    assert articles or skips
    assert all(s.path == str(path) and s.reason for s in skips)
    assert all(n.path == str(path) and n.message for n in notices)
    # Where inside the file goes to `location`, so that skips count by reason.
    assert not any("offset" in reason_kind(s.reason) for s in skips)
    assert len({a.id for a in articles}) == len(articles)
    assert all(isinstance(c, Article | Skip) for c in cleaned)
