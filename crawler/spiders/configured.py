"""The generic spider: reads a source's discovery pages and extracts its articles.

A source in config/sources.yaml becomes a subclass with ``name`` and ``source``
set (see crawler/spiderloader.py). Arguments (``-a``):
  since=YYYY-MM-DD   skip entries announced before that day (Asia/Shanghai)
"""

from __future__ import annotations

import datetime as dt
import re

import scrapy

from crawler.discovery.feeds import parse_feed
from crawler.discovery.sitemaps import parse_sitemap
from crawler.extract import extract
from crawler.extract.dates import SHANGHAI
from crawler.items import ArticleItem
from crawler.sources import Source
from newsmon.errors import ConfigError

ROLE = "newsmon_role"          # meta key: "discovery" or "article"
LISTED = "newsmon_listed"      # meta key: what the discovery page said about the article


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

    async def start(self):
        for discovery in self.source.discovery:
            callback = getattr(self, f"parse_{discovery.method}", None)
            if callback is None:
                self.logger.warning("discovery method %s is not supported yet; skipped %s", discovery.method, discovery.url)
                continue
            yield scrapy.Request(discovery.url, callback=callback, cb_kwargs={"discovery": discovery},
                                 meta={ROLE: "discovery"}, dont_filter=True)

    # --- discovery -------------------------------------------------------------
    def parse_rss(self, response, discovery):
        entries = parse_feed(response.body, _header_charset(response))
        self.crawler.stats.inc_value("newsmon/discovery/entries", len(entries))
        if not entries:
            self.logger.warning("feed %s gave no entries (not a feed, or empty)", response.url)
        for entry in entries:
            yield from self.follow_article(entry, "rss")

    def parse_sitemap(self, response, discovery, depth: int = 0):
        sitemap = parse_sitemap(response.body, _header_charset(response))
        self.crawler.stats.inc_value("newsmon/discovery/entries", len(sitemap.entries))
        for child in sitemap.children:
            if depth >= 2 or (self.since and child.date and child.date < self.since):
                continue
            yield scrapy.Request(child.url, callback=self.parse_sitemap, meta={ROLE: "discovery"},
                                 cb_kwargs={"discovery": discovery, "depth": depth + 1})
        for entry in sitemap.entries:
            yield from self.follow_article(entry, "sitemap")

    def follow_article(self, entry, via: str):
        stats = self.crawler.stats
        if self.since and entry.date and entry.date < self.since:
            stats.inc_value("newsmon/skipped/older_than_since")
            return
        if self._article_re and not self._article_re.search(entry.url):
            stats.inc_value("newsmon/skipped/not_article_url")
            return
        listed = {"title": entry.title, "date": entry.date, "via": via}
        yield scrapy.Request(entry.url, callback=self.parse_article, meta={ROLE: "article", LISTED: listed})

    # --- articles --------------------------------------------------------------
    def parse_article(self, response):
        listed = response.meta.get(LISTED) or {}
        ex = extract(response.body, response.url, header_charset=_header_charset(response), selectors=self.source.selectors)
        self.crawler.stats.inc_value("newsmon/articles_found")
        if ex.reason:
            self.logger.info("extraction of %s: %s", response.url, ex.reason)
        published_at, precision = ex.published_at, ex.published_precision
        if published_at is None and listed.get("date"):
            published_at, precision = listed["date"], "listed"
        canonical = response.xpath("//link[@rel='canonical']/@href").get() if hasattr(response, "xpath") else None
        yield ArticleItem(
            url=response.url,
            fetched_url=response.url,
            canonical_link=response.urljoin(canonical.strip()) if canonical else None,
            source=self.source.name,
            source_title=self.source.title,
            kind=self.source.kind,
            source_level=self.source.level,
            source_province=self.source.province,
            discovered_via=listed.get("via", "manual"),
            listed_title=listed.get("title") or "",
            listed_date=listed.get("date"),
            title=ex.title or listed.get("title") or "",
            published_at=published_at,
            published_precision=precision,
            outlet=ex.source,
            authors=ex.authors,
            content=ex.content,
            lang=ex.lang,
            encoding=ex.encoding,
            extract_reason=ex.reason,
        )


def _header_charset(response) -> str | None:
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
    m = re.search(r"charset=([\w\-]+)", ctype, re.I)
    return m.group(1) if m else None
