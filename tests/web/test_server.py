"""The web app through Starlette's test client: pages, API, filters, headers, escaping."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from presslens.web import create_app


@pytest.fixture
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(web_db))


def test_story_list_and_filters(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "Dockers strike" in r.text and "Flood" in r.text
    # most recent first by default; by independent sources on request
    assert r.text.index("Dockers strike") < r.text.index("Flood &lt;script")
    r = client.get("/", params={"sort": "sources"})
    assert r.text.index("Flood &lt;script") < r.text.index("Dockers strike")
    assert "Dockers strike" not in client.get("/", params={"q": "bridge"}).text
    assert "Flood &lt;" not in client.get("/", params={"outlet": "Harbour Herald"}).text
    assert "Dockers strike" not in client.get("/", params={"to": "2024-03-31"}).text
    assert "Flood &lt;" not in client.get("/", params={"from": "2024-04-01"}).text
    # FTS syntax in a user query is not an error
    assert client.get("/", params={"q": '"NEAR( -* :'}).status_code == 200


def test_story_page_sections(client: TestClient) -> None:
    r = client.get("/stories/s-flood")
    assert r.status_code == 200
    for needle in (
        "Brief",
        "Who said what",
        "Where the outlets disagree",
        "1 syndicated copy",
        "(0.93 similar, 97% of the shorter text shared)",
        "How each outlet frames it",
        "attributed to different speakers",
        "It is 100 years old.",
        "(others: protesters)",
    ):
        assert needle in r.text, needle
    assert '<del class="diff">rebuild</del>' in r.text
    assert 'class="s2"' in r.text and 'class="unique"' in r.text
    assert 'class="cite"' in r.text and "/articles/wire-1" in r.text
    assert '<mark class="quote"' in r.text


def test_article_page(client: TestClient) -> None:
    r = client.get("/articles/wire-1")
    assert r.status_code == 200
    assert "Share this:" in r.text and "share buttons" in r.text
    assert '<span class="entity" title="date: Thursday">Thursday</span>' in r.text
    assert '<mark class="quote"' in r.text
    assert 'href="https://wire.example/flood"' in r.text
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/stories/nope").status_code == 404


def test_hostile_text_is_inert_everywhere(client: TestClient) -> None:
    for path in ("/", "/stories/s-flood", "/articles/hostile-1", "/?q=strange"):
        body = client.get(path).text
        assert "<img" not in body, path
        assert "<script>alert" not in body, path
        assert 'href="javascript' not in body, path
    api = client.get("/api/articles/hostile-1")
    assert api.headers["content-type"].startswith("application/json")
    assert api.json()["title"].startswith("Title <script>")  # data kept exact, served as JSON


def test_api_matches_report_fields(client: TestClient) -> None:
    stories = client.get("/api/stories").json()["stories"]
    assert {s["id"] for s in stories} == {"s-flood", "s-strike"}
    one = client.get("/api/stories/s-flood").json()
    assert one["independent_sources"] == 2 and one["article_ids"][0] == "wire-1"
    art = client.get("/api/articles/wire-1").json()
    assert {"id", "source", "url", "title", "published", "word_count", "text", "removed"} <= set(
        art
    )
    assert client.get("/api/articles/missing").status_code == 404
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/stories/{story_id}" in spec["paths"]


def test_security_headers(client: TestClient) -> None:
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "addEventListener" in js.text


def test_list_cache_follows_the_store(web_db: Path) -> None:
    from presslens.model import Article
    from presslens.store import Store

    client = TestClient(create_app(web_db))
    assert "Late news" not in client.get("/").text
    with Store(web_db) as store:
        store.add_article(
            Article("late", "Late text.", source="X", title="Late news", cleaned=True)
        )
        store.put_stories([{"id": "s-late", "title": "Late news", "article_ids": ["late"]}])
        store.record_run({"inputs": ["late"], "counts": {}})
    assert "Late news" in client.get("/").text


def test_story_list_is_paginated(tmp_path: Path) -> None:
    from presslens.model import Article
    from presslens.store import Store
    from presslens.web.server import PAGE_SIZE

    db = tmp_path / "many.db"
    n = PAGE_SIZE * 2 + 7
    with Store(db) as store:
        store.add_articles(
            Article(f"a{i}", f"Text {i}.", source="S", title=f"Story number {i}", cleaned=True)
            for i in range(n)
        )
        store.put_stories({"id": f"s{i}", "article_ids": [f"a{i}"]} for i in range(n))
    client = TestClient(create_app(db))
    first = client.get("/", params={"sort": "sources"}).text
    assert first.count('<li data-text="Story number') == PAGE_SIZE
    assert f"Stories ({n})" in first and "page 1 of 3" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = client.get("/", params={"sort": "sources", "page": "3"}).text
    assert last.count('<li data-text="Story number') == 7 and 'rel="prev"' in last
    assert "page 3 of 3" in client.get("/", params={"page": "99"}).text
    assert "page 1 of 3" in client.get("/", params={"page": "x"}).text


def test_data_version_moves_when_another_connection_commits(web_db: Path) -> None:
    from presslens.model import Article
    from presslens.store import Store

    with Store(web_db, readonly=True) as reader:
        before = reader.data_version()
        assert reader.data_version() == before
        with Store(web_db) as writer:
            writer.add_article(Article("dv", "New text.", source="X", cleaned=True))
        assert reader.data_version() != before


def test_serve_binds_loopback_and_warns_otherwise(
    web_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from presslens.cli import main

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    assert main(["serve", "--db", str(web_db)]) == 0
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8765
    assert "warning" not in capsys.readouterr().err
    assert main(["serve", "--db", str(web_db), "--host", "0.0.0.0", "--port", "9000"]) == 0
    assert calls[-1]["host"] == "0.0.0.0"
    assert "reachable from other machines" in capsys.readouterr().err
