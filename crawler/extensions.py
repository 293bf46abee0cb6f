"""Record each crawl in ``crawl_runs`` and log a one-line summary per source.

Counts come from the crawler's stats, so they say what really happened:
pages fetched, articles found, stored, rejected, skipped as already known,
and errors by kind (HTTP status class, timeout, DNS, ...).
"""

from __future__ import annotations

import logging

from scrapy import signals

from newsmon.storage import StoreError, StoreGateway
from newsmon.storage.deliveries import drift_event, record_event
from newsmon.storage.runs import RunLog, run_id_for, run_status

log = logging.getLogger(__name__)

# Signal sent when a source starts to drift (its configured selector or pattern found nothing and a
# fallback did): handlers get source=<name>, health=<its source_health document>, spider=<spider>.
SOURCE_DRIFTED = object()

# Exception class names as users read them in run reports.
ERROR_KINDS = {
    "DownloadTimeoutError": "timeout", "TimeoutError": "timeout", "TCPTimedOutError": "timeout",
    "DNSLookupError": "dns", "CannotResolveHostError": "dns", "ConnectionRefusedError": "connection_refused",
    "DownloadConnectionRefusedError": "connection_refused", "ConnectError": "connection_refused",
    "DownloadFailedError": "download_failed", "ResponseDataLossError": "connection_lost",
    "DownloadCancelledError": "too_large", "CancelledError": "too_large", "UnsupportedURLSchemeError": "bad_url",
    "ConnectionLost": "connection_lost", "ResponseNeverReceived": "connection_lost", "ConnectionDone": "connection_lost",
    "ResponseFailed": "connection_lost", "TunnelError": "proxy", "SSLError": "tls", "Error": "tls",
}


def source_counts(stats: dict, reason: str) -> dict:
    """Per-source figures for a crawl_runs document, from a Scrapy stats dict."""
    errors: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("downloader/response_status_count/"):
            code = key.rsplit("/", 1)[-1]
            # robots.txt answers and the 404 that ends a numbered listing are no errors
            value -= stats.get(f"robotstxt/response_status_count/{code}", 0)
            value -= stats.get("newsmon/listing_end", 0) if code in ("404", "410") else 0
            value -= stats.get(f"newsmon/auto_probe_status/{code}", 0)  # auto-discovery's guesses that missed
            if code[:1] in ("4", "5") and value > 0:
                errors[f"http_{code}"] = errors.get(f"http_{code}", 0) + value
        elif key.startswith("downloader/exception_type_count/"):
            kind = key.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
            kind = ERROR_KINDS.get(kind, kind)
            if kind in ("IgnoreRequest", "too_large"):  # deliberate skips are no errors; too_large is counted below
                continue
            errors[kind] = errors.get(kind, 0) + value
        elif key.startswith("spider_exceptions/"):
            kind = "spider_" + key.rsplit("/", 1)[-1]
            errors[kind] = errors.get(kind, 0) + value
    if stats.get("newsmon/blocked_private_address"):  # the address guard refused them: the run did not reach them
        errors["refused_address"] = stats["newsmon/blocked_private_address"]
    browser = stats.get("playwright/request_count/aborted", 0) + stats.get("newsmon/browser_proxy_refused", 0)
    if browser:  # requests and connections of a rendered page the browser guard refused
        errors["browser_refused"] = browser
    if stats.get("newsmon/too_large"):                # over DOWNLOAD_MAXSIZE: announced, streamed or inflated
        errors["too_large"] = stats["newsmon/too_large"]
    if stats.get("newsmon/store_rejected"):           # the store refused the document (too large, invalid)
        errors["store_rejected"] = stats["newsmon/store_rejected"]
    drift = {key.rsplit("/", 1)[-1]: value for key, value in stats.items() if key.startswith("newsmon/drift/")}
    drift_links = {key.rsplit("/", 1)[-1]: value for key, value in stats.items()
                   if key.startswith("newsmon/drift_links/")}
    if stats.get("newsmon/auto/fallback") and stats.get("newsmon/discovery/entries"):
        # every configured endpoint found nothing and auto-discovery did: drift too (the entries are all its own)
        drift["auto"] = 1
        drift_links["auto"] = stats["newsmon/discovery/entries"]
    return {
        "pages_fetched": stats.get("downloader/response_count", 0),
        "requests": stats.get("downloader/request_count", 0),
        "entries": stats.get("newsmon/discovery/entries", 0),
        "not_modified": stats.get("newsmon/not_modified", 0),
        "articles_found": stats.get("newsmon/articles_found", 0),
        "articles_stored": stats.get("newsmon/stored", 0),
        "rejected": stats.get("newsmon/rejected/no_mention", 0),
        "duplicates": stats.get("newsmon/duplicate_url", 0),
        "merged": stats.get("newsmon/merged", 0),
        "skipped_known": stats.get("newsmon/skipped_known", 0),
        "spilled": stats.get("newsmon/spilled", 0),
        "workers": stats.get("newsmon/workers", 0),     # worker processes extraction and labels moved to (newsmon/workers.py)
        "errors": errors,
        "drift": drift,               # list/search pages whose configured selector or pattern found nothing;
                                      # auto: 1 when only the auto-discovery fallback found entries
        "drift_links": drift_links,   # links the fallback found there, by how (pattern, generic, auto)
        "finish_reason": reason,
        "started_at": stats.get("start_time"),
        "finished_at": stats.get("finish_time"),
    }


