"""Segment and label an article in one jieba pass (newsmon.text; rules and gazetteer in config/text/).

Sets ``tokens`` (title then body, whitespace dropped), ``top_words`` (top 10 by
TF-IDF over those tokens) and every label key with its ``evidence``
(docs/labels.md). The work runs in the crawl's worker processes once the crawl
is large enough (newsmon/workers.py), so the reactor keeps downloading.
"""

from __future__ import annotations

from newsmon.text import LABEL_KEYS
from newsmon.workers import Workers
from pipelines import Stage


class AnalysePipeline(Stage):
    def __init__(self, settings, stats, workers: Workers):
        super().__init__(settings, stats)
        self.workers = workers

    @classmethod
    def from_crawler(cls, crawler):
        workers = Workers.from_crawler(crawler)
        workers.analyser  # noqa: B018 -- built now: a broken rules file stops the crawl before it fetches anything
        return cls(crawler.settings, crawler.stats, workers)

    async def process_item(self, item, spider=None):
        result = await self.workers.analyse(item.get("title") or "", item.get("content") or "")
        item["tokens"], item["top_words"] = result["tokens"], result["top_words"]
        for key in LABEL_KEYS:
            item[key] = result[key]
        self.stats.inc_value("newsmon/segmented")
        self.stats.inc_value(f"newsmon/labelled/{result['category']}")
        return item
