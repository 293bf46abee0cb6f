"""Downloader middlewares newsmon adds to Scrapy's defaults.

* (the address guard is crawler/guard.py)
* ConditionalGetMiddleware: If-None-Match / If-Modified-Since on discovery pages,
  from the last complete pass over their listing; a 304 ends that branch.
* BackoffRetryMiddleware: Scrapy's retries, with exponential backoff and jitter,
  honouring Retry-After on 429/503.
"""

from __future__ import annotations

import logging
import random

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from crawler.listings import Listings
from crawler.spiders.configured import LISTING, ROLE

log = logging.getLogger(__name__)


class ConditionalGetMiddleware:
    """If-None-Match / If-Modified-Since on discovery pages, from the last *complete* pass over their listing.

    Validators are kept with the listing's mark (crawler/listings.py) and saved only
    when a pass read the listing down to the previous mark or to its end, so a
    crawl that died half-way re-reads its pages next time instead of trusting a
    304; a 304 ends that branch of the crawl (nothing announced there changed).
    """

    def __init__(self, crawler):
        self.stats = crawler.stats
        self.listings = Listings.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if request.meta.get(ROLE) != "discovery" or not request.meta.get(LISTING):
            return None
        old = self.listings.validators(request.meta[LISTING], request.url)
        if old:
            if old.get("etag"):
                request.headers.setdefault(b"If-None-Match", old["etag"])
            if old.get("last_modified"):
                request.headers.setdefault(b"If-Modified-Since", old["last_modified"])
        return None

    def process_response(self, request, response, spider=None):
        if request.meta.get(ROLE) != "discovery":
            return response
        if response.status == 304:
            self.stats.inc_value("newsmon/not_modified")
            raise IgnoreRequest(f"not modified since the last complete pass: {request.url}")
        if response.status == 200 and request.meta.get(LISTING):
            etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
            self.listings.validator_seen(request.meta[LISTING], request.url,
                                         etag.decode("latin-1") if etag else None,
                                         modified.decode("latin-1") if modified else None)
        return response


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry 5xx, 429 and network errors after base * 2**attempt seconds (+ jitter, capped)."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("NEWSMON_RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("NEWSMON_RETRY_BACKOFF_MAX")

    def _delay(self, request, response=None) -> float:
        attempt = request.meta.get("retry_times", 0)
        delay = min(self.cap, self.base * (2 ** attempt)) * (0.75 + random.random() / 2)
        if response is not None:
            after = response.headers.get(b"Retry-After")
            if after and after.strip().isdigit():
                delay = min(self.cap, max(delay, float(after)))
        return delay

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"HTTP {response.status}",
                                  max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
                                  priority_adjust=self.priority_adjust)
        if retry is None:
            return response
        await maybe_deferred_to_future(deferLater(reactor, self._delay(request, response), lambda: None))
        return retry

    async def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = get_retry_request(request, spider=self.crawler.spider, reason=exception,
                                  max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
                                  priority_adjust=self.priority_adjust)
        if retry is None:
            return None
        await maybe_deferred_to_future(deferLater(reactor, self._delay(request), lambda: None))
        return retry
