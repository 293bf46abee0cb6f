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
from typing import Any, Callable

from pymongo.errors import DuplicateKeyError

from newsmon.storage.indexes import FIRES, LEASES
from newsmon.storage.mongo import Store, utcnow

FIRE_KEEP_DAYS = 30


def new_holder() -> str:
    """host:pid:uuid, unique per acquisition."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _holder_dead(holder: str) -> bool:
    """host:pid:uuid of a process on this host that no longer exists."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a zombie (killed, not yet reaped by its parent) holds nothing any more
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[-1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def lease_key(group: str) -> str:
    return f"crawl:{group}"


@dataclass
class Acquired:
    """Outcome of an acquire attempt: ``ok``; else ``current`` is the live lease in the way."""

    ok: bool
    took_over: bool = False          # the lease existed but had expired (its holder died)
    current: dict | None = None      # the lease document that blocked us (not ok)


class Leases:
    """Leases and fire claims; ``clock`` (epoch seconds) is injectable so tests need not sleep."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time):
        self.store = store
        self.clock = clock
        self.leases = store.db[LEASES]
        self.fires = store.db[FIRES]

    # --- leases -----------------------------------------------------------------
    def acquire(self, key: str, holder: str, ttl: float, **info: Any) -> Acquired:
        now = self.clock()
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
        if current is not None and _holder_dead(current.get("holder") or ""):
            # its holder ran on this machine and is gone: no need to wait for the lease to run out
            result = self.leases.update_one({"_id": key, "holder": current.get("holder")}, {"$set": fields})
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
        result = self.leases.update_one({"_id": key, "holder": holder}, {"$set": {"until": self.clock() + ttl}})
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
