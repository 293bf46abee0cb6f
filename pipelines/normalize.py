"""Normalise an article: its one canonical URL, tidy whitespace.

The URL an article is stored under is decided here, once: the page's
rel=canonical when it stays on the page's own site, else the fetched URL, both in
canonical form (newsmon/urls.py, config/url_rules.yaml). Later stages read
``item["url"]``; ``fetched_url`` keeps where the page was fetched (canonical form).
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

    def process_item(self, item, spider=None):
        fetched = self.urls.canonical(item.get("fetched_url") or item.get("url") or "")
        item["fetched_url"] = fetched
        item["url"] = self.urls.article_url(fetched, item.get("canonical_link")) if item.get("canonical_link") else fetched
        item["title"] = _SPACE.sub(" ", (item.get("title") or "").replace("\n", " ")).strip()
        item["content"] = tidy_text(item.get("content") or "")
        item["authors"] = [a.strip() for a in item.get("authors") or [] if a and a.strip()]
        return item
