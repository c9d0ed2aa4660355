"""read_inputs over files and folders: order, ids, text/title split, bad files as Skips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ingest_helpers import one_skip, run

import presslens.ingest


def test_public_names() -> None:
    assert presslens.ingest.__all__ == ["read_inputs"]


def test_seeds_read_with_signature_sources(seeds_dir: Path) -> None:
    articles, skips = run([seeds_dir])
    assert skips == []
    by_id = {a.id: a for a in articles}
    assert list(by_id) == ["000_462e5da142d27cb6", "004_4ef06d8402d65210"]
    arab = by_id["000_462e5da142d27cb6"]
    assert arab.title == "Pakistan military wants US to leave as a ‘friend’"
    assert arab.text.startswith("In an unusual turn of events")
    assert "Pakistan military wants US" not in arab.text.splitlines()[0]
    assert (arab.source, arab.source_from) == ("Arabnews", "signature")
    assert arab.origin == str(seeds_dir / "000_462e5da142d27cb6.txt")
    assert arab.html is None
    press = by_id["004_4ef06d8402d65210"]
    assert (press.source, press.source_from) == ("Press TV", "signature")


def test_a_lone_path_is_one_input(seeds_dir: Path) -> None:
    articles, skips = run(str(seeds_dir / "000_462e5da142d27cb6.txt"))
    assert ([a.id for a in articles], skips) == (["000_462e5da142d27cb6"], [])


def test_cli_source_beats_signature(seeds_dir: Path) -> None:
    articles, _ = run([seeds_dir / "000_462e5da142d27cb6.txt"], source="Given")
    assert [(a.source, a.source_from) for a in articles] == [("Given", "cli")]


def test_directory_order_hidden_entries_and_folder_source(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "zeta").mkdir(parents=True)
    (corpus / "alpha" / "deep").mkdir(parents=True)
    (corpus / ".git").mkdir()
    body = "Title\n\nSome body text.\n"
    for rel in ("b.txt", "a.txt", "zeta/z1.txt", "alpha/deep/d.txt", ".hidden.txt", ".git/x.txt"):
        (corpus / rel).write_text(body.replace("Title", rel), encoding="utf-8")
    articles, skips = run([corpus])
    assert skips == []
    assert [a.id for a in articles] == ["a", "d", "b", "z1"]
    assert [(a.source, a.source_from) for a in articles] == [
        (None, "unknown"),
        ("alpha", "folder"),
        (None, "unknown"),
        ("zeta", "folder"),
    ]
    again, _ = run([corpus])
    assert again == articles


def test_given_order_is_kept_and_ids_made_unique(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"{folder}\nbody of {folder}\n", "utf-8")
    articles, skips = run([tmp_path / "two", tmp_path / "one", tmp_path / "one" / "same.txt"])
    assert [(a.id, a.title) for a in articles] == [("same", "two"), ("same-2", "one")]
    assert [(s.path, s.reason) for s in skips] == [
        (str(tmp_path / "one" / "same.txt"), "already read in this run")
    ]


def test_txt_title_line_and_newlines(tmp_path: Path) -> None:
    f = tmp_path / "crlf.txt"
    f.write_bytes(b"\r\n\r\n  The  Headline \r\n\r\nFirst paragraph.\r\nSecond line.\r\n\r\n")
    (article,), _ = run([f])
    assert article.title == "The Headline"
    assert article.text == "First paragraph.\nSecond line."


def test_overlong_first_line_is_not_a_title(tmp_path: Path) -> None:
    f = tmp_path / "para.txt"
    paragraph = "word " * 100
    f.write_text(paragraph + "\nmore\n", "utf-8")
    (article,), _ = run([f])
    assert article.title is None
    assert article.text.startswith("word word")


def test_bad_inputs_each_give_one_skip_and_the_run_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Fine\nA proper article.\n", "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n", "utf-8")
    title_only = tmp_path / "title.txt"
    title_only.write_text("Just a title\n\n", "utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n")
    missing = tmp_path / "missing.txt"
    inputs = [empty, blank, title_only, binary, image, missing, good]
    articles, skips = run(inputs)
    assert [a.id for a in articles] == ["good"]
    reasons = {s.path: s.reason for s in skips}
    assert len(skips) == 6
    assert reasons[str(empty)] == "empty file"
    assert reasons[str(blank)] == "no text (whitespace only)"
    assert reasons[str(title_only)] == "no text after the title line"
    assert reasons[str(binary)] == "binary file"
    assert reasons[str(image)].startswith("unsupported file type '.png'")
    assert reasons[str(missing)] == "no such file or directory"
    assert all(s.line is None for s in skips)


def test_over_cap_file(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text("Title\n" + "x" * 494, "utf-8")
    skip = one_skip([f], max_bytes=100)
    assert skip.reason == "file over the size cap of 100 bytes (ingest.max_bytes): 500 bytes"


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "sparse.html"
    with f.open("wb") as out:
        out.truncate(8 * 1024**3)  # sparse: 8 GiB that would not fit in memory if read
    skip = one_skip([f])
    cap, size = 20 * 1024 * 1024, 8 * 1024**3
    assert skip.reason == f"file over the size cap of {cap} bytes (ingest.max_bytes): {size} bytes"


ACCENTED = "Le café “était” fermé — naïve façade"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-32", "utf-8-sig"])
def test_bom_encodings(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "bom.txt"
    content = f"Titre\n{ACCENTED}\n"
    if encoding == "utf-16-be-bom":
        f.write_bytes(b"\xfe\xff" + content.encode("utf-16-be"))
    else:
        f.write_bytes(content.encode(encoding))
    (article,), _ = run([f])
    assert article.title == "Titre"
    assert article.text == ACCENTED


def test_windows_1252(tmp_path: Path) -> None:
    f = tmp_path / "legacy.txt"
    content = f"Headline\r\nHe said “curly quotes” at the café.\r\n{ACCENTED}\r\n"
    f.write_bytes(content.encode("cp1252"))
    (article,), _ = run([f])
    assert article.text == f"He said “curly quotes” at the café.\n{ACCENTED}"


def test_cyrillic_legacy_encoding_is_not_read_as_1252(tmp_path: Path) -> None:
    f = tmp_path / "ru.txt"
    text = "Президент России заявил, что переговоры продолжатся на следующей неделе в Москве."
    f.write_bytes(f"Новости\n{text}\n".encode("cp1251"))
    (article,), _ = run([f])
    assert article.text == text


def test_html_file_kept_whole_with_head_metadata(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title> Page  title </title>"
        '<meta property="og:site_name" content="Daily Example">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00+01:00">'
        '<meta name="author" content="A. Writer">'
        '<link rel="canonical" href="https://www.example.com/story">'
        "</head><body><p>Body</p></body></html>"
    )
    f = tmp_path / "story.html"
    f.write_text(page, "utf-8")
    (article,), _ = run([f])
    assert article.html == page
    assert article.text == ""
    assert article.title == "Page title"
    assert article.url == "https://www.example.com/story"
    assert article.published == "2024-03-05T10:00:00+01:00"
    assert article.author == "A. Writer"
    assert (article.source, article.source_from) == ("Daily Example", "record")


def test_html_without_site_name_takes_the_canonical_domain(tmp_path: Path) -> None:
    f = tmp_path / "story.htm"
    f.write_text('<html><head><link rel="canonical" href="https://www.news.example/a"></head>')
    (article,), _ = run([f])
    assert (article.source, article.source_from) == ("news.example", "url")


def test_malformed_html_is_still_passed_on(tmp_path: Path) -> None:
    page = "<html><head><title>Broken</title><![foo x]><body><p>Unclosed <div><b>text"
    f = tmp_path / "broken.html"
    f.write_text(page, "utf-8")
    (article,), skips = run([f])
    assert skips == []
    assert article.html == page
    assert article.title == "Broken"


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head><body>“q”</body>'
    f = tmp_path / "legacy.html"
    f.write_bytes(page.encode("cp1252"))
    (article,), _ = run([f])
    assert article.html == page
    assert article.title == "Café"


def test_file_without_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page").write_text("<!doctype html><html><head><title>P</title></head></html>")
    (tmp_path / "notes").write_text("Notes title\nplain words\n")
    articles, skips = run([tmp_path / "page", tmp_path / "notes"])
    assert skips == []
    assert [(a.id, a.html is not None, a.title) for a in articles] == [
        ("page", True, "P"),
        ("notes", False, "Notes title"),
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_does_not_recurse_forever(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("A\nbody\n")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    articles, skips = run([tmp_path / "d"])
    assert [a.id for a in articles] == ["a"]
    assert [s.reason for s in skips] == []
