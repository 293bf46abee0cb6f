"""Write articles to MongoDB; merge reprints into their canonical article; spill when the store is down.

* A new article (no ``duplicate_of``) is inserted under the ``_id`` the dedupe
  stage gave it, with ``also_at: []`` and ``reprint_count: 0``, and entered in the
  near-duplicate index (newsmon/storage/reprints.py).
* A reprint (``duplicate_of`` set by pipelines/dedupe.py) is not stored again: it
  is added to the canonical article's ``also_at`` (url, source, published_at,
  first_seen, title, outlet, match) and ``reprint_count`` goes up by one. The same
  URL twice is a no-op. If the canonical is not in the store yet, the merge
  waits in ``reprint_queue`` and is applied when it is.
* When the store is down or refuses a write, everything goes to the spill file
  (one record per document: the article, its index entry, a queued merge ...)
  and is written the next time the store is opened (newsmon.storage.open_store),
  so an outage loses nothing; queued merges are then applied by this stage when
  it opens, or by ``newsmon ingest``.

``item["store_outcome"]`` says what happened: stored / merged / already (that
reprint URL was recorded before) / known (that URL is stored) / queued / spilled.
"""

from __future__ import annotations

import logging

from newsmon.dedupe import fingerprint
from newsmon.errors import StoreUnavailable
from newsmon.storage import StoreError, StoreGateway, reprints
from newsmon.storage.frontier import Frontier
from newsmon.storage.gateway import replay
from newsmon.storage.indexes import ARTICLES
from newsmon.storage.mongo import DocumentRefused, utcnow
from newsmon.storage.runs import run_id_for
from pipelines import StoreStage

log = logging.getLogger(__name__)
# Item fields that steer this stage and are not part of the article document.
INTERNAL_FIELDS = ("article_id", "dedupe", "duplicate_of", "duplicate_kind", "store_outcome", "reprint_count", "also_at",
                   "url_from", "frontier_key")


def to_document(item, limits: dict[str, int]) -> dict:
    """The article document: the item without this stage's steering fields, bounded in size.

    ``limits`` caps content (characters), tokens and mentions (list lengths); what was
    cut is named in ``truncated``, so a 4-8 MB page is stored, not refused.
    """
    doc = {k: v for k, v in dict(item).items() if v is not None and k not in INTERNAL_FIELDS}
    cut = list(doc.pop("truncated", None) or [])  # normalize.py may have cut the content already
    for field, limit in limits.items():
        value = doc.get(field)
        if value is not None and len(value) > limit:
            doc[field] = value[:limit]
            if field not in cut:
                cut.append(field)
    evidence = doc.get("evidence")
    if isinstance(evidence, dict):
        doc["evidence"] = {k: (v[:limits["mentions"]] if isinstance(v, list) else v) for k, v in evidence.items()}
    if cut:
        doc["truncated"] = cut
    return doc


def _set(item, name: str, value) -> None:
    """Report back on the item; a scrapy Item that does not declare the field just does not get it."""
    try:
        item[name] = value
    except KeyError:
        pass


