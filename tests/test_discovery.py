"""Feeds and sitemaps: real GB2312 feeds from the corpus, the people.com.cn snapshot, Atom."""

from __future__ import annotations

import datetime as dt

from conftest import FIXTURES
from crawler.discovery.feeds import parse_date_any, parse_feed
from crawler.discovery.sitemaps import parse_sitemap

SNAP = FIXTURES / "snapshot"
GB2312_FEEDS = FIXTURES / "feeds_gb2312"


def test_people_rss_snapshot():
    entries = parse_feed((SNAP / "www.people.com.cn/rss/politics.xml").read_bytes())
    assert len(entries) == 9
    first = entries[0]
    assert first.title.startswith("山东：提升区块链") and first.url.startswith("http://sd.people.com.cn/n1/2020/0323/")
    assert first.date == dt.datetime(2020, 3, 23, 9, 0, tzinfo=first.date.tzinfo) and first.date.utcoffset() == dt.timedelta(hours=8)


def test_news_sitemap_snapshot():
    sm = parse_sitemap((SNAP / "politics.people.com.cn/news_sitemap.xml").read_bytes())
    assert not sm.children and len(sm.entries) == 11
    assert all(e.date and e.title for e in sm.entries)


def test_real_gb2312_feeds_decode_and_parse():
    files = sorted(GB2312_FEEDS.glob("*.xml"))
    assert len(files) >= 5
    total = 0
    for path in files:
        entries = parse_feed(path.read_bytes())
        total += len(entries)
        for e in entries:
            assert e.url.startswith("http")
            assert "\ufffd" not in e.title, (path.name, e.title)
    assert total >= 30
    # a title we know is Chinese in GB2312 bytes comes out as Chinese characters
    titles = [e.title for p in files for e in parse_feed(p.read_bytes())]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles)


def test_feed_with_wrong_declaration_trusts_the_bytes():
    body = ('<?xml version="1.0" encoding="gb2312"?><rss><channel><item><title>区块链政策</title>'
            '<link>http://www.gov.cn/a.htm</link><pubDate>Mon, 09 Nov 2026 10:00:00 +0800</pubDate></item></channel></rss>').encode("utf-8")
    [entry] = parse_feed(body)
    assert entry.title == "区块链政策" and entry.date.hour == 10


def test_atom_and_sitemap_index():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>
      <link rel="alternate" href="https://example.gov.cn/1.html"/><updated>2026-11-20T08:00:00Z</updated></entry></feed>"""
    [e] = parse_feed(atom)
    assert e.url == "https://example.gov.cn/1.html" and e.date.tzinfo == dt.timezone.utc
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://x.cn/s1.xml</loc><lastmod>2026-11-01</lastmod></sitemap></sitemapindex>"""
    sm = parse_sitemap(index)
    assert [c.url for c in sm.children] == ["https://x.cn/s1.xml"] and not sm.entries


def test_garbage_is_empty_not_an_error():
    assert parse_feed(b"") == [] and parse_feed(b"\x00\xff\xfe binary") == []
    assert parse_sitemap(b"<html><body>not a sitemap</body></html>").entries == []


def test_date_forms():
    assert parse_date_any("Tue, 10 Nov 2026 08:00:00 GMT").tzinfo is not None
    assert parse_date_any("2026-11-10 08:00:00").utcoffset() == dt.timedelta(hours=8)
    assert parse_date_any("2026年11月10日").day == 10
    assert parse_date_any("") is None and parse_date_any("soon") is None
