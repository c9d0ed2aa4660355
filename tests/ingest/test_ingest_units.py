"""The shared helpers of ingest: decoding, dates, ids, outlet signatures."""

from __future__ import annotations

import pytest

from presslens.errors import InputError
from presslens.ingest.dates import normalise_date
from presslens.ingest.decode import decode_bytes, looks_binary
from presslens.ingest.ids import UniqueIds, file_stem, stable_id
from presslens.ingest.source import domain_of, resolve_source, signature_source
from presslens.model import Article


@pytest.mark.parametrize(
    ("last_lines", "expected"),
    [
        ("From :Arabnews\n\nSource link\nLeave a Reply", "Arabnews"),
        ("Source: Reuters", "Reuters"),
        ("© 2024 Arab News. All rights reserved.", "Arab News"),
        ("Copyright (c) 2019-2024 Dawn Media", "Dawn Media"),
        (
            "Press TV’s website can also be accessed at the following alternate addresses:",
            "Press TV",
        ),
        ("This article was originally published on The Conversation.", "The Conversation"),
        ("Source: https://www.aljazeera.com/news/1", "aljazeera.com"),
        ("Source link", None),
        ("Source: a statement that goes on far too long to be the name of any outlet", None),
        ("He said the website's owner can also be reached by phone at any hour of the day.", None),
    ],
)
def test_signature_source(last_lines: str, expected: str | None) -> None:
    text = "An opening paragraph of the story.\n\n" + last_lines
    assert signature_source(text) == expected


def test_signature_must_be_near_the_end() -> None:
    text = "From :Arabnews\n" + "\n".join(f"Paragraph {i}." for i in range(12))
    assert signature_source(text) is None
    assert signature_source(text + "\nFrom :Arabnews") == "Arabnews"


def test_resolution_order() -> None:
    plain = Article(id="a", text="Body.\nSource: Signed Outlet")
    assert resolve_source(plain).source_from == "signature"
    assert resolve_source(plain, folder="dawn").source == "dawn"
    assert resolve_source(plain, cli_source="Cli", folder="dawn").source_from == "cli"
    with_url = Article(id="a", text="Body.", url="https://www.dawn.com/news/1")
    resolved = resolve_source(with_url, cli_source="Cli")
    assert (resolved.source, resolved.source_from) == ("dawn.com", "url")
    recorded = Article(
        id="a", text="x", url="https://dawn.com", source="Dawn", source_from="record"
    )
    assert resolve_source(recorded).source == "Dawn"
    nothing = resolve_source(Article(id="a", text="Just text."))
    assert (nothing.source, nothing.source_from) == (None, "unknown")


def test_domain_of() -> None:
    assert domain_of("https://WWW.Example.COM:8080/x?y") == "example.com"
    assert domain_of("not a url") is None
    assert domain_of(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00+00:00"),
        ("2024-03-05 10:00", "2024-03-05T10:00:00"),
        ("Tue, 05 Mar 2024 10:00:00 +0100", "2024-03-05T10:00:00+01:00"),
        ("March 5, 2024", "2024-03-05"),
        ("5 Mar 2024", "2024-03-05"),
        ("2024/03/05", "2024-03-05"),
        ("2024-02-30", None),
        ("03/04/2024", None),
        ("yesterday", None),
        ("  ", None),
    ],
)
def test_normalise_date(raw: str, expected: str | None) -> None:
    assert normalise_date(raw) == expected


def test_decode_order() -> None:
    assert decode_bytes("“é”".encode("utf-32")) == "“é”"
    assert decode_bytes(b"\xef\xbb\xbfplain") == "plain"
    assert decode_bytes("café".encode()) == "café"
    assert decode_bytes("Ünïcödé text".encode("latin-1"), "iso-8859-1") == "Ünïcödé text"
    assert decode_bytes("“quoted” text".encode("cp1252"), "latin-1") == "“quoted” text"
    with pytest.raises(InputError, match="binary file"):
        decode_bytes(b"GIF89a\x00\x01")
    with pytest.raises(InputError, match="despite its byte-order mark"):
        decode_bytes(b"\xff\xfe" + b"\x00\xd8")  # a lone UTF-16 surrogate
    assert looks_binary(bytes(range(1, 32)) * 10)
    assert not looks_binary(b"line one\r\n\tline two\x0c")


def test_ids() -> None:
    assert stable_id("https://www.bbc.co.uk/news/1") == stable_id("https://www.bbc.co.uk/news/1")
    assert stable_id("https://www.bbc.co.uk/news/1").startswith("bbc.co.uk-")
    assert stable_id("tag:x,2024:1").startswith("item-")
    assert stable_id("https://a.example/1") != stable_id("https://a.example/2")
    ids = UniqueIds()
    assert [ids.claim(x) for x in ("a", "a", "b", "a", "a-2")] == ["a", "a-2", "b", "a-3", "a-2-2"]
    assert file_stem("x.jsonl.gz") == "x"
    assert file_stem("crawl.warc.gz") == "crawl"
    assert file_stem("000_462e5da142d27cb6.txt") == "000_462e5da142d27cb6"
    assert file_stem(".hidden") == ".hidden"


def test_txt_date_line_under_the_title_is_the_publication_date() -> None:
    from presslens.ingest.txt import read_txt

    def published(body: str) -> str | None:
        return read_txt(f"A headline\n{body}", article_id="a", origin="a.txt").published

    assert published("By Linnea Graves\nPublished: 27 March 2024\n\nThe port shut.") == (
        "2024-03-27"
    )
    assert published("Meridian Wire | 14 March 2024, 16:20 GMT\n\nText.") == "2024-03-14"
    assert published("Posted on March 28, 2024 by valewatch\n\nText.") == "2024-03-28"
    assert published("Sept. 5, 2019\n\nText.") == "2019-09-05"
    assert published("September 5, 2019\n\nText.") == "2019-09-05"
    # a date in the story itself is not when it was published
    assert published("On 27 March 2024 the port closed.\n\nMore text.") is None
    assert published("Text without any date at all.") is None
