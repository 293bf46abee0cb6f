"""Discovery, incremental runs, politeness and HTTP edge cases over real HTTP on loopback."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import pytest

from newsmon.storage import Store
from newsmon.storage.runs import RunLog
from newsmon.testing.httpsite import Route, Site
from newsmon.testing.servers import connect
from newsmon.testing.sites import SEED_ITEMS, GovSite, article_html

from conftest import ROOT, run_cli

FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWSMON_RETRY_BACKOFF_BASE=0.05", "-s", "DOWNLOAD_TIMEOUT=10"]


@pytest.fixture
def crawl(tmp_path, mongo_uri):
    """crawl(sources_yaml, *args, allow_private=True) -> (CompletedProcess, Store) via `newsmon run`."""
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    shutil.copy(ROOT / "config" / "keywords.yaml", cfg / "keywords.yaml")
    env = {"NEWSMON_CONFIG_DIR": str(cfg), "MONGO_URI": mongo_uri, "MONGO_DATABASE": os.environ["MONGO_DATABASE"]}
    store = connect(mongo_uri, os.environ["MONGO_DATABASE"])

    def run(sources: str, *args: str, allow_private: bool = True, expect_ok: bool = True):
        (cfg / "sources.yaml").write_text("sources:\n" + sources, encoding="utf-8")
        extra = {"NEWSMON_ALLOW_PRIVATE": "1" if allow_private else "0"}
        result = run_cli("newsmon", "run", *FAST, *args, env={**env, **extra})
        if expect_ok:
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        return result, store

    run.env = env
    return run


def last_run(store: Store) -> dict:
    return RunLog(store).recent(1)[0]


def article_hits(site: Site, since: int = 0) -> list[str]:
    return [p for p in site.paths_hit()[since:] if "/content/" in p]


def test_list_pagination_then_incremental_runs(crawl):
    with Site() as site:
        gov = GovSite(site, n=12, per_page=5)
        src = gov.source_yaml()
        _, store = crawl(src)
        run = last_run(store)["sources"]["gov_local"]
        assert run["articles_stored"] == 12 and run["entries"] == 12
        assert sorted(set(article_hits(site))) == sorted(a["path"] for a in gov.articles)
        assert site.paths_hit().count("/zhengce/zuixin_2.htm") == 1  # all three list pages read
        agent = site.hits[0][2]["User-Agent"]
        assert agent.startswith("newsmon/") and "+https://" in agent  # honest, with a contact URL

        # unchanged site: the first list page answers 304 to If-None-Match, nothing else is fetched
        mark = len(site.hits)
        crawl(src)
        assert [p for p in site.paths_hit()[mark:] if p != "/robots.txt"] == ["/zhengce/zuixin.htm"]
        assert site.hits[mark + 1][2].get("If-None-Match") or site.hits[mark][2].get("If-None-Match")
        assert last_run(store)["sources"]["gov_local"]["not_modified"] == 1

        # one new article on top: page 1 changes and still holds the last pass's newest entry (the mark),
        # so paging stops there
        new = gov.add_article(dt.date(2026, 11, 21))
        gov.publish()
        mark = len(site.hits)
        crawl(src)
        hits = site.paths_hit()[mark:]
        assert article_hits(site, mark) == [new["path"]]
        assert "/zhengce/zuixin_1.htm" not in hits
        assert last_run(store)["sources"]["gov_local"]["articles_stored"] == 1

        # six new articles: the mark moves to page 2, which is read; page 3 is not
        for _ in range(6):
            gov.add_article(dt.date(2026, 11, 22))
        gov.publish()
        mark = len(site.hits)
        crawl(src)
        hits = site.paths_hit()[mark:]
        assert len(article_hits(site, mark)) == 6 and "/zhengce/zuixin_1.htm" in hits and "/zhengce/zuixin_2.htm" not in hits
        assert last_run(store)["sources"]["gov_local"]["articles_found"] == 6  # (seed texts repeat: some merge as reprints)


def test_since_limits_by_date_and_stops_paging(crawl):
    with Site() as site:
        gov = GovSite(site, n=12, per_page=4, etag=False)  # dates 11-20 back to 11-15
        crawl(gov.source_yaml(), "--since", "2026-11-19")
        hits = site.paths_hit()
        fetched = sorted(article_hits(site))
        expected = sorted(a["path"] for a in gov.articles if a["when"].date() >= dt.date(2026, 11, 19))
        assert fetched == expected and len(expected) == 4
        assert "/zhengce/zuixin_2.htm" not in hits  # page 2 announced nothing newer than since


def test_http_edge_cases(crawl):
    """Redirects (same site / offsite), 404, 500 with retries, a timeout, gzip, GBK bytes, wrong charset, robots.txt."""
    items = SEED_ITEMS
    with Site() as site:
        def page(i, charset="utf-8"):
            return article_html(items[i]["title"], items[i]["text"], dt.datetime(2026, 11, 20, 10, i), charset=charset)

        site.add("/robots.txt", Route(b"User-agent: *\nDisallow: /secret/\n", headers={"Content-Type": "text/plain"}))
        site.add("/a/ok.htm", Route(page(0).encode()))
        site.add("/a/gbk.htm", Route(page(1, "gb2312").encode("gb18030"), headers={"Content-Type": "text/html"}))
        site.add("/a/liar.htm", Route(page(2, "gbk").encode("utf-8"), headers={"Content-Type": "text/html; charset=gbk"}))
        site.add("/a/zipped.htm", Route(page(3).encode(), gzip=True))
        site.add("/a/moved.htm", Route(b"", 301, {"Location": "/a/target.htm"}))
        site.add("/a/target.htm", Route(page(4).encode()))
        site.add("/a/away.htm", Route(b"", 302, {"Location": f"http://localhost:{site.port}/a/offsite.htm"}))
        site.add("/a/offsite.htm", Route(page(5).encode()))
        site.add("/a/broken.htm", Route(b"oops", 500))
        site.add("/a/slow.htm", Route(page(6).encode(), delay=10))  # beyond DOWNLOAD_TIMEOUT=4, even on a busy machine
        site.add("/a/huge.htm", Route(page(8).encode() + b"<!--" + b"x" * 3_000_000 + b"-->"))
        site.add("/secret/hidden.htm", Route(page(7).encode()))
        links = ["ok", "gbk", "liar", "zipped", "moved", "away", "broken", "slow", "missing", "huge"]
        listing = "".join(f'<li><a href="/a/{n}.htm">{items[i]["title"]}</a> 2026-11-20</li>' for i, n in enumerate(links))
        listing += f'<li><a href="/secret/hidden.htm">{items[7]["title"]}</a> 2026-11-20</li>'
        site.add("/list.htm", Route(f"<html><body><ul>{listing}</ul></body></html>".encode()))
        src = f"""  - name: edge
    title: edge cases
    kind: gov
    level: central
    allowed_domains: [127.0.0.1]
    discovery:
      - list: {{url: '{site.url('/list.htm')}', links: 'ul li a', max_pages: 1}}
