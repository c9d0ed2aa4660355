"""The small parts of ``watch``: canonical URLs, front-page links, what changed between two
versions, source lists, durations and times, the User-Agent and the ``[watch]`` settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from presslens.config import load_config
from presslens.errors import ConfigError
from presslens.model import Skip
from presslens.versions import MAX_CHANGES, changes_between, paragraphs, text_changes
from presslens.watch.changes import parse_duration, parse_since
from presslens.watch.fetch import user_agent
from presslens.watch.links import article_links, looks_like_article
from presslens.watch.sources import SourceEntry, read_source_list
from presslens.watch.urls import canonical_url, host_of, same_site

# --- canonical URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        (
            "HTTPS://WWW.Example.COM:443/World/Story?utm_source=rss&id=7&fbclid=x#comments",
            "https://www.example.com/World/Story?id=7",
        ),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/a?b=c%20d&UTM_Medium=m", "http://example.com:8080/a?b=c%20d"),
        ("http://example.com/a?mc_cid=1&mc_eid=2&gclid=3&pk_campaign=4", "http://example.com/a"),
        ("  http://example.com/a?q=1&q=2  ", "http://example.com/a?q=1&q=2"),
        ("not a url", "not a url"),
    ],
)
def test_canonical_url(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical


def test_canonical_url_is_idempotent() -> None:
    url = "https://Example.org/x?a=1&utm_term=t&b=2#frag"
    once = canonical_url(url)
    assert canonical_url(once) == once == "https://example.org/x?a=1&b=2"


def test_host_of_keeps_a_port_other_than_the_default() -> None:
    assert host_of("http://127.0.0.1:8080/x") == "127.0.0.1:8080"
    assert host_of("https://News.Example:443/") == "news.example"
    assert host_of("http://[::1]:99/") == "::1:99"
    assert same_site("www.example.com", "example.com")
    assert not same_site("example.com", "example.org")


# --- front-page links ---------------------------------------------------------------------------

FRONT = """<html><head><base href="/news/"></head><body>
<nav><a href="/">Home</a> <a href="/tag/politics">Politics</a> <a href="/about">About</a></nav>
<a href="2026/03/05/river-floods-the-lower-town?utm_source=home">River floods the
  lower town</a>
