"""Reading articles back: filters, per-consumer cursors, counts.

Every filter value a user types is used as a plain value (an equality, a range
bound, or an escaped regex), never parsed into a query document, so input such
as ``{"$where": "sleep(1)"}`` is only ever a literal string. Filters and sorts
use indexed fields (see INDEXES in mongo.py) and the subset of the query
language the embedded server handles exactly like MongoDB.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

from newsmon.storage.mongo import ARTICLES, Store, utcnow

CURSORS = "consumer_cursors"
SORTS = {"first_seen": "first_seen_ms", "published": "published_ms", "relevance": "relevance", "title": "title",
         "source": "source"}
# Fields a listing needs; the body and token lists stay on the server.
LIST_PROJECTION = {"content": 0, "tokens": 0, "bands": 0, "evidence": 0}


@dataclass
class ArticleFilter:
    """What a user may filter on. All values are plain Python values."""

    since: dt.datetime | None = None          # inclusive
    until: dt.datetime | None = None          # exclusive
    by: str = "first_seen"                    # first_seen | published
    category: list[str] = field(default_factory=list)
    level: list[str] = field(default_factory=list)
    province: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    title: str | None = None                  # substring of the title
    text: str | None = None                   # substring of title or body
    min_relevance: float | None = None

    def to_mongo(self) -> dict[str, Any]:
        q: dict[str, Any] = {}
        # the integer twin of the date (Store.stamp): the embedded server reads every document for a range of dates
        date_field = "published_ms" if self.by == "published" else "first_seen_ms"
        if self.since or self.until:
            q[date_field] = {k: int(v.timestamp() * 1000) for k, v in (("$gte", self.since), ("$lt", self.until))
                             if v is not None}
        for name in ("category", "level", "province", "region", "source", "kind"):
            values = [str(v) for v in getattr(self, name) if str(v)]
            if len(values) == 1:
                q[name] = values[0]
            elif values:
                q[name] = {"$in": values}
        if self.min_relevance is not None:
            q["relevance"] = {"$gte": float(self.min_relevance)}
        if self.title:
            q["title"] = {"$regex": re.escape(str(self.title))}
        if self.text:
            escaped = re.escape(str(self.text))
            q["$or"] = [{"title": {"$regex": escaped}}, {"content": {"$regex": escaped}}]
        return q


def find_articles(store: Store, flt: ArticleFilter, *, sort: str = "first_seen", descending: bool = True,
                  limit: int = 0, projection: dict | None = None) -> list[dict]:
    cursor = store.db[ARTICLES].find(flt.to_mongo(), projection if projection is not None else LIST_PROJECTION)
    cursor = cursor.sort([(SORTS.get(sort, sort), -1 if descending else 1), ("_id", -1 if descending else 1)])
    return list(cursor.limit(limit) if limit else cursor)


def iter_articles(store: Store, flt: ArticleFilter, projection: dict | None = None) -> Iterator[dict]:
    yield from store.db[ARTICLES].find(flt.to_mongo(), projection)


# --- consumer cursors ------------------------------------------------------------
def read_cursor(store: Store, consumer: str) -> dict | None:
    return store.db[CURSORS].find_one({"_id": str(consumer)})


def _new_query(store: Store, consumer: str, first_since: dt.datetime | None, settle_ms: int,
               flt: ArticleFilter | None) -> tuple[dict[str, Any], dict | None, int | None]:
    cursor = read_cursor(store, consumer)
    since_ms = cursor["first_seen_ms"] if cursor else (int(first_since.timestamp() * 1000) if first_since else None)
    upto_ms = int(utcnow().timestamp() * 1000) - max(0, settle_ms)
    q: dict[str, Any] = {}
    if flt is not None:
        q = replace(flt, since=None, until=None).to_mongo()
    q["first_seen_ms"] = {"$lte": upto_ms}
    if since_ms is not None:
        q["first_seen_ms"]["$gte"] = since_ms
    return q, cursor, since_ms


def new_for_consumer(store: Store, consumer: str, *, limit: int = 0, first_since: dt.datetime | None = None,
                     settle_ms: int = 2000, flt: ArticleFilter | None = None,
                     projection: dict | None = None) -> tuple[list[dict], dict | None]:
    """Articles first stored after the consumer's cursor (oldest first) and the cursor to save.

    The cursor is (first_seen_ms, ids stored in that same millisecond): nothing
    stored in the same millisecond as the last article shown is lost or repeated.
    Articles younger than `settle_ms` wait for the next call, so a writer that
    stamped first_seen a moment before a faster writer cannot slip behind the cursor.
    `flt` narrows the articles by label (its date range is not used: the cursor is the range).
    With `limit`, only that many (plus those already shown at the cursor's millisecond)
    are read from the store: a first call on a large store stays one bounded query.
    """
    q, cursor, since_ms = _new_query(store, consumer, first_since, settle_ms, flt)
    shown = set(cursor.get("ids_at_ms") or []) if cursor else set()
    found = (store.db[ARTICLES].find(q, projection if projection is not None else LIST_PROJECTION)
             .sort([("first_seen_ms", 1), ("_id", 1)]))
    if limit:
        found = found.limit(limit + len(shown))
    docs = [d for d in found if not (d["first_seen_ms"] == since_ms and str(d["_id"]) in shown)]
    if limit:
        docs = docs[:limit]
    if not docs:
        return [], None
    last = docs[-1]["first_seen_ms"]
    same = [str(d["_id"]) for d in docs if d["first_seen_ms"] == last]
    if cursor and since_ms == last:
        same = list(dict.fromkeys((cursor.get("ids_at_ms") or []) + same))
    return docs, {"first_seen_ms": last, "ids_at_ms": same}


def count_new(store: Store, consumer: str, *, first_since: dt.datetime | None = None, settle_ms: int = 2000,
              flt: ArticleFilter | None = None) -> int:
    """How many articles new_for_consumer would return without a limit (counted on the server)."""
    q, cursor, since_ms = _new_query(store, consumer, first_since, settle_ms, flt)
    if cursor is None and since_ms is None and flt is None:
        # everything stored is new: the collection's own count, less the few too young to show yet
        # (count_documents would read every document on the embedded server)
        upto = q["first_seen_ms"]["$lte"]
        young = store.db[ARTICLES].find({"first_seen_ms": {"$gt": upto}}, {"_id": 1})
        return max(0, store.db[ARTICLES].estimated_document_count() - len(list(young)))
    # bounded by the cursor (a day's articles, not the store); found, not counted: the embedded
    # server's count_documents reads the whole collection whatever the query
    total = len(list(store.db[ARTICLES].find(q, {"_id": 1})))
    shown = list(cursor.get("ids_at_ms") or []) if cursor else []
    if shown:
        from bson import ObjectId

        ids = [ObjectId(i) if ObjectId.is_valid(i) else i for i in shown]
        # found, not counted: the embedded server's count (an aggregate) misses ``_id $in`` with ObjectIds
        total -= len(list(store.db[ARTICLES].find({**q, "first_seen_ms": since_ms, "_id": {"$in": ids}}, {"_id": 1})))
    return max(0, total)


def save_cursor(store: Store, consumer: str, position: dict) -> None:
    store.put_fields(CURSORS, str(consumer), {**position, "updated_at": utcnow()})


# --- counts ----------------------------------------------------------------------
def count_by(store: Store, flt: ArticleFilter, *keys: str) -> dict[str, list[tuple[Any, int]]]:
    """(value, count) pairs per field over the filtered articles, most frequent first.

    Counted here from one indexed find() rather than with $group: the embedded
    server's aggregate ignores date ranges in $match (measured), find() does not.
    List fields (e.g. technologies) count each element.
    """
    from collections import Counter

    counters = {k: Counter() for k in keys}
    projection = {k.split(".")[0]: 1 for k in keys} | {"_id": 0}
    for doc in store.db[ARTICLES].find(flt.to_mongo(), projection):
        for key in keys:
            value = doc.get(key)
            for v in (value if isinstance(value, list) else [value]):
                counters[key][v] += 1
    return {k: sorted(c.items(), key=lambda r: (-r[1], str(r[0]))) for k, c in counters.items()}
