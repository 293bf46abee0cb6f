"""The one owner of ``crawl_runs``: a document per crawl run, from start to final status.

    {_id: run id, started_at, status: running|ok|partial|failed|timeout|interrupted,
     trigger, planned: [source …], sources: {name: counts}, new_articles, finished_at, …}

``newsmon run`` and the scheduler open a run before the crawl starts and close it
when the child process ends; a bare ``scrapy crawl`` opens and closes its own
(crawler/extensions.py). Every write to the collection goes through here.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import time
from typing import Any, Iterable

from pymongo.errors import DuplicateKeyError

from newsmon.storage.indexes import RUNS
from newsmon.storage.mongo import Store, utcnow


def new_run_id() -> str:
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


# --- what a run's status is --------------------------------------------------------------------
def source_status(counts: dict | None) -> str:
    """ok, failed (the crawl of it did not finish), unreachable (nothing fetched, errors), refused (the guard)."""
    if not counts:
        return "failed"
    errors = counts.get("errors") or {}
    if not counts.get("pages_fetched"):
        if errors.get("refused_address") and len(errors) == 1:
            return "refused"
        if errors:
            return "unreachable"
    return "ok" if counts.get("finish_reason") in (None, "finished") else "failed"


def run_status(run: dict) -> str:
    """ok: every planned source was crawled; partial: some failed, could not be reached or were refused;
    failed: none was reached."""
    planned = run.get("planned") or sorted(run.get("sources") or {})
    statuses = [source_status((run.get("sources") or {}).get(name)) for name in planned]
    if not statuses or all(s == "ok" for s in statuses):
        return "ok"
    return "failed" if not any(s == "ok" for s in statuses) else "partial"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped) is not alive
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def run_id_for(settings, stats) -> str:
    """The run a crawl reports into: NEWSMON_RUN_ID, else one of its own kept in the crawl's stats."""
    run_id = settings.get("NEWSMON_RUN_ID") or stats.get_value("newsmon/run_id") or new_run_id()
    stats.set_value("newsmon/run_id", run_id)
    return run_id


class RunLog:
    def __init__(self, store: Store):
        self.store = store
        self.coll = store.db[RUNS]

    def start(self, run_id: str, sources: Iterable[str], trigger: str, **fields: Any) -> bool:
        """Open a run; False when it exists already (a source of a multi-source run opened it)."""
        doc = {"_id": run_id, "started_at": utcnow(), "status": "running", "trigger": trigger,
               "sources": {}, "planned": list(sources), "new_articles": 0, **fields}
        try:
            self.coll.insert_one(doc)
            return True
        except DuplicateKeyError:
            return False

    def annotate(self, run_id: str, fields: dict[str, Any]) -> None:
        if fields:
            self.store.set_fields(RUNS, run_id, fields)

    def record_source(self, run_id: str, source: str, counts: dict[str, Any]) -> None:
        self.coll.update_one({"_id": run_id}, {"$set": {f"sources.{source}": counts}})

    def finish(self, run_id: str, status: str, **fields: Any) -> None:
        self.store.set_fields(RUNS, run_id, {"status": status, "finished_at": utcnow(), **fields})

    def heartbeat(self, run_id: str) -> None:
        """This process is still working on the run (epoch ms, host and pid: who to ask whether it lives)."""
        self.coll.update_one({"_id": run_id, "status": "running"},
                             {"$set": {"heartbeat_ms": int(time.time() * 1000), "host": socket.gethostname(),
                                       "pid": os.getpid()}})

    def close_dead(self, stale_after: float, now: float | None = None) -> list[str]:
        """Close as failed every ``running`` run whose process died: no heartbeat for ``stale_after``
        seconds, or (on this host) its process is gone. Returns the ids closed."""
        now = time.time() if now is None else now
        here = socket.gethostname()
        closed = []
        for run in self.running():
            beat = run.get("heartbeat_ms")
            started = run.get("started_at")
            last = beat / 1000 if beat else (started.timestamp() if isinstance(started, dt.datetime) else now)
            gone = run.get("host") == here and run.get("pid") and not _alive(int(run["pid"]))
            if not gone and now - last < stale_after:
                continue
            why = (f"the crawl process ({run.get('pid')}) is gone" if gone
                   else f"no sign of life for {now - last:.0f}s (its process died)")
            if self.store.set_fields(RUNS, run["_id"], {
                    "status": "failed", "reason": why, "finished_at": utcnow(),
                    "new_articles": len(self.store.articles_of_run(run["_id"]))}):
                closed.append(run["_id"])
        return closed

    def get(self, run_id: str) -> dict | None:
        return self.coll.find_one({"_id": run_id})

    def recent(self, limit: int = 20) -> list[dict]:
        return list(self.coll.find().sort("started_at", -1).limit(limit))

    def running(self, **match: Any) -> list[dict]:
        return list(self.coll.find({"status": "running", **match}))

    def close_stale(self, lease_key: str, holder: str, reason: str) -> list[str]:
        """Mark ``running`` runs of this lease that another holder left behind as failed.

        Called right after acquiring the lease: every run of the key holds it, so
        a run still ``running`` under another holder lost its scheduler.
        """
        closed = []
        for run in self.coll.find({"status": "running", "lease": lease_key}, {"_id": 1, "holder": 1}):
            if run.get("holder") == holder:
                continue
            # the lease is ours, so no other holder writes this run meanwhile
            if self.store.set_fields(RUNS, run["_id"], {
                    "status": "failed", "reason": reason, "closed_by": holder, "finished_at": utcnow(),
                    "new_articles": len(self.store.articles_of_run(run["_id"]))}):
                closed.append(run["_id"])
        return closed