class RunRecorder:
    """Per-source counts into the run's crawl_runs document and source_health; a run of its own for ``scrapy crawl``.

    ``newsmon run`` and the scheduler open and close the run (NEWSMON_RUN_ID is
    set); a bare ``scrapy crawl`` has none, so this opens and closes one (trigger
    ``spider.run_trigger``, default "scrapy crawl").
    """

    def __init__(self, crawler, gateway: StoreGateway):
        from crawler.logformatter import install_log_filters

        install_log_filters()
        self.crawler = crawler
        self.gateway = gateway
        self.standalone = not crawler.settings.get("NEWSMON_RUN_ID")
        self.beat = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, StoreGateway.from_crawler(crawler))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _heartbeat(self) -> None:
        runs = self._runs(quiet=True)
        if runs is not None:
            try:
                runs.heartbeat(run_id_for(self.crawler.settings, self.crawler.stats))
            except StoreError as exc:
                self.gateway.failed(exc)

    def _runs(self, quiet: bool = False) -> RunLog | None:
        store = self.gateway.store()
        if store is None:
            if not quiet:
                log.error("cannot record this run: the store is unavailable")
            return None
        return RunLog(store)

    def spider_opened(self, spider):
        run_id = run_id_for(self.crawler.settings, self.crawler.stats)
        runs = self._runs()
        if runs and self.standalone:
            try:
                runs.start(run_id, [spider.name], trigger=getattr(spider, "run_trigger", "scrapy crawl"))
                runs.heartbeat(run_id)
            except StoreError as exc:
                self.gateway.failed(exc)
                log.error("cannot record run %s: %s", run_id, exc)
        if self.standalone:  # `newsmon run` and the scheduler keep their own run alive
            from twisted.internet import task

            self.beat = task.LoopingCall(self._heartbeat)
            self.beat.start(self.crawler.settings.getfloat("NEWSMON_HEARTBEAT_INTERVAL"), now=False)
        log.info("run %s: crawling source %s", run_id, spider.name)

    def spider_closed(self, spider, reason):
        if self.beat is not None and self.beat.running:
            self.beat.stop()
        stats = self.crawler.stats.get_stats()
        run_id = run_id_for(self.crawler.settings, self.crawler.stats)
        counts = source_counts(stats, reason)
        errors = sum(counts["errors"].values())
        log.info(
            "run %s: %s done (%s): %d pages, %d articles, %d stored, %d rejected, %d already known, %d error(s)%s",
            run_id, spider.name, reason, counts["pages_fetched"], counts["articles_found"], counts["articles_stored"],
            counts["rejected"], counts["skipped_known"], errors,
            f", {counts['spilled']} spilled" if counts["spilled"] else "",
        )
        if self.standalone:
            self.crawler.stats.set_value("newsmon/run_status",
                                         run_status({"planned": [spider.name], "sources": {spider.name: counts}}))
        runs = self._runs()
        if runs is None:
            self._later(run_id, spider.name, counts)
            return
        try:
            runs.record_source(run_id, spider.name, counts)
            if getattr(spider, "records_health", True):
                self._health(runs.store, spider.name, run_id, counts, reason)
            if self.standalone:
                runs.finish(run_id, self.crawler.stats.get_value("newsmon/run_status"),
                            new_articles=len(runs.store.articles_of_run(run_id)))
        except StoreError as exc:
            self.gateway.failed(exc)
            log.error("cannot record run %s now (%s); it is written when the store is back", run_id, exc)
            self._later(run_id, spider.name, counts)

    def _later(self, run_id: str, name: str, counts: dict) -> None:
        """The store is down as the crawl ends: the record goes to the spill file, written when it is back."""
        from newsmon.storage.indexes import RUNS
        from newsmon.storage.mongo import utcnow

        fields = {"_id": run_id, f"sources.{name}": counts}
        if self.standalone:
            fields.update(status=self.crawler.stats.get_value("newsmon/run_status"), finished_at=utcnow(),
                          new_articles=counts.get("articles_stored", 0) + counts.get("spilled", 0))
        self.gateway.spill.append(RUNS, fields, op="set")

    def _health(self, store, name: str, run_id: str, counts: dict, reason: str) -> None:
        health = store.record_health(name, run_id, counts, "ok" if reason == "finished" else reason,
                                     self.crawler.settings.getint("NEWSMON_FLAG_AFTER_EMPTY_RUNS"))
        if health["flag_reason"] == "nothing found":
            log.warning("source %s found no articles in %d consecutive runs: check its discovery config",
                        name, health["empty_streak"])
        elif health["flag_reason"] == "unreachable":
            log.warning("source %s could not be reached in %d consecutive runs", name, health["unreachable_streak"])
        if health.get("drift_started"):
            log.warning("source %s drifted: its configured discovery found nothing on %s page(s), the fallback "
                        "found %s link(s); update its selector or article_pattern", name,
                        sum(counts["drift"].values()), sum(counts["drift_links"].values()))
            # the notify layer tells it to the watches that listen for source_drifted: at the scheduler's
            # notify after this run, or at the next `newsmon notify` (the crawl does not wait on the network)
            record_event(store, drift_event(name, health))
            self.crawler.signals.send_catch_log(SOURCE_DRIFTED, source=name, health=health, spider=self.crawler.spider)


