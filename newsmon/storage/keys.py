"""Lookup keys: what newsmon knows about a URL or a body, answered by one query.

One collection, ``dedupe_keys``, keyed by ``_id`` (the one index the embedded
nx-27017 server answers ``$in`` from without a table scan):

  u:<canonical url>   ``a`` the article it shows (None for a rejected page), ``r`` the
                      role: article (its own URL), alias (a fetched URL its
                      rel=canonical replaced), reprint, rejected
  h:<body hash>       ``a`` [ids of canonical articles with that normalised body]
  b<i>:<band key>     ``a`` [ids of canonical articles with that MinHash band key]

So dedupe asks one ``_id $in`` for a new article's URL, body hash and 20 band
keys, and a listing page asks one ``_id $in`` for all the URLs it announces,
whatever the store's size. Keys are written with the documents they describe
(an article, a rejection, a reprint URL, a dedupe_index entry) by the functions
that write those; an id list grows with ``$addToSet`` in the rare case two
canonical articles share a key.

Stores made before this collection existed are indexed once, when a process
first opens them (:func:`ensure`).
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from pymongo.errors import BulkWriteError, DuplicateKeyError

from newsmon.storage.indexes import ARTICLES, BAND_FIELDS, DEDUPE_INDEX, KEYS, REPRINT_URLS, SEEN

log = logging.getLogger(__name__)
MARKER = "~built"            # present once every older document has its keys
LIST_ROLES = ("h", "b")      # key kinds whose ``a`` is a list of ids


def url_key(url: str) -> str:
    return f"u:{url}"


def body_keys(content_hash: str | None, bands: Iterable[str] | None) -> list[str]:
    """The keys of a canonical article's body: its hash and its band keys."""
    out = [f"h:{content_hash}"] if content_hash else []
    out += [f"b{i}:{key}" for i, key in enumerate(bands or [])]
    return out


def find(store, keys: Iterable[str]) -> dict[str, dict]:
    """The key documents there are for these keys, one ``_id $in``."""
    keys = list(dict.fromkeys(k for k in keys if k))
    if not keys:
        return {}
    return {d["_id"]: d for d in store.db[KEYS].find({"_id": {"$in": keys}})}


def add_url(store, url: str, article: Any, role: str) -> bool:
    """Record what a URL shows; the first record of a URL stays (False when there was one)."""
    if not url:
        return False
    try:
        store.db[KEYS].insert_one({"_id": url_key(url), "a": article, "r": role})
        return True
    except DuplicateKeyError:
        return False


def set_url(store, url: str, article: Any, role: str) -> None:
    """What the URL shows now, whatever was recorded before (an article stored at a rejected URL,
    a stored article that became a reprint): an insert, an update only when there was a record."""
    if url and not add_url(store, url, article, role):
        store.db[KEYS].update_one({"_id": url_key(url)}, {"$set": {"a": article, "r": role}})


def add_body(store, article: Any, keys: list[str]) -> None:
    """Make a canonical article findable by its body keys (one insert; shared keys grow their list)."""
    add_many(store, [{"_id": k, "a": [article]} for k in keys])


def add_many(store, docs: list[dict]) -> None:
    """Bulk form of add_url/add_body for loaders and benchmarks: ``{"_id": key, "a": ..., "r": ...}``
    documents in one unordered insert; a URL key already there stays, a shared body key grows its list."""
    if not docs:
        return
    try:
        store.db[KEYS].insert_many(docs, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != 11000 for e in errors):
            raise
        for e in errors:
            doc = docs[e["index"]]
            if doc["_id"][0] in LIST_ROLES:
                for article in ids(doc):
                    store.db[KEYS].update_one({"_id": doc["_id"]}, {"$addToSet": {"a": article}})


def remove_body(store, article: Any, keys: list[str]) -> None:
    """The article is no longer canonical (folded into another): its body keys stop naming it."""
    if keys:
        store.db[KEYS].update_many({"_id": {"$in": keys}}, {"$pull": {"a": article}})


def ids(doc: dict | None) -> list[Any]:
    value = (doc or {}).get("a")
    return value if isinstance(value, list) else ([] if value is None else [value])


# --- stores made before the keys ------------------------------------------------------------------
def ensure(store) -> None:
    """Give every older document its keys, once per store (a marker says it was done)."""
    coll = store.db[KEYS]
    if coll.find_one({"_id": MARKER}, {"_id": 1}) is not None:
        return
    db = store.db
    built = 0
    if any(db[name].find_one({}, {"_id": 1}) for name in (ARTICLES, SEEN, REPRINT_URLS, DEDUPE_INDEX)):
        log.warning("indexing the store's URLs and bodies for one-query lookups (once) ...")
        for doc in db[ARTICLES].find({}, {"url": 1}):
            built += add_url(store, doc.get("url") or "", doc["_id"], "article")
        for doc in db[REPRINT_URLS].find({}, {"article": 1, "role": 1}):
            built += add_url(store, doc["_id"], doc.get("article"), doc.get("role") or "reprint")
        for doc in db[SEEN].find({}, {"_id": 1}):
            built += add_url(store, doc["_id"], None, "rejected")
        for doc in db[DEDUPE_INDEX].find({}, {"h": 1, **{name: 1 for name in BAND_FIELDS}}):
            bands = [doc[name] for name in BAND_FIELDS if doc.get(name)]
            add_body(store, doc["_id"], body_keys(doc.get("h"), bands))
            built += 1
        log.warning("indexed %d document(s)", built)
    try:
        coll.insert_one({"_id": MARKER, "a": None})
    except DuplicateKeyError:
        pass
