"""Keep only articles whose title or body names a blockchain term (config/keywords.yaml).

A rejected URL is remembered in the store, so the next daily run does not fetch
it again.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from newsmon.config import load_keywords
from newsmon.errors import StoreUnavailable
from pipelines import Stage

log = logging.getLogger(__name__)


class MentionFilterPipeline(Stage):
    def __init__(self, settings, stats):
        super().__init__(settings, stats)
        self.keywords = load_keywords(settings.get("NEWSMON_KEYWORDS_FILE", "keywords.yaml"))
        self._store = None

    def _remember_rejection(self, item, reason: str) -> None:
        from pymongo.errors import PyMongoError

        from newsmon.storage import open_store

        try:
            if self._store is None:
                self._store = open_store(self.settings, drain_spill=False)
            self._store.mark_rejected(item["url"], item.get("source") or "", reason)
        except (StoreUnavailable, PyMongoError) as exc:  # only an optimisation: never fail the item for it
            log.debug("could not remember rejected %s: %s", item.get("url"), exc)

    def process_item(self, item, spider=None):
        found = self.keywords.find(f"{item.get('title') or ''}\n{item.get('content') or ''}")
        if not found:
            reason = item.get("extract_reason") or "no blockchain term in title or body"
            self.stats.inc_value("newsmon/rejected/no_mention")
            self._remember_rejection(item, reason)
            raise DropItem(f"rejected {item.get('url')}: {reason}")
        item["matched_terms"] = dict(found.most_common())
        return item