class SharedCrawl:
    """Keeps processes that share one crawl through Redis (RedisScaleOut) working together.

    * A process that runs out of queued requests stays open while the shared
      queue holds requests or another process is still fetching (its heartbeat
      key, refreshed while it downloads, has not expired): that process may yet
      queue the next list page and its articles.
    * When it closes, the shared queue and filter keys get an expiry, so a
      finished crawl leaves nothing behind in Redis.
    """

    BEAT_TTL = 15  # seconds a "still fetching" heartbeat lives

    def __init__(self, crawler):
        import secrets

        import redis

        self.crawler = crawler
        self.settings = crawler.settings
        self.server = redis.Redis.from_url(self.settings.get("REDIS_URL"))
        self.me = secrets.token_hex(6)
        self.last_beat = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        for signal in (signals.spider_opened, signals.request_scheduled, signals.response_received):
            crawler.signals.connect(ext.beat, signal=signal)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _key(self, name: str, spider) -> str:
        return self.settings.get(name) % {"spider": spider.name}

    def _beats(self, spider) -> str:
        return self._key("SCHEDULER_QUEUE_KEY", spider).rsplit(":", 1)[0] + ":busy"

    def beat(self, *args, spider=None, **kwargs):
        """Say "this process is still at work" (at most once a second)."""
        import time

        now = time.monotonic()
        if now - self.last_beat >= 1.0:
            spider = spider or self.crawler.spider
            self.server.set(f"{self._beats(spider)}:{self.me}", 1, ex=self.BEAT_TTL)
            self.last_beat = now

    def spider_idle(self, spider):
        from scrapy.exceptions import DontCloseSpider

        queued = self.server.zcard(self._key("SCHEDULER_QUEUE_KEY", spider))
        others = [k for k in self.server.scan_iter(f"{self._beats(spider)}:*")
                  if not k.decode().endswith(self.me)]
        if queued or others:
            raise DontCloseSpider(f"shared crawl: {queued} queued, {len(others)} other process(es) fetching")

    def spider_closed(self, spider, reason):
        import redis

        ttl = self.settings.getint("NEWSMON_REDIS_KEY_TTL")
        try:
            self.server.delete(f"{self._beats(spider)}:{self.me}")
            for key in ("SCHEDULER_QUEUE_KEY", "SCHEDULER_DUPEFILTER_KEY"):
                self.server.expire(self._key(key, spider), ttl)
        except redis.RedisError as exc:
            log.warning("could not tidy the shared crawl's Redis keys: %s", exc)


class BrowserProxyLifetime:
    """Closes the guard proxy of a rendering crawl (crawler/addons.py) and counts what it refused."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.proxy = crawler.settings.get("NEWSMON_BROWSER_PROXY")

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.exceptions import NotConfigured

        ext = cls(crawler)
        if ext.proxy is None:
            raise NotConfigured("no browser proxy")
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def closed(self, spider, reason):
        if self.proxy.refused:
            self.crawler.stats.set_value("newsmon/browser_proxy_refused", self.proxy.refused)
        self.proxy.stop()

