"""The connected database: articles, known URLs, validators, source health.

Collections (names and indexes in indexes.py):
  articles         one document per distinct article, unique canonical ``url``
  seen             article URLs fetched and rejected (so daily runs skip them)
  source_health    each source's last crawl and its bad-run streaks

Queries stay within what both real MongoDB and the embedded nx-27017 server do
the same way (see design.md): inserts that catch DuplicateKeyError instead of
upserts, lookups by indexed fields, no counts in hot paths, sub-document lists
written whole with ``$set`` rather than ``$push``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pymongo
from bson.errors import InvalidDocument
from pymongo.errors import DuplicateKeyError, PyMongoError

from newsmon.errors import StoreUnavailable
from newsmon.storage import keys
from newsmon.storage.indexes import ARTICLES, DIGEST_DAYS, HEALTH, KEYS, SEEN
from newsmon.vocab import SHANGHAI

log = logging.getLogger(__name__)


class DocumentRefused(Exception):
    """The store will never take this document (over 16 MB, or a value BSON cannot encode)."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# The integer twin of each date an article is asked for by range (see Store.stamp).
MS_FIELDS = {"first_seen": "first_seen_ms", "published_at": "published_ms"}


def ms_fields(doc: dict, overwrite: bool = False) -> dict[str, int]:
    """``first_seen_ms`` / ``published_ms`` for the dates ``doc`` carries (those already there kept unless told)."""
    out = {}
    for field, ms in MS_FIELDS.items():
        value = doc.get(field)
        if isinstance(value, dt.datetime) and (overwrite or ms not in doc):
            out[ms] = int(value.timestamp() * 1000)
    return out


