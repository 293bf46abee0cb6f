"""The crawl's store thread: the stages' MongoDB calls leave the reactor, in item order.

Scrapy's guidance for blocking work in a pipeline is to return a Deferred and do
the work elsewhere (``deferToThread``). The stages that call the store (mention
filter, dedupe, store) hand their whole ``handle(item)`` to one thread per crawl,
so the reactor keeps downloading while a query waits on the server, and the
stages still see items one at a time in the order they arrived: the dedupe of an
item runs after the store of every item that reached dedupe before it, and the
stages' in-memory state (the dedupe stage's recent index) needs no lock. Their
stats keys are theirs alone, so counting from that thread races with nothing.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

ATTR = "_newsmon_store_thread"


class StoreThread:
    def __init__(self):
        self.executor: ThreadPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler) -> "StoreThread":
        found = getattr(crawler, ATTR, None)
        if found is None:
            from scrapy import signals

            found = cls()
            setattr(crawler, ATTR, found)
            crawler.signals.connect(found.close, signal=signals.spider_closed)
        return found

    def run(self, fn: Callable[..., Any], *args: Any):
        """``fn(*args)`` in the store thread; a Deferred of its result (or of what it raised)."""
        from twisted.internet.defer import Deferred

        if self.executor is None:
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsmon-store")
        return Deferred.fromFuture(asyncio.wrap_future(self.executor.submit(fn, *args)))

    def close(self, spider=None, reason=None) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None
