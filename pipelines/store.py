"""Write articles to MongoDB; when the store is down, spill them to a local file.

Spilled documents are written back the next time the store is opened
(newsmon.storage.open_store), so an outage loses nothing.
"""

from __future__ import annotations

import logging
import time

from pymongo.errors import PyMongoError

from newsmon.runs import run_id_for_settings
from newsmon.errors import StoreUnavailable
from newsmon.storage import open_store, spill_for
from newsmon.storage.mongo import ARTICLES, utcnow
from pipelines import Stage

log = logging.getLogger(__name__)
RETRY_AFTER = 30.0  # seconds to spill without trying the store after a failure


def to_document(item) -> dict:
    return {k: v for k, v in dict(item).items() if v is not None}


class StorePipeline(Stage):
    def __init__(self, settings, stats):
        super().__init__(settings, stats)
        self.spill = spill_for(settings)
        self.store = None
        self.down_until = 0.0

    def open_spider(self, spider=None):
        self._connect()

    def _connect(self) -> bool:
        try:
            self.store = open_store(self.settings)
            return True
        except StoreUnavailable as exc:
            log.error("store unavailable, items go to %s until it is back: %s", self.spill.path, exc)
            self.store, self.down_until = None, time.monotonic() + RETRY_AFTER
            return False

    def process_item(self, item, spider=None):
        doc = to_document(item)
        doc["first_seen"] = utcnow()
        doc["run_id"] = run_id_for_settings(self.settings, self.stats)
        item["first_seen"], item["run_id"] = doc["first_seen"], doc["run_id"]
        if self.store is None and time.monotonic() >= self.down_until:
            self._connect()
        if self.store is not None:
            try:
                if self.store.insert_article(doc):
                    self.stats.inc_value("newsmon/stored")
                    log.info("stored %s %s", doc["url"], doc.get("title", "")[:60])
                else:
                    self.stats.inc_value("newsmon/duplicate_url")
                return item
            except PyMongoError as exc:
                log.error("store refused %s (%s); spilled to %s", doc["url"], exc, self.spill.path)
                self.store, self.down_until = None, time.monotonic() + RETRY_AFTER
        doc.pop("_id", None)
        self.spill.append(ARTICLES, doc)
        self.stats.inc_value("newsmon/spilled")
        return item

    def close_spider(self, spider=None):
        if self.stats.get_value("newsmon/spilled") and self._connect():
            pass  # open_store wrote the spill back
        left = len(self.spill)
        if left:
            log.warning("%d article(s) wait in %s; they are written on the next start", left, self.spill.path)
