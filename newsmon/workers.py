"""Worker processes for the CPU work of a crawl, so the reactor keeps downloading.

jieba and lxml hold the GIL for most of their work, so threads would not help:
extraction (newsmon.extract, called by the spiders) and segmentation and labelling
(newsmon.text, called by pipelines/analyse.py) run in a pool of processes, each of
which loads jieba and the dictionaries once. Until a crawl has handled
NEWSMON_WORKERS_AFTER articles the work is done in the crawl process itself, so a
small crawl (a test, ``newsmon ingest``, a quiet day) never pays for starting
workers. NEWSMON_WORKERS: -1 = one per available core but one (at least one), 0 =
never, N = N processes.

One pool per crawler (``Workers.from_crawler``), shared by the spider and the
pipeline: it sits below both layers and needs nothing of Scrapy but the signal
that closes it. A worker that dies or raises fails only the item it held: the
exception reaches the callback or stage that awaited it, and the run report
counts it as an error like any other.
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


def _extract(body: bytes, url: str, charset: str | None, selectors: dict | None):
    from newsmon.extract import extract

    return extract(body, url, header_charset=charset, selectors=selectors)


class Workers:
    def __init__(self, settings, stats):
        self.settings = settings
        self.stats = stats
        self.count = worker_count(settings.getint("NEWSMON_WORKERS"))
        self.after = settings.getint("NEWSMON_WORKERS_AFTER")
        self._analyser = None
        self.pool: ProcessPoolExecutor | None = None
        self.handled = {"extract": 0, "analyse": 0}

    @classmethod
    def from_crawler(cls, crawler) -> "Workers":
        found = getattr(crawler, ATTR, None)
        if found is None:
            from scrapy import signals

            found = cls(crawler.settings, crawler.stats)
            setattr(crawler, ATTR, found)
            crawler.signals.connect(found.close, signal=signals.spider_closed)
        return found

    @property
    def analyser(self):
        """The crawl process' own analyser (the inline path), built on first use."""
        if self._analyser is None:
            from newsmon import config

            self._analyser = config.analyser(self.settings)
        return self._analyser

    def _pool(self, kind: str) -> ProcessPoolExecutor | None:
        self.handled[kind] += 1
        if self.pool is None and self.count and self.handled[kind] > self.after:
            # forkserver: workers start from a clean process, not a fork of a reactor with threads
            context = multiprocessing.get_context("forkserver")
            self.pool = ProcessPoolExecutor(self.count, mp_context=context, initializer=_init,
                                            initargs=(_plain(self.settings),))
            log.info("extraction, segmentation and labelling move to %d worker process(es)", self.count)
            self.stats.set_value("newsmon/workers", self.count)
        return self.pool

    async def analyse(self, title: str, content: str) -> dict:
        """Tokens, top words and labels of one article (analyser.analyse), in a worker when there is a pool."""
        pool = self._pool("analyse")
        if pool is None:
            return self.analyser.analyse(title, content)
        return await asyncio.wrap_future(pool.submit(_analyse, title, content))

    async def extract(self, body: bytes, url: str, charset: str | None = None, selectors: dict | None = None):
        """newsmon.extract.extract of one page, in a worker when there is a pool."""
        pool = self._pool("extract")
        if pool is None:
            return _extract(body, url, charset, selectors)
        return await asyncio.wrap_future(pool.submit(_extract, body, url, charset, selectors))

    def close(self, spider=None, reason=None) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
