"""Passes over listings: where the last complete pass reached, and the validators it saw.

A *listing* is one discovery entry of a source (per search term): a feed, a
sitemap, or a chain of list/search/API pages, newest first. A *pass* reads it
from page 1 down. It is complete when it stops for a reason that proves coverage:
it reached the previous pass's mark (its newest entry then), its entries all
predate the mark or ``since``, or the listing ended (no next page, max_pages).
Only a complete pass moves the mark and saves the pages' HTTP validators; one cut
short (killed, timed out, a page failed) leaves both as they were, so the next run
pages down to the old mark again and sends no validator that could hide the gap.

One :class:`Listings` per crawler, shared by the incremental spider middleware
(which decides when paging stops) and the conditional-GET downloader middleware.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field

from newsmon.storage import StoreError, StoreGateway
from newsmon.storage.frontier import Frontier

log = logging.getLogger(__name__)
ATTR = "_newsmon_listings"


def listing_key(source: str, discovery, term: str | None) -> str:
    """A stable name for one listing: the source, its discovery's URL/form/body, the search term."""
    template = json.dumps([discovery.via, discovery.url, getattr(discovery, "form", None),
                           getattr(discovery, "json_body", None)], sort_keys=True, ensure_ascii=False, default=str)
    return f"{source}:{hashlib.sha1(template.encode('utf-8')).hexdigest()[:12]}:{term or ''}"


@dataclass
class Pass:
    top: tuple[str, dt.datetime | None] | None = None     # newest entry of page 1
    validators: dict[str, dict] = field(default_factory=dict)


class Listings:
    def __init__(self, crawler, gateway: StoreGateway):
        self.crawler = crawler
        self.gateway = gateway
        self.enabled = crawler.settings.getbool("NEWSMON_SKIP_KNOWN")
        self._marks: dict[str, dict] | None = None
        self.passes: dict[str, Pass] = {}

    @classmethod
    def from_crawler(cls, crawler) -> "Listings":
        found = getattr(crawler, ATTR, None)
        if found is None:
            found = cls(crawler, StoreGateway.from_crawler(crawler))
            setattr(crawler, ATTR, found)
        return found

    @property
    def source(self) -> str:
        return self.crawler.spider.name

    # --- what the last complete pass left -------------------------------------------------------
    def marks(self) -> dict[str, dict]:
        if self._marks is None:
            store = self.gateway.store()
            if store is None:
                return {}  # the store is down: page down to max_pages, send no validators
            try:
                self._marks = Frontier(store).marks(self.source)
            except StoreError as exc:
                self.gateway.failed(exc)
                return {}
        return self._marks

    def mark(self, listing: str) -> dict | None:
        return self.marks().get(listing) if self.enabled else None

    def validators(self, listing: str, url: str) -> dict | None:
        mark = self.mark(listing)
        return (mark.get("validators") or {}).get(url) if mark else None

    # --- the pass of this run --------------------------------------------------------------------
    def page(self, listing: str, page: int, entries: list[tuple[str, dt.datetime | None]]) -> bool:
        """A page of the listing was read (its announced entries, in page order); True when the mark is on it."""
        p = self.passes.setdefault(listing, Pass())
        if page == 1 and entries and p.top is None:
            p.top = entries[0]
        mark = self.mark(listing)
        if not mark or not entries:
            return False
        if mark.get("url") and any(url == mark["url"] for url, _ in entries):
            return True
        ms = mark.get("date_ms")
        dates = [d for _, d in entries if d is not None]
        return bool(ms and dates and len(dates) == len(entries) and all(d.timestamp() * 1000 < ms for d in dates))

    def validator_seen(self, listing: str, url: str, etag: str | None, modified: str | None) -> None:
        if etag or modified:
            self.passes.setdefault(listing, Pass()).validators[url] = {"etag": etag, "last_modified": modified}

    def complete(self, listing: str) -> None:
        """The pass reached the mark or the listing's end: save its newest entry and validators."""
        p = self.passes.pop(listing, None)
        if p is None or p.top is None:
            return  # nothing announced on page 1 (or page 1 never read): keep the old mark
        store = self.gateway.store()
        if store is None:
            return  # the next run pages down to the old mark: nothing is missed
        try:
            Frontier(store).save_mark(listing, self.source, p.top[0], p.top[1], p.validators)
        except StoreError as exc:
            self.gateway.failed(exc)
            log.warning("could not save how far %s was read: %s", listing, exc)
