"""APScheduler's job store in the newsmon database (collection ``scheduler_jobs``).

APScheduler's own MongoDBJobStore keeps each job as one document: ``_id`` (job
id), ``next_run_time`` (epoch seconds, indexed) and ``job_state`` (the pickled
job: trigger, args, options). Its queries (insert, ``$set`` by ``_id``, find
sorted on ``next_run_time``, delete by ``_id``) behave the same on the embedded
server and on MongoDB (tests/test_scheduler_units.py checks them against the
embedded server), so it is used as is, with one change: it shares the Store's
client and does not close it when the scheduler stops (the client belongs to
the process-wide Store cache). A job that cannot be restored (its callable was
renamed) is logged and removed by APScheduler; the scheduler adds every group
of config/schedule.yaml again at start, so nothing configured is lost.
"""

from __future__ import annotations

from apscheduler.jobstores.mongodb import MongoDBJobStore

from newsmon.storage.mongo import Store

JOBS = "scheduler_jobs"


class NewsmonJobStore(MongoDBJobStore):
    def __init__(self, store: Store, collection: str = JOBS):
        super().__init__(database=store.db.name, collection=collection, client=store.client)
        self.store = store

    def shutdown(self):
        """The client belongs to the Store cache: leave it open."""

    def raw_jobs(self) -> list[dict]:
        """The stored documents without unpickling (for listings)."""
        return list(self.collection.find({}, ["_id", "next_run_time"]))


def jobstore_for(store: Store) -> NewsmonJobStore:
    return NewsmonJobStore(store)
