"""Item pipeline stages, one module each, in the order crawler/settings.py runs them:
normalize -> mention_filter -> dedupe -> analyse (segment and label) -> store.

Stages are thin: each asks a library (newsmon.text, newsmon.dedupe, newsmon.urls)
or the store gateway to do its job. Every stage is built with ``from_crawler``,
inside a crawl and inside ``newsmon ingest`` alike (ingest runs a one-page crawl),
so both paths run the same code.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem


class Rejected(DropItem):
    """A stage refused the article; ``reason`` says why (what users read, and what is stored in ``seen``)."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"rejected {url}: {reason}")
        self.url, self.reason = url, reason


class Stage:
    """Base for stages: ``from_crawler`` hands over the settings and the stats."""

    def __init__(self, settings, stats):
        self.settings = settings
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings, crawler.stats)


class StoreStage(Stage):
    """A stage that calls the store: ``handle(item)`` runs in the crawl's store thread (pipelines/threads.py).

    Built with ``from_crawler`` it gets the process's store gateway and the crawl's
    store thread, and ``process_item`` returns a Deferred; ``handle`` is the same
    work, called directly where there is no crawl to keep going (tests, benchmarks).
    """

    thread = None

    def __init__(self, settings, stats, gateway):
        super().__init__(settings, stats)
        self.gateway = gateway

    @classmethod
    def from_crawler(cls, crawler):
        from newsmon.storage import StoreGateway
        from pipelines.threads import StoreThread

        stage = cls(crawler.settings, crawler.stats, StoreGateway.from_crawler(crawler))
        stage.thread = StoreThread.from_crawler(crawler)
        return stage

    def handle(self, item):
        raise NotImplementedError

    def process_item(self, item, spider=None):
        return self.handle(item) if self.thread is None else self.thread.run(self.handle, item)
