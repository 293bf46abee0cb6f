"""A real Scrapy Crawler with newsmon's project settings, for building components in tests."""

from __future__ import annotations

from typing import Any


def crawler_for(overrides: dict[str, Any] | None = None, spidercls=None):
    """A configured (not started) Crawler: settings, add-ons and stats applied, as in a crawl."""
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.utils.test import get_reactor_settings

    from newsmon.config.settings import get_settings

    settings = get_settings({**get_reactor_settings(), **(overrides or {})})
    crawler = Crawler(spidercls or type("TestSpider", (Spider,), {"name": "test"}), settings)
    crawler._apply_settings()  # as scrapy.utils.test.get_crawler does: add-ons, stats, then frozen settings
    return crawler
