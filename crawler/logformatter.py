"""Log lines for items: one short line per rejected article, never the whole item."""

from __future__ import annotations

import logging

from scrapy import logformatter


class NewsmonLogFormatter(logformatter.LogFormatter):
    def dropped(self, item, exception, response, spider):
        # A rejected article is normal (no blockchain term), not a warning.
        return {"level": logging.INFO, "msg": "%(exception)s", "args": {"exception": exception}}

    def item_error(self, item, exception, response, spider):
        url = item.get("url") if hasattr(item, "get") else None
        return {"level": logging.ERROR, "msg": "error processing article %(url)s",
                "args": {"url": url or getattr(response, "url", "?")}}


class NetworkErrorsOneLine(logging.Filter):
    """robots.txt that cannot be fetched (site down, DNS) is a one-line warning, not a traceback.

    Scrapy's RobotsTxtMiddleware logs it at ERROR with the full stack; the page
    itself is still tried, and a failure there gets its own one-line warning.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.levelno >= logging.ERROR:
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def install_log_filters() -> None:
    """Idempotent: attach the filters to the loggers that need them."""
    robots = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, NetworkErrorsOneLine) for f in robots.filters):
        robots.addFilter(NetworkErrorsOneLine())