class StorePipeline(StoreStage):
    def __init__(self, settings, stats, gateway: StoreGateway):
        super().__init__(settings, stats, gateway)
        self.spill = gateway.spill
        self.limits = {"content": settings.getint("NEWSMON_MAX_CONTENT_CHARS"), "tokens": settings.getint("NEWSMON_MAX_TOKENS"),
                       "mentions": settings.getint("NEWSMON_MAX_MENTIONS")}
        # Look again after storing, for a copy another process stored at the same moment:
        # a second index lookup per new article, worth it when processes share a crawl.
        recheck = settings.get("NEWSMON_DEDUPE_RECHECK")
        self.recheck = bool(settings.get("NEWSMON_REDIS_URL")) if recheck in (None, "") else settings.getbool("NEWSMON_DEDUPE_RECHECK")

    def open_spider(self, spider=None):
        try:
            self.gateway.open()  # at start the store may take its time; later it never holds up the crawl
        except (StoreUnavailable, StoreError) as exc:
            log.error("store unavailable, items go to %s until it is back: %s", self.spill.path, exc)
            self.gateway.failed(exc)

    def _lost_store(self, what: str, exc: Exception) -> None:
        log.error("store refused %s (%s); spilled to %s", what, exc, self.spill.path)
        self.gateway.failed(exc)

    def handle(self, item):
        first_seen = utcnow()
        run_id = run_id_for(self.settings, self.stats)
        item["first_seen"], item["run_id"] = first_seen, run_id
        store = self.gateway.store()
        if item.get("duplicate_of"):
            item = self._reprint(item, first_seen, store)
        else:
            item = self._article(item, first_seen, run_id, store)
        if item.get("store_outcome") != "spilled":
            self._handled(item)
        return item

    def _handled(self, item) -> None:
        """The article is in the store (or its merge queued there): its listing's announcement is done."""
        store = self.gateway.store()
        if item.get("frontier_key") and store is not None:
            try:
                Frontier(store).done([item["frontier_key"]])
            except StoreError as exc:  # it stays announced; the next run finds it known and drops it
                self.gateway.failed(exc)

    # --- a new article ---------------------------------------------------------------------
    def _article(self, item, first_seen, run_id, store):
        doc = to_document(item, self.limits)
        doc["first_seen"], doc["run_id"] = first_seen, run_id
        doc["_id"] = reprints.as_oid(item.get("article_id") or reprints.new_article_id())
        doc.setdefault("also_at", [])
        doc.setdefault("reprint_count", 0)
        info = item.get("dedupe") or reprints.summary(fingerprint(item.get("content") or ""))
        index_doc = reprints.index_document(doc["_id"], info, first_seen)
        alias = item.get("fetched_url") or ""   # canonical form (normalize stage)
        alias = alias if alias and alias != doc.get("url") else None
        pending = bool(info.get("pending"))
        if store is not None:
            try:
                if store.insert_article(doc):
                    if index_doc:
                        reprints.add_index_doc(store, index_doc)
                    if alias:
                        reprints.record_url(store, alias, doc["_id"], "alias")
                    if pending:
                        reprints.queue(store, reprints.recheck_record(doc["_id"]))
                    elif self.recheck and reprints.recheck(store, doc["_id"]) == "merged":
                        # another process stored the same story a moment earlier (scale-out, or a
                        # manual crawl beside the scheduled one): this copy became its reprint
                        self.stats.inc_value("newsmon/merged")
                        _set(item, "store_outcome", "merged")
                        log.info("merged %s into a copy another process stored first", doc["url"])
                        return item
                    self.stats.inc_value("newsmon/stored")
                    _set(item, "store_outcome", "stored")
                    log.info("stored %s %s", doc["url"], doc.get("title", "")[:60])
                else:
                    self.stats.inc_value("newsmon/duplicate_url")
                    _set(item, "store_outcome", "known")
                return item
            except DocumentRefused as exc:
                return self._refused(store, item, str(exc))
            except StoreError as exc:
                self._lost_store(doc.get("url", ""), exc)
        self.spill.append(ARTICLES, doc)
        if index_doc:
            self.spill.append(reprints.INDEX, index_doc)
        if alias:
            self.spill.append(reprints.URLS, {"_id": alias, "article": doc["_id"], "role": "alias", "at": first_seen})
        if pending:
            self.spill.append(reprints.QUEUE, reprints.recheck_record(doc["_id"]))
        self.stats.inc_value("newsmon/spilled")
        _set(item, "store_outcome", "spilled")
        return item

    def _refused(self, store, item, why: str):
        """The store will never take this article: remember it as rejected (not fetched again), count the error."""
        log.warning("%s: %s", item.get("url"), why)
        self.stats.inc_value("newsmon/store_rejected")
        _set(item, "store_outcome", "refused")
        try:
            store.mark_rejected(item.get("url") or "", item.get("source") or "", why)
        except StoreError as exc:
            self.gateway.failed(exc)
        return item

    # --- a duplicate -------------------------------------------------------------------------
    def _reprint(self, item, first_seen, store):
        kind = item.get("duplicate_kind") or "near"
        target = item["duplicate_of"]
        info = item.get("dedupe") or {}
        if kind == "url":  # this very URL is stored (or recorded as a reprint) already
            self.stats.inc_value("newsmon/duplicate_url")
            _set(item, "store_outcome", "known")
            return item
        entry = reprints.reprint_entry(item, first_seen, kind, info.get("similarity"))
        record = reprints.merge_record(target, info.get("canonical_url") or "", entry)
        alias = item.get("fetched_url") or ""
        alias = alias if alias and alias != entry["url"] else None
        if store is not None:
            try:
                result = reprints.merge(store, target, entry)
                if alias:
                    reprints.record_url(store, alias, result.article_id)
                if result.outcome == "missing":  # stored by this run a moment ago, or still in the spill file
                    reprints.queue(store, record)
                    self.stats.inc_value("newsmon/merge_queued")
                    _set(item, "store_outcome", "queued")
                elif result.outcome == "already":
                    self.stats.inc_value("newsmon/reprint_known")
                    _set(item, "store_outcome", "already")
                    _set(item, "reprint_count", result.reprint_count)
                else:
                    self.stats.inc_value("newsmon/merged")
                    self.stats.inc_value(f"newsmon/merged/{kind}")
                    _set(item, "store_outcome", "merged")
                    _set(item, "reprint_count", result.reprint_count)
                    log.info("merged %s into %s (%s)", entry["url"], target, kind)
                return item
            except reprints.MergeConflict as exc:  # the store is fine, the article just kept changing
                log.warning("%s; queued", exc)
                try:
                    reprints.queue(store, record)
                    self.stats.inc_value("newsmon/merge_queued")
                    _set(item, "store_outcome", "queued")
                    return item
                except StoreError as exc2:
                    self._lost_store(entry["url"] or "", exc2)
            except StoreError as exc:
                self._lost_store(entry["url"] or "", exc)
        self.spill.append(reprints.QUEUE, record)
        self.stats.inc_value("newsmon/spilled")
        _set(item, "store_outcome", "spilled")
        return item

    def close_spider(self, spider=None):
        store = self.gateway.store()
        if store is not None and (self.stats.get_value("newsmon/spilled") or self.stats.get_value("newsmon/merge_queued")):
            replay(store, self.spill)  # the store is back: write the spill, merge the queued reprints now
        left = len(self.spill)
        if left:
            log.warning("%d document(s) wait in %s; they are written on the next start", left, self.spill.path)
