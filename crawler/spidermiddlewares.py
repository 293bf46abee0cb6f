"""Incremental crawling: fetch only what is new, stop paging when nothing is.

Sits between the spider and the scheduler. For each discovery page (feed, list,
search, API) it looks up every announced article in the store with one query,
drops those already stored or already rejected, and drops the request for the
next page when this page announced nothing new (nothing unknown, or nothing
newer than ``since``: the spider already left those out).
"""

from __future__ import annotations

import logging

from scrapy import Request

from crawler.spiders.configured import NEXT_PAGE, ROLE
from newsmon import config
from newsmon.storage import StoreError, StoreGateway, reprints

log = logging.getLogger(__name__)


class IncrementalMiddleware:
    def __init__(self, settings, stats, gateway: StoreGateway):
        self.stats = stats
        self.gateway = gateway
        self.urls = config.url_rules(settings)
        self.enabled = settings.getbool("NEWSMON_SKIP_KNOWN")
        self.requested: set[str] = set()   # canonical URLs requested in this run
        self._warned = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings, crawler.stats, StoreGateway.from_crawler(crawler))

    def _known(self, urls: list[str]) -> set[str]:
        if not self.enabled or not urls:
            return set()
        store = self.gateway.store()
        if store is not None:
            try:
                return reprints.known_urls(store, urls)  # stored, rejected, or known as a reprint
            except StoreError as exc:
                self.gateway.failed(exc)
        if not self._warned:
            log.warning("cannot look up known articles (the store is down); fetching everything announced")
            self._warned = True
        return set()

    def process_spider_output(self, response, result, spider=None):
        if response.meta.get(ROLE) != "discovery":
            yield from result
            return
        yield from self._filter(response, list(result))

    async def process_spider_output_async(self, response, result, spider=None):
        if response.meta.get(ROLE) != "discovery":
            async for r in result:
                yield r
            return
        for r in self._filter(response, [r async for r in result]):
            yield r

    def _filter(self, response, out: list) -> list:
        articles = [r for r in out if isinstance(r, Request) and r.meta.get(ROLE) == "article"]
        known = self._known([self.urls.canonical(r.url) for r in articles])
        new, kept = 0, []
        for r in out:
            if isinstance(r, Request) and r.meta.get(ROLE) == "article":
                key = self.urls.canonical(r.url)
                if key in known:
                    self.stats.inc_value("newsmon/skipped_known")
                    continue
                if key in self.requested:
                    self.stats.inc_value("newsmon/skipped_repeated")
                    continue
                self.requested.add(key)
                new += 1
            elif isinstance(r, Request) and r.meta.get(NEXT_PAGE) is not None and r.meta.get(NEXT_PAGE) and new == 0:
                self.stats.inc_value("newsmon/paging_stopped")
                log.info("stop paging after %s: it announced nothing new", response.url)
                continue
            kept.append(r)
        return kept
