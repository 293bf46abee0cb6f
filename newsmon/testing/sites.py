"""Loopback sites that follow real Chinese site structures, for crawl tests and benchmarks.

`GovSite` follows www.gov.cn's 最新政策 channel: a TRS-style list (index.htm,
index_1.htm, …) of ``<li><h4><a>title</a><span class="date">YYYY-MM-DD</span></h4></li>``
items, and article pages shaped like gov.cn's (h1, .pages-date with 来源, #UCAP-CONTENT).
Article text comes from real news items (the analysts' seed digest).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from newsmon.testing.httpsite import Route, Site

DATA = Path(__file__).resolve().parent / "data"
SEED_ITEMS = [json.loads(line) for line in (DATA / "seed_items.jsonl").read_text(encoding="utf-8").splitlines()]
SENTENCES = (DATA / "sentences.txt").read_text(encoding="utf-8").split()


def distinct_text(i: int, sentences: int = 3) -> str:
    """Article body number i: real sentences no other small i combines the same way, plus a blockchain lead.

    Sentence j of article i is pool[(i * sentences + j * 37) % len(pool)]: two articles
    below len(pool) / sentences share at most one sentence, far from a near duplicate.
    """
    n = len(SENTENCES)
    picked = [SENTENCES[(i * sentences + j * 37) % n] for j in range(sentences)]
    return "\n".join([f"第{i}号：本地推进区块链技术应用，第{i}批项目上线。", *picked])

LIST_TEMPLATE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>最新政策_中国政府网</title></head><body>
<div class="header"><a href="/">首页</a> <a href="/zhengce/">政策</a> <a href="/hudong/">互动</a></div>
<div class="list list_1 list_2"><ul>{items}</ul></div>
<div class="pages">{pager}</div>
<div class="footer">版权所有：中国政府网 | 关于我们 2026-01-01</div>
</body></html>"""

ARTICLE_TEMPLATE = """<!DOCTYPE html><html><head><meta charset="{charset}">
<title>{title}_滚动新闻_中国政府网</title>
<meta name="firstpublishedtime" content="{when:%Y-%m-%d-%H:%M:%S}">
</head><body>
<div class="header"><a href="/">首页</a> | <a href="/zhengce/">政策</a> | 区块链专题推荐</div>
<div class="article oneColumn pub_border">
<h1>{title}</h1>
<div class="pages-date">{when:%Y-%m-%d %H:%M}<span class="font">来源： {outlet}</span></div>
<div class="pages_content" id="UCAP-CONTENT">{body}</div>
<div class="editor">【我要纠错】 责任编辑：王洋</div>
</div>
<div class="related"><h3>相关稿件</h3><ul><li><a href="/zhengce/content/2019-10/25/content_1.htm">往期稿件 2019-10-25</a></li></ul></div>
</body></html>"""


def article_html(title: str, text: str, when: dt.datetime, outlet: str = "新华社", charset: str = "utf-8") -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return ARTICLE_TEMPLATE.format(title=html.escape(title), body=paras, when=when, outlet=outlet, charset=charset)


class GovSite:
    """A gov.cn-like policy channel on loopback with `n` articles, `per_page` per list page."""

    def __init__(self, site: Site, n: int = 12, per_page: int = 5, start: dt.date = dt.date(2026, 11, 20),
                 etag: bool = True, list_path: str = "/zhengce/zuixin", distinct: bool = False, delay: float = 0.0):
        """``distinct``: every article a text of its own (distinct_text), so none merges as a reprint;
        ``delay``: seconds each article page takes to answer."""
        self.site, self.per_page, self.etag, self.list_path = site, per_page, etag, list_path
        self.distinct, self.delay = distinct, delay
        self.articles: list[dict] = []
        for i in range(n):
            self.add_article(start - dt.timedelta(days=i // 2), at_end=True)
        self.publish()

    def add_article(self, day: dt.date, at_end: bool = False, text: str | None = None, title: str | None = None) -> dict:
        n = len(self.articles)
        seed = SEED_ITEMS[n % len(SEED_ITEMS)]
        when = dt.datetime(day.year, day.month, day.day, 9 + n % 8, 30)
        path = f"/zhengce/content/{day:%Y-%m}/{day:%d}/content_{7000000 + n}.htm"
        if self.distinct:
            title, text = title or f"区块链应用第{n}号项目上线", text or distinct_text(n)
        art = {"path": path, "title": title or f"{seed['title']}（{n}）", "text": text or seed["text"], "when": when}
        self.site.add(path, Route(article_html(art["title"], art["text"], when).encode("utf-8"), delay=self.delay))
        if at_end:
            self.articles.append(art)
        else:
            self.articles.insert(0, art)
        return art

    def list_url(self, page: int = 0) -> str:
        return self.site.url(f"{self.list_path}.htm" if page == 0 else f"{self.list_path}_{page}.htm")

    def publish(self) -> None:
        """(Re)build the list pages from the articles, newest first; ETag changes with content."""
        pages = [self.articles[i:i + self.per_page] for i in range(0, len(self.articles), self.per_page)] or [[]]
        for p, chunk in enumerate(pages):
            items = "".join(f'<li><h4><a href="{a["path"]}" target="_blank">{html.escape(a["title"])}</a>'
                            f'<span class="date">{a["when"]:%Y-%m-%d}</span></h4></li>' for a in chunk)
            pager = f'<a href="{self.list_path}_{p + 1}.htm">下一页</a>' if p + 1 < len(pages) else ""
            body = LIST_TEMPLATE.format(items=items, pager=pager).encode("utf-8")
            path = f"{self.list_path}.htm" if p == 0 else f"{self.list_path}_{p}.htm"
            tag = f'"{abs(hash(body))}"' if self.etag else None
            self.site.add(path, Route(body, etag=tag))

    def source_yaml(self, name: str = "gov_local", **extra) -> str:
        lines = [f"  - name: {name}", "    title: 中国政府网（本地）", "    kind: gov", "    level: central",
                 "    allowed_domains: [127.0.0.1]", r"    article_pattern: '/zhengce/content/\d{4}-\d{2}/\d{2}/content_\d+\.htm'",
                 "    discovery:", "      - list:", f"          url: {self.list_url()}",
                 "          links: 'div.list ul li a'", f"          pages: '{self.site.base}{self.list_path}_{{page}}.htm'",
                 "          page_start: 1", f"          max_pages: {extra.pop('max_pages', 10)}"]
        for key, value in extra.items():
            lines.append(f"    {key}: {value}")
        return "\n".join(lines) + "\n"
