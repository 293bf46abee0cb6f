"""Scrapy add-ons: settings switched on by one newsmon setting.

Add-ons run after every other settings source (including ``-s`` on the command
line), so ``NEWSMON_OFFLINE=1`` works the same for ``newsmon run`` and
``scrapy crawl``.
"""

from __future__ import annotations

from newsmon.config.settings import apply_env, check_types
from newsmon.vocab import SHANGHAI


class EnvironmentOverrides:
    """Environment variables named like a newsmon setting override it (``MONGO_URI=...``).

    Values given as text (environment, ``-s``) are checked against their default's
    type here, so ``-s CONCURRENT_REQUESTS=abc`` is one ConfigError, not a traceback
    inside a component. Also builds the honest User-Agent from NEWSMON_CONTACT_URL,
    unless USER_AGENT itself was set on the command line.
    """

    def update_settings(self, settings):
        from newsmon import __version__

        apply_env(settings)
        check_types(settings)
        settings.set("USER_AGENT", f"newsmon/{__version__} (+{settings.get('NEWSMON_CONTACT_URL')})", priority="project")


class OfflineSnapshot:
    """NEWSMON_OFFLINE: serve every request from the bundled snapshot of real pages.

    Uses Scrapy's HTTP cache with a read-only storage over snapshot/ (NEWSMON_SNAPSHOT_DIR);
    a URL the snapshot lacks is ignored, never fetched from the network.
    """

    def update_settings(self, settings):
        if not settings.getbool("NEWSMON_OFFLINE"):
            return
        from crawler.snapshot import snapshot_dir

        snapshot = str(snapshot_dir(settings))
        settings.set("HTTPCACHE_ENABLED", True, priority="addon")
        settings.set("HTTPCACHE_DIR", snapshot, priority="addon")
        settings.set("HTTPCACHE_STORAGE", "crawler.snapshot.SnapshotStorage", priority="addon")
        settings.set("HTTPCACHE_POLICY", "scrapy.extensions.httpcache.DummyPolicy", priority="addon")
        settings.set("HTTPCACHE_IGNORE_MISSING", True, priority="addon")
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="addon")
        settings.set("NEWSMON_ALLOW_PRIVATE", True, priority="addon")  # no network at all: nothing to guard
        settings.set("DOWNLOAD_DELAY", 0, priority="addon")


class JavaScriptRendering:
    """NEWSMON_JAVASCRIPT: render list and search pages in headless Chromium (scrapy-playwright).

    The spider loader sets it for sources with ``javascript: true``; only requests
    marked ``playwright`` go through the browser, articles are fetched plainly.
    Uses the system Chromium (Debian package ``chromium``), never a downloaded one.
    """

    def update_settings(self, settings):
        if not settings.getbool("NEWSMON_JAVASCRIPT"):
            return
        import shutil

        handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
        settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="addon")
        settings.set("PLAYWRIGHT_BROWSER_TYPE", "chromium", priority="addon")
        executable = settings.get("NEWSMON_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
        from crawler.browser_proxy import GuardProxy
        from crawler.guard import BrowserGuard, browser_decider

        # Chromium reaches the network only through the guard proxy (loopback included: "<-loopback>")
        proxy = GuardProxy(browser_decider(settings), timeout=settings.getfloat("DOWNLOAD_TIMEOUT")).start()
        settings.set("NEWSMON_BROWSER_PROXY", proxy, priority="addon")
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", {
            "executable_path": executable,
            "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                     "--dns-prefetch-disable", "--disable-features=NetworkPrediction,PreconnectToSearch",
                     f"--proxy-server={proxy.address}", "--proxy-bypass-list=<-loopback>"],
        }, priority="addon")
        settings.set("PLAYWRIGHT_CONTEXTS", {"default": {"service_workers": "block"}}, priority="addon")
        settings.set("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", settings.getint("DOWNLOAD_TIMEOUT") * 1000, priority="addon")
        # every request a page starts is checked before it reaches the proxy, so it is counted as aborted
        settings.set("PLAYWRIGHT_ABORT_REQUEST", BrowserGuard(settings), priority="addon")
        settings.set_in_component_priority_dict("EXTENSIONS", "crawler.extensions.BrowserProxyLifetime", 500)


class RedisScaleOut:
    """NEWSMON_REDIS_URL: several crawler processes (on several machines) share one crawl.

    scrapy-redis keeps the request queue and the duplicate filter in Redis, so a
    page one process fetched is not fetched by another. Keys are per source and
    per crawl (NEWSMON_CRAWL_KEY, default: today in Asia/Shanghai), so every
    process started for today's crawl joins the same queue and tomorrow's crawl
    starts fresh; keys expire after NEWSMON_REDIS_KEY_TTL seconds. Every process
    writes to the same MongoDB (MONGO_URI), whose unique URL index makes the
    store the final judge of what is new.
    """

    def update_settings(self, settings):
        url = settings.get("NEWSMON_REDIS_URL")
        if not url:
            return
        import datetime as dt

        key = settings.get("NEWSMON_CRAWL_KEY") or dt.datetime.now(SHANGHAI).strftime("%Y%m%d")
        prefix = f"newsmon:{key}:%(spider)s"
        for name, value in {
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "REDIS_URL": url,
            "SCHEDULER_PERSIST": True,                 # one process finishing must not wipe the others' queue
            "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
            "SCHEDULER_IDLE_BEFORE_CLOSE": 2,
            "NEWSMON_CRAWL_KEY": key,
        }.items():
            settings.set(name, value, priority="addon")
        from crawler.extensions import SharedCrawl

        settings.set_in_component_priority_dict("EXTENSIONS", SharedCrawl, 600)
