"""Segment an article with jieba (domain dictionary of config/text/) and keep its top words.

Sets ``tokens`` (title then body, whitespace dropped) and ``top_words`` (top 10 by
TF-IDF over those tokens). The label stage reuses the tokens, so each article is
segmented once.
"""

from __future__ import annotations

from newsmon import config
from newsmon.text import top_words
from pipelines import Stage


class SegmentPipeline(Stage):
    def __init__(self, settings, stats):
        super().__init__(settings, stats)
        self.analyser = config.analyser(settings)  # jieba and the dictionary load now, not on the first item

    def process_item(self, item, spider=None):
        tokens = self.analyser.segment_article(item.get("title") or "", item.get("content") or "")
        item["tokens"] = tokens
        item["top_words"] = top_words(tokens)
        self.stats.inc_value("newsmon/segmented")
        return item
