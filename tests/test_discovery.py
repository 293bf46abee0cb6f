"""Feeds and sitemaps: real GB2312 feeds from the corpus, the people.com.cn snapshot, Atom."""

from __future__ import annotations

import datetime as dt

from crawler.discovery.feeds import parse_date_any, parse_feed
from crawler.discovery.sitemaps import parse_sitemap

from conftest import FIXTURES, ROOT

SNAP = ROOT / "snapshot"
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


# --- list pages: real pages, item counts as upstream's tests expect them ------------------------
import re  # noqa: E402

import pytest  # noqa: E402

from crawler.discovery.api import parse_api  # noqa: E402
from crawler.discovery.listpages import next_page, parse_list  # noqa: E402

LISTS = FIXTURES / "extract" / "gerapy_autoextractor"  # real list pages with their LICENSE and ORIGIN.md


@pytest.mark.parametrize("name, kwargs, expected", [
    ("hrfund_announcement", {"links": ".infor-con ul.fixed li a"}, 10),
    ("rtfund_xxpl", {"links": ".info_ne ul li a"}, 15),
    ("dfa66_announcement", {"links": "ul.glist li a"}, 10),
    ("hsqhfunds_announcement", {"article_re": re.compile(r"/upload/user/.+\.pdf$")}, 20),
])
def test_real_list_pages(name, kwargs, expected):
    entries = parse_list((LISTS / f"{name}.html").read_bytes(), "http://fund.example.cn/list/", **kwargs)
    assert len(entries) == expected
    assert all(e.title and e.url.startswith("http") for e in entries)
    assert all(e.date is not None for e in entries)  # each item prints its date beside the link
    assert len({e.url for e in entries}) == expected


def test_item_dates_come_from_the_item_not_the_page():
    body = ("<html><body><p>更新时间：2026-11-21</p><ul>"
            "<li><a href='/a/1.htm'>关于推进区块链应用的通知</a><span>2026-11-20</span></li>"
            "<li><a href='/a/2.htm'>关于印发试点方案的通知</a></li></ul>"
            "<div class='footer'>2026-01-01</div></body></html>").encode()
    a, b = parse_list(body, "http://www.gov.cn/zhengce/", links="ul li a")
    assert a.date.day == 20 and b.date is None


def test_next_page_link_detection():
    dfa = (LISTS / "dfa66_announcement.html").read_bytes()
    assert next_page(dfa, "http://www.dfa66.com/list/").endswith("/list/index2.html")
    assert next_page(b"<a href='p3.htm'>3</a><a href='p2.htm'>next page</a>", "http://x.cn/p1.htm") == "http://x.cn/p2.htm"
    assert next_page(b"<div class=pg><a class=nx href='?page=2'>&gt;&gt;</a></div>", "http://x.cn/l", selector="a.nx") == "http://x.cn/l?page=2"
    assert next_page(b"<a href='javascript:void(0)'>\xe4\xb8\x8b\xe4\xb8\x80\xe9\xa1\xb5</a>", "http://x.cn/") is None


def test_api_items_jsonp_and_epoch_dates():
    body = b'jQuery123({"data":{"items":[{"u":"/n/1.html","t":"A","ts":1763600000},{"u":"","t":"skip"},{"t":"no link"}]}});'
    [e] = parse_api(body, "https://m.example.cn/api", {"items": "data.items", "link": "u", "title": "t", "date": "ts"})
    assert e.url == "https://m.example.cn/n/1.html" and e.date.year == 2025
    assert parse_api(b"not json", "https://x", {"items": "a", "link": "u"}) == []
