"""Worker processes for the CPU work of a crawl, so the reactor keeps downloading.

jieba and lxml hold the GIL for most of their work, so threads would not help:
segmentation and labelling (newsmon.text) run in a pool of processes, each of
which loads jieba and the dictionaries once. Until a crawl has handled
NEWSMON_WORKERS_AFTER articles the work is done in the crawl process itself, so a
small crawl (a test, ``newsmon ingest``, a quiet day) never pays for starting
workers. NEWSMON_WORKERS: -1 = one per available core but one (at least one), 0 =
never, N = N processes.

One pool per crawler (``Workers.from_crawler``). A worker that dies or raises
fails only the items it held: they reach the run report as errors like any other.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

log = logging.getLogger(__name__)
ATTR = "_newsmon_workers"
_analyser = None   # in a worker: the Analyser built by _init


def worker_count(setting: int) -> int:
    if setting >= 0:
        return setting
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


def _plain(settings) -> dict[str, Any]:
    """What a worker needs to build the same Analyser: newsmon's own settings, as plain values."""
    out = {}
    for name, value in settings.copy_to_dict().items():
        if name.startswith("NEWSMON_") and isinstance(value, (str, int, float, bool, type(None))):
            out[name] = value
    return out


def _init(values: dict[str, Any]) -> None:
    global _analyser
    from scrapy.settings import Settings

    from newsmon import config

    _analyser = config.analyser(Settings(values))


def _analyse(title: str, content: str) -> dict:
    return _analyser.analyse(title, content)


class Workers:
    def __init__(self, settings, stats):
        from newsmon import config

        self.settings = settings
        self.stats = stats
        self.count = worker_count(settings.getint("NEWSMON_WORKERS"))
        self.after = settings.getint("NEWSMON_WORKERS_AFTER")
        self.analyser = config.analyser(settings)  # the inline path, and the dictionaries checked now
        self.pool: ProcessPoolExecutor | None = None
        self.handled = 0

    @classmethod
    def from_crawler(cls, crawler) -> "Workers":
        found = getattr(crawler, ATTR, None)
        if found is None:
            from scrapy import signals

            found = cls(crawler.settings, crawler.stats)
            setattr(crawler, ATTR, found)
            crawler.signals.connect(found.close, signal=signals.spider_closed)
        return found

    def _pool(self) -> ProcessPoolExecutor | None:
        if self.pool is None and self.count and self.handled >= self.after:
            # forkserver: workers start from a clean process, not a fork of a reactor with threads
            context = multiprocessing.get_context("forkserver")
            self.pool = ProcessPoolExecutor(self.count, mp_context=context, initializer=_init,
                                            initargs=(_plain(self.settings),))
            log.info("segmentation and labelling move to %d worker process(es)", self.count)
            self.stats.set_value("newsmon/workers", self.count)
        return self.pool

    async def analyse(self, title: str, content: str) -> dict:
        """Tokens, top words and labels of one article (analyser.analyse), in a worker when there is a pool."""
        self.handled += 1
        pool = self._pool()
        if pool is None:
            return self.analyser.analyse(title, content)
        return await asyncio.wrap_future(pool.submit(_analyse, title, content))

    def close(self, spider=None, reason=None) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
