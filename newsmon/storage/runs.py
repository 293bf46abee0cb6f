"""The one owner of ``crawl_runs``: a document per crawl run, from start to final status.

    {_id: run id, started_at, status: running|ok|partial|failed|timeout|interrupted,
     trigger, planned: [source …], sources: {name: counts}, new_articles, finished_at, …}

``newsmon run`` and the scheduler open a run before the crawl starts and close it
when the child process ends; a bare ``scrapy crawl`` opens and closes its own
(crawler/extensions.py). Every write to the collection goes through here.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Iterable

from pymongo.errors import DuplicateKeyError

from newsmon.storage.indexes import RUNS
from newsmon.storage.mongo import Store, utcnow


def new_run_id() -> str:
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


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
