"""Every index newsmon relies on, for every collection, in one declarative list.

Created once per process and database when the store is first opened
(:func:`ensure`); creating an existing index is a no-op on both servers. The
embedded nx-27017 server answers an equality on an indexed field in about a
millisecond and scans the whole table otherwise, so a query newsmon runs on a
hot path must find its field here.
"""

from __future__ import annotations

import hashlib

from pymongo.errors import DuplicateKeyError

from newsmon.dedupe import minhash

ARTICLES = "articles"
SEEN = "seen"
RUNS = "crawl_runs"
FRONTIER = "frontier"
LISTINGS = "listings"
HEALTH = "source_health"
DEDUPE_INDEX = "dedupe_index"
KEYS = "dedupe_keys"
REPRINT_URLS = "reprint_urls"
REPRINT_QUEUE = "reprint_queue"
CURSORS = "consumer_cursors"
LEASES = "leases"
FIRES = "schedule_fires"
JOBS = "scheduler_jobs"
DELIVERIES = "deliveries"
EVENTS = "notify_events"
DIGEST_DAYS = "digest_days"      # what each past day knew, for the digest's look-back (storage/digestdays.py)
BAND_FIELDS = [f"b{i}" for i in range(minhash.BANDS)]   # dedupe_index fields of stores before dedupe_keys

# (collection, keys, options)
INDEXES: list[tuple[str, list[tuple[str, int]], dict]] = [
    (ARTICLES, [("url", 1)], {"unique": True}),
    (ARTICLES, [("first_seen", -1)], {}),
    (ARTICLES, [("first_seen_ms", 1)], {}),
    (ARTICLES, [("published_ms", -1)], {}),       # ranges and sorts use the integer dates (Store.stamp)
    (ARTICLES, [("source", 1)], {}),
    (ARTICLES, [("run_id", 1)], {}),
    (ARTICLES, [("content_hash", 1)], {}),
    # label filters of `newsmon query` / `digest` (each combined with a date range)
    (ARTICLES, [("category", 1), ("first_seen_ms", -1)], {}),
    (ARTICLES, [("province", 1), ("first_seen_ms", -1)], {}),
    (ARTICLES, [("level", 1), ("first_seen_ms", -1)], {}),
    (ARTICLES, [("region", 1), ("first_seen_ms", -1)], {}),
    (ARTICLES, [("kind", 1), ("first_seen_ms", -1)], {}),
    (SEEN, [("url", 1)], {"unique": True}),
    (RUNS, [("started_at", -1)], {}),
    (RUNS, [("status", 1)], {}),
    (FRONTIER, [("source", 1)], {}),
    (LISTINGS, [("source", 1)], {}),
    # dedupe_index and dedupe_keys are read by _id only (keys.py)
    (REPRINT_URLS, [("article", 1)], {}),
    (FIRES, [("at", 1)], {}),
    # notifications (storage/deliveries.py): state per (watch, channel) by _id; the event outbox by time
    (DELIVERIES, [("watch", 1)], {}),
    (EVENTS, [("at_ms", 1)], {}),
]

_done: set[tuple[int, str]] = set()


def ensure(db) -> bool:
    """Create every index (once per process and database); True when this call created them.

    A store keeps a marker naming the index set it has, so a process that opens a
    store already indexed asks one ``find_one`` instead of twenty ``create_index``
    (on the embedded server each costs about 0.1 s even when the index exists).
    """
    key = (id(db.client), db.name)
    if key in _done:
        return False
    marker = "~indexes:" + hashlib.sha1(repr(INDEXES).encode()).hexdigest()[:12]
    if db[KEYS].find_one({"_id": marker}, {"_id": 1}) is not None:
        _done.add(key)
        return False
    for coll, keys, opts in INDEXES:
        db[coll].create_index(keys, **opts)
    try:
        db[KEYS].insert_one({"_id": marker, "a": None})
    except DuplicateKeyError:
        pass
    _done.add(key)
    return True


def forget() -> None:
    """Tests drop databases: let the next open create the indexes again."""
    _done.clear()
