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
