"""A thread-pool executor that tells the job which scheduled fire time it is running.

APScheduler 3 calls a job as ``func(*args, **kwargs)`` without the time it was
scheduled for. The scheduler needs that time to claim the fire in MongoDB (so a
second scheduler sharing the job store does not run the same fire again), so
this executor runs APScheduler's own ``run_job`` once per fire time with the
time in a thread-local that :func:`current_fire_time` reads.
"""

from __future__ import annotations

import datetime as dt
import threading

from apscheduler.executors.base import run_job
from apscheduler.executors.pool import ThreadPoolExecutor

_local = threading.local()


def current_fire_time() -> dt.datetime | None:
    """The fire time of the scheduled job running in this thread, or None (a run by hand)."""
    return getattr(_local, "fire_time", None)


def _run_with_fire_time(job, jobstore_alias, run_times, logger_name):
    events = []
    for run_time in run_times:
        _local.fire_time = run_time
        try:
            events.extend(run_job(job, jobstore_alias, [run_time], logger_name))
        finally:
            _local.fire_time = None
    return events


class FireTimeExecutor(ThreadPoolExecutor):
    def _do_submit_job(self, job, run_times):
        def callback(f):
            exc = f.exception()
            if exc:
                self._run_job_error(job.id, exc, getattr(exc, "__traceback__", None))
            else:
                self._run_job_success(job.id, f.result())

        f = self._pool.submit(_run_with_fire_time, job, job._jobstore_alias, run_times, self._logger.name)
        f.add_done_callback(callback)
