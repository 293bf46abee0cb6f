"""Drift: a stale selector degrades to the generic detector instead of going silent; auto-discovery; sources add."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from crawler.discovery.auto import infer_pattern, robots_sitemaps, sniff
from crawler.discovery.entries import list_entries
from crawler.discovery.generic import detect
from crawler.discovery.listpages import parse_html
from newsmon.storage.runs import RunLog
from newsmon.testing.httpsite import Route, Site
from newsmon.testing.servers import connect
from newsmon.testing.sites import GovSite, article_html, distinct_text

from conftest import ROOT, run_cli

FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWSMON_RETRY_BACKOFF_BASE=0.05", "-s", "DOWNLOAD_TIMEOUT=3"]

TITLES = ["国务院办公厅关于推进区块链技术应用的指导意见", "市政府常务会议研究部署数字经济发展工作", "关于开展2026年度营商环境评估工作的通知",
          "全省政务服务一网通办改革取得新进展", "我市召开优化营商环境工作推进会议", "关于印发数据要素市场化配置改革方案的通知"]


def channel_page(items: str) -> bytes:
    nav = "".join(f'<a href="/col/col{i}/index.html">{w}</a>' for i, w in enumerate(["首页", "政务公开", "政策文件", "互动交流"]))
    hot = "".join(f'<div class="h"><a href="/hot/{i}.html">热点{i}</a></div>' for i in range(3))
    pager = '<div class="pg"><a href="index_1.html">下一页</a><a href="index_5.html">尾页</a><a href="index_2.html">2</a></div>'
    foot = '<div class="ft"><a href="/about.html">关于我们</a><a href="/map.html">网站地图</a><a href="/login">登录</a></div>'
    return (f'<html><head><meta charset="utf-8"><title>政策文件</title></head><body><div class="n">{nav}</div>'
            f'<div class="w"><div class="m">{items}{pager}</div><div class="s">{hot}</div></div>{foot}</body></html>').encode()


@pytest.mark.parametrize("shape", ["/zwgk/202611/t2026112{i}_71234{i}.html", "/zhengce/content/2026-11/2{i}/content_7100{i}.htm",
                                   "/n1/2026/112{i}/c1004-3210{i}.html", "/xinwen/2026-11/2{i}/c_11289{i}.htm",
                                   "/art/2026/11/2{i}/art_1229_59{i}.html"])
def test_generic_detector_finds_the_main_list_only(shape):
    items = "".join(f'<p class="r"><a href="{shape.format(i=i)}">{t}</a><span>2026-11-2{i}</span></p>'
                    for i, t in enumerate(TITLES))
    found = detect(parse_html(channel_page(items)), "http://www.example.gov.cn/zwgk/zcwj/")
    assert [e.title for e in found] == TITLES  # no nav, hot box, pager, footer or login link
    assert {e.how for e in found} == {"generic"}
    assert found[0].date == dt.datetime(2026, 11, 20, tzinfo=found[0].date.tzinfo)


def test_generic_detector_reads_a_page_wrapped_in_a_form_but_not_a_search_box():
    """ASP.NET pages wrap the whole page in one form, forums their thread table: a big form is no furniture."""
    items = "".join(f'<p class="r"><a href="/art/2026/11/2{i}/art_1229_59{i}.html">{t}</a></p>' for i, t in enumerate(TITLES))
    search = "".join(f'<a href="/so/{i}/t2026112{i}_1{i}.html">热门搜索词条第{i}号推荐</a>' for i in range(4))
    page = channel_page(items).replace(b"<body>", b'<body><form id="form1" action="index.aspx">').replace(
        b"</body>", f'</form><form action="/so"><input name="q">{search}</form></body>'.encode())
    found = detect(parse_html(page), "http://www.example.gov.cn/zwgk/zcwj/index.aspx")
    assert [e.title for e in found] == TITLES


def test_generic_detector_prefers_the_feed_to_a_portals_channel_boxes():
    """A home page's boxes (a few links each, every box another section) are not one list split over blocks."""
    feed = "".join(f'<div class="row"><h3><a href="http://news.example.cn/26/1120/1{i}/ABCDEFGH{i}0001.html">{t}</a></h3>'
                   f'<span>2026-11-20</span></div>' for i, t in enumerate(TITLES))
    boxes = "".join(
        f'<div class="box"><h2>{chan}</h2><div class="l">' + "".join(
            f'<p><a href="http://{host}.example.cn/26/1120/0{k}/ZYXWVUTS{k}{j}0001.html">{chan}频道今日要闻第{k}条详细报道</a></p>'
            for k in range(3)) + '</div></div>'
        for j, (chan, host) in enumerate([("财经", "money"), ("体育", "sports"), ("娱乐", "ent"), ("汽车", "auto"), ("科技", "tech")]))
    page = channel_page(f'<div class="feed">{feed}</div><div class="side">{boxes}</div>')
    found = detect(parse_html(page), "http://news.example.cn/")
    assert [e.title for e in found] == TITLES
    # one section's boxes are a list split over blocks, and stay one
    same = boxes.replace("money.", "news.").replace("sports.", "news.").replace("ent.", "news.").replace(
        "auto.", "news.").replace("tech.", "news.")
    found = detect(parse_html(channel_page(f'<div class="side">{same}</div>')), "http://news.example.cn/")
    assert len(found) == 15


