"""Label an article: category, level, place, bodies, people, domains, documents, relevance.

Every label comes with its evidence (``evidence``: label -> matched terms). Rules,
term lists and the gazetteer are data in config/text/ (docs/labels.md). Uses the
tokens of the segment stage when present, else segments the article itself, once.
"""

from __future__ import annotations

from newsmon import config
from newsmon.text import LABEL_KEYS
from pipelines import Stage


class LabelPipeline(Stage):
    def __init__(self, settings, stats):
        super().__init__(settings, stats)
        self.analyser = config.analyser(settings)

    def process_item(self, item, spider=None):
        title, content = item.get("title") or "", item.get("content") or ""
        tokens = item.get("tokens")
        if tokens is None:  # no segment stage before this one
            labels = self.analyser.analyse(title, content)
            item["tokens"], item["top_words"] = labels["tokens"], labels["top_words"]
        else:
            labels = self.analyser.label_article(title, content, tokens)
        for key in LABEL_KEYS:
            item[key] = labels[key]
        self.stats.inc_value(f"newsmon/labelled/{labels['category']}")
        return item
