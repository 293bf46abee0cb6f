"""The generic spider: reads a source's discovery pages and extracts its articles.

A source in config/sources.yaml becomes a subclass with ``name`` and ``source``
set (see crawler/spiderloader.py). The spider only describes pages: which links
a feed, list, search or API page announces and where its next page is. What is
already known, and when paging stops, is decided by
crawler.spidermiddlewares.IncrementalMiddleware.

Arguments (``-a``):
  since=YYYY-MM-DD   skip entries announced before that day (Asia/Shanghai)
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote, urlsplit

import scrapy

from crawler.articles import build_article, header_charset, selectors_of
from crawler.discovery.api import parse_api
from crawler.discovery.entries import discover
from crawler.discovery.feeds import parse_feed
from crawler.discovery.listpages import next_page
from crawler.discovery.sitemaps import parse_sitemap
from crawler.listings import listing_key
from newsmon.config.schemas.sources import Source
from newsmon.errors import ConfigError
from newsmon.vocab import SHANGHAI
from newsmon.workers import Workers

ROLE = "newsmon_role"          # meta: "discovery" or "article"
LISTED = "newsmon_listed"      # meta: what the discovery page said about the article
NEXT_PAGE = "newsmon_next"     # meta: True on a request for the next page of a discovery listing
LISTING = "newsmon_listing"    # meta: the listing (crawler.listings.listing_key) a discovery page belongs to
PAGE = "newsmon_page"          # meta: the page number (1-based) of a discovery page in its listing
PAGE_INFO = "newsmon_page_info"  # meta, set by the callback: entries on the page, and how many predate `since`
FRONTIER_KEY = "newsmon_frontier"  # meta: the canonical URL under which a listing announced the article
DEFAULT_SEARCH_TERMS = ("区块链",)
LISTING_ENDED = object()   # signal: a numbered listing's next page is not there (listing)
ARTICLE_FAILED = object()  # signal: an announced article could not be fetched (url, reason, permanent)


def parse_since(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"since={value!r} is not a date; use YYYY-MM-DD, e.g. since=2026-11-01") from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


class ConfiguredSpider(scrapy.Spider):
    name = None  # abstract: the spider loader makes one named subclass per source
    source: Source

    def __init__(self, *args, since=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_domains = list(self.source.allowed_domains)
        self.since = parse_since(since)
        self._article_re = re.compile(self.source.article_pattern) if self.source.article_pattern else None

    # --- requests --------------------------------------------------------------
    async def start(self):
        for discovery in self.source.discovery:
            terms = (discovery.opt("search_terms") or DEFAULT_SEARCH_TERMS) if discovery.searched else [None]
            for term in terms:
                yield self._page_request(discovery, 1, term=term)

    @staticmethod
    def _fill(template: str, discovery, number: int, term: str | None, encode: bool) -> str:
        """Fill {page} {offset} {start} {end} and {keyword} (the search term); `number` is the site's page number."""
        per_page = discovery.opt("per_page", 20)
        index = number - discovery.opt("page_start", 1)           # 0 for the first page
        word = term or ""
        how = discovery.opt("keyword_encoding")
        if encode:  # into a URL
            word = word if how == "raw" else quote(word) if how == "once" else quote(quote(word))
        elif how == "twice":  # into a form or JSON body, which encodes once more (or not at all)
            word = quote(word)
        return (template.replace("{page}", str(number)).replace("{offset}", str(index * per_page))
                .replace("{start}", str(index * per_page + 1)).replace("{end}", str((index + 1) * per_page))
                .replace("{keyword}", word))

    def _page_request(self, discovery, page: int, *, term: str | None = None, url: str | None = None):
        """Request for page `page` (1-based) of a listing; None when the listing has no such page."""
        number = discovery.opt("page_start", 1) + page - 1
        if url is None:
            if discovery.paged and (discovery.via in ("search", "api") or "{page}" in discovery.url
                                    or discovery.opt("form") or discovery.opt("json_body")):
                url = self._fill(discovery.url, discovery, number, term, encode=True)
            elif page == 1:
                url = self._fill(discovery.url, discovery, number, term, encode=True)
            elif discovery.opt("pages"):
                number = discovery.opt("page_start", 2) + page - 2
                url = discovery.opt("pages").replace("{page}", str(number))
            else:
                return None
        meta = {ROLE: "discovery", NEXT_PAGE: page > 1, LISTING: listing_key(self.source.name, discovery, term),
                PAGE: page}
        if discovery.via == "auto":  # a front page that fails still leads to robots.txt and the common addresses
            meta["handle_httpstatus_all"] = True
        if discovery.opt("javascript", self.source.javascript) and discovery.via in ("list", "search"):
            meta.update(playwright=True, playwright_page_goto_kwargs={"wait_until": "networkidle"})
        headers = {**self.source.headers, **(discovery.opt("headers") or {})}
        # A listing's first page is re-read every run, so it bypasses the duplicate filter, except when
        # processes share one crawl through Redis: then its filter is per crawl and stops a second copy.
        shared = bool(self.settings.get("NEWSMON_REDIS_URL")) if getattr(self, "settings", None) else False
        kwargs = dict(callback=getattr(self, f"parse_{discovery.via}"), errback=self.on_error, meta=meta,
                      dont_filter=page == 1 and not shared,
                      headers=headers or None, cb_kwargs={"discovery": discovery, "page": page, "term": term})
        if discovery.opt("form") is not None:
            form = {k: self._fill(str(v), discovery, number, term, encode=False) for k, v in discovery.opt("form").items()}
            return scrapy.FormRequest(url, formdata=form, method=self._http_method(discovery, "POST"), **kwargs)
        if discovery.opt("json_body") is not None:
            import json as _json

            body = _json.loads(self._fill(_json.dumps(discovery.opt("json_body"), ensure_ascii=False), discovery, number,
                                          term, encode=False))
            return scrapy.http.JsonRequest(url, data=body, method=self._http_method(discovery, "POST"), **kwargs)
        return scrapy.Request(url, method=self._http_method(discovery, "GET"), **kwargs)

    @staticmethod
    def _http_method(discovery, with_body: str) -> str:
        """GET unless the entry says POST; a form or JSON body is POSTed unless it says GET explicitly."""
        given = "method" in discovery.model_fields_set or "http_method" in discovery.model_fields_set
        return discovery.opt("http_method", "GET") if given else with_body

    def _next(self, response, discovery, page: int, term: str | None):
        """The request for the following page, within max_pages (None when there is none)."""
        if page >= discovery.opt("max_pages"):
            return None
        url = None
        by_link = discovery.opt("next") or (discovery.via == "list" and not discovery.opt("pages")
                                             and not discovery.paged)
        if by_link:  # a configured next-page selector, or a link reading 下一页
            url = next_page(response.body, response.url, selector=discovery.opt("next"),
                            header_charset=header_charset(response.headers))
            if url is None:
                return None
        elif not discovery.paged and not discovery.opt("pages"):
            return None
        return self._page_request(discovery, page + 1, term=term, url=url)

    # --- discovery callbacks ------------------------------------------------------
    def parse_rss(self, response, discovery, page=1, term=None):
        entries = parse_feed(response.body, header_charset(response.headers))
        yield from self.follow_entries(response, entries, "rss")

    def parse_sitemap(self, response, discovery, page=1, term=None, depth: int = 0):
        sitemap = parse_sitemap(response.body, header_charset(response.headers))
        for child in sitemap.children:
            if depth >= 2 or (self.since and child.date and child.date < self.since):
                continue
            yield scrapy.Request(child.url, callback=self.parse_sitemap, errback=self.on_error,
                                 meta={ROLE: "discovery", LISTING: response.meta.get(LISTING), PAGE: 0},
                                 cb_kwargs={"discovery": discovery, "depth": depth + 1})
        yield from self.follow_entries(response, sitemap.entries, "sitemap", quiet=bool(sitemap.children))

    def _list_entries(self, response, discovery, via: str):
        """The page's entries (crawler.discovery.entries); a fallback from the configured way is drift."""
        found = discover(discovery, response.body, response.url, article_re=self._article_re,
                         header_charset=header_charset(response.headers))
        if found.drifted:
            stats = self.crawler.stats
            stats.inc_value(f"newsmon/drift/{via}")
            stats.inc_value(f"newsmon/drift_links/{found.how}", len(found.entries))
            self.logger.warning("%s page %s: the configured %s found nothing; %d link(s) found by the %s fallback "
                                "(the site's template changed?)", via, response.url,
                                "selector" if discovery.opt("links") else "article_pattern", len(found.entries),
                                "article_pattern" if found.how == "pattern" else "generic")
        return found.entries

    def parse_list(self, response, discovery, page=1, term=None):
        yield from self.follow_entries(response, self._list_entries(response, discovery, "list"), "list")
        yield from filter(None, [self._next(response, discovery, page, term)])

    def parse_search(self, response, discovery, page=1, term=None):
        yield from self.follow_entries(response, self._list_entries(response, discovery, "search"), "search")
        yield from filter(None, [self._next(response, discovery, page, term)])

    def parse_api(self, response, discovery, page=1, term=None):
        entries = parse_api(response.body, response.url, discovery, header_charset(response.headers))
        yield from self.follow_entries(response, entries, "api")
        yield from filter(None, [self._next(response, discovery, page, term)])

    # --- auto-discovery (crawler/discovery/auto.py) ------------------------------------
    auto_fallback = True   # when every configured discovery found nothing, look for the site's feeds and sitemaps

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._auto_when_idle, signal=scrapy.signals.spider_idle)
        return spider

    def _auto_when_idle(self, spider):
        """Every configured endpoint failed or found nothing: try auto-discovery once, from the front page."""
        stats = self.crawler.stats
        if (not self.auto_fallback or getattr(self, "_auto_tried", False) or stats.get_value("newsmon/discovery/entries")
                or stats.get_value("newsmon/not_modified") or any(d.via == "auto" for d in self.source.discovery)):
            return
        # the site answered (a 404, an empty or changed page), so its front page may tell where the articles went;
        # a site that cannot be reached at all, or that the guard refuses, is not asked again
        answered = (stats.get_value("downloader/response_count") or 0) - (stats.get_value("robotstxt/response_count") or 0)
        failed = answered > 0
        if not failed:
            return
        from scrapy.exceptions import DontCloseSpider

        from newsmon.config.schemas.sources import Auto

        self._auto_tried = True
        first = urlsplit(self.source.discovery[0].url)
        front = f"{first.scheme}://{first.netloc}/"
        stats.set_value("newsmon/auto/fallback", 1)
        self.logger.warning("every configured discovery of %s failed or found nothing; trying auto-discovery from %s",
                            self.source.name, front)
        self.crawler.engine.crawl(self._page_request(Auto(via="auto", url=front), 1))
        raise DontCloseSpider("auto-discovery fallback")

    def _probe(self, url: str, callback, **cb_kwargs):
        """A request auto-discovery makes on a guess: its 404 is no error of the source."""
        return scrapy.Request(url, callback=callback, errback=self._probe_failed, dont_filter=True, cb_kwargs=cb_kwargs,
                              meta={ROLE: "discovery", "handle_httpstatus_all": True, PAGE: 0, "dont_obey_robotstxt":
                                    url.endswith("/robots.txt")})

    def _probe_failed(self, failure):
        self.logger.debug("auto-discovery: %s: %s", failure.request.url, failure.value)

    def parse_auto(self, response, discovery, page=1, term=None):
        """A front page: its declared feeds, robots.txt's sitemaps, the common addresses, else its own main list."""
        from crawler.discovery.auto import alternate_feeds, common_urls
        from crawler.discovery.generic import detect
        from crawler.discovery.listpages import parse_html
        from newsmon.config.schemas.sources import Feed

        tree = parse_html(response.body, header_charset(response.headers)) if response.status < 400 else None
        feeds = alternate_feeds(tree, response.url)
        for url in feeds:
            yield self._page_request(Feed(via="rss", url=url), 1)
        front = urlsplit(response.url)
        yield self._probe(f"{front.scheme}://{front.netloc}/robots.txt", self._auto_robots)
        for url in common_urls(response.url):
            yield self._probe(url, self._auto_probe)
        if tree is not None and not feeds:
            yield from self.follow_entries(response, detect(tree, response.url), "list")

    def _auto_robots(self, response):
        from crawler.discovery.auto import robots_sitemaps
        from newsmon.config.schemas.sources import Sitemap

        self._count_probe(response)
        if response.status == 200:
            for url in robots_sitemaps(response.text if hasattr(response, "text") else "", response.url):
                yield self._page_request(Sitemap(via="sitemap", url=url), 1)

    def _auto_probe(self, response):
        from crawler.discovery.auto import sniff
        from newsmon.config.schemas.sources import Feed, Sitemap

        self._count_probe(response)
        kind = sniff(response.body) if response.status == 200 else None
        if kind == "rss":
            yield from self.parse_rss(response, Feed(via="rss", url=response.url))
        elif kind == "sitemap":
            yield from self.parse_sitemap(response, Sitemap(via="sitemap", url=response.url))

    def _count_probe(self, response):
        if response.status >= 400:  # source_counts leaves these out of the source's errors
            self.crawler.stats.inc_value(f"newsmon/auto_probe_status/{response.status}")

    def follow_entries(self, response, entries, via: str, quiet: bool = False):
        stats = self.crawler.stats
        stats.inc_value("newsmon/discovery/entries", len(entries))
        if not entries and not quiet:
            stats.inc_value("newsmon/discovery/empty_pages")
            self.logger.warning("%s page %s announced no articles (layout changed, or empty)", via, response.url)
        older = 0
        for entry in entries:
            if self.since and entry.date and entry.date < self.since:
                stats.inc_value("newsmon/skipped/older_than_since")
                older += 1
                continue
            if self._article_re and entry.how != "generic" and not self._article_re.search(entry.url):
                stats.inc_value("newsmon/skipped/not_article_url")
                continue
            yield self.article_request(entry.url, {"title": entry.title, "date": entry.date, "via": via})
        response.meta[PAGE_INFO] = {"entries": len(entries), "older_than_since": older}

    def article_request(self, url: str, listed: dict, frontier_key: str | None = None, dont_filter: bool = False):
        """The request for an article page a listing announced (or the frontier kept from an earlier run)."""
        meta = {ROLE: "article", LISTED: listed}
        if frontier_key:
            meta[FRONTIER_KEY] = frontier_key
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_error, meta=meta,
                              headers=self.source.headers or None, dont_filter=dont_filter)

    def on_error(self, failure):
        """One line per page that could not be fetched (the stats count it by kind)."""
        from scrapy.exceptions import IgnoreRequest
        from scrapy.spidermiddlewares.httperror import HttpError

        request = failure.request
        too_large = over_size_cap(failure)
        if too_large:
            self.crawler.stats.inc_value("newsmon/too_large")
        elif failure.check(IgnoreRequest):
            return  # deliberate: known article, robots.txt, off-site, 304, private address
        status = failure.value.response.status if failure.check(HttpError) else None
        if status in (404, 410) and self._numbered_page(request):
            # numbered pages ran out before max_pages: the end of the listing, not an error
            self.crawler.stats.inc_value("newsmon/listing_end")
            self.logger.debug("listing ends before %s (HTTP %s)", request.url, status)
            self.crawler.signals.send_catch_log(LISTING_ENDED, listing=request.meta.get(LISTING), spider=self)
            return
        reason = (f"larger than DOWNLOAD_MAXSIZE ({self.crawler.settings.getint('DOWNLOAD_MAXSIZE')} bytes)"
                  if too_large else f"HTTP {status}" if status else (str(failure.value).strip() or failure.type.__name__))
        self.logger.warning("could not fetch %s: %s", request.url, reason[:200])
        if request.meta.get(ROLE) == "article" and request.meta.get(FRONTIER_KEY):
            # a page over the size cap is the same size next time: give it up now, not on every run
            self.crawler.signals.send_catch_log(ARTICLE_FAILED, url=request.meta[FRONTIER_KEY], reason=reason,
                                                permanent=too_large or status in (404, 410), spider=self)

    @staticmethod
    def _numbered_page(request) -> bool:
        """A request for page 2+ of a listing paged by number (a template or an API's page field)."""
        discovery = request.cb_kwargs.get("discovery")
        return (request.meta.get(ROLE) == "discovery" and bool(request.meta.get(NEXT_PAGE)) and discovery is not None
                and not discovery.opt("next") and bool(discovery.opt("pages") or discovery.paged))

    # --- articles --------------------------------------------------------------
    async def parse_article(self, response):
        charset = header_charset(response.headers)
        # the CPU work in a worker process once the crawl is large enough, so the reactor keeps downloading
        ex = await Workers.from_crawler(self.crawler).extract(response.body, response.url, charset, selectors_of(self.source))
        item = build_article(response.body, response.url, source=self.source, listed=response.meta.get(LISTED),
                             charset=charset, extraction=ex)
        item["frontier_key"] = response.meta.get(FRONTIER_KEY)
        self.crawler.stats.inc_value("newsmon/articles_found")
        if item.get("extract_reason"):
            self.logger.info("extraction of %s: %s", response.url, item["extract_reason"])
        yield item


def over_size_cap(failure) -> bool:
    """Was the download stopped by DOWNLOAD_MAXSIZE (announced, streamed or when decompressed)?

    Scrapy's HTTP/1.1 handler cancels a streamed body past the cap (a bare
    ``CancelledError``: nothing else cancels a download there), refuses an announced
    Content-Length over it (``DownloadCancelledError``), and the compression middleware
    ignores a body that inflates past it (an ``IgnoreRequest`` naming the setting).
    """
    from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
    from twisted.internet.defer import CancelledError

    if failure.check(DownloadCancelledError, CancelledError):
        return True
    return bool(failure.check(IgnoreRequest)) and "DOWNLOAD_MAXSIZE" in str(failure.value)

