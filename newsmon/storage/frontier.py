"""What listings announced, and how far the last complete pass over each listing reached.

Two collections make a crawl resumable:

  frontier  one document per article URL a listing announced that is not yet
            handled: ``_id`` (canonical URL), ``source``, ``listing``, ``listed``
            (title, date, via), ``tries``, ``at``, ``claim`` (the process that took
            it up last). Written when a listing page is
            read, before its articles are requested; removed when the article was
            stored, merged, rejected or given up on. A crawl that dies leaves the
            rest here, and the next run fetches it first.
  listings  one document per listing (a source's discovery entry, per search term):
            the **mark** — the newest entry of the last pass that read the listing
            down to the previous mark (or to its end) — and the HTTP validators of
            that pass's pages. A pass that was cut short saves nothing, so the next
            run pages down to the old mark again, and its validators are not sent.

Every entry is *claimed* by a run: the one whose listing announced it, or the one
that took it up as a leftover. A run takes up only entries whose claimant is no
longer running (its record closed, crawl_runs), by a compare-and-set on ``claim``,
so when processes share a crawl (Redis) none takes what another live process is
fetching, exactly one of those starting together takes each, and a later run
takes over from one that died.

Only equality and ``_id $in`` queries on indexed fields, inserts that tolerate
duplicates, and deletes by ``_id``: the same on nx-27017 and on MongoDB.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from pymongo.errors import BulkWriteError

from newsmon.storage.indexes import FRONTIER, LISTINGS
from newsmon.storage.mongo import Store, utcnow

GIVE_UP_AFTER = 5   # requests of one announced article that failed before it is dropped


class Frontier:
    def __init__(self, store: Store):
        self.store = store
        self.coll = store.db[FRONTIER]
        self.listings = store.db[LISTINGS]

    # --- announced articles --------------------------------------------------------------
    def add(self, source: str, listing: str, entries: Iterable[tuple[str, dict]], claim: str | None = None) -> int:
        """Record announced articles (canonical URL, listed info) for run ``claim``; recorded ones stay as they are."""
        now = utcnow()
        docs = [{"_id": url, "source": source, "listing": listing, "listed": _plain(listed), "tries": 0, "at": now,
                 "claim": claim}
                for url, listed in entries]
        if not docs:
            return 0
        try:
            return len(self.coll.insert_many(docs, ordered=False).inserted_ids)
        except BulkWriteError as exc:  # duplicates: announced again before they were handled
            return exc.details.get("nInserted", 0)

    def pending(self, source: str, limit: int = 5000) -> list[dict]:
        """Announced articles of a source not yet handled, oldest first."""
        return sorted(self.coll.find({"source": source}).limit(limit), key=lambda d: (d.get("at") or utcnow(), d["_id"]))

    def claim(self, docs: Iterable[dict], token: str, live: set[str]) -> list[dict]:
        """The leftovers run ``token`` takes up: those no live run (``live``) holds, unless another took them first."""
        taken = []
        for doc in docs:
            if doc.get("claim") == token:
                taken.append(doc)
                continue
            if doc.get("claim") in live:
                continue  # another process of a shared crawl is on it
            result = self.coll.update_one({"_id": doc["_id"], "claim": doc.get("claim")}, {"$set": {"claim": token}})
            if result.modified_count:
                taken.append(doc)
        return taken

    def done(self, urls: Iterable[str]) -> None:
        urls = [u for u in dict.fromkeys(urls) if u]
        if urls:
            self.coll.delete_many({"_id": {"$in": urls}})

    def tried(self, url: str) -> int:
        """One more failed request of an announced article; the number of tries so far."""
        self.coll.update_one({"_id": url}, {"$inc": {"tries": 1}})
        doc = self.coll.find_one({"_id": url}, {"tries": 1})
        return int(doc.get("tries", 0)) if doc else GIVE_UP_AFTER

    # --- listing marks ------------------------------------------------------------------------
    def marks(self, source: str) -> dict[str, dict]:
        return {d["_id"]: d for d in self.listings.find({"source": source})}

    def save_mark(self, listing: str, source: str, url: str | None, date: dt.datetime | None,
                  validators: dict[str, dict]) -> None:
        """A pass over the listing is complete: its newest entry is the new mark."""
        self.store.put_fields(LISTINGS, listing, {"source": source, "url": url, "date_ms": _ms(date),
                                                   "validators": validators, "at": utcnow()})


def _ms(value: dt.datetime | None) -> int | None:
    return int(value.timestamp() * 1000) if isinstance(value, dt.datetime) else None


def _plain(listed: dict) -> dict[str, Any]:
    """Listed info as stored: the date as epoch milliseconds (see mongo.py on dates in updates)."""
    out = {k: v for k, v in (listed or {}).items() if k != "date"}
    if isinstance((listed or {}).get("date"), dt.datetime):
        out["date_ms"] = _ms(listed["date"])
    return out


def listed_of(doc: dict) -> dict:
    """A frontier document's listed info as the spider gave it (date back as an aware datetime)."""
    listed = dict(doc.get("listed") or {})
    ms = listed.pop("date_ms", None)
    if ms is not None:
        listed["date"] = dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc)
    return listed
