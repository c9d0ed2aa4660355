"""RSS and Atom feeds: one article per entry; feeds found by extension and by content."""

from __future__ import annotations

from pathlib import Path

from ingest_helpers import one_skip, run

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example  News</title><link>https://www.example.com/</link>
<item>
  <title>First story</title><link>https://www.example.com/a</link>
  <guid>https://www.example.com/a</guid>
  <pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
  <description>Short summary one</description>
  <content:encoded><![CDATA[<p>Full <b>content</b> one.</p><script>track()</script>
    <p>Second para.</p>]]></content:encoded>
</item>
<item>
  <title>Second story</title><link>/b</link>
  <description>&lt;p&gt;Only a summary, café.&lt;/p&gt;</description>
</item>
<item><title>Empty one</title><link>https://www.example.com/c</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Site</title>
<entry><id>tag:atom.example,2024:1</id><title>A1</title>
<link href="https://atom.example/1"/><updated>2024-03-05T10:00:00Z</updated>
<content type="text">Plain text content.</content></entry>
</feed>
"""


def test_rss_entries(tmp_path: Path) -> None:
    f = tmp_path / "news.rss"
    f.write_text(RSS, "utf-8")
    articles, skips = run([f])
    first, second = articles
    assert first.title == "First story"
    assert first.text == "Full content one.\n\nSecond para."
    assert first.url == "https://www.example.com/a"
    assert first.published == "2024-03-05T10:00:00+00:00"
    assert (first.source, first.source_from) == ("Example News", "record")
    assert first.origin == f"{f}#entry-1"
    assert first.html is None
    assert second.text == "Only a summary, café."
    assert second.url == "https://www.example.com/b"
    assert second.published is None
    assert len({first.id, second.id}) == 2
    assert [(s.path, s.location, s.reason) for s in skips] == [
        (str(f), "feed entry 3 (Empty one)", "no content or summary")
    ]
    again, _ = run([f])
    assert [a.id for a in again] == [first.id, second.id]


def test_atom_feed(tmp_path: Path) -> None:
    f = tmp_path / "site.atom"
    f.write_text(ATOM, "utf-8")
    (article,), skips = run([f])
    assert skips == []
    assert (article.title, article.text, article.url) == (
        "A1",
        "Plain text content.",
        "https://atom.example/1",
    )
    assert article.published == "2024-03-05T10:00:00+00:00"
    assert article.source == "Atom Site"


def test_feed_found_by_content(tmp_path: Path) -> None:
    as_txt = tmp_path / "looks-like-text.txt"
    as_txt.write_text(ATOM, "utf-8")
    no_ext = tmp_path / "feed"
    no_ext.write_text(RSS, "utf-8")
    as_html = tmp_path / "served.html"
    as_html.write_text(ATOM, "utf-8")
    articles, _ = run([as_txt, no_ext, as_html])
    assert [a.title for a in articles] == ["A1", "First story", "Second story", "A1"]
    assert [a.id for a in articles][-1] == f"{articles[0].id}-2"


def test_not_a_feed(tmp_path: Path) -> None:
    prose = tmp_path / "prose.rss"
    prose.write_text("this is not XML at all, just words", "utf-8")
    skip = one_skip([prose])
    assert skip.reason.startswith("not an RSS/Atom feed: ")
    assert "syntax error" in skip.reason
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>', "utf-8"
    )
    assert one_skip([sitemap]).reason == "not an RSS/Atom feed"
    empty_channel = tmp_path / "empty.xml"
    empty_channel.write_text('<rss version="2.0"><channel><title>T</title></channel></rss>')
    assert one_skip([empty_channel]).reason == "feed has no entries"


def test_mangled_xml_declaration(tmp_path: Path) -> None:
    f = tmp_path / "mangled.rss"
    f.write_bytes(b'<?xml version="1.0" encoding="\x88x"?><rss version="2.0"><channel/></rss>')
    assert one_skip([f]).reason.startswith("not an RSS/Atom feed: cannot parse")
