"""Leases, fire claims and run bookkeeping for scheduled crawls (the MongoDB side).

Collections:
  leases          one document per lease key (``crawl:<group>``): who holds it and until when
  schedule_fires  one document per scheduled fire time that a scheduler claimed

A lease is taken by inserting its document; when the insert collides, by a
conditional update that only matches an expired lease (``until < now``). The
holder renews it while its crawl runs and deletes it at the end; a holder that
died stops renewing and its lease expires. A fire claim (insert of
``<group>@<fire time>``) makes sure two schedulers sharing one job store run a
scheduled fire once, even when the first run ended before the second looked.

Times used in queries (``until``) are epoch seconds: the embedded server stores
a top-level ``$set`` of a datetime as a string, which no longer compares as a
date, while numbers behave the same on both servers. Only inserts, updates and
deletes by ``_id`` (plus equality on ``holder``) and range deletes on an indexed
field are used, which both servers do the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Any

from pymongo.errors import DuplicateKeyError

from newsmon.storage.mongo import RUNS, Store, utcnow

LEASES = "leases"
FIRES = "schedule_fires"
FIRE_KEEP_DAYS = 30


def new_holder() -> str:
    """host:pid:uuid, unique per acquisition."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lease_key(group: str) -> str:
    return f"crawl:{group}"


@dataclass
class Acquired:
    """Outcome of an acquire attempt: ``ok``; else ``current`` is the live lease in the way."""

    ok: bool
    took_over: bool = False          # the lease existed but had expired (its holder died)
    current: dict | None = None      # the lease document that blocked us (not ok)


class Leases:
    def __init__(self, store: Store):
        self.store = store
        self.leases = store.db[LEASES]
        self.fires = store.db[FIRES]

    def ensure_indexes(self) -> None:
        self.fires.create_index([("at", 1)])

    # --- leases -----------------------------------------------------------------
    def acquire(self, key: str, holder: str, ttl: float, **info: Any) -> Acquired:
        now = time.time()
        doc = {"_id": key, "holder": holder, "until": now + ttl, "since": now, "ttl": ttl, **info}
        try:
            self.leases.insert_one(doc)
            return Acquired(True)
        except DuplicateKeyError:
            pass
        fields = {k: v for k, v in doc.items() if k != "_id"}
        result = self.leases.update_one({"_id": key, "until": {"$lt": now}}, {"$set": fields})
        if result.matched_count == 1:
            return Acquired(True, took_over=True)
        current = self.leases.find_one({"_id": key})
        if current is None:  # released between our insert and update: try once more
            try:
                self.leases.insert_one(doc)
                return Acquired(True)
            except DuplicateKeyError:
                current = self.leases.find_one({"_id": key})
        return Acquired(False, current=current)

    def renew(self, key: str, holder: str, ttl: float) -> bool:
        """Extend our lease; False when it is no longer ours (expired and taken over)."""
        result = self.leases.update_one({"_id": key, "holder": holder}, {"$set": {"until": time.time() + ttl}})
        return result.matched_count == 1

    def update(self, key: str, holder: str, **fields: Any) -> bool:
        return self.leases.update_one({"_id": key, "holder": holder}, {"$set": fields}).matched_count == 1

    def release(self, key: str, holder: str) -> bool:
        return self.leases.delete_one({"_id": key, "holder": holder}).deleted_count == 1

    def get(self, key: str) -> dict | None:
        return self.leases.find_one({"_id": key})

    def all(self) -> list[dict]:
        return list(self.leases.find())

    # --- fire claims ------------------------------------------------------------
    def claim_fire(self, group: str, fire_time: dt.datetime, holder: str, run_id: str) -> dict | None:
        """Claim one scheduled fire; None when ours, else the claim another scheduler made."""
        fire = fire_time.astimezone(dt.timezone.utc).isoformat()
        doc = {"_id": f"{group}@{fire}", "group": group, "fire": fire, "holder": holder, "run_id": run_id, "at": utcnow()}
        try:
            self.fires.insert_one(doc)
        except DuplicateKeyError:
            return self.fires.find_one({"_id": doc["_id"]}) or {"holder": "?"}
        self.fires.delete_many({"at": {"$lt": utcnow() - dt.timedelta(days=FIRE_KEEP_DAYS)}})
        return None

    # --- crawl_runs of leased runs ---------------------------------------------------
    def annotate_run(self, run_id: str, fields: dict[str, Any]) -> None:
        """Add fields to a crawl_runs document."""
        if fields:
            self.store.set_fields(RUNS, run_id, fields)

    def close_stale_runs(self, key: str, holder: str, reason: str) -> list[str]:
        """Mark ``running`` runs of this lease that another holder left behind as failed.

        Called right after acquiring the lease: every run of the key holds it, so
        a run still ``running`` under another holder lost its scheduler.
        """
        closed = []
        for run in self.store.db[RUNS].find({"status": "running", "lease": key}, {"_id": 1, "holder": 1}):
            if run.get("holder") == holder:
                continue
            # the lease is ours, so no other holder writes this run meanwhile
            if self.store.set_fields(RUNS, run["_id"], {
                    "status": "failed", "reason": reason, "closed_by": holder, "finished_at": utcnow(),
                    "new_articles": len(self.store.articles_of_run(run["_id"]))}):
                closed.append(run["_id"])
        return closed
