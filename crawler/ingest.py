"""A one-page crawl: the spider behind ``newsmon ingest``.

A page given by hand goes through the same article builder and the same item
pipeline as a crawled one, because it *is* crawled: this spider yields the item
for a saved file at once, or fetches the URL (one GET, Scrapy's download
timeout, the size cap) and builds the item from the response. It lives outside
SPIDER_MODULES, so ``scrapy list`` does not show it.
"""

from __future__ import annotations

import scrapy

from crawler.articles import build_article, header_charset
from crawler.spiders.configured import ROLE


class IngestSpider(scrapy.Spider):
    name = "ingest"
    run_trigger = "newsmon ingest"   # the crawl_runs record says how the article came in
    records_health = False           # one page by hand says nothing about the source's health
    address_guard = False            # a page the user names is fetched wherever it is, like curl would;
    custom_settings = {              # the guard protects crawls from the links they find
        "ROBOTSTXT_OBEY": False,
        "RETRY_TIMES": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "LOGSTATS_INTERVAL": 0,
    }

    def __init__(self, *args, page: dict, source=None, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page, self.source, self.kind = page, source, kind
        self.failure: str | None = None

    async def start(self):
        page = self.page
        if page.get("body") is not None:  # a saved file
            yield build_article(page["body"], page.get("url"), source=self.source, charset=page.get("charset"),
                                kind=self.kind, fallback_url=page.get("fallback_url", ""))
            return
        yield scrapy.Request(page["url"], callback=self.parse_article, errback=self.on_error,
                             meta={ROLE: "article"}, dont_filter=True)

    def parse_article(self, response):
        if response.status >= 400:
            self.failure = f"the server answered HTTP {response.status}"
            return
        item = build_article(response.body, self.page.get("as_url") or response.url, source=self.source,
                             charset=self.page.get("charset") or header_charset(response.headers), kind=self.kind,
                             fetched_url=response.url)
        yield item

    def on_error(self, failure):
        from scrapy.spidermiddlewares.httperror import HttpError

        if failure.check(HttpError):
            self.failure = f"the server answered HTTP {failure.value.response.status}"
        else:
            self.failure = str(failure.value).strip() or failure.type.__name__