<a href="/2026/03/05/river-floods-the-lower-town">Same story again</a>
<a href="https://other.example/2026/03/05/someone-elses-story-here">Elsewhere</a>
<a href="/article/123456">Numbered story</a>
<a href="/images/flood-photo-of-the-bridge.jpg">Photo</a>
<a href="javascript:alert(1)">x</a><a href="mailto:desk@example.invalid">mail</a>
<a href="/short">Short</a>
</body></html>"""


def test_article_links_of_a_front_page() -> None:
    links = article_links(FRONT, "http://site.example/", limit=10)
    assert [link.url for link in links] == [
        "http://site.example/news/2026/03/05/river-floods-the-lower-town",
        "http://site.example/2026/03/05/river-floods-the-lower-town",
        "http://site.example/article/123456",
    ]
    assert links[0].title == "River floods the lower town"
    assert len(article_links(FRONT, "http://site.example/", limit=1)) == 1


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("http://a.example/politics/minister-resigns-over-grain-deal", True),
        ("http://a.example/story/2026031501", True),
        ("http://www.a.example/world/talks-resume-after-ceasefire.html", True),
        ("http://a.example/tag/minister-resigns-over-deal", False),
        ("http://a.example/author/jane-q-public-writer", False),
        ("http://a.example/world", False),
        ("http://b.example/politics/minister-resigns-over-grain-deal", False),
        ("ftp://a.example/politics/minister-resigns-over-grain-deal", False),
    ],
)
def test_looks_like_article(url: str, article: bool) -> None:
    assert looks_like_article(url, "a.example") is article


# --- what changed between versions ----------------------------------------------------------

OLD = (
    "Floods hit the town on Thursday.\n\n"
    "Twelve people died and 300 homes were lost, the mayor said.\n\n"
    "Rescue teams arrived on Friday."
)


def test_a_corrected_figure_headline_and_notice() -> None:
    new = (
        "Floods hit the town on Thursday.\n\n"
        "Fifteen people died and 300 homes were lost, the mayor said.\n\n"
        "Rescue teams arrived on Friday.\n\n"
        "Correction: An earlier version of this story gave the wrong death toll."
    )
    changes = changes_between(
        "Floods kill 12", OLD, "2026-03-05", "Floods kill 15", new, "2026-03-05"
    )
    kinds = [c.kind for c in changes]
    assert kinds == ["headline", "figure", "correction notice"]
    figure = changes[1]
    assert (figure.before, figure.after) == ("Twelve", "Fifteen")
    assert figure.context == "Fifteen people died and 300 homes were lost, the mayor said."
    assert changes[0].before == "Floods kill 12" and changes[0].after == "Floods kill 15"


def test_paragraphs_added_removed_and_edited() -> None:
    new = (
        "Floods hit the town on Thursday night, police said.\n\n"
        "Rescue teams arrived on Friday.\n\n"
        "Schools will stay closed until Monday."
    )
    changes = text_changes(OLD, new)
    kinds = [c.kind for c in changes]
    assert kinds == ["paragraph edited", "paragraph removed", "paragraph added"]
    assert changes[1].before == "Twelve people died and 300 homes were lost, the mayor said."
    assert changes[2].after == "Schools will stay closed until Monday."


def test_a_figure_and_more_words_changed_is_both() -> None:
    new = OLD.replace("Twelve people died", "At least 14 people are now known to have died")
    kinds = [c.kind for c in text_changes(OLD, new)]
    assert kinds == ["figure", "paragraph edited"]


def test_unchanged_text_has_no_changes_and_whitespace_does_not_count() -> None:
    assert changes_between("T", OLD, None, "T ", OLD.replace("\n\n", "\n \n"), None) == ()
    assert [c.kind for c in changes_between("T", OLD, "2026-03-05", "T", OLD, "2026-03-06")] == [
        "date"
    ]


def test_a_rewritten_page_is_capped() -> None:
    old = "\n\n".join(f"Paragraph number {i} says one thing about the river." for i in range(40))
    new = "\n\n".join(
        f"Entirely different text {i} about a market fire downtown." for i in range(40)
    )
    changes = changes_between(None, old, None, None, new, None)
    assert len(changes) == MAX_CHANGES
    assert changes[-1].kind == "more" and changes[-1].after is not None
    assert changes[-1].after.endswith("more changes")


def test_paragraphs_split_on_lines() -> None:
    assert paragraphs("a  b\n\n\nc\n  \nd") == ["a b", "c", "d"]


# --- source lists -------------------------------------------------------------------------------


def test_opml_source_list(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="News"><outline text="Harbour Herald" type="rss"'
        ' xmlUrl="https://herald.example/feed?utm_source=opml"/>'
        '<outline title="Vale Watch" xmlUrl="https://vale.example/rss"/>'
        '<outline text="Front" type="link" url="https://front.example/"/>'
        '<outline text="Bad" xmlUrl="ftp://bad.example/feed"/>'
        '<outline text="Again" xmlUrl="https://herald.example/feed"/></outline></body></opml>',
        encoding="utf-8",
    )
    items = read_source_list(opml)
    entries = [i for i in items if isinstance(i, SourceEntry)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert entries == [
        SourceEntry("https://herald.example/feed", "Harbour Herald"),
        SourceEntry("https://vale.example/rss", "Vale Watch"),
        SourceEntry("https://front.example/", "Front"),
    ]
    assert len(skips) == 1 and "unsupported URL scheme" in skips[0].reason


def test_text_source_list(tmp_path: Path) -> None:
    listing = tmp_path / "sources.txt"
    listing.write_text(
        "# my outlets\n\nhttps://herald.example/feed  Harbour   Herald\nnot-a-url\n"
        "http://vale.example/\n",
        encoding="utf-8",
    )
    items = read_source_list(listing)
    assert items[0] == SourceEntry("https://herald.example/feed", "Harbour Herald")
    assert isinstance(items[1], Skip) and items[1].line == 4
    assert items[2] == SourceEntry("http://vale.example/", None)


def test_bad_source_lists_are_skips(tmp_path: Path) -> None:
    broken = tmp_path / "broken.opml"
    broken.write_text("<?xml version='1.0'?><opml><body><outline", encoding="utf-8")
    empty = tmp_path / "empty.opml"
    empty.write_text("<opml><body><outline text='folder'/></body></opml>", encoding="utf-8")
    (only,) = read_source_list(broken)
    assert isinstance(only, Skip) and "not a valid OPML file" in only.reason
    (none,) = read_source_list(empty)
    assert isinstance(none, Skip) and "lists no feeds" in none.reason
    (missing,) = read_source_list(tmp_path / "missing.txt")
    assert isinstance(missing, Skip) and "cannot read" in missing.reason


# --- durations, times, settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("2h30m", 9000), ("1d", 86400), ("1w", 604800), ("20", 1200)],
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "soon", "15x", "0m", "5m then", "m5"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)


def test_parse_since() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert parse_since("24h", now) == "2026-03-01T12:00:00.000+00:00"
    assert parse_since("2026-03-01T06:00+00:00", now) == "2026-03-01T06:00:00.000+00:00"
    local = parse_since("2026-03-01T06:00", now)
    expected = datetime(2026, 3, 1, 6, 0).astimezone().astimezone(UTC)
    assert local == expected.isoformat(timespec="milliseconds")
    with pytest.raises(ConfigError, match="--since"):
        parse_since("last tuesday", now)


def test_user_agent_names_presslens_and_the_contact() -> None:
    cfg = load_config(overrides={"watch": {"contact": "https://desk.example/contact"}})
    agent = user_agent(cfg)
    assert agent.startswith("presslens/") and "+https://desk.example/contact" in agent
    assert user_agent(load_config()) == load_config().ingest.user_agent


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("every_minutes", 0),
        ("host_connections", 0),
        ("host_interval", -1),
        ("contact", "  "),
        ("contact", "x\r\nInjected: 1"),
        ("max_pages", 0),
    ],
)
def test_watch_settings_are_checked(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"watch.{key}"):
        load_config(overrides={"watch": {key: value}})