def test_selector_then_pattern_then_generic():
    import re

    items = "".join(f'<p class="r"><a href="/art/2026/11/2{i}/art_1229_59{i}.html">{t}</a></p>' for i, t in enumerate(TITLES))
    body, url = channel_page(items), "http://www.example.gov.cn/col/col1/index.html"
    ok = list_entries(body, url, links="div.m p.r a", article_re=None)
    assert ok.how == "selector" and not ok.drifted and len(ok.entries) == 6
    by_pattern = list_entries(body, url, links="ul.gone li a", article_re=re.compile(r"/art/\d{4}/"))
    assert by_pattern.how == "pattern" and by_pattern.drifted and len(by_pattern.entries) == 6
    generic = list_entries(body, url, links="ul.gone li a", article_re=re.compile(r"/old/shape/"))
    assert generic.how == "generic" and generic.drifted and len(generic.entries) == 6
    bare = list_entries("<html><body><p>暂无信息</p></body></html>".encode(), url, links="ul.gone li a", article_re=None)
    assert bare.entries == [] and not bare.drifted  # a page without links did not drift: it is empty


def test_auto_discovery_helpers():
    assert robots_sitemaps("User-agent: *\nSitemap: /sitemap.xml\nsitemap: https://x.cn/news.xml\n", "https://x.cn/") == \
        ["https://x.cn/sitemap.xml", "https://x.cn/news.xml"]
    assert sniff(b'<?xml version="1.0"?><rss version="2.0">') == "rss"
    assert sniff(b'<?xml version="1.0"?><urlset xmlns="x">') == "sitemap"
    assert sniff(b"<!DOCTYPE html><html><body>feed</body></html>") is None
    urls = [f"http://www.zj.gov.cn/art/2026/11/{d}/art_1229_{n}.html" for d, n in [(20, 5), (19, 61), (3, 777)]]
    pattern = infer_pattern(urls + ["http://www.zj.gov.cn/col/col1/index.html"], "www.zj.gov.cn")
    import re

    assert all(re.search(pattern, u) for u in urls)
    assert re.search(pattern, "http://www.zj.gov.cn/art/2027/1/5/art_1300_1.html")
    assert not re.search(pattern, "http://www.zj.gov.cn/col/col1/index.html")


@pytest.fixture
def crawl(tmp_path, mongo_uri):
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    shutil.copy(ROOT / "config" / "keywords.yaml", cfg / "keywords.yaml")
    env = {"NEWSMON_CONFIG_DIR": str(cfg), "MONGO_URI": mongo_uri, "MONGO_DATABASE": os.environ["MONGO_DATABASE"],
           "NEWSMON_ALLOW_PRIVATE": "1"}
    store = connect(mongo_uri, os.environ["MONGO_DATABASE"])

    def run(sources: str):
        (cfg / "sources.yaml").write_text("sources:\n" + sources, encoding="utf-8")
        result = run_cli("newsmon", "run", *FAST, env=env)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        return result, store

    run.env, run.cfg = env, cfg
    return run


