"""The MongoDB side of dedupe: finding the canonical article, reprint URLs, and merging a reprint.

Collections (next to those of :mod:`newsmon.storage.mongo`):

  dedupe_keys    what a URL, a body hash or a MinHash band key points at (keys.py)
  dedupe_index   one document per canonical article, ``_id`` = the article's ``_id``:
                 ``h`` (sha1 of the normalised body), ``sig`` (the MinHash
                 signature), ``n``, ``scheme``, ``at``.
  reprint_urls   ``_id`` = a URL under which an article is known besides its own
                 ``url``: every reprint's URL (``role: reprint``) and fetched URLs
                 that a rel=canonical link replaced (``role: alias``); ``article``.
  reprint_queue  merges that could not be applied yet (spilled during an outage, or
                 the canonical article is itself still on its way); applied by
                 :func:`apply_pending`.

A new article is looked up with **one** query: ``_id $in`` on dedupe_keys for its
URL, its body hash and its 20 band keys (the embedded nx-27017 server answers
``$in`` on ``_id`` from its primary key, and scans the table for ``$in`` on any
other field). Only when that finds candidates do more queries follow: their
signatures (``_id $in`` on dedupe_index), then the bodies of the few worth
verifying. Real MongoDB runs the same queries the same way.

A reprint is merged into its canonical article by rewriting the article's
``also_at`` list whole with ``$set`` under optimistic concurrency (the update
matches only if ``reprint_count`` is still what was read; else re-read and
retry), because ``$push`` of sub-documents is stored as strings by nx-27017.
The same URL merged twice is a no-op.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from newsmon.dedupe import Fingerprint, Similarity, compare, fingerprint, minhash
from newsmon.dedupe.similarity import CANDIDATE_ESTIMATE_MIN, MIN_EXACT_CHARS
from newsmon.storage import keys
from newsmon.storage.indexes import ARTICLES
from newsmon.storage.indexes import DEDUPE_INDEX as INDEX
from newsmon.storage.indexes import REPRINT_QUEUE as QUEUE
from newsmon.storage.indexes import REPRINT_URLS as URLS
from newsmon.storage.mongo import Store, utcnow

log = logging.getLogger(__name__)

BUCKET_LIMIT = 50       # ids read per band key (a key shared by more articles says little)
VERIFY_LIMIT = 8        # candidates whose bodies are read and compared, best estimates first
MERGE_TRIES = 20


class MergeConflict(PyMongoError):
    """The canonical article kept changing under us; the merge is queued instead."""


def new_article_id() -> str:
    """The ``_id`` a new article will get (as text: items travel through JSON and spill files)."""
    return str(ObjectId())


def as_oid(value: Any) -> Any:
    if isinstance(value, ObjectId):
        return value
    if isinstance(value, str) and ObjectId.is_valid(value):
        return ObjectId(value)
    return value


# --- the index -------------------------------------------------------------------------
def summary(fp: Fingerprint) -> dict:
    """What the index needs of a fingerprint (plain JSON: it travels on the item and in spill files)."""
    return {"h": fp.hash, "n": len(fp.folded), "bands": list(fp.bands), "sig": list(fp.sig)}


def index_document(article_id: Any, fp: Fingerprint | dict, at: dt.datetime | None = None) -> dict | None:
    """The dedupe_index document of a canonical article; None when its body is too short to match."""
    s = summary(fp) if isinstance(fp, Fingerprint) else fp
    if not s or s.get("n", 0) < MIN_EXACT_CHARS:
        return None
    doc = {"_id": as_oid(article_id), "h": s["h"], "n": s["n"], "scheme": minhash.SCHEME, "at": at or utcnow()}
    if s.get("sig"):
        doc["sig"] = s["sig"]
    return doc


def _body_keys(index_doc: dict) -> list[str]:
    sig = index_doc.get("sig") or []
    return keys.body_keys(index_doc.get("h"), minhash.band_keys(sig) if sig else [])


def add_index_doc(store: Store, doc: dict) -> None:
    """Write a dedupe_index document and its body keys (idempotent: also how a spilled one is replayed)."""
    add_index_docs(store, [doc])


def add_index_docs(store: Store, docs: list[dict]) -> None:
    """Bulk add_index_doc for loaders and benchmarks: one insert for the documents, one for their keys."""
    docs = [d for d in docs if d]
    if not docs:
        return
    try:
        store.db[INDEX].insert_many(docs, ordered=False)
    except BulkWriteError as exc:
        if any(e.get("code") != 11000 for e in exc.details.get("writeErrors", [])):
            raise
    merged: dict[str, list] = {}
    for doc in docs:
        for key in _body_keys(doc):
            merged.setdefault(key, []).append(doc["_id"])
    keys.add_many(store, [{"_id": k, "a": v} for k, v in merged.items()])


def add_to_index(store: Store, article_id: Any, fp: Fingerprint | dict, at: dt.datetime | None = None) -> None:
    """Make a stored article findable as a canonical (idempotent)."""
    doc = index_document(article_id, fp, at)
    if doc is not None:
        add_index_doc(store, doc)


def backfill(store: Store, batch: int = 500) -> int:
    """Index stored articles that have no dedupe_index entry (stored before dedupe existed); returns how many.

    One pass over the articles; safe to run again or while crawling.
    """
    added = 0
    chunk: list[dict] = []

    def flush() -> int:
        have = {d["_id"] for d in store.db[INDEX].find({"_id": {"$in": [c["_id"] for c in chunk]}}, {"_id": 1})}
        n = 0
        for doc in chunk:
            if doc["_id"] not in have:
                fp = fingerprint(doc.get("content") or "")
                if fp.exact_ok:
                    add_to_index(store, doc["_id"], fp, doc.get("first_seen"))
                    n += 1
        return n

    for doc in store.db[ARTICLES].find({}, {"content": 1, "first_seen": 1}).batch_size(batch):
        chunk.append(doc)
        if len(chunk) >= batch:
            added += flush()
            chunk = []
    if chunk:
        added += flush()
    return added


def remove_from_index(store: Store, article_id: Any) -> None:
    aid = as_oid(article_id)
    doc = store.db[INDEX].find_one({"_id": aid})
    if doc is not None:
        keys.remove_body(store, aid, _body_keys(doc))
    store.db[INDEX].delete_one({"_id": aid})


# --- known URLs --------------------------------------------------------------------------
def record_url(store: Store, url: str, article_id: Any, role: str = "reprint") -> None:
    """Remember that ``url`` shows article ``article_id`` (a reprint, or an alias of its own URL)."""
    if not url:
        return
    try:
        store.db[URLS].insert_one({"_id": url, "article": as_oid(article_id), "role": role, "at": utcnow()})
    except DuplicateKeyError:
        pass
    keys.set_url(store, url, as_oid(article_id), role)


def write_back(store: Store, collection: str, doc: dict, op: str = "insert") -> None:
    """Write a spilled document the way it is written live, keys included (the spill replay's writer)."""
    if collection == INDEX:
        add_index_doc(store, doc)
    elif collection == URLS:
        record_url(store, doc["_id"], doc.get("article"), doc.get("role") or "reprint")
    else:
        store.write_spilled(collection, doc, op)
        if collection == ARTICLES and op == "insert" and doc.get("url"):
            keys.set_url(store, doc["url"], doc["_id"], "article")


def article_for_url(store: Store, url: str) -> Any | None:
    """The ``_id`` of the article stored at ``url`` or known to appear there, else None."""
    doc = keys.find(store, [keys.url_key(url)]).get(keys.url_key(url))
    return doc.get("a") if doc and doc.get("r") != "rejected" else None


def article_summary(store: Store, article_id: Any) -> dict | None:
    """URL and title of a stored article (None when it is gone, or the store is)."""
    try:
        return store.db[ARTICLES].find_one({"_id": as_oid(article_id)}, {"title": 1, "url": 1})
    except PyMongoError:
        return None


def is_known(store: Store, url: str) -> bool:
    """Stored, already rejected, or known as a reprint or alias of a stored article: one lookup."""
    return store.is_known(url)


def known_urls(store: Store, urls: list[str]) -> set[str]:
    """Which of these canonical URLs are known (stored, rejected, reprint or alias): one query.

    Used by crawler.spidermiddlewares.IncrementalMiddleware for every listing page.
    """
    return store.known_urls(urls)


# --- finding the canonical ---------------------------------------------------------------
@dataclass
class Match:
    article_id: Any
    url: str
    title: str
    kind: str                      # url / exact / near
    similarity: Similarity | None = None

    @property
    def score(self) -> float:
        return 1.0 if self.similarity is None else round(self.similarity.jaccard, 4)


def _article_match(store: Store, article_id: Any, kind: str, sim: Similarity | None = None) -> Match | None:
    doc = store.db[ARTICLES].find_one({"_id": article_id}, {"url": 1, "title": 1})
    if doc is None:
        return None
    return Match(doc["_id"], doc.get("url", ""), doc.get("title", ""), kind, sim)


def _candidates(store: Store, fp: Fingerprint, found: dict[str, dict], exclude: Any) -> list[tuple[float, Any, Any]]:
    """Canonical articles sharing a band key with ``fp``: (estimated Jaccard, _id, indexed at), best first."""
    hits: dict[Any, int] = {}
    for i, key in enumerate(fp.bands):
        for aid in keys.ids(found.get(f"b{i}:{key}"))[:BUCKET_LIMIT]:
            hits[aid] = hits.get(aid, 0) + 1
    hits.pop(exclude, None)
    if not hits:
        return []
    scored = []
    for doc in store.db[INDEX].find({"_id": {"$in": list(hits)}}, {"sig": 1, "at": 1}):
        est = minhash.estimate(fp.sig, doc.get("sig") or [])
        if est >= CANDIDATE_ESTIMATE_MIN:
            scored.append((est, doc["_id"], doc.get("at")))
    scored.sort(key=lambda t: (-t[0], str(t[1])))
    return scored


def candidates(store: Store, fp: Fingerprint, exclude: Any = None) -> list[tuple[float, Any, Any]]:
    """Canonical articles sharing a band key with ``fp``, best estimate first (one key lookup, then signatures)."""
    if not fp.bands:
        return []
    return _candidates(store, fp, keys.find(store, keys.body_keys(None, fp.bands)), exclude)


def find_duplicate(store: Store, url: str, fp: Fingerprint, *, exclude: Any = None) -> Match | None:
    """The stored article this one duplicates, or None: same URL, same body, or a verified near duplicate.

    One ``_id $in`` on dedupe_keys answers all three for a new article; more queries
    follow only for what it finds.
    """
    wanted = [keys.url_key(url)] if url else []
    wanted += keys.body_keys(fp.hash if fp.exact_ok else None, fp.bands if fp.near_ok else None)
    found = keys.find(store, wanted)
    at_url = found.get(keys.url_key(url)) if url else None
    if at_url and at_url.get("r") != "rejected" and at_url.get("a") not in (None, exclude):
        m = _article_match(store, at_url["a"], "url")
        if m:
            return m
    if fp.exact_ok:
        for aid in keys.ids(found.get(f"h:{fp.hash}"))[:5]:
            if aid != exclude:
                m = _article_match(store, aid, "exact")
                if m:
                    return m
    if not fp.near_ok:
        return None
    scored = _candidates(store, fp, found, exclude)[:VERIFY_LIMIT]
    if not scored:
        return None
    at = {cid: when for _, cid, when in scored}
    verified: list[tuple[Any, Any, Similarity]] = []
    for doc in store.db[ARTICLES].find({"_id": {"$in": list(at)}}, {"content": 1}):
        sim = compare(fp, fingerprint(doc.get("content") or ""))
        if sim.reprint:
            verified.append((at.get(doc["_id"]), doc["_id"], sim))
    if not verified:
        return None
    # several stored articles match (they slipped past each other, e.g. while the store was down):
    # the one seen first is the canonical
    verified.sort(key=lambda v: (v[0] is None, v[0] or 0, str(v[1])))
    _, aid, sim = verified[0]
    return _article_match(store, aid, "near", sim)


# --- merging --------------------------------------------------------------------------------
@dataclass
class MergeResult:
    outcome: str            # merged / already / missing
    article_id: Any
    reprint_count: int = 0


def _entries(raw: Any) -> list[dict]:
    """also_at as a list of dicts (tolerates entries a $push on nx-27017 stored as JSON strings)."""
    out = []
    for e in raw or []:
        if isinstance(e, str):
            try:
                e = json.loads(e)
            except ValueError:
                continue
        if isinstance(e, dict):
            out.append(e)
    return out


def reprint_entry(item: Any, first_seen: dt.datetime, kind: str, similarity: float | None = None) -> dict:
    """What ``also_at`` records about one reprint."""
    entry = {
        "url": item.get("url"),
        "source": item.get("source"),
        "published_at": item.get("published_at"),
        "first_seen": first_seen,
        "title": item.get("title") or "",
        "outlet": item.get("outlet") or "",
        "match": kind,
    }
    if similarity is not None:
        entry["similarity"] = round(float(similarity), 4)
    if item.get("run_id"):
        entry["run_id"] = item.get("run_id")
    return entry


def merge(store: Store, article_id: Any, entry: dict) -> MergeResult:
    """Add ``entry`` to the canonical article's ``also_at`` and bump ``reprint_count``; same URL twice is a no-op."""
    aid = as_oid(article_id)
    coll = store.db[ARTICLES]
    for _ in range(MERGE_TRIES):
        doc = coll.find_one({"_id": aid}, {"url": 1, "also_at": 1, "reprint_count": 1})
        if doc is None:
            return MergeResult("missing", aid)
        also = _entries(doc.get("also_at"))
        count = doc.get("reprint_count")
        if entry["url"] == doc.get("url"):
            return MergeResult("already", aid, count or len(also))
        if any(e.get("url") == entry["url"] for e in also):
            record_url(store, entry["url"], aid)
            return MergeResult("already", aid, count or len(also))
        new_count = max(count or 0, len(also)) + 1
        res = coll.update_one({"_id": aid, "reprint_count": count},
                              {"$set": {"also_at": also + [entry], "reprint_count": new_count}})
        if res.matched_count:
            record_url(store, entry["url"], aid)
            return MergeResult("merged", aid, new_count)
    raise MergeConflict(f"article {aid} changed {MERGE_TRIES} times while merging {entry['url']}")


def merge_record(article_id: Any, canonical_url: str, entry: dict) -> dict:
    """A queued merge (``reprint_queue`` document, also the spill record's ``doc``)."""
    return {"_id": f"merge:{article_id}:{entry['url']}", "op": "merge", "article": as_oid(article_id),
            "canonical_url": canonical_url, "entry": entry, "at": utcnow()}


def recheck_record(article_id: Any) -> dict:
    """Queued: an article stored while the store could not be asked for its duplicates."""
    return {"_id": f"recheck:{article_id}", "op": "recheck", "article": as_oid(article_id), "at": utcnow()}


def queue(store: Store, record: dict) -> None:
    try:
        store.db[QUEUE].insert_one(record)
    except DuplicateKeyError:
        pass


def _resolve(store: Store, record: dict) -> Any | None:
    """Where a queued merge goes: its article, else whatever now holds the canonical URL."""
    aid = record.get("article")
    if aid is not None and store.db[ARTICLES].find_one({"_id": aid}, {"_id": 1}):
        return aid
    url = record.get("canonical_url")
    return article_for_url(store, url) if url else None


def _fold(store: Store, loser: dict, winner_id: Any, kind: str, score: float | None) -> None:
    """Turn a stored article into a reprint of another: its own reprints follow it, its document goes."""
    lid = loser["_id"]
    merge(store, winner_id, reprint_entry(loser, loser.get("first_seen") or utcnow(), kind, score))
    for moved in _entries(loser.get("also_at")):
        merge(store, winner_id, moved)
    moved_urls = [d["_id"] for d in store.db[URLS].find({"article": lid}, {"_id": 1})]
    store.db[URLS].update_many({"article": lid}, {"$set": {"article": winner_id}})
    for url in moved_urls:
        keys.set_url(store, url, winner_id, "reprint")
    remove_from_index(store, lid)
    store.db[ARTICLES].delete_one({"_id": lid})
    record_url(store, loser.get("url"), winner_id)


def recheck(store: Store, article_id: Any) -> str:
    """Dedupe a stored article after the fact (it was stored while the store could not be asked).

    If it duplicates another stored article, the one first seen stays canonical and
    the other becomes its reprint. Returns kept / merged / absorbed / missing.
    """
    aid = as_oid(article_id)
    doc = store.db[ARTICLES].find_one({"_id": aid})
    if doc is None:
        return "missing"
    fp = fingerprint(doc.get("content") or "")
    add_to_index(store, aid, fp, doc.get("first_seen"))
    match = find_duplicate(store, "", fp, exclude=aid)
    if match is None:
        return "kept"
    other = store.db[ARTICLES].find_one({"_id": match.article_id})
    if other is None:
        return "kept"
    # the first seen stays canonical; the _id breaks a tie, so two processes rechecking
    # each other's copy at the same moment fold the same one
    mine = (doc.get("first_seen") or utcnow(), str(aid))
    theirs = (other.get("first_seen") or utcnow(), str(other["_id"]))
    if theirs > mine:
        _fold(store, other, aid, match.kind, match.score)
        log.info("article %s is a reprint of %s, seen earlier: merged", other.get("url"), doc.get("url"))
        return "absorbed"
    _fold(store, doc, match.article_id, match.kind, match.score)
    log.info("article %s is a reprint of %s, seen earlier: merged", doc.get("url"), match.url)
    return "merged"


def apply_pending(store: Store, limit: int = 10000) -> tuple[int, int]:
    """Apply queued merges and rechecks; returns (applied, still waiting). Safe to run concurrently."""
    records = sorted(store.db[QUEUE].find({}).limit(limit), key=lambda r: (r.get("at") or utcnow(), str(r["_id"])))
    done = 0
    for rec in sorted(records, key=lambda r: r.get("op") != "recheck"):  # rechecks first: merges then find their target
        try:
            if rec.get("op") == "recheck":
                recheck(store, rec.get("article"))
            elif rec.get("op") == "merge":
                target = _resolve(store, rec)
                if target is None:
                    continue  # its canonical is not stored yet (still in a spill file): keep waiting
                merge(store, target, rec["entry"])
            store.db[QUEUE].delete_one({"_id": rec["_id"]})
            done += 1
        except MergeConflict as exc:
            log.warning("%s; left in the queue", exc)
    left = len(records) - done
    if left:
        log.info("%d reprint merge(s) wait for their canonical article", left)
    return done, left
