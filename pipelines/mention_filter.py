"""Keep only articles whose title or body names a blockchain term (config/keywords.yaml).

A rejected URL is remembered in the store, so the next daily run does not fetch
it again. The rejection is typed (:class:`pipelines.Rejected`, with its reason).
"""

from __future__ import annotations

import logging

from newsmon import config
from newsmon.storage import StoreError, StoreGateway
from newsmon.storage.frontier import Frontier
from pipelines import Rejected, StoreStage

log = logging.getLogger(__name__)
NO_TERM = "no blockchain term in title or body"


class MentionFilterPipeline(StoreStage):
    def __init__(self, settings, stats, gateway: StoreGateway):
        super().__init__(settings, stats, gateway)
        self.keywords = config.keywords(settings)

    def _remember_rejection(self, item, reason: str) -> None:
        store = self.gateway.store()
        if store is None:
            return  # only an optimisation: the page is fetched again next run
        try:
            store.mark_rejected(item["url"], item.get("source") or "", reason)
            if item.get("frontier_key"):
                Frontier(store).done([item["frontier_key"]])
        except StoreError as exc:
            self.gateway.failed(exc)
            log.debug("could not remember rejected %s: %s", item.get("url"), exc)

    def handle(self, item):
        found = self.keywords.find(f"{item.get('title') or ''}\n{item.get('content') or ''}")
        if not found:
            reason = item.get("extract_reason") or NO_TERM
            self.stats.inc_value("newsmon/rejected/no_mention")
            self._remember_rejection(item, reason)
            raise Rejected(item.get("url") or "", reason)
        item["matched_terms"] = dict(found.most_common())
        return item
