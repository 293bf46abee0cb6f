"""Turn discovery pages (feeds, sitemaps, list pages) into article entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """An article link as a discovery page announced it."""

    url: str
    title: str = ""
    date: dt.datetime | None = None
    how: str = ""   # list pages: "selector", "pattern" (article_pattern) or "generic" (crawler.discovery.generic)
