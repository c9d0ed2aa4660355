"""What ``serve`` shows of a watched store: changes since a time, source health, the Atom feed
of the stories, a story's corrections and an article's earlier versions; all escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from starlette.testclient import TestClient

from presslens.model import Article
from presslens.store import Store
from presslens.web import create_app

from .conftest import HOSTILE, STORIES, _articles

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def test_atom_feed_of_the_stories_escapes_everything(web_db: Path) -> None:
    client = TestClient(create_app(web_db))
    r = client.get("/feeds/stories.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    entries = root.findall("a:entry", ATOM)
    assert {e.findtext("a:title", namespaces=ATOM) for e in entries} == {
        f"Flood {HOSTILE}",
        "Dockers strike",
    }
    links = {e.find("a:link", ATOM).get("href") for e in entries}  # type: ignore[union-attr]
    assert "http://testserver/stories/s-strike" in links
    flood = next(e for e in entries if "Flood" in (e.findtext("a:title", namespaces=ATOM) or ""))
    summary = flood.findtext("a:summary", namespaces=ATOM) or ""
    assert summary.startswith("2 independent sources, 3 articles")
    assert "Floodwater reached the old bridge." in summary
    assert "<script>" not in r.text  # the hostile title is text, not markup
    # the site's pages announce the feed
    assert 'type="application/atom+xml"' in client.get("/").text


def test_changes_and_sources_pages(web_db: Path) -> None:
    client = TestClient(create_app(web_db))
    page = client.get("/changes", params={"since": "2000-01-01"})
    assert page.status_code == 200
    assert "New stories (2)" in page.text and "Dockers strike" in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert client.get("/changes").status_code == 200
    doc = client.get("/api/changes", params={"since": "2999-01-01T00:00+00:00"}).json()
    assert doc["new_stories"] == [] and doc["sources"] == []
    bad = client.get("/api/changes", params={"since": "sometime"})
    assert bad.status_code == 400 and "--since" in bad.json()["error"]
    assert client.get("/changes", params={"since": "sometime"}).status_code == 400
    assert "watches no sources" in client.get("/sources").text
    assert client.get("/api/sources").json() == {"sources": []}
    assert "/api/changes" in client.get("/openapi.json").json()["paths"]


def test_a_corrected_value_and_earlier_versions_are_shown(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    with Store(db) as store:
        store.add_articles(_articles())
        flood = dict(STORIES[0])
        flood["corrections"] = [
            {
                "article_id": "wire-1",
                "source": "Meridian Wire",
                "version": 1,
                "at": "2024-03-08T06:00:00.000+00:00",
                "changes": [
                    {"kind": "figure", "before": "90", "after": "100", "context": "It is 100."},
                    {"kind": "correction notice", "after": f"Correction: {HOSTILE}"},
                ],
            }
        ]
        store.put_stories([flood, STORIES[1]])
        wire = store.get_article("wire-1")
        assert wire is not None
        newer = replace(wire, id="x", text=wire.text + "\n\nCorrection: the bridge is 100.")
        assert store.add_article(newer, revise_by_url=True).revised
        store.add_source("https://wire.example/feed", name=f"Wire {HOSTILE}")
    client = TestClient(create_app(db))
    story = client.get("/stories/s-flood").text
    assert 'id="corrections"' in story
    assert "corrected from 90 on 2024-03-08" in story
    assert "Correction: &lt;script&gt;" in story
    article = client.get("/articles/wire-1").text
    assert "Earlier versions" in article and "Text of version 1" in article
    assert "paragraph added" in article or "correction notice" in article
    sources = client.get("/sources").text
    assert "Wire &lt;script&gt;" in sources and "not checked yet" in sources


def test_a_plain_article_page_has_no_versions(web_db: Path) -> None:
    client = TestClient(create_app(web_db))
    page = client.get("/articles/wire-1").text
    assert "Earlier versions" not in page
    with Store(web_db) as store:
        article = store.get_article("wire-1")
    assert isinstance(article, Article) and article.revisions == ()
