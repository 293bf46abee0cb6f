"""Label an article: category, level, place, bodies, people, domains, documents, relevance.

Every label comes with its evidence (``evidence``: label -> matched terms). Rules,
term lists and the gazetteer are data in config/text/ (docs/labels.md). Uses the
tokens of the segment stage when present, else segments the article itself, once.
"""

from __future__ import annotations

from newsmon.text import LABEL_KEYS, analyse, label_article
from pipelines import Stage


class LabelPipeline(Stage):
    def __init__(self, settings, stats):
        super().__init__(settings, stats)
        from newsmon.text.lexicon import load_lexicon

        load_lexicon()  # a malformed config/text file fails the crawl at start, with file and line

    def process_item(self, item, spider=None):
        title, content = item.get("title") or "", item.get("content") or ""
        tokens = item.get("tokens")
        if tokens is None:  # no segment stage before this one
            labels = analyse(title, content, url=item.get("url"), source=item.get("source"))
            item["tokens"], item["keywords"] = labels["tokens"], labels["keywords"]
        else:
            labels = label_article(title, content, tokens)
        for key in LABEL_KEYS:
            item[key] = labels[key]
        if self.stats is not None:
            self.stats.inc_value(f"newsmon/labelled/{labels['category']}")
        return item
