"""Downloader middlewares newsmon adds to Scrapy's defaults.

* PrivateAddressGuard: no request to private, loopback or link-local addresses
  (redirects included), unless NEWSMON_ALLOW_PRIVATE is set (tests, local sites).
* ConditionalGetMiddleware: If-None-Match / If-Modified-Since on discovery pages;
  a 304 means "nothing new here" and ends that branch of the crawl.
* BackoffRetryMiddleware: Scrapy's retries, with exponential backoff and jitter,
  honouring Retry-After on 429/503.
"""

from __future__ import annotations

import ipaddress
import logging
import random
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from crawler.spiders.configured import ROLE
from newsmon.storage import StoreError, StoreGateway

log = logging.getLogger(__name__)


def is_public(ip: str) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return not (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast
                or addr.is_reserved or addr.is_unspecified)


class PrivateAddressGuard:
    """Refuses requests to non-public addresses; a spider with ``address_guard = False`` (a page given by hand) is exempt."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.cache: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getbool("NEWSMON_ALLOW_PRIVATE"):
            raise NotConfigured("NEWSMON_ALLOW_PRIVATE is set")
        return cls(crawler)

    async def process_request(self, request, spider=None):
        if not getattr(self.crawler.spider, "address_guard", True):
            return None
        host = urlsplit(request.url).hostname or ""
        if host not in self.cache:
            try:
                ipaddress.ip_address(host)
                ip = host
            except ValueError:
                try:
                    ip = await maybe_deferred_to_future(reactor.resolve(host))
                except Exception:
                    return None  # unresolvable: the download fails with a DNS error, counted as such
            self.cache[host] = is_public(ip)
        if not self.cache[host]:
            self.stats.inc_value("newsmon/blocked_private_address")
            log.warning("refused %s: %s is a private, loopback or link-local address", request.url, host)
            raise IgnoreRequest(f"private address: {host}")
        return None


class ConditionalGetMiddleware:
    """Remember ETag / Last-Modified of discovery pages; send them back next run.

    Validators are saved only when the crawl finished cleanly, so a crawl that
    died half-way re-reads its pages next time instead of trusting a 304.
    """

    def __init__(self, crawler, gateway: StoreGateway):
        self.crawler = crawler
        self.stats = crawler.stats
        self.gateway = gateway
        self.fresh: dict[str, dict] = {}
        self._old: dict[str, dict] | None = None

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler, StoreGateway.from_crawler(crawler))
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def _validators(self, spider) -> dict[str, dict]:
        if self._old is None:
            store = self.gateway.store()
            if store is None:  # the store is down: no validators, every page is read in full
                return {}
            try:
                self._old = store.validators(spider.name)
            except StoreError as exc:
                self.gateway.failed(exc)
                return {}
        return self._old

    def process_request(self, request, spider=None):
        if request.meta.get(ROLE) != "discovery":
            return None
        old = self._validators(spider or self.crawler.spider).get(request.url)
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
            raise IgnoreRequest(f"not modified since last run: {request.url}")
        if response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                self.fresh[request.url] = {"etag": etag.decode("latin-1") if etag else None,
                                           "last_modified": modified.decode("latin-1") if modified else None}
        return response

    def spider_closed(self, spider, reason):
        if reason != "finished" or not self.fresh:
            return
        store = self.gateway.store()
        if store is None:
            return  # next run reads every page in full: nothing is missed
        try:
            store.save_validators(spider.name, self.fresh)
        except StoreError as exc:
            self.gateway.failed(exc)
            log.warning("could not save validators: %s", exc)


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
