"""Incremental crawling that survives interruption: fetch what is new, and what was left undone.

Sits between the spider and the scheduler:

* **at start**, articles that earlier runs saw announced but never handled (the
  frontier, storage/frontier.py) are requested before anything else;
* **for each discovery page** (feed, list, search, API) every announced article is
  looked up in the store with one query; those already stored, rejected or known as
  a reprint are dropped, the others are recorded in the frontier *before* they are
  requested, so a crash loses nothing that was announced;
* **paging** stops where the previous complete pass reached (its mark: crawler/
  listings.py), or where every entry predates ``since``; a page that merely holds
  nothing new does not stop it, because an interrupted run may have left older
  pages unread. A pass that stops this way is complete and moves the mark.

With NEWSMON_SKIP_KNOWN off every announced article is fetched and every listing
is read to max_pages.
"""

from __future__ import annotations

import logging

from scrapy import Request

from crawler.listings import Listings
from crawler.spiders.configured import ARTICLE_FAILED, FRONTIER_KEY, LISTED, LISTING, LISTING_ENDED, NEXT_PAGE, PAGE, PAGE_INFO, ROLE
from newsmon import config
from newsmon.storage import StoreError, StoreGateway, reprints
from newsmon.storage.frontier import GIVE_UP_AFTER, Frontier, listed_of
from newsmon.storage.runs import RunLog, run_id_for

log = logging.getLogger(__name__)


class IncrementalMiddleware:
    def __init__(self, crawler, gateway: StoreGateway):
        self.crawler = crawler
        self.stats = crawler.stats
        self.gateway = gateway
        self.listings = Listings.from_crawler(crawler)
        self.urls = config.url_rules(crawler.settings)
        self.enabled = crawler.settings.getbool("NEWSMON_SKIP_KNOWN")
        self.requested: set[str] = set()   # canonical URLs requested in this run
        self._warned = False

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler, StoreGateway.from_crawler(crawler))
        crawler.signals.connect(mw.article_failed, signal=ARTICLE_FAILED)
        crawler.signals.connect(mw.listing_ended, signal=LISTING_ENDED)
        return mw

    # --- the store, when it answers ------------------------------------------------------------
    def _frontier(self) -> Frontier | None:
        store = self.gateway.store()
        return Frontier(store) if store is not None else None

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

    def _run_id(self) -> str:
        """The run this crawl reports into: it claims what its listings announce."""
        return run_id_for(self.crawler.settings, self.crawler.stats)

    # --- start: what earlier runs left undone --------------------------------------------------
    async def process_start(self, start):
        for request in self._leftovers():
            yield request
        async for request in start:
            yield request

    def _leftovers(self) -> list[Request]:
        spider = self.crawler.spider
        frontier = self._frontier()
        if frontier is None or not hasattr(spider, "article_request"):
            return []
        try:
            pending = frontier.pending(spider.name)
            known = self._known([d["_id"] for d in pending])
            frontier.done(known)  # handled meanwhile (a spill written back, another process)
            runs = RunLog(frontier.store)
            runs.close_dead(self.crawler.settings.getfloat("NEWSMON_RUN_STALE_AFTER"))
            live = {r["_id"] for r in runs.running()}
            pending = frontier.claim([d for d in pending if d["_id"] not in known and d["_id"] not in self.requested],
                                     self._run_id(), live)
        except StoreError as exc:
            self.gateway.failed(exc)
            return []
        out = []
        for doc in pending:
            self.requested.add(doc["_id"])
            # past the duplicate filter: under Redis the process that died may have filed its fingerprint
            out.append(spider.article_request(doc["_id"], listed_of(doc), frontier_key=doc["_id"], dont_filter=True))
        if out:
            self.stats.inc_value("newsmon/frontier/resumed", len(out))
            log.info("%s: %d article(s) announced by earlier runs were not fetched yet; fetching them first",
                     spider.name, len(out))
        return out

    # --- discovery pages -------------------------------------------------------------------------
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
        listing, page = response.meta.get(LISTING), response.meta.get(PAGE) or 0
        articles = [r for r in out if isinstance(r, Request) and r.meta.get(ROLE) == "article"]
        keys = [self.urls.canonical(r.url) for r in articles]
        known = self._known(keys)
        at_mark = self._at_mark(response, listing, page, keys, articles)
        kept, fresh = [], []
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
                r.meta[FRONTIER_KEY] = key
                fresh.append((key, r.meta.get(LISTED) or {}))
            elif isinstance(r, Request) and r.meta.get(NEXT_PAGE) and at_mark:
                self.stats.inc_value("newsmon/paging_stopped")
                log.info("stop paging after %s: the last complete pass reached this far", response.url)
                continue
            kept.append(r)
        self._record(listing, fresh)
        if listing and page and not any(isinstance(r, Request) and r.meta.get(NEXT_PAGE) for r in kept):
            self.listings.complete(listing)  # the listing ended, or paging stopped at the mark
        return kept

    def _at_mark(self, response, listing: str | None, page: int, keys: list[str], articles: list[Request]) -> bool:
        """Has this pass reached what the last complete pass covered (or what predates `since`)?"""
        if not listing or not page:
            return False
        entries = [(k, (r.meta.get(LISTED) or {}).get("date")) for k, r in zip(keys, articles)]
        at_mark = self.listings.page(listing, page, entries)
        if not self.enabled:
            return False
        info = response.meta.get(PAGE_INFO) or {}
        return at_mark or bool(info.get("entries") and info.get("older_than_since") == info.get("entries"))

    def _record(self, listing: str | None, fresh: list[tuple[str, dict]]) -> None:
        """Announced and about to be requested: in the frontier first, so a crash cannot lose them."""
        if not fresh:
            return
        frontier = self._frontier()
        if frontier is None:
            return  # the store is down: this run fetches them now; nothing older depends on it
        try:
            frontier.add(self.crawler.spider.name, listing or "", fresh, claim=self._run_id())
        except StoreError as exc:
            self.gateway.failed(exc)

    def listing_ended(self, listing: str | None, spider=None) -> None:
        if listing:
            self.listings.complete(listing)

    # --- an announced article could not be fetched ------------------------------------------------
    def article_failed(self, url: str, reason: str, permanent: bool, spider=None) -> None:
        frontier = self._frontier()
        if frontier is None:
            return
        try:
            tries = frontier.tried(url)
            if permanent or tries >= GIVE_UP_AFTER:
                frontier.store.mark_rejected(url, self.crawler.spider.name, f"could not be fetched: {reason}")
                frontier.done([url])
                self.stats.inc_value("newsmon/frontier/given_up")
        except StoreError as exc:
            self.gateway.failed(exc)

