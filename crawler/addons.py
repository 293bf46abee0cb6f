"""Scrapy add-ons: settings switched on by one newsmon setting.

Add-ons run after every other settings source (including ``-s`` on the command
line), so ``NEWSMON_OFFLINE=1`` works the same for ``newsmon run`` and
``scrapy crawl``.
"""

from __future__ import annotations

from newsmon.settings import apply_env


class EnvironmentOverrides:
    """Environment variables named like a newsmon setting override it (``MONGO_URI=...``).

    Also builds the honest User-Agent from NEWSMON_CONTACT_URL, unless USER_AGENT
    itself was set on the command line.
    """

    def update_settings(self, settings):
        from newsmon import __version__

        apply_env(settings)
        settings.set("USER_AGENT", f"newsmon/{__version__} (+{settings.get('NEWSMON_CONTACT_URL')})", priority="project")


class OfflineSnapshot:
    """NEWSMON_OFFLINE: serve every request from the bundled snapshot of real pages.

    Uses Scrapy's HTTP cache with a read-only storage over tests/fixtures/snapshot;
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
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", {
            "executable_path": executable,
            "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        }, priority="addon")
        settings.set("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", settings.getint("DOWNLOAD_TIMEOUT", 30) * 1000, priority="addon")
