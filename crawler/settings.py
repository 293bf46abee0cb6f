"""Scrapy settings for newsmon (``scrapy crawl NAME`` and ``newsmon run`` share them).

newsmon's own settings and their defaults live in newsmon/defaults.py; an
environment variable of the same name overrides them (the EnvironmentOverrides
add-on applies it, so ``-s NAME=value`` still wins). Components read settings
without restating defaults: every value they read is set here or there.
"""

from newsmon.defaults import *  # noqa: F401,F403  (newsmon settings, documented there)

BOT_NAME = "newsmon"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
SPIDER_LOADER_CLASS = "crawler.spiderloader.SourceSpiderLoader"
COMMANDS_MODULE = "crawler.commands"

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.mention_filter.MentionFilterPipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.analyse.AnalysePipeline": 400,
    "pipelines.store.StorePipeline": 900,
}
SPIDER_MIDDLEWARES = {
    "crawler.spidermiddlewares.IncrementalMiddleware": 600,
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.guard.AddressGuard": 60,                       # before robots.txt (100) and everything else
    "crawler.middlewares.ConditionalGetMiddleware": 560,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
}
EXTENSIONS = {
    "crawler.extensions.RunRecorder": 500,
}
# Back-pressure: the engine stops taking responses while this many bytes of them wait for
# the pipeline (Scrapy's default is 5 MB). Each waiting article also holds its extraction,
# tokens and labels, many times its page's size; with small pages 5 MB let a thousand
# articles queue for the worker pool and a crawl's memory grow with its size
# (benchmarks/crawl.py: 552 MB peak at 3,000 loopback articles, 281 MB with 0.5 MB).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
ADDONS = {
    "crawler.addons.EnvironmentOverrides": 0,
    "crawler.addons.OfflineSnapshot": 100,
    "crawler.addons.JavaScriptRendering": 200,
    "crawler.addons.RedisScaleOut": 300,
}

# --- politeness (issue-level detail in README.md "Crawling politely") ---------
ROBOTSTXT_OBEY = True
# USER_AGENT is built from NEWSMON_CONTACT_URL by the EnvironmentOverrides add-on.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # the spider logs one warning per page it could not fetch
COOKIES_ENABLED = False
# Consoles into a running crawl: off (the remote-control extension opens one HTTP
# port per crawl process); turn one on with -s REMOTE_CONTROL_ENABLED=1 to debug.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

LOG_FORMATTER = "crawler.logformatter.NewsmonLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