"""
        result, store = crawl(src, "-s", "RETRY_TIMES=2", "-s", "DOWNLOAD_MAXSIZE=2000000", "-s", "DOWNLOAD_TIMEOUT=4")
        hits = site.paths_hit()
        assert "/secret/hidden.htm" not in hits and hits.count("/robots.txt") == 1
        assert "/a/offsite.htm" not in hits  # redirect to another host is not followed
        assert hits.count("/a/broken.htm") == 3  # first try + 2 retries
        titles = {d["title"] for d in store.db.articles.find({}, {"title": 1})}
        assert {items[i]["title"] for i in (0, 1, 2, 3, 4)} <= titles
        assert items[5]["title"] not in titles and items[6]["title"] not in titles
        assert items[8]["title"] not in titles  # over the size cap: cancelled, not stored
        gbk = store.find_article(site.url("/a/gbk.htm"))
        assert gbk["encoding"] == "gb18030" and items[1]["text"][:20] in gbk["content"]
        assert store.find_article(site.url("/a/target.htm"))["fetched_url"] == site.url("/a/target.htm")
        errors = last_run(store)["sources"]["edge"]["errors"]
        assert errors.get("http_500") == 3 and errors.get("http_404") == 1
        assert hits.count("/a/slow.htm") == 3 and errors.get("timeout") == 3, errors  # the slow page: first try + 2 retries
        assert "errors: " in result.stdout and "http_500 3" in result.stdout


def test_private_addresses_are_refused_by_default(crawl):
    with Site() as site:
        gov = GovSite(site, n=3)
        result, store = crawl(gov.source_yaml(), allow_private=False, expect_ok=False)
        assert site.hits == []
        assert "0 pages fetched" in result.stdout and "refused_address 1" in result.stdout
        # a run the guard refused entirely is a failed run: cron and systemd must see it
        assert result.returncode == 1 and last_run(store)["status"] == "failed"
        assert "gov_local refused" in last_run(store)["reason"]


def test_search_and_api_discovery(crawl):
    with Site() as site:
        gov = GovSite(site, n=6, per_page=6)
        results = "".join(f'<div class="result"><h3><a href="{a["path"]}">{a["title"]}</a></h3><span>{a["when"]:%Y-%m-%d}</span></div>'
                          for a in gov.articles[:3])
        site.add("/search?q=%E5%8C%BA%E5%9D%97%E9%93%BE&p=1", Route(f"<html><body>{results}</body></html>".encode()))
        site.add("/search?q=%E5%8C%BA%E5%9D%97%E9%93%BE&p=2", Route(b"<html><body>no more</body></html>"))
        api = {"code": 0, "data": {"list": [{"id": a["path"].rsplit("_", 1)[1][:-4], "title": a["title"],
                                            "publishTime": int(a["when"].timestamp() * 1000)} for a in gov.articles[3:]]}}
        site.add("/api/list?page=0", Route(("cb(" + json.dumps(api, ensure_ascii=False) + ");").encode(),
                                           headers={"Content-Type": "application/javascript"}))
        site.add("/api/list?page=1", Route(b'cb({"code":0,"data":{"list":[]}})'))
        src = f"""  - name: searchy
    title: search and api
    kind: gov
    level: central
    allowed_domains: [127.0.0.1]
    discovery:
      - search: {{url: '{site.url('/search?q={keyword}&p={page}')}', links: '.result h3 a', max_pages: 2}}
      - api:
          url: '{site.url('/api/list?page={page}')}'
          page_start: 0
          items: data.list
          link_template: '/zhengce/content/2026-11/{{id}}.htm'
          title: title
          date: publishTime
