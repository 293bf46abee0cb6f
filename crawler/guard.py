"""The address guard: a crawl reaches public hosts of its source and nothing else.

Links on a page are the page author's choice, so every request a crawl makes is
checked before it leaves, redirects included:

* **the downloader** (:class:`AddressGuard`, a downloader middleware): the host's
  every resolved address must be public (newsmon.urls.is_public_address: no
  private, loopback, link-local, CGNAT, 6to4/NAT64/Teredo, reserved ranges);
* **the browser**, twice: :class:`BrowserGuard` (scrapy-playwright's
  PLAYWRIGHT_ABORT_REQUEST) aborts every request a rendered page starts — images,
  frames, scripts, fetch(), stylesheets — unless it uses http(s), stays within
  the source's browser domains and passes the same address check; and Chromium's
  only route to the network is the guard proxy (crawler/browser_proxy.py,
  :func:`browser_decider`), which applies the same rules to what interception
  does not see: redirect hops, WebSockets, preconnects.

NEWSMON_ALLOW_PRIVATE turns the address check off (tests, intranet sources);
NEWSMON_ALLOW_HOSTS exempts named hosts only (a loopback test site), so the rest of
the check still holds. A spider with ``address_guard = False`` (a page given by
hand to ``newsmon ingest``) is not checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads

from newsmon.urls import host_allowed, is_public_address

log = logging.getLogger(__name__)
NO_NETWORK_SCHEMES = ("data", "blob", "about")


def _hosts(value) -> frozenset[str]:
    items = value.split(",") if isinstance(value, str) else (value or [])
    return frozenset(h.strip().lower().strip("[]") for h in items if h and h.strip())


def _resolve(host: str) -> list[str]:
    """Every address the host resolves to ([] when it does not resolve)."""
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (OSError, UnicodeError):
        return []


class _Check:
    """Decisions per host, cached for the crawl."""

    def __init__(self, settings):
        self.allow_private = settings.getbool("NEWSMON_ALLOW_PRIVATE")
        self.allow_hosts = _hosts(settings.get("NEWSMON_ALLOW_HOSTS"))
        self.cache: dict[str, str | None] = {}

    def exempt(self, host: str) -> bool:
        return self.allow_private or host in self.allow_hosts

    def verdict(self, host: str, addresses: list[str]) -> str | None:
        """Why the host is refused, or None."""
        if not addresses:
            return None  # unresolvable: the download fails with a DNS error, counted as such
        bad = [a for a in addresses if not is_public_address(a)]
        return f"{host} resolves to a non-public address ({bad[0]})" if bad else None


class AddressGuard:
    """Downloader middleware: refuses requests to non-public addresses (IgnoreRequest, counted)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.check = _Check(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request, spider=None):
        if not getattr(self.crawler.spider, "address_guard", True):
            return None
        host = (urlsplit(request.url).hostname or "").lower()
        if self.check.exempt(host):
            return None
        if host not in self.check.cache:
            addresses = await maybe_deferred_to_future(threads.deferToThread(_resolve, host))
            self.check.cache[host] = self.check.verdict(host, addresses)
        why = self.check.cache[host]
        if why:
            self.stats.inc_value("newsmon/blocked_private_address")
            log.warning("refused %s: %s", request.url, why)
            raise IgnoreRequest(f"refused: {why}")
        return None


class BrowserGuard:
    """PLAYWRIGHT_ABORT_REQUEST: True (abort) for any request a rendered page may not make."""

    def __init__(self, settings, stats=None):
        self.check = _Check(settings)
        self.domains = _hosts(settings.get("NEWSMON_BROWSER_DOMAINS"))
        self.stats = stats

    async def __call__(self, request) -> bool:
        parts = urlsplit(request.url)
        scheme = (parts.scheme or "").lower()
        if scheme in NO_NETWORK_SCHEMES:
            return False
        host = (parts.hostname or "").lower()
        why = None
        if scheme not in ("http", "https"):
            why = f"scheme {scheme}: is not fetched"
        elif not host_allowed(host, self.domains | self.check.allow_hosts):
            why = f"{host} is not within the source's allowed domains"
        elif not self.check.exempt(host):
            if host not in self.check.cache:
                addresses = await asyncio.get_running_loop().run_in_executor(None, _resolve, host)
                self.check.cache[host] = self.check.verdict(host, addresses)
            why = self.check.cache[host]
        if why:
            log.info("browser request refused: %s (%s)", request.url[:200], why)
            if self.stats is not None:
                self.stats.inc_value("newsmon/browser_refused")
        return why is not None


def browser_decider(settings):
    """The guard proxy's rule: host -> (why refused or None, the checked addresses to connect to)."""
    check = _Check(settings)
    domains = _hosts(settings.get("NEWSMON_BROWSER_DOMAINS"))

    def decide(host: str) -> tuple[str | None, list[str]]:
        host = host.lower().strip("[]")
        if not host_allowed(host, domains | check.allow_hosts):
            return f"{host} is not within the source's allowed domains", []
        addresses = _resolve(host)
        if not addresses:
            return f"{host} does not resolve", []
        if not check.exempt(host):
            why = check.verdict(host, addresses)
            if why:
                return why, []
        return None, addresses

    return decide