def test_stale_selector_still_stores_and_reports_drift_and_auto_discovery(crawl, monkeypatch):
    """One run, two sources: a redesigned list behind a stale selector, and a `discovery: auto` site.

    The run that records the drift puts a source_drifted event in the outbox; notify tells it to the
    watch that listens for drift (once per drift), not to the other.
    """
    from test_notify import Receiver, cli

    ops, other_watch = Receiver(), Receiver()
    (crawl.cfg / "watches.yaml").write_text(f"""
watches:
  - name: ops
    articles: false
    events: [source_drifted]
    channels: [{{webhook: "{ops.url()}"}}]
  - name: runs
    articles: false
    events: [run_failed, source_flagged]
    channels: [{{webhook: "{other_watch.url()}"}}]
""", encoding="utf-8")
    try:
        _drift_and_auto(crawl, monkeypatch, ops, other_watch, cli)
    finally:
        ops.close()
        other_watch.close()


def _drift_and_auto(crawl, monkeypatch, ops, other_watch, cli):
    with Site() as site, Site() as other, Site() as moved:
        gov = GovSite(site, n=4, per_page=5, distinct=True)
        # the redesign: new markup and new article addresses (the old selector and pattern both miss)
        items = ""
        for i, a in enumerate(gov.articles):
            path = f"/xwzx/2026-11/2{i}/detail_{800 + i}.html"
            site.add(path, site.routes[a["path"]])
            items += f'<p class="item"><a href="{path}">{a["title"]}</a><em>{a["when"]:%Y-%m-%d}</em></p>'
        site.add("/zhengce/zuixin.htm", Route(channel_page(items)))

        auto = GovSite(other, n=3, distinct=True)
        for i, a in enumerate(auto.articles):  # texts of their own: not reprints of the first site's
            other.add(a["path"], Route(article_html(f"区块链自动发现第{i}号", distinct_text(50 + i), a["when"]).encode()))
        urls = "".join(f"<url><loc>{other.url(a['path'])}</loc><lastmod>{a['when']:%Y-%m-%d}</lastmod></url>"
                       for a in auto.articles)
        other.add("/robots.txt", Route(f"User-agent: *\nSitemap: {other.url('/sm.xml')}\n".encode(),
                                       headers={"Content-Type": "text/plain"}))
        other.add("/sm.xml", Route(f'<?xml version="1.0"?><urlset>{urls}</urlset>'.encode(),
                                   headers={"Content-Type": "application/xml"}))
        other.add("/", Route(b"<html><head><title>site</title></head><body><a href='/about.html'>about us</a></body></html>"))
        # a site whose configured feed went away (404): the auto-discovery fallback finds its sitemap
        gone = GovSite(moved, n=2, distinct=True)
        for i, a in enumerate(gone.articles):
            moved.add(a["path"], Route(article_html(f"区块链迁移站点第{i}号", distinct_text(70 + i), a["when"]).encode()))
        moved.add("/robots.txt", Route(f"User-agent: *\nSitemap: {moved.url('/new/sm.xml')}\n".encode(),
                                       headers={"Content-Type": "text/plain"}))
        moved.add("/new/sm.xml", Route(('<?xml version="1.0"?><urlset>' + "".join(
            f"<url><loc>{moved.url(a['path'])}</loc></url>" for a in gone.articles) + "</urlset>").encode(),
            headers={"Content-Type": "application/xml"}))
        src = gov.source_yaml(max_pages=1) + "\n".join([
            "  - name: auto_site", "    kind: media", "    level: central", "    allowed_domains: [127.0.0.1]",
            "    discovery:", f"      - auto: {other.url('/')}",
            "  - name: moved_site", "    kind: media", "    level: central", "    allowed_domains: [127.0.0.1]",
            "    discovery:", f"      - rss: {moved.url('/old/feed.xml')}"]) + "\n"
        result, store = crawl(src)
        sources = RunLog(store).recent(1)[0]["sources"]
        counts = sources["gov_local"]
        assert counts["articles_stored"] == 4 and counts["drift"] == {"list": 1}
        assert counts["drift_links"] == {"generic": 4}
        assert "DRIFTED" in result.stdout
        health = store.health()["gov_local"]
        assert health["drifted"] == "yes" and health["drifted_at"] is not None and health["flagged"] == "no"
        listing = run_cli("newsmon", "sources", env=crawl.env)
        line = next(ln for ln in listing.stdout.splitlines() if ln.startswith("gov_local"))
        assert "DRIFTED since" in line and "2 drifted" in listing.stdout, result.stdout + result.stderr[-6000:]
        fell_back = sources["moved_site"]
        assert fell_back["articles_stored"] == 2 and fell_back["drift"] == {"auto": 1}, fell_back
        assert "every configured endpoint (auto-discovery took over)" in result.stdout

        found = sources["auto_site"]
        assert found["articles_stored"] == 3 and found["errors"] == {}, found  # missed guesses are no errors
        assert "/sm.xml" in other.paths_hit() and "/rss.xml" in other.paths_hit()

        events = {e["key"]: e for e in store.db["notify_events"].find({"kind": "source_drifted"})}
        assert set(events) == {"source_drifted:gov_local:1", "source_drifted:moved_site:1"}
        event = events["source_drifted:gov_local:1"]
        assert "gov_local drifted" in event["subject"] and "4 by generic" in event["text"]
        for key, value in crawl.env.items():
            monkeypatch.setenv(key, value)
        code, out, _ = cli("notify")
        assert code == 0 and "ops → webhook" in out and "sent 2 event(s)" in out and "nothing new" in out, out
        assert sorted(e["key"] for e in ops.bodies()[0]["events"]) == sorted(events)
        assert other_watch.requests == []
        # a drift that lasts is told once; one that ends and comes back is told again
        drifting = {**counts, "drift": {"list": 1}}
        store.record_health("gov_local", "R2", drifting, "ok")
        assert cli("notify")[1].count("nothing new") == 2 and len(ops.requests) == 1
        store.record_health("gov_local", "R3", {**counts, "drift": {}, "drift_links": {}}, "ok")
        assert store.record_health("gov_local", "R4", drifting, "ok")["drift_started"]
        code, out, _ = cli("notify")                     # this one found by notify in source_health
        assert code == 0 and out.splitlines()[0].endswith("sent 1 event(s)"), out
        assert [e["key"] for e in ops.bodies()[1]["events"]] == ["source_drifted:gov_local:4"]