"""
        # the API template cannot know each article's day folder; serve its links too
        for a in gov.articles[3:]:
            site.add("/zhengce/content/2026-11/" + a["path"].rsplit("_", 1)[1], site.routes[a["path"]])
        _, store = crawl(src)
        counts = last_run(store)["sources"]["searchy"]
        assert counts["entries"] == 6 and counts["articles_stored"] == 6
        assert "/search?q=%E5%8C%BA%E5%9D%97%E9%93%BE&p=2" in site.paths_hit()
        stored = list(store.db.articles.find({"discovered_via": "api"}, {"title": 1}))
        assert len(stored) == 3


def test_empty_source_is_flagged_after_three_runs(crawl):
    with Site() as site:
        site.add("/empty.htm", Route(b"<html><body><ul></ul></body></html>"))
        src = f"""  - name: broken_list
    title: a list whose layout changed
    kind: gov
    level: provincial
    province: 河北
    allowed_domains: [127.0.0.1]
    discovery:
      - list: {{url: '{site.url('/empty.htm')}', links: 'ul li a'}}
"""
        for n in range(3):
            _, store = crawl(src)
            health = store.health()["broken_list"]
            assert health["empty_streak"] == n + 1
        assert health["flagged"] == "yes"
        listing = run_cli("newsmon", "sources", env=crawl.env)
        assert listing.returncode == 0
        line = next(ln for ln in listing.stdout.splitlines() if "broken_list" in ln)
        assert "FLAGGED" in line and "河北" in line


def test_javascript_list_is_rendered(crawl):
    with Site() as site:
        gov = GovSite(site, n=3)
        links = json.dumps([[a["path"], a["title"]] for a in gov.articles], ensure_ascii=False)
        script = ("<script>const items=" + links + ";document.addEventListener('DOMContentLoaded',()=>{const ul=document.getElementById('l');"
                  "for(const [h,t] of items){const li=document.createElement('li');const a=document.createElement('a');"
                  "a.href=h;a.textContent=t;li.appendChild(a);ul.appendChild(li);}});</script>")
        site.add("/js-list.htm", Route(f"<html><head>{script}</head><body><ul id='l'></ul></body></html>".encode()))
        src = f"""  - name: js_list
    title: list built in the browser
    kind: gov
    level: central
    javascript: true
    allowed_domains: [127.0.0.1]
    discovery:
      - list: {{url: '{site.url('/js-list.htm')}', links: 'ul#l li a', max_pages: 1}}
