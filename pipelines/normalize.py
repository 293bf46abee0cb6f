"""Normalise an article: its one canonical URL, tidy whitespace, bounded content.

The URL an article is stored under is decided here, once: the page's
rel=canonical when it stays on the page's own site, else the fetched URL, both in
canonical form (newsmon/urls.py, config/url_rules.yaml). Later stages read
``item["url"]``; ``fetched_url`` keeps where the page was fetched (canonical form).

Content longer than NEWSMON_MAX_CONTENT_CHARS is cut here, before segmentation
and labelling, so a multi-megabyte page costs what a long article costs (and no
stage holds the reactor for seconds); ``truncated`` names the cut.
"""

from __future__ import annotations

import re

from newsmon import config
from pipelines import Stage

_SPACE = re.compile(r"[ \t\u3000\xa0]+")


def tidy_text(text: str) -> str:
    """Trim every line, collapse runs of spaces, drop empty lines."""
    lines = (_SPACE.sub(" ", line).strip() for line in (text or "").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


class NormalizePipeline(Stage):
    def __init__(self, settings, stats):
        super().__init__(settings, stats)
        self.urls = config.url_rules(settings)
        self.max_content = settings.getint("NEWSMON_MAX_CONTENT_CHARS")

    def process_item(self, item, spider=None):
        fetched = self.urls.canonical(item.get("fetched_url") or item.get("url") or "")
        item["fetched_url"] = fetched
        item["url"] = self.urls.article_url(fetched, item.get("canonical_link")) if item.get("canonical_link") else fetched
        item["title"] = _SPACE.sub(" ", (item.get("title") or "").replace("\n", " ")).strip()
        content = tidy_text(item.get("content") or "")
        if self.max_content and len(content) > self.max_content:
            content = content[:self.max_content]
            item["truncated"] = ["content"]
            self.stats.inc_value("newsmon/truncated")
        item["content"] = content
        item["authors"] = [a.strip() for a in item.get("authors") or [] if a and a.strip()]
        return item
