"""Downloader middlewares newsmon adds to Scrapy's defaults."""

from __future__ import annotations

import logging

from pymongo.errors import PyMongoError
from scrapy.exceptions import IgnoreRequest

from crawler.spiders.configured import ROLE
from newsmon.errors import StoreUnavailable
from newsmon.storage import open_store
from newsmon.urls import canonical_url

log = logging.getLogger(__name__)


class KnownArticleMiddleware:
    """Do not fetch an article page whose canonical URL is stored or was rejected before.

    That is what makes a daily run incremental: feeds and list pages are re-read,
    known articles are not.
    """

    def __init__(self, settings, stats):
        self.settings = settings
        self.stats = stats
        self.enabled = settings.getbool("NEWSMON_SKIP_KNOWN", True)
        self._store = None
        self._warned = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings, crawler.stats)

    def process_request(self, request, spider=None):
        if not self.enabled or request.meta.get(ROLE) != "article":
            return None
        try:
            if self._store is None:
                self._store = open_store(self.settings, drain_spill=False)
            known = self._store.is_known(canonical_url(request.url))
        except (StoreUnavailable, PyMongoError) as exc:
            if not self._warned:
                log.warning("cannot check known articles (%s); fetching everything", exc)
                self._warned = True
            return None
        if known:
            self.stats.inc_value("newsmon/skipped_known")
            raise IgnoreRequest(f"already known: {request.url}")
        return None
