"""The ``presslens`` command end to end: analyze, ingest, export, exit status, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.cli import main
from presslens.report import validate_report


def _bad_inputs(d: Path) -> Path:
    d.mkdir()
    (d / "good.txt").write_text("A headline\n\nA body sentence that says something useful.\n")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (d / "broken.jsonl").write_text('{"id": "x1", "text": "fine record"}\n{not json\n')
    return d


def test_analyze_seeds(seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "seeds"
    assert main(["analyze", str(seeds_dir), "--out", str(out)]) == 0
    doc = json.loads((out / "report.json").read_text())
    validate_report(doc)
    by_id = {a["id"]: a for a in doc["articles"]}
    assert set(by_id) == {"000_462e5da142d27cb6", "004_4ef06d8402d65210"}
    assert {r["line"] for r in by_id["000_462e5da142d27cb6"]["removed"]} >= {
        "Leave a Reply",
        "Source link",
    }
    index = (out / "index.html").read_text()
    assert "Leave a Reply" in index and "Pakistan army wants US to leave Afghanistan" in index
    assert "report written" in capsys.readouterr().err


def test_analyze_demo_validates(demo_dir: Path, tmp_path: Path) -> None:
    out, db = tmp_path / "demo", tmp_path / "demo.db"
    assert main(["analyze", str(demo_dir), "--out", str(out), "--db", str(db), "--quiet"]) == 0
    doc = json.loads((out / "report.json").read_text())
    validate_report(doc)
    assert len(doc["articles"]) >= 12
    assert len({a["source"] for a in doc["articles"]}) >= 6
    assert (out / "report.md").exists()
    html = "".join(p.read_text() for p in out.rglob("*.html"))
    assert "<script>alert" not in html and "<img src=x" not in html


def test_bad_input_is_counted_not_fatal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _bad_inputs(tmp_path / "in")
    out = tmp_path / "out"
    status = main(["analyze", str(d), str(tmp_path / "missing.txt"), "--out", str(out)])
    assert status == 0
    doc = json.loads((out / "report.json").read_text())
    assert {a["id"] for a in doc["articles"]} == {"good", "x1"}
    skipped = {(Path(s["path"]).name, s["line"]) for s in doc["run"]["skipped"]}
    assert {
        ("empty.txt", None),
        ("binary.txt", None),
        ("broken.jsonl", 2),
        ("missing.txt", None),
    } <= skipped
    assert doc["run"]["counts"]["skipped"] == len(doc["run"]["skipped"]) >= 4
    err = capsys.readouterr().err
    assert "broken.jsonl:2" in err and "binary.txt" in err


def _feed_of_three_entries(path: Path) -> Path:
    items = "".join(
        f"<item><title>Entry {n}</title><link>https://feed.example/{n}</link>"
        + ("" if n == 2 else f"<description>Body of entry {n}, long enough to read.</description>")
        + "</item>"
        for n in (1, 2, 3)
    )
    path.write_text(f"<rss version='2.0'><channel><title>F</title>{items}</channel></rss>")
    return path


def _warc_with_a_short_length(path: Path) -> Path:
    body = b"<html><body><article><p>" + b"The quay closed for repairs today. " * 20
    body += b"</p></article></body></html>"
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://quay.example/1\r\n"
        f"WARC-Date: 2024-05-02T08:00:00Z\r\nContent-Length: {len(block) - 2}\r\n\r\n"
    )
    path.write_bytes(head.encode() + block + b"\r\n\r\n")
    return path


def test_skips_count_by_reason_and_warnings_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "in"
    d.mkdir()
    _feed_of_three_entries(d / "a.rss")
    _feed_of_three_entries(d / "b.rss")
    warc = _warc_with_a_short_length(d / "short.warc")
    out = tmp_path / "out"
    assert main(["analyze", str(d), "--out", str(out)]) == 0
    doc = json.loads((out / "report.json").read_text())
    validate_report(doc)
    run = doc["run"]
    # Two entries without text in two files: one reason, counted twice; where is in the row.
    assert run["counts"]["skipped_by_reason"] == {"no content or summary": 2}
    assert {s["location"] for s in run["skipped"]} == {"feed entry 2 (Entry 2)"}
    assert run["counts"]["warnings"] == 1
    (warning,) = run["warnings"]
    assert warning["path"] == str(warc) and "Content-Length" in warning["message"]
    assert warning["location"].startswith("WARC record at offset 0")
    assert any(a["url"] == "https://quay.example/1" for a in doc["articles"])
    err = capsys.readouterr().err
    assert f"warning: {warc}: WARC record at offset 0" in err
    assert "WARNING: Record not followed by newline" not in err  # warcio's own words
    assert main(["analyze", str(d), "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_nothing_analysed_exits_2(tmp_path: Path) -> None:
    (tmp_path / "e.txt").write_bytes(b"")
    assert main(["analyze", str(tmp_path / "e.txt"), "--out", str(tmp_path / "o"), "--quiet"]) == 2


def test_config_error_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "p.toml"
    cfg.write_text("[ingest]\nmax_bytes = 0\n")
    assert main(["analyze", str(tmp_path), "--config", str(cfg), "--quiet"]) == 2
    assert "ingest.max_bytes" in capsys.readouterr().err


def test_quiet_is_silent(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(seeds_dir), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_ingest_is_incremental_and_export(demo_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert main(["ingest", str(demo_dir), "--db", str(db), "--quiet"]) == 0
    from presslens.store import Store

    with Store(db, readonly=True) as store:
        first = store.count_articles()
        digest = store.content_digest()
    assert first >= 12
    assert main(["ingest", str(demo_dir), "--db", str(db), "--quiet"]) == 0
    with Store(db, readonly=True) as store:
        assert store.count_articles() == first
        assert store.content_digest() == digest
    for fmt, name in (
        ("jsonl", "articles.jsonl"),
        ("json", "report.json"),
        ("md", "report.md"),
        ("html", "index.html"),
    ):
        out = tmp_path / fmt
        assert main(["export", "--db", str(db), "--format", fmt, "--out", str(out), "--quiet"]) == 0
        assert (out / name).stat().st_size > 0
    validate_report(json.loads((tmp_path / "json" / "report.json").read_text()))
    lines = (tmp_path / "jsonl" / "articles.jsonl").read_text().splitlines()
    assert len(lines) == first


def test_export_tables_for_pandas_r_and_duckdb(demo_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert main(["ingest", str(demo_dir), "--db", str(db), "--quiet"]) == 0
    from presslens.store import Store

    with Store(db, readonly=True) as store:
        n_articles = store.count_articles()
        stories = list(store.story_records())
    n_quotes = sum(len(s.quotes or ()) for s in stories)
    n_values = sum(len(d.values) for s in stories for d in s.discrepancies or ())
    assert n_quotes and n_values
    out = tmp_path / "out"
    assert main(["export", "--db", str(db), "--format", "csv", "--out", str(out), "--quiet"]) == 0
    import csv

    with (out / "csv" / "quotes.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n_quotes
    assert {r["story_id"] for r in rows} <= {s.id for s in stories}
    pq = pytest.importorskip("pyarrow.parquet", reason="parquet export needs the extra 'parquet'")
    assert main(["export", "--db", str(db), "--format", "parquet", "--out", str(out)]) == 0
    out = out / "parquet"
    articles = pq.read_table(out / "articles.parquet")
    assert articles.num_rows == n_articles
    assert "syndication_group" in articles.column_names
    assert pq.read_table(out / "discrepancies.parquet").num_rows == n_values
    story_table = pq.read_table(out / "stories.parquet").to_pylist()
    assert [r["article_ids"] for r in story_table] == [list(s.article_ids) for s in stories]


def _gzipped_lines(parts: list[Path]) -> list[dict[str, object]]:
    import gzip

    out = []
    for part in parts:
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh)
    return out


def test_analyze_writes_sharded_outputs(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    toml = tmp_path / "c.toml"
    toml.write_text("[report]\nshard_size = 5\n", encoding="utf-8")
    args = ["analyze", str(demo_dir), "--out", str(out), "--formats", "shards,csv"]
    assert main([*args, "--config", str(toml), "--quiet"]) == 0
    assert not (out / "report.json").exists()
    parts = sorted((out / "shards").glob("articles-*.jsonl.gz"))
    assert len(parts) >= 3  # 5 articles a part
    rows = _gzipped_lines(parts)
    run = json.loads((out / "shards" / "run.json").read_text(encoding="utf-8"))
    assert run["schema"] == "presslens.report/1"
    assert len(rows) == run["run"]["counts"]["kept"] and all("text" in r for r in rows)
    stories = _gzipped_lines(sorted((out / "shards").glob("stories-*.jsonl.gz")))
    assert (
        len(stories) == run["run"]["counts"]["stories"] and (out / "csv" / "stories.csv").exists()
    )
    assert main(["analyze", str(demo_dir), "--out", str(out), "--formats", "pdf"]) == 2


def test_bad_executor_flags_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _bad_inputs(tmp_path / "in")
    assert main(["analyze", str(src), "--out", str(tmp_path / "o"), "--workers", "0"]) == 2
    assert "--workers must be at least 1, got 0" in capsys.readouterr().err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert "presslens" in capsys.readouterr().out


def test_analyze_into_a_store_with_a_clashing_id(tmp_path: Path) -> None:
    from presslens.api import _remap_ids
    from presslens.store import Store

    assert _remap_ids({"a": ["x", "y"], "x": 1, "n": 2}, {"x": "x~1"}) == {
        "a": ["x~1", "y"],
        "x~1": 1,
        "n": 2,
    }
    db = tmp_path / "s.db"
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    (first / "same.txt").write_text("Headline one\n\nThe first text about a harbour.\n")
    (second / "same.txt").write_text("Headline two\n\nA different text about a bridge.\n")
    assert (
        main(["analyze", str(first), "--db", str(db), "--out", str(tmp_path / "o1"), "--quiet"])
        == 0
    )
    assert (
        main(["analyze", str(second), "--db", str(db), "--out", str(tmp_path / "o2"), "--quiet"])
        == 0
    )
    with Store(db, readonly=True) as store:
        ids = sorted(a.id for a in store.articles())
        assert len(ids) == 2 and ids[0] == "same" and ids[1].startswith("same~")
        for story in store.stories():
            assert all(store.get_article(aid) is not None for aid in story["article_ids"])


def test_ingest_assigns_new_articles_to_existing_stories(demo_dir: Path, tmp_path: Path) -> None:
    from presslens.store import Store

    first, later = tmp_path / "first", tmp_path / "later"
    for d in (first, later):
        d.mkdir()
    flood = sorted((demo_dir / "harbour-herald").glob("*.txt")) + sorted(
        (demo_dir / "meridian-wire").glob("*.txt")
    )
    for f in flood:
        target = later if f.name == "marrowby-recovery.txt" else first
        (target / f.parent.name).mkdir(exist_ok=True)
        (target / f.parent.name / f.name).write_bytes(f.read_bytes())
    db = tmp_path / "inc.db"
    assert main(["ingest", str(first), "--db", str(db), "--quiet"]) == 0
    with Store(db, readonly=True) as store:
        before = {s["id"]: set(s["article_ids"]) for s in store.stories()}
    assert before and any("marrowby-flood" in ids for ids in before.values())
    assert main(["ingest", str(later), "--db", str(db), "--quiet"]) == 0
    with Store(db, readonly=True) as store:
        after = {s["id"]: s for s in store.stories()}
        assert store.count_articles() == sum(len(v) for v in before.values()) + 1
    holding = [s for s in after.values() if "marrowby-recovery" in s["article_ids"]]
    assert len(holding) == 1
    # the follow-up joined the flood story that already existed; it did not open a new one
    assert "marrowby-flood" in holding[0]["article_ids"]
    assert holding[0]["id"] in before
    assert "brief" in holding[0]  # the touched story's analysis was refreshed


def test_ingest_finishes_what_a_killed_run_left(demo_dir: Path, tmp_path: Path) -> None:
    """Articles stored by a run killed before clustering get their stories on the next run."""
    from presslens.api import resolve_config
    from presslens.clean import clean_articles
    from presslens.ingest import read_inputs
    from presslens.model import Article
    from presslens.store import Store

    cfg = resolve_config()
    raw = [
        a for a in read_inputs([demo_dir / "meridian-wire"], cfg.ingest) if isinstance(a, Article)
    ]
    cleaned = [a for a in clean_articles(raw, cfg.clean) if isinstance(a, Article)]
    db = tmp_path / "killed.db"
    with Store(db) as store:  # what a run killed right after storing the articles leaves
        store.add_articles(cleaned)
        assert len(store.articles_without_story()) == len(cleaned) == 2
    assert main(["ingest", str(demo_dir / "meridian-wire"), "--db", str(db), "--quiet"]) == 0
    with Store(db, readonly=True) as store:
        assert store.count_articles() == 2
        assert store.articles_without_story() == []
        assert sum(len(s["article_ids"]) for s in store.stories()) == 2


_NO_EMBED_WITH_DB = "--embed is not supported with --db: the stored story index has no embeddings"


def test_ingest_refuses_cluster_embed_before_storing(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg, db = tmp_path / "p.toml", tmp_path / "s.db"
    cfg.write_text("[cluster]\nembed = true\n")
    argv = ["ingest", str(demo_dir / "meridian-wire"), "--db", str(db), "--config", str(cfg)]
    assert main([*argv, "--quiet"]) == 2
    assert _NO_EMBED_WITH_DB in capsys.readouterr().err
    assert not db.exists()


@pytest.mark.usefixtures("without_embed_extra")
def test_analyze_into_a_store_clusters_with_embeddings_in_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``analyze --db`` clusters the whole batch in memory, so ``--embed`` is honoured there:
    without the extra it asks for the extra rather than refusing the store."""
    from presslens import embed

    monkeypatch.setattr(embed, "_SHARED", None)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A headline\n\nA body sentence that says something.\n")
    argv = ["analyze", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--quiet"]
    assert main([*argv, "--db", str(tmp_path / "s.db"), "--embed"]) == 2
    err = capsys.readouterr().err
    assert "story clustering with --embed" in err and "presslens[embed]" in err
    assert _NO_EMBED_WITH_DB not in err
