"""Arbitrary bytes under every extension: read_inputs never raises and always reports."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import read_all

SUFFIXES = [".txt", ".html", ".json", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".rss", ""]

# Raw bytes, plus text made of the characters that the readers' formats care about.
CONTENT = st.one_of(
    st.binary(max_size=600),
    st.text(alphabet=st.sampled_from('<>/!?[]{}":,\n\r\t &;#xa-zWARC0.é“”\x00'), max_size=400).map(
        lambda s: s.encode("utf-8")
    ),
)


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=CONTENT, compress=st.booleans())
def test_any_bytes_give_articles_or_skips(
    tmp_path: Path, suffix: str, data: bytes, compress: bool
) -> None:
    f = tmp_path / f"input{suffix}"
    f.write_bytes(gzip.compress(data) if compress and suffix.endswith(".gz") else data)
    articles, skips, notices = read_all([f], max_bytes=500)
    assert articles or skips
    assert all(s.path == str(f) and s.reason for s in skips)
    assert all(n.path == str(f) and n.message for n in notices)
    assert len({a.id for a in articles}) == len(articles)
