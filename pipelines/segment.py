"""Segment an article with jieba (domain dictionary of config/text/) and keep its keywords.

Sets ``tokens`` (title then body, whitespace dropped) and ``keywords`` (top 10 by
TF-IDF over those tokens). The label stage reuses the tokens, so each article is
segmented once.
"""

from __future__ import annotations

from newsmon.text import keywords, segment_article
from pipelines import Stage


class SegmentPipeline(Stage):
    def __init__(self, settings, stats):
        super().__init__(settings, stats)
        from newsmon.text.tokenizer import get_tokenizer

        get_tokenizer()  # load jieba and the domain dictionary once, at start, not on the first item

    def process_item(self, item, spider=None):
        tokens = segment_article(item.get("title") or "", item.get("content") or "")
        item["tokens"] = tokens
        item["keywords"] = keywords(tokens)
        if self.stats is not None:
            self.stats.inc_value("newsmon/segmented")
        return item
