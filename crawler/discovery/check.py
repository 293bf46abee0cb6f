"""The spider behind ``newsmon sources check``: each discovery endpoint fetched once, one article sampled.

It is the source's own spider (ConfiguredSpider) with its requests, robots.txt,
the address guard, the User-Agent, retries and the offline snapshot, but every
discovery page goes through crawler.discovery.entries.discover, the parsing a
crawl uses, and is reported instead of followed: status, links and how they were
found, the newest listed date and a verdict. The first announced article is
fetched and built by the crawl's article builder, to show what a crawl would
store. Nothing is written to the store.
"""

from __future__ import annotations

import scrapy

from crawler.articles import build_article, header_charset
from crawler.discovery.entries import Found, discover
from crawler.discovery.verdict import page_verdict
from crawler.spiders.configured import DEFAULT_SEARCH_TERMS, ROLE, ConfiguredSpider

INDEX = "newsmon_check_index"   # meta: which discovery of the source a request checks

# Components a check does without: it reads no store and writes none.
CHECK_SETTINGS = {
    "ITEM_PIPELINES": {},
    "SPIDER_MIDDLEWARES": {"crawler.spidermiddlewares.IncrementalMiddleware": None},
    "DOWNLOADER_MIDDLEWARES": {"crawler.middlewares.ConditionalGetMiddleware": None},
    "EXTENSIONS": {"crawler.extensions.RunRecorder": None},
    "HTTPERROR_ALLOW_ALL": True,     # a 403 is an answer to report, not an error to skip
    "LOGSTATS_INTERVAL": 0,
}


class CheckSpider(ConfiguredSpider):
    """Set ``name`` and ``source`` in a subclass (see :func:`check_spider`)."""

    address_guard = True
    records_health = False
    auto_fallback = False

    def __init__(self, *args, keywords=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.keywords = keywords
        self.results: list[dict] = []
        for i, d in enumerate(self.source.discovery):
            self.results.append({"index": i, "via": d.via, "url": d.url, "status": None, "links": 0, "how": "",
                                 "newest": None, "verdict": "unreachable", "reason": "no answer",
                                 "configured": "selector" if d.opt("links") else
                                 "pattern" if self.source.article_pattern else ""})
        self.sample: dict | None = None
        self._sampled = False

    async def start(self):
        for i, discovery in enumerate(self.source.discovery):
            term = (discovery.opt("search_terms") or DEFAULT_SEARCH_TERMS)[0] if discovery.searched else None
            request = self._page_request(discovery, 1, term=term)
            request.meta[INDEX] = i
            request.meta["dont_filter"] = True
            yield request.replace(errback=self.check_failed, dont_filter=True)

    def _next(self, response, discovery, page, term):
        return None  # one page per endpoint

    # every discovery callback of the crawl spider becomes a check of the page
    def parse_rss(self, response, discovery, page=1, term=None):
        yield from self._check(response, discovery)

    def parse_sitemap(self, response, discovery, page=1, term=None, depth: int = 0):
        yield from self._check(response, discovery)

    def parse_list(self, response, discovery, page=1, term=None):
        yield from self._check(response, discovery)

    def parse_search(self, response, discovery, page=1, term=None):
        yield from self._check(response, discovery)

    def parse_api(self, response, discovery, page=1, term=None):
        yield from self._check(response, discovery)

    def parse_auto(self, response, discovery, page=1, term=None):
        # the front page only (declared feeds, its main list): a crawl also tries robots.txt and common addresses
        yield from self._check(response, discovery)

    def _check(self, response, discovery):
        result = self.results[response.meta[INDEX]]
        charset = header_charset(response.headers)
        found = Found()
        if response.status < 400:
            found = discover(discovery, response.body, response.url, article_re=self._article_re,
                             header_charset=charset)
            if found.drifted:
                self.crawler.stats.inc_value(f"newsmon/drift/{discovery.via}")
        entries = [e for e in found.entries
                   if e.how == "generic" or not self._article_re or self._article_re.search(e.url)]
        found.entries = entries
        verdict, reason = page_verdict(response.status, response.body, found, charset,
                                       javascript=bool(discovery.opt("javascript", self.source.javascript)),
                                       auto=discovery.via == "auto")
        dates = [e.date for e in entries if e.date]
        result.update(status=response.status, final_url=response.url, links=len(entries), how=found.how,
                      **({"feeds": [c.url for c in found.children]} if discovery.via == "auto" else
                         {"sitemaps": len(found.children)}), newest=max(dates) if dates else None, verdict=verdict,
                      reason=reason, first=[{"url": e.url, "title": e.title, "date": e.date, "how": e.how}
                                            for e in entries[:3]])
        if entries and not self._sampled:
            self._sampled = True
            yield scrapy.Request(entries[0].url, callback=self.parse_sample, errback=self.sample_failed,
                                 meta={ROLE: "article"}, headers=self.source.headers or None, dont_filter=True,
                                 cb_kwargs={"listed": {"title": entries[0].title, "date": entries[0].date,
                                                       "via": discovery.via}})

    def check_failed(self, failure):
        request = failure.request
        result = self.results[request.meta[INDEX]]
        text = str(failure.value).strip() or failure.type.__name__
        if "robots.txt" in text:
            result.update(verdict="blocked", reason="robots.txt disallows it")
        elif "refused:" in text:
            result.update(verdict="unreachable", reason=f"the address guard {text}")
        elif "not in cache" in text.lower() or "ignored request" in text.lower():
            result.update(verdict="unreachable", reason="not in the offline snapshot")
        else:
            result.update(verdict="unreachable", reason=f"{failure.type.__name__}: {text}"[:200])

    def parse_sample(self, response, listed):
        if response.status >= 400:
            self.sample = {"url": response.url, "error": f"HTTP {response.status}"}
            return
        item = build_article(response.body, response.url, source=self.source, listed=listed,
                             charset=header_charset(response.headers))
        content = item.get("content") or ""
        terms = self.keywords.find(f"{item.get('title') or ''}\n{content}") if self.keywords else None
        self.sample = {"url": item["url"], "title": item.get("title") or "", "date": item.get("published_at"),
                       "body_chars": len(content), "outlet": item.get("outlet") or "",
                       "blockchain_terms": sorted(terms) if terms else []}

    def sample_failed(self, failure):
        self.sample = {"url": failure.request.url, "error": (str(failure.value).strip() or failure.type.__name__)[:200]}


def check_spider(source) -> type[CheckSpider]:
    """The check spider class of one configured source."""
    return type(f"Check{source.name.title().replace('_', '')}Spider", (CheckSpider,),
                {"name": source.name, "source": source, "__module__": __name__})