def test_sources_add_proposes_a_loadable_entry(tmp_path, monkeypatch):
    front = channel_page("".join(f'<p class="r"><a href="/art/2026/11/2{i}/art_1229_59{i}.html">{t}</a></p>'
                                 for i, t in enumerate(TITLES))).replace(
        b"<title>\xe6\x94\xbf\xe7\xad\x96\xe6\x96\x87\xe4\xbb\xb6</title>",
        "<title>宁波市人民政府</title><link rel='alternate' type='application/rss+xml' href='/rss.xml'>".encode())
    page = tmp_path / "front.html"
    page.write_bytes(front)
    result = run_cli("newsmon", "sources", "add", "http://www.ningbo.gov.cn/", "--page", str(page))
    assert result.returncode == 0, result.stderr
    proposal = result.stdout
    assert "kind: gov" in proposal and "level: city" in proposal and "rss: http://www.ningbo.gov.cn/rss.xml" in proposal
    # a provincial host the configured sources know lends its level and province
    result = run_cli("newsmon", "sources", "add", "http://fgw.zj.gov.cn/", "--page", str(page))
    assert "level: provincial" in result.stdout and "province: 浙江" in result.stdout
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "sources.yaml").write_text("sources:\n" + "\n".join("  " + ln for ln in proposal.splitlines()
                                                                if not ln.startswith("#")) + "\n", encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    from newsmon import config

    (source,) = config.sources(config.get_settings())  # through the config loader and its schema
    assert source.name == "gov_ningbo" and source.city == "宁波" and source.discovery[0].via == "rss"
    import re

    assert re.search(source.article_pattern, "http://www.ningbo.gov.cn/art/2027/1/5/art_1300_1.html")