"""
        _, store = crawl(src)
        assert last_run(store)["sources"]["js_list"]["articles_stored"] == 3
        assert sorted(article_hits(site)) == sorted(a["path"] for a in gov.articles)


def test_retry_backoff_grows_and_honours_retry_after():
    from scrapy.http import Request, Response
    from scrapy.settings import Settings

    from crawler.middlewares import BackoffRetryMiddleware

    mw = BackoffRetryMiddleware(Settings({"RETRY_ENABLED": True, "NEWSMON_RETRY_BACKOFF_BASE": 2.0, "NEWSMON_RETRY_BACKOFF_MAX": 60}))
    delays = [mw._delay(Request("http://x.cn/", meta={"retry_times": n})) for n in range(5)]
    assert 1.5 <= delays[0] <= 2.5 and 6 <= delays[2] <= 10 and delays[4] <= 60
    assert all(b > a for a, b in zip(delays[:4], delays[1:4]))
    busy = Response("http://x.cn/", status=429, headers={"Retry-After": "30"})
    assert mw._delay(Request("http://x.cn/"), busy) >= 30


def test_hanweb_cdata_lists_post_paging_headers_and_double_encoded_search(crawl):
    """Structures the real sites use: a Hanweb (大汉) column whose records sit in
    <script type="text/xml"> CDATA with further pages POSTed to dataproxy.jsp, and a
    guestweb4-style search wanting a Referer and a twice-encoded keyword."""
    from urllib.parse import parse_qs, quote

    with Site() as site:
        gov = GovSite(site, n=9, per_page=9, etag=False)
        arts = gov.articles

        def record(a):
            return (f"<record><![CDATA[<li><a href=\"{a['path']}\" title=\"{a['title']}\">{a['title']}</a>"
                    f"<span>{a['when']:%Y-%m-%d}</span></li>]]></record>")

        first = ("<html><body><div id='1234'><script type=\"text/xml\"><datastore><recordset>"
                 + "".join(record(a) for a in arts[:3]) + "</recordset></datastore></script></div></body></html>")
        site.add("/col/col1544/index.html", Route(first.encode()))

        def dataproxy(handler):
            form = parse_qs(handler.post_body.decode())
            start, end = int(form["startrecord"][0]), int(form["endrecord"][0])
            chunk = arts[start - 1:end]
            xml = '<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>9</totalrecord><recordset>' + "".join(record(a) for a in chunk) + "</recordset></datastore>"
            return Route(xml.encode(), headers={"Content-Type": "text/xml"})

        site.add("/module/web/jpage/dataproxy.jsp?col=1&columnid=1544&perpage=3", dataproxy)

        def search(handler):
            if handler.headers.get("Referer") != site.url("/search/"):
                return Route(b"forbidden", 403)
            if quote(quote("区块链")) not in handler.path:
                return Route(b"<html><body>no results</body></html>")
            return Route(json.dumps({"html": "".join(f"<p><a href='{a['path']}'>{a['title']}</a> 2026-11-18</p>"
                                                     for a in arts[6:])}, ensure_ascii=False).encode(),
                         headers={"Content-Type": "application/json"})

        site.add("/guestweb4/s?searchWord=" + quote(quote("区块链")) + "&page=1", search)

        def post_search(handler):
            form = parse_qs(handler.post_body.decode())
            if form.get("qt") != ["区块链"]:
                return Route(b'{"resultDocs": []}')
            docs = [{"data": {"url": a["path"], "title": a["title"]}} for a in arts[:2]]
            return Route(json.dumps({"resultDocs": docs}, ensure_ascii=False).encode(), headers={"Content-Type": "application/json"})

        site.add("/so/ss/query/s", post_search)
        src = f"""  - name: hanweb_like
    title: 大汉 CMS 栏目
    kind: gov
    level: provincial
    province: 江苏
    allowed_domains: [127.0.0.1]
    headers: {{Referer: '{site.url('/search/')}'}}
    discovery:
      - list:
          url: '{site.url('/col/col1544/index.html')}'
          max_pages: 1
      - list:
          url: '{site.url('/module/web/jpage/dataproxy.jsp?col=1&columnid=1544&perpage=3')}'
          method: POST
          form: {{startrecord: '{{start}}', endrecord: '{{end}}', perpage: '3'}}
          per_page: 3
          max_pages: 3
      - search:
          url: '{site.url('/guestweb4/s?searchWord={keyword}&page={page}')}'
          keyword_encoding: twice
          json_html: html
          max_pages: 1
      - api:
          url: '{site.url('/so/ss/query/s')}'
          method: POST
          form: {{qt: '{{keyword}}', page: '{{page}}', pageSize: '20'}}
          items: resultDocs
          link: data.url
          title: data.title
          max_pages: 1
