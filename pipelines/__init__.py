"""Item pipeline stages, one module each, in the order crawler/settings.py runs them:
normalize -> mention_filter -> (dedupe) -> (segment) -> (label) -> store.

Every stage is built by ``from_crawler`` inside Scrapy and by ``build(settings,
stats)`` outside it (``newsmon ingest``), so both paths run the same code.
"""

from __future__ import annotations


class Stage:
    """Base for stages: the two constructors share ``__init__(settings, stats)``."""

    def __init__(self, settings, stats):
        self.settings = settings
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls.build(crawler.settings, crawler.stats)

    @classmethod
    def build(cls, settings, stats):
        return cls(settings, stats)
