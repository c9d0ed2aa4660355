"""Rounds of ``watch`` over a fake news site on 127.0.0.1, through the whole pipeline.

Three outlets cover a flood in Calder; a fourth feed turns into an HTML page; one host
answers 500s, one is slow, one redirects for ever, and the wire's feed lists a 50 MB page and
a page its robots.txt forbids.  Round 1 reads everything once; round 2 finds nothing changed
(and fetches nothing twice); round 3 brings a correction of the wire's death toll, a new
outlet on the flood story, and the feed that became a page.  Every text is invented.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fakesite import FEED_TYPE, FakeSite, Reply, article_page, rss, sites
from starlette.testclient import TestClient

from presslens.config import Config, load_config
from presslens.executors import make_executor
from presslens.store import Store
from presslens.watch.changes import changes_since, render_changes_markdown
from presslens.watch.watcher import RoundSummary, Watcher, spool_dir
from presslens.web import create_app

DAY = "Thu, 05 Mar 2026 10:00:00 GMT"

WIRE = [
    "Floodwater reached the old stone bridge in Calder on Thursday after two days of heavy "
    "rain, officials said.",
    "Twelve people died and 300 homes were damaged, according to the regional emergency office.",
    "The mayor, Ines Varga, said the town would rebuild. “We will not leave anyone behind,” "
    "she told reporters.",
    "Rescue teams from three neighbouring districts arrived on Friday morning with boats.",
]
WIRE_CORRECTED = [
    WIRE[0],
    "Fifteen people died and 300 homes were damaged, according to the regional emergency office.",
    WIRE[2],
    WIRE[3],
    "Correction: An earlier version of this story gave the wrong death toll.",
]
VALE = [
    "Heavy rain sent the Calder river over its banks on Thursday, flooding the old stone bridge "
    "and the lower town.",
    "The regional emergency office said twelve people had died and about 300 homes were damaged.",
    "Mayor Ines Varga promised to rebuild. “We will not leave anyone behind,” she said.",
    "Boats arrived from neighbouring districts on Friday morning.",
]
HERALD_STRIKE = [
    "Dock workers at Port Alder walked out at dawn on Wednesday in a dispute over night-shift "
    "pay, halting container traffic.",
    "The dockers' union said 1,200 members joined the strike and talks with the port "
    "authority had broken down.",
    "Ships waiting to unload were anchored off the breakwater by nightfall, the harbour master "
    "said.",
]
HERALD_FLOOD = [
    "Calder counted its losses on Friday after floodwater swamped the old stone bridge and the "
    "lower town on Thursday.",
    "Twelve people died and 300 homes were damaged, the regional emergency office said.",
    "Mayor Ines Varga said the town would rebuild and that nobody would be left behind.",
]
TURNCOAT = [
    "The municipal library in Orrin reopened on Wednesday after a renovation that took two "
    "years and added a reading garden.",
    "Librarians said more than 400 visitors borrowed books on the first morning.",
]


@dataclass
class World:
    """The fake hosts, the store and what each round reported."""

    wire: FakeSite
    vale: FakeSite
    herald: FakeSite
    turncoat: FakeSite
    broken: FakeSite
    slow: FakeSite
    loop: FakeSite
    db: Path
    rounds: list[RoundSummary]
    starts: list[str]
    hits_after: list[dict[str, dict[str, int]]]
    urls_after: list[set[str]]


def _config() -> Config:
    return load_config(
        overrides={
            "watch": {
                "host_interval": 0.0,
                "retries": 1,
                "retry_wait": 0.01,
                "revisit_minutes": 1440.0,
                "contact": "mailto:desk@example.invalid",
            },
            "ingest": {"http_timeout": 1.0},
        }
    )


def _serve_round_one(w: World) -> None:
    wire, vale, herald, turncoat = w.wire, w.vale, w.herald, w.turncoat
    wire.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    wire.routes["/news/flood-reaches-calder-bridge"] = Reply(
        200,
        article_page(
            "Flood reaches Calder bridge", WIRE, published="2026-03-05", site="Meridian Wire"
        ),
        etag=True,
    )
    wire.routes["/private/draft-of-the-flood-story"] = Reply(200, b"<html>draft</html>")
    wire.routes["/news/huge-page-of-the-day"] = Reply(200, b"<html>", declared=50 * 1024 * 1024)
    wire.routes["/feed.xml"] = Reply(
        200,
        rss(
            "Meridian Wire",
            [
                (
                    "Flood reaches Calder bridge",
                    wire.url("/news/flood-reaches-calder-bridge?utm_source=rss&utm_medium=feed"),
                    DAY,
                    "Floodwater reached the old stone bridge.",
                ),
                ("Draft", wire.url("/private/draft-of-the-flood-story"), DAY, "A draft."),
                ("Huge", wire.url("/news/huge-page-of-the-day"), DAY, "Too big."),
                ("Looping", w.loop.url("/news/a-page-that-never-ends"), DAY, "Round and round."),
            ],
        ),
        FEED_TYPE,
        etag=True,
    )
    vale.routes["/robots.txt"] = Reply(404, b"")
    vale.routes["/2026/03/05/calder-river-floods-lower-town"] = Reply(
        200,
        article_page(
            "Calder river floods lower town", VALE, published="2026-03-05", site="Vale Watch"
        ),
        last_modified=DAY,
    )
    vale.routes["/"] = Reply(
        200,
        b"<html><head><meta property='og:site_name' content='Vale Watch'></head><body>"
        b"<a href='/tag/weather'>Weather</a> <a href='/about'>About us</a>"
        b"<a href='/2026/03/05/calder-river-floods-lower-town'>Calder river floods lower town</a>"
        # a link to another site is not one of this site's articles
        + f"<a href='{wire.url('/news/flood-reaches-calder-bridge-today')}'>Wire</a>".encode()
        + b"</body></html>",
        last_modified=DAY,
    )
    herald.routes["/robots.txt"] = Reply(404, b"")
    herald.routes["/business/dockers-strike-over-night-pay"] = Reply(
        200,
        article_page(
            "Dockers strike over night pay",
            HERALD_STRIKE,
            published="2026-03-04",
            site="Harbour Herald",
        ),
        last_modified=DAY,
    )
    herald.routes["/rss"] = Reply(
        200,
        rss(
            "Harbour Herald",
            [
                (
                    "Dockers strike over night pay",
                    herald.url("/business/dockers-strike-over-night-pay"),
                    "Wed, 04 Mar 2026 09:00:00 GMT",
                    "Dock workers walked out.",
                ),
                # the wire's story, listed here too under another tracking parameter
                (
                    "From the wire: flood reaches Calder bridge",
                    wire.url("/news/flood-reaches-calder-bridge?fbclid=abc"),
                    DAY,
                    "Floodwater reached the old stone bridge.",
                ),
            ],
        ),
        FEED_TYPE,
        last_modified=DAY,
    )
    turncoat.routes["/robots.txt"] = Reply(404, b"")
    turncoat.routes["/local/orrin-library-reopens-after-renovation"] = Reply(
        200,
        article_page(
            "Orrin library reopens",
            TURNCOAT,
            published="2026-03-05",
            site="Calder Courier",
        ),
    )
    turncoat.routes["/feed"] = Reply(
        200,
        rss(
            "Calder Courier",
            [
                (
                    "Orrin library reopens",
                    turncoat.url("/local/orrin-library-reopens-after-renovation"),
                    DAY,
                    "Books again.",
                )
            ],
        ),
        FEED_TYPE,
    )
    w.broken.routes["/robots.txt"] = Reply(404, b"")
    w.broken.routes["/feed"] = Reply(500, b"oops", "text/plain")
    w.slow.routes["/robots.txt"] = Reply(404, b"")
    w.slow.routes["/feed"] = Reply(200, b"<rss/>", FEED_TYPE, delay=3.0)
    w.loop.routes["/robots.txt"] = Reply(404, b"")

    def forever(path: str) -> Reply:
        return Reply(302, b"", headers={"Location": path.split("?")[0] + f"?hop={len(path)}"})

    w.loop.routes["/feed"] = forever
    w.loop.routes["/news/a-page-that-never-ends"] = forever


def _serve_round_three(w: World) -> None:
    wire, herald = w.wire, w.herald
    wire.routes["/news/flood-reaches-calder-bridge"] = Reply(
        200,
        article_page(
            "Flood kills 15 in Calder", WIRE_CORRECTED, published="2026-03-05", site="Meridian Wire"
        ),
        etag=True,
    )
    wire.routes["/feed.xml"] = Reply(
        200,
        rss(
            "Meridian Wire",
            [
                (
                    "Flood kills 15 in Calder",
                    wire.url("/news/flood-reaches-calder-bridge"),
                    DAY,
                    "Fifteen people died.",
                )
            ],
        ),
        FEED_TYPE,
        etag=True,
    )
    herald.routes["/news/calder-counts-its-flood-losses"] = Reply(
        200,
        article_page(
            "Calder counts its flood losses",
            HERALD_FLOOD,
            published="2026-03-06",
            site="Harbour Herald",
        ),
    )
    herald.routes["/rss"] = Reply(
        200,
        rss(
            "Harbour Herald",
            [
                (
                    "Calder counts its flood losses",
                    herald.url("/news/calder-counts-its-flood-losses"),
                    "Fri, 06 Mar 2026 09:00:00 GMT",
                    "Calder counted its losses.",
                ),
                (
                    "Dockers strike over night pay",
                    herald.url("/business/dockers-strike-over-night-pay"),
                    "Wed, 04 Mar 2026 09:00:00 GMT",
                    "Dock workers walked out.",
                ),
            ],
        ),
        FEED_TYPE,
        last_modified="Fri, 06 Mar 2026 09:00:00 GMT",
    )
    w.turncoat.routes["/feed"] = Reply(
        200,
        b"<html><head><title>Calder Courier</title>"
        b'<link rel="alternate" type="application/rss+xml" href="/new-feed.xml"></head>'
        b"<body><p>Our feed has moved.</p></body></html>",
    )


def _hits(w: World) -> dict[str, dict[str, int]]:
    return {
        name: dict(getattr(w, name).hits)
        for name in ("wire", "vale", "herald", "turncoat", "broken", "slow", "loop")
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    db = tmp_path_factory.mktemp("watch") / "news.db"
    with sites(7) as hosts:
        w = World(*hosts, db=db, rounds=[], starts=[], hits_after=[], urls_after=[])
        _serve_round_one(w)
        with Store(db) as store:
            store.add_source(w.wire.url("/feed.xml"))
            store.add_source(w.vale.url("/"))
            store.add_source(w.herald.url("/rss"))
            store.add_source(w.turncoat.url("/feed"))
            store.add_source(w.broken.url("/feed"), name="Broken Bugle")
            store.add_source(w.slow.url("/feed"))
            store.add_source(w.loop.url("/feed"))
        with make_executor(1) as executor:
            watcher = Watcher(db, _config(), executor)
            for n in (1, 2, 3):
                if n == 3:
                    _serve_round_three(w)
                summary = watcher.run_round(n)
                w.starts.append(summary.started)
                w.rounds.append(summary)
                w.hits_after.append(_hits(w))
                with Store(db) as store:
                    w.urls_after.append({a.url or "" for a in store.articles()})
        yield w


def _sources(db: Path) -> dict[str, Any]:
    with Store(db) as store:
        return {s.url: s for s in store.list_sources()}


def test_round_one_reads_each_page_once(world: World) -> None:
    first = world.rounds[0]
    hits = world.hits_after[0]
    # the wire's story, listed by two sources under two tracking parameters, is read once
    assert hits["wire"]["/news/flood-reaches-calder-bridge"] == 1
    assert hits["vale"]["/2026/03/05/calder-river-floods-lower-town"] == 1
    assert "/tag/weather" not in hits["vale"] and "/about" not in hits["vale"]
    assert "/news/flood-reaches-calder-bridge-today" not in hits["wire"]
    # robots.txt forbids the draft: never requested
    assert "/private/draft-of-the-flood-story" not in hits["wire"]
    assert first.new_articles == 4 and first.revised_articles == 0
    assert first.pages_read == 4 and first.pages_refused == 1
    with Store(world.db) as store:
        urls = {a.url: a for a in store.articles()}
        assert world.urls_after[0] == {
            world.wire.url("/news/flood-reaches-calder-bridge"),
            world.vale.url("/2026/03/05/calder-river-floods-lower-town"),
            world.herald.url("/business/dockers-strike-over-night-pay"),
            world.turncoat.url("/local/orrin-library-reopens-after-renovation"),
        }
        wire = urls[world.wire.url("/news/flood-reaches-calder-bridge")]
        # named by its own site although the Herald's feed listed it too
        assert wire.source == "Meridian Wire"
        assert "people died" in wire.text and "Copyright" not in wire.text
        assert not store.articles_without_story()
        pages = store.get_pages([world.wire.url("/news/huge-page-of-the-day")])
        (huge,) = pages.values()
        assert huge.last_error is not None and "size cap" in huge.last_error
    assert not list(spool_dir(world.db).glob("*.jsonl"))


def test_failing_sources_are_shown_and_do_not_stop_the_others(world: World) -> None:
    first = world.rounds[0]
    assert first.sources == 7 and first.sources_ok == 4 and first.sources_failed == 3
    errors = "\n".join(first.errors)
    assert "HTTP 500 Internal Server Error" in errors
    assert "timed out after 1 s" in errors
    assert "too many redirects" in errors
    # one retry of the 500s, none of the timeout
    assert world.hits_after[0]["broken"]["/feed"] == 2
    assert world.hits_after[0]["slow"]["/feed"] == 1


def test_round_two_fetches_nothing_twice(world: World) -> None:
    second = world.rounds[1]
    before, after = world.hits_after[0], world.hits_after[1]
    assert second.new_articles == 0 and second.pages_read == 0
    for host in ("wire", "vale", "herald"):
        pages = {p: n for p, n in after[host].items() if p not in ("/feed.xml", "/", "/rss")}
        assert pages == {p: before[host][p] for p in pages}, host
    # each feed and front page asked once more, conditionally, and answered 304 (the
    # front page again in round 3; the feeds had changed by then)
    assert world.wire.answered_304["/feed.xml"] == 1
    assert world.vale.answered_304["/"] == 2
    assert world.herald.answered_304["/rss"] == 1
    # robots.txt is kept a day: asked once in all three rounds
    assert world.hits_after[2]["wire"]["/robots.txt"] == 1
    assert second.sources_unchanged == 4


def test_a_failing_source_is_backed_off(world: World) -> None:
    third = world.rounds[2]
    assert world.hits_after[1]["broken"]["/feed"] == 4
    assert world.hits_after[2]["broken"]["/feed"] == 4
    assert third.sources_waiting == 3
    broken = _sources(world.db)[world.broken.url("/feed")]
    assert broken.failures == 2 and broken.name == "Broken Bugle"
    assert broken.next_check_at is not None and broken.next_check_at > world.starts[2]


def test_a_correction_becomes_a_version(world: World) -> None:
    third = world.rounds[2]
    assert third.revised_articles == 1 and third.new_articles == 1
    assert world.hits_after[2]["wire"]["/news/flood-reaches-calder-bridge"] == 2
    with Store(world.db) as store:
        ids = store.article_ids_by_url([world.wire.url("/news/flood-reaches-calder-bridge")])
        (aid,) = ids.values()
        article = store.get_article(aid)
        assert article is not None and "Fifteen people died" in article.text
        assert article.title == "Flood kills 15 in Calder"
        (revision,) = article.revisions
        kinds = [c.kind for c in revision.changes]
        assert kinds == ["headline", "figure", "correction notice"]
        assert (revision.changes[1].before, revision.changes[1].after) == ("Twelve", "Fifteen")
        (old,) = store.article_versions(aid)
        assert old["version"] == 1 and "Twelve people died" in old["text"]
        assert old["title"] == "Flood reaches Calder bridge"
        assert not store.pending_revisions()
        (story_id,) = store.stories_for_article(aid)
        story = store.get_story(story_id)
    assert story is not None
    assert story["title"] != "Flood reaches Calder bridge"
    (correction,) = story["corrections"]
    assert correction["article_id"] == aid and correction["source"] == "Meridian Wire"
    assert set(story["sources"]) == {"Meridian Wire", "Vale Watch", "Harbour Herald"}


def test_a_feed_that_turned_into_a_page_is_failing_with_a_hint(world: World) -> None:
    turncoat = _sources(world.db)[world.turncoat.url("/feed")]
    assert turncoat.kind == "feed" and turncoat.failures == 1
    assert turncoat.last_error == (
        "no longer a feed: the URL now answers an HTML page; the page names a feed at "
        + world.turncoat.url("/new-feed.xml")
    )


def test_what_changed_in_round_three(world: World) -> None:
    with Store(world.db, readonly=True) as store:
        doc = changes_since(store, world.starts[2])
        everything = changes_since(store, "2000")
    assert doc["new_stories"] == []
    (grown,) = doc["grown_stories"]
    assert grown["new_sources"] == ["Harbour Herald"]
    assert grown["before"]["sources"] == ["Meridian Wire", "Vale Watch"]
    (corrected,) = doc["corrected_articles"]
    assert corrected["source"] == "Meridian Wire" and corrected["version"] == 1
    assert {"kind": "figure", "before": "Twelve", "after": "Fifteen"}.items() <= corrected[
        "changes"
    ][1].items()
    assert any(
        "Meridian Wire" in v["sources"] for d in doc["new_discrepancies"] for v in d["values"]
    )
    statuses = {s["url"]: s["status"] for s in doc["sources"]}
    assert statuses[world.broken.url("/feed")] == "backed off"
    assert statuses[world.wire.url("/feed.xml")] == "ok"
    # measured from the start: the strike is covered by the Herald alone
    strike = next(s for s in everything["new_stories"] if s["sources"] == ["Harbour Herald"])
    assert {"Meridian Wire", "Vale Watch"} <= set(strike["not_covered_by"])
    assert everything["not_covered_basis"] == "active"
    text = render_changes_markdown(doc)
    assert "## Corrected articles (1)" in text and "figure Twelve → Fifteen" in text
    assert "Broken Bugle" in text and "backed off" in text


def test_serve_shows_changes_sources_corrections_and_a_feed(world: World) -> None:
    client = TestClient(create_app(world.db))
    page = client.get("/changes", params={"since": "2000-01-01"})
    assert page.status_code == 200 and "Corrected articles (1)" in page.text
    assert "Not covered yet by" in page.text
    sources = client.get("/sources")
    assert "Broken Bugle" in sources.text and "backed off" in sources.text
    assert "HTTP 500 Internal Server Error" in sources.text
    api = client.get("/api/changes", params={"since": world.starts[2]}).json()
    assert api["schema"] == "presslens.changes/1" and len(api["corrected_articles"]) == 1
    feed = client.get("/feeds/stories.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert "Dockers strike over night pay" in titles and len(titles) == 3
    with Store(world.db) as store:
        (aid,) = store.article_ids_by_url(
            [world.wire.url("/news/flood-reaches-calder-bridge")]
        ).values()
        (story_id,) = store.stories_for_article(aid)
    story = client.get(f"/stories/{story_id}").text
    assert 'id="corrections"' in story and '<del class="diff">Twelve</del>' in story
    article = client.get(f"/articles/{aid}").text
    assert "Earlier versions" in article and "Text of version 1" in article


def test_user_agent_names_the_contact(world: World) -> None:
    agents = set(world.wire.agents) | set(world.vale.agents)
    assert agents and all("+mailto:desk@example.invalid" in a for a in agents)


def test_pages_are_looked_at_again_for_corrections(tmp_path: Path) -> None:
    """With revisits due at once, an unchanged page costs a 304; a changed one is a version
    even when its feed entry stays the same."""
    cfg = load_config(
        overrides={
            "watch": {"host_interval": 0.0, "revisit_minutes": 0.0},
            "ingest": {"http_timeout": 2.0},
        }
    )
    with sites(1) as (site,), make_executor(1) as executor:
        site.routes["/robots.txt"] = Reply(404, b"")
        site.routes["/news/flood-reaches-calder-bridge"] = Reply(
            200,
            article_page(
                "Flood reaches Calder bridge", WIRE, published="2026-03-05", site="Meridian Wire"
            ),
            etag=True,
        )
        site.routes["/feed.xml"] = Reply(
            200,
            rss(
                "Meridian Wire",
                [("Flood", site.url("/news/flood-reaches-calder-bridge"), DAY, "F.")],
            ),
            FEED_TYPE,
            etag=True,
        )
        db = tmp_path / "s.db"
        with Store(db) as store:
            store.add_source(site.url("/feed.xml"))
        watcher = Watcher(db, cfg, executor)
        assert watcher.run_round(1).pages_read == 1
        second = watcher.run_round(2)
        assert second.pages_not_modified == 1 and second.pages_read == 0
        assert site.answered_304["/news/flood-reaches-calder-bridge"] == 1
        site.routes["/news/flood-reaches-calder-bridge"] = Reply(
            200,
            article_page(
                "Flood reaches Calder bridge",
                WIRE_CORRECTED,
                published="2026-03-05",
                site="Meridian Wire",
            ),
            etag=True,
        )
        third = watcher.run_round(3)
        assert third.revised_articles == 1 and third.pages_read == 1
        with Store(db) as store:
            (article,) = store.articles()
            assert [c.kind for c in article.revisions[0].changes] == ["figure", "correction notice"]
