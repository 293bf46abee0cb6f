"""Find the article a new item duplicates: same URL, same body, or a reprint of it.

The stage marks the item, the store stage writes it (pipelines/store.py): a new
article is inserted and indexed; a duplicate is merged into its canonical
article's ``also_at`` instead of being stored again. Nothing is dropped here.

Order of checks (newsmon/storage/reprints.py): the URL (stored, or known as a
reprint), the normalised body's hash (exact duplicate), then MinHash band
candidates verified on their shingle sets (near duplicate). Items this process
passed as new are remembered too (a bounded in-memory index), so a reprint of an
article from the same run merges even when that article is not in the store yet
(stored a moment ago by a slower path, or spilled during an outage).

Item fields set here: ``content_hash`` (the one body hash: sha1 of the folded
body), ``article_id`` (the ``_id`` a new article gets), ``dedupe`` (fingerprint
summary for the index, plus ``pending`` when the store could not be asked), and
for a duplicate ``duplicate_of`` (canonical ``_id``, as a string) and
``duplicate_kind`` (url / exact / near). The URL was decided by the normalize stage.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from newsmon.dedupe import Fingerprint, compare, fingerprint, from_folded
from newsmon.storage import StoreError, StoreGateway, reprints
from pipelines import StoreStage

log = logging.getLogger(__name__)


def set_field(item, name: str, value) -> None:
    try:
        item[name] = value
    except KeyError:  # a scrapy Item without the field declared
        raise KeyError(f"{type(item).__name__} has no field {name!r}: declare it in crawler/items.py "
                       "(see docs/dedupe.md for the fields dedupe sets)") from None


class RecentIndex:
    """Items this process passed as new, newest last (bounded): the in-memory twin of dedupe_index."""

    def __init__(self, size: int = 2000):
        self.size = size
        self.items: OrderedDict[str, tuple[str, str, str]] = OrderedDict()  # id -> (url, folded, title)
        self.by_url: dict[str, str] = {}
        self.by_hash: dict[str, str] = {}
        self.by_band: dict[tuple[int, str], set[str]] = {}

    def add(self, article_id: str, url: str, fp: Fingerprint, title: str = "") -> None:
        self.items[article_id] = (url, fp.folded, title)
        if url:
            self.by_url[url] = article_id
        if fp.exact_ok:
            self.by_hash.setdefault(fp.hash, article_id)
        for i, key in enumerate(fp.bands):
            self.by_band.setdefault((i, key), set()).add(article_id)
        while len(self.items) > self.size:
            self._evict(*self.items.popitem(last=False))

    def _evict(self, aid: str, entry: tuple[str, str, str]) -> None:
        url, folded, _ = entry
        self.by_url.pop(url, None)
        fp = from_folded(folded)
        if self.by_hash.get(fp.hash) == aid:
            del self.by_hash[fp.hash]
        for i, key in enumerate(fp.bands):
            ids = self.by_band.get((i, key))
            if ids:
                ids.discard(aid)
                if not ids:
                    del self.by_band[(i, key)]

    def find(self, url: str, fp: Fingerprint) -> reprints.Match | None:
        def match(aid, kind, sim=None):
            u, _, title = self.items[aid]
            return reprints.Match(aid, u, title, kind, sim)

        if url in self.by_url:
            return match(self.by_url[url], "url")
        if fp.exact_ok and fp.hash in self.by_hash:
            return match(self.by_hash[fp.hash], "exact")
        if not fp.near_ok:
            return None
        seen: set[str] = set()
        for i, key in enumerate(fp.bands):
            seen |= self.by_band.get((i, key), set())
        best = None
        for aid in seen:
            sim = compare(fp, from_folded(self.items[aid][1]))
            if sim.reprint and (best is None or sim.jaccard > best[1].jaccard):
                best = (aid, sim)
        return match(best[0], "near", best[1]) if best else None


class DedupePipeline(StoreStage):
    def __init__(self, settings, stats, gateway: StoreGateway):
        super().__init__(settings, stats, gateway)
        self.recent = RecentIndex(settings.getint("NEWSMON_DEDUPE_MEMORY"))

    def handle(self, item):
        url = item.get("url") or ""
        fp = fingerprint(item.get("content") or "")
        set_field(item, "content_hash", fp.hash)
        if not item.get("article_id"):
            set_field(item, "article_id", reprints.new_article_id())
        info = reprints.summary(fp)
        match, pending = None, False
        store = self.gateway.store()
        if store is not None:
            try:
                match = reprints.find_duplicate(store, url, fp)
            except StoreError as exc:
                log.warning("dedupe lost the store (%s); checking this run's items only", exc)
                self.gateway.failed(exc)
                pending = True
        else:
            pending = True
        if match is None:
            match = self.recent.find(url, fp)
        if match is not None:
            info.update(canonical_url=match.url, reason=match.similarity.reason if match.similarity else match.kind,
                        similarity=match.score)
            set_field(item, "duplicate_of", str(match.article_id))
            set_field(item, "duplicate_kind", match.kind)
            self.stats.inc_value(f"newsmon/dedupe/{match.kind}")
            log.info("%s duplicates %s (%s)", url, match.url, info["reason"])
        else:
            if pending:
                info["pending"] = True
                self.stats.inc_value("newsmon/dedupe/unchecked")
            self.recent.add(item["article_id"], url, fp, item.get("title") or "")
        set_field(item, "dedupe", info)
        return item
