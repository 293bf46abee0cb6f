"""`newsmon feed`: the articles `newsmon query` finds as Atom 1.0, checked with a real feed parser (feedparser)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import uuid

import feedparser

from newsmon.storage.mongo import utcnow

LEAD = "会议指出，要加快推动区块链技术和产业创新发展。"


def article(store, title: str, *, province: str | None = "浙江", category: str = "policy", ago: float = 60.0, **extra) -> dict:
    seen = utcnow() - dt.timedelta(seconds=ago)
    doc = {"url": f"http://www.zj.gov.cn/art/{uuid.uuid4().hex[:10]}.html?from=rss&a=1", "title": title,
           "source": "gov_zhejiang", "source_title": "浙江省人民政府", "outlet": "浙江日报", "kind": "gov",
           "first_seen": seen, "published_at": seen - dt.timedelta(hours=3), "category": category, "level": "provincial",
           "province": province, "region": "华东", "domains": ["政务服务", "供应链金融"], "relevance": 0.7,
           "mentions": [title, LEAD], **extra}
    assert store.insert_article(doc)
    return doc


def cli(*args: str) -> tuple[int, str, str]:
    from newsmon.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_feed_is_valid_atom_with_one_entry_per_matching_article(store, tmp_path):
    a = article(store, "浙江省印发《区块链技术应用创新行动方案》", ago=120)
    b = article(store, "杭州：区块链电子发票突破1亿张 & 应用<场景>持续扩大", ago=30)
    article(store, "山东区块链产业园开园", province="山东")
    article(store, "浙江区块链应用案例", category="application")
    out = tmp_path / "zj.xml"
    code, printed, err = cli("feed", "--province", "浙江", "--category", "policy", "--link", "https://intra.example.cn/zj.xml",
                             "-o", str(out))
    assert code == 0 and printed == f"wrote {out}: 2 entries\n", err
    data = out.read_bytes()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>") and "浙江".encode() in data

    feed = feedparser.parse(data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "newsmon: category=policy, province=浙江"
    assert feed.feed.id.startswith("urn:uuid:") and feed.feed.updated_parsed is not None
    assert [link.href for link in feed.feed.links if link.rel == "self"] == ["https://intra.example.cn/zj.xml"]
    assert [e.title for e in feed.entries] == [b["title"], a["title"]]          # newest first, markup intact
    for entry, doc in zip(feed.entries, (b, a)):
        assert entry.link == doc["url"] and entry.id.startswith("urn:uuid:")
        assert entry.author == "浙江日报" and entry.summary == LEAD
        assert dt.datetime(*entry.published_parsed[:6], tzinfo=dt.timezone.utc) == doc["published_at"].replace(microsecond=0)
        assert dt.datetime(*entry.updated_parsed[:6], tzinfo=dt.timezone.utc) == doc["first_seen"].replace(microsecond=0)
        cats = {(t.scheme, t.term) for t in entry.tags}
        assert cats == {("urn:newsmon:category", "policy"), ("urn:newsmon:level", "provincial"),
                        ("urn:newsmon:province", "浙江"), ("urn:newsmon:domain", "政务服务"),
                        ("urn:newsmon:domain", "供应链金融")}
    assert len({e.id for e in feed.entries}) == 2

    # written again: the same ids (readers show each article once), the same feed id
    code, again, _ = cli("feed", "--province", "浙江", "--category", "policy")
    assert code == 0
    second = feedparser.parse(again.encode())
    assert second.bozo == 0 and [e.id for e in second.entries] == [e.id for e in feed.entries]
    assert second.feed.id == feed.feed.id
    code, other, _ = cli("feed", "--province", "山东", "--feed-title", "山东区块链", "--id", "tag:example.cn,2026:sd")
    third = feedparser.parse(other.encode())
    assert third.bozo == 0 and third.feed.title == "山东区块链" and third.feed.id == "tag:example.cn,2026:sd"
    assert [e.title for e in third.entries] == ["山东区块链产业园开园"]


def test_an_empty_feed_is_still_valid_and_the_limit_holds(store, tmp_path):
    code, text, _ = cli("feed", "--text", "没有这样的文章")
    empty = feedparser.parse(text.encode())
    assert code == 0 and empty.bozo == 0 and empty.version == "atom10" and empty.entries == []
    for i in range(4):
        article(store, f"区块链第{i}条", ago=100 - i)
    code, text, _ = cli("feed", "--limit", "3")
    feed = feedparser.parse(text.encode())
    assert feed.bozo == 0 and [e.title for e in feed.entries] == ["区块链第3条", "区块链第2条", "区块链第1条"]