"""
        _, store = crawl(src)
        counts = last_run(store)["sources"]["hanweb_like"]
        assert counts["articles_stored"] == 9, counts
        posts = [(p, b) for (m, p, _), b in zip(site.hits, site.bodies) if m == "POST"]
        assert [parse_qs(b.decode())["startrecord"] for p, b in posts if "dataproxy" in p] == [["1"], ["4"], ["7"]]
        assert [parse_qs(b.decode())["qt"] for p, b in posts if "/so/" in p] == [["区块链"]]
        assert sum("/content/" in p for p in site.paths_hit()) == 9  # records on both the page and page 1 fetched once
        stored_via = {d["discovered_via"] for d in store.db.articles.find({}, {"discovered_via": 1})}
        # articles 4-6 are announced only by the dataproxy list, 7-9 only by the search; 1-2 also by the API,
        # and which of the concurrent discoveries reaches them first is up to the network
        assert {"list", "search"} <= stored_via <= {"list", "search", "api"}


def test_unreachable_source_is_flagged_apart_from_an_empty_one(crawl):
    from conftest import free_port

    dead = f"http://127.0.0.1:{free_port()}"
    src = f"""  - name: dead_site
    title: a site that is down
    kind: gov
    level: city
    province: 广东
    city: 深圳
    allowed_domains: [127.0.0.1]
    discovery:
      - rss: {dead}/rss.xml
"""
    for n in range(3):
        result, store = crawl(src, "-s", "RETRY_TIMES=0", expect_ok=False)
        assert result.returncode == 1 and last_run(store)["status"] == "failed"  # nothing could be reached
        health = store.health()["dead_site"]
        assert health["unreachable_streak"] == n + 1 and health["empty_streak"] == 0
    assert health["flag_reason"] == "unreachable" and health["last_status"] == "unreachable"
    assert "No source could be reached" in result.stdout and "connection_refused" in result.stdout
    assert "Traceback" not in result.stderr
    line = next(ln for ln in run_cli("newsmon", "sources", env=crawl.env).stdout.splitlines() if "dead_site" in ln)
    assert "FLAGGED: unreachable in 3 runs" in line