class Store:
    """A connected newsmon database."""

    def __init__(self, client: pymongo.MongoClient, db_name: str, uri: str):
        self.client = client
        self.db = client[db_name]
        self.uri = uri

    @classmethod
    def connect(cls, uri: str, db_name: str, timeout_ms: int, selection_ms: int | None = None) -> "Store":
        """Connect and check the server answers within timeout_ms; StoreUnavailable with the reason if not.

        ``selection_ms`` bounds how long a later operation waits for a server that
        went away (default: timeout_ms), so a crawl notices an outage quickly.
        """
        try:
            client = pymongo.MongoClient(
                uri,
                tz_aware=True,
                serverSelectionTimeoutMS=timeout_ms,
                connectTimeoutMS=timeout_ms,
                socketTimeoutMS=max(timeout_ms * 6, 30000),
            )
        except (PyMongoError, ValueError) as exc:
            raise StoreUnavailable(f"MONGO_URI {redact(uri)!s} is not usable: {exc}") from None
        try:
            client.admin.command("ping")
        except PyMongoError as exc:
            client.close()
            reason = str(exc).split(",")[0].split("(")[0].strip()
            raise StoreUnavailable(
                f"cannot reach MongoDB at {redact(uri)} within {timeout_ms / 1000:g}s ({reason}); "
                "check MONGO_URI, or unset it to use the embedded store"
            ) from None
        if selection_ms is not None and selection_ms != timeout_ms:
            client.close()
            client = pymongo.MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=selection_ms,
                                         connectTimeoutMS=selection_ms, socketTimeoutMS=max(timeout_ms * 6, 30000))
        return cls(client, db_name, uri)

    def close(self) -> None:
        self.client.close()

    # --- updates that carry dates ----------------------------------------------------
    def set_fields(self, collection: str, _id: Any, fields: dict[str, Any]) -> bool:
        """``$set`` fields on one document; False when it does not exist.

        The embedded server stores a datetime set at the top level of ``$set`` as
        a string (measured), so such updates are done as a read and a conditional
        ``replace_one`` on a revision counter instead; real MongoDB is the same either way.
        """
        coll = self.db[collection]
        if collection == ARTICLES:
            fields = {**fields, **ms_fields(fields, overwrite=True)}
        if not any(isinstance(v, dt.datetime) for v in fields.values()):
            return coll.update_one({"_id": _id}, {"$set": fields}).matched_count == 1
        for _ in range(20):
            doc = coll.find_one({"_id": _id})
            if doc is None:
                return False
            rev = doc.get("_rev")
            for key, value in fields.items():
                target = doc
                *path, last = key.split(".")
                for part in path:
                    target = target.setdefault(part, {})
                target[last] = value
            doc["_rev"] = (rev or 0) + 1
            guard = {"_id": _id, "_rev": rev} if rev is not None else {"_id": _id, "_rev": {"$exists": False}}
            if coll.replace_one(guard, doc).matched_count == 1:
                return True
        raise PyMongoError(f"{collection} {_id!r} kept changing while being updated")

    def put_fields(self, collection: str, _id: Any, fields: dict[str, Any]) -> None:
        """Create the document with these fields, or set them on the existing one (no upsert)."""
        if self.set_fields(collection, _id, fields):
            return
        try:
            self.db[collection].insert_one({"_id": _id, **fields})
        except DuplicateKeyError:
            self.set_fields(collection, _id, fields)

    def ensure_indexes(self) -> None:
        """Every index, and the lookup keys of documents older than them (once per store)."""
        from newsmon.storage import indexes

        if indexes.ensure(self.db):
            keys.ensure(self)
            self._stamp_older()

    def _stamp_each(self, docs: list[dict]) -> int:
        done = 0
        for doc in docs:
            extra = ms_fields(doc)
            if extra:
                self.db[ARTICLES].update_one({"_id": doc["_id"]}, {"$set": extra})
                done += 1
        return done

    def _stamp_older(self) -> None:
        """Give articles stored before ``published_ms`` existed their integer dates (once per store)."""
        marker = {"_id": "~published_ms", "a": None}
        if self.db[KEYS].find_one({"_id": marker["_id"]}, {"_id": 1}) is not None:
            return
        done, last, at_last = 0, None, set()
        fields = {"published_at": 1, "published_ms": 1, "first_seen": 1, "first_seen_ms": 1}
        # paged on the integer first_seen_ms: the embedded server answers integer ranges from the index,
        # while one long cursor (or a range of ObjectIds) makes it read the collection over and over
        while True:
            query = {"first_seen_ms": {"$gte": last}} if last is not None else {"first_seen_ms": {"$gte": 0}}
            page = [d for d in self.db[ARTICLES].find(query, fields).sort("first_seen_ms", 1).limit(500)
                    if d["_id"] not in at_last]
            if not page:
                break
            top = page[-1]["first_seen_ms"]
            at_last = {d["_id"] for d in page if d["first_seen_ms"] == top} | (at_last if top == last else set())
            last = top
            done += self._stamp_each(page)
        done += self._stamp_each(list(self.db[ARTICLES].find({"first_seen_ms": {"$exists": False}}, fields)))  # one scan
        if done:
            log.warning("gave %d older article(s) their integer dates for range queries (once)", done)
        try:
            self.db[KEYS].insert_one(marker)
        except DuplicateKeyError:
            pass

    # --- articles ------------------------------------------------------------
    @staticmethod
    def stamp(doc: dict) -> dict:
        """Add ``first_seen_ms`` and ``published_ms`` (epoch milliseconds) next to their dates.

        Date ranges are asked of these integers: the embedded server compares dates
        only to the second (measured), which would lose or repeat articles stored
        within one second of each other, and it answers a range of dates by reading
        every document (measured at 100k articles: a week's newest 50 in 9.6 s on
        ``first_seen``, 0.04 s on ``first_seen_ms``), a range of integers from the index.
        """
        doc.update(ms_fields(doc))
        return doc

    def insert_article(self, doc: dict) -> bool:
        """Insert a new article (and its URL key); False when its URL is already stored; DocumentRefused when it cannot be."""
        try:
            self.db[ARTICLES].insert_one(self.stamp(doc))
        except DuplicateKeyError:
            return False
        except InvalidDocument as exc:  # too large, or a value BSON cannot hold: not an outage, never retried
            raise DocumentRefused(f"the store refused the document: {str(exc)[:200]}") from None
        keys.set_url(self, doc.get("url") or "", doc["_id"], "article")
        self._forget_days(doc)
        return True

    def _forget_days(self, doc: dict) -> None:
        """A past day's digest look-back (storage/digestdays.py) no longer holds once an article dated that day arrives."""
        today = utcnow().astimezone(SHANGHAI).date()
        for field, by in (("published_at", "published"), ("first_seen", "first_seen")):
            value = doc.get(field)
            if isinstance(value, dt.datetime) and (day := value.astimezone(SHANGHAI).date()) < today:
                self.db[DIGEST_DAYS].delete_many({"_id": {"$regex": f"^{by}\\|.*\\|{day.isoformat()}$"}})

    def find_article(self, url: str, projection: dict | None = None) -> dict | None:
        return self.db[ARTICLES].find_one({"url": url}, projection)

    def articles_of_run(self, run_id: str, limit: int = 0) -> list[dict]:
        cur = self.db[ARTICLES].find({"run_id": run_id}, {"content": 0}).sort("first_seen", 1)
        return list(cur.limit(limit) if limit else cur)

    # --- seen / known URLs ---------------------------------------------------
    def mark_rejected(self, url: str, source: str, reason: str) -> None:
        """Remember a page that will not be stored (why, and that it need not be fetched again)."""
        try:
            self.db[SEEN].insert_one({"_id": url, "url": url, "source": source, "reason": reason, "at": utcnow()})
        except DuplicateKeyError:
            return
        keys.add_url(self, url, None, "rejected")

    def is_known(self, url: str) -> bool:
        """Stored, rejected, or known as a reprint or alias: a daily run need not fetch it again."""
        return bool(self.known_urls([url]))

    def known_urls(self, urls: list[str]) -> set[str]:
        """Which of these canonical URLs are known (see is_known): one ``_id $in`` on the URL keys.

        The embedded server answers ``$in`` on any field but ``_id`` with a full table
        scan (measured: 49 ms at 32k rows, 562 ms at 320k), so the keys live in ``_id``.
        """
        urls = list(dict.fromkeys(u for u in urls if u))
        return {k[2:] for k in keys.find(self, [keys.url_key(u) for u in urls])}

    # --- source health ------------------------------------------------------------
    def record_health(self, source: str, run_id: str, counts: dict[str, Any], status: str, flag_after: int = 3) -> dict:
        """Update a source's last status and flag it after `flag_after` bad runs in a row.

        Two kinds of bad run, counted apart: the site answered but its discovery
        pages announced nothing (layout or feed changed), or nothing could be
        fetched at all (site down, moved, or blocking us).
        """
        old = self.db[HEALTH].find_one({"_id": source}) or {}
        fetched = counts.get("pages_fetched", 0)
        unreachable = fetched == 0 and bool(counts.get("errors"))
        empty = not unreachable and counts.get("entries", 0) == 0 and counts.get("articles_found", 0) == 0
        streak = (old.get("empty_streak", 0) + 1) if empty else 0
        down = (old.get("unreachable_streak", 0) + 1) if unreachable else 0
        flag = "nothing found" if streak >= flag_after else "unreachable" if down >= flag_after else ""
        now = utcnow()
        doc = {"last_run": run_id, "last_status": "unreachable" if unreachable else status, "last_at": now,
               "last_counts": counts, "empty_streak": streak, "unreachable_streak": down,
               "flagged": "yes" if flag else "no", "flag_reason": flag, "runs": old.get("runs", 0) + 1}
        # Drift: the configured selector or article_pattern found nothing and a fallback did. A drifting
        # source still delivers, so it is not flagged; `drifted_at` is when the current drift began
        # (None when the last run did not drift), `drift_started` is True on the run it began.
        drifted = bool(counts.get("drift"))
        began = drifted and old.get("drifted") != "yes"
        doc.update(drifted="yes" if drifted else "no", drift=counts.get("drift") or {},
                   drifted_at=(now if began else old.get("drifted_at")) if drifted else None,
                   drift_streak=(old.get("drift_streak", 0) + 1) if drifted else 0)
        self.put_fields(HEALTH, source, doc)
        return {**doc, "drift_started": began}

    def health(self) -> dict[str, dict]:
        return {d["_id"]: d for d in self.db[HEALTH].find({})}

    # --- generic (spill replay) -----------------------------------------------
    def write_spilled(self, collection: str, doc: dict, op: str = "insert") -> None:
        """Write a document the store could not take earlier; a duplicate counts as written.

        ``op`` "set" sets the fields on the document with that ``_id`` (a run closed while the store was down).
        """
        try:
            if op == "set":
                self.put_fields(collection, doc["_id"], {k: v for k, v in doc.items() if k != "_id"})
                return
            self.db[collection].insert_one(self.stamp(doc) if collection == ARTICLES else doc)
        except DuplicateKeyError:
            pass
        except InvalidDocument as exc:
            raise DocumentRefused(f"the store refused the document: {str(exc)[:200]}") from None


def redact(uri: str) -> str:
    """The URI without its password, for messages and logs."""
    if "@" in uri and "://" in uri:
        scheme, rest = uri.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return uri
