"""The scheduler process: APScheduler with its job store in MongoDB, one job per group.

At start the jobs of config/schedule.yaml are reconciled with the stored ones:
a stored job whose schedule is unchanged is kept as it is (so a fire missed
while no scheduler ran is still run, once, if within the misfire grace time);
a changed one is rescheduled; one no longer configured is removed. Jobs run in
a small thread pool; each run is a child process (newsmon.runs.runner), so this
process stays small. SIGTERM or Ctrl-C: no new run starts, a running crawl is
stopped cleanly (SIGTERM to the crawl, SIGKILL after ``stop_grace``), its
crawl_runs document closed as ``interrupted``, its lease released; exit 0. A
second signal kills the crawl at once (still recorded).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from zoneinfo import ZoneInfo

from newsmon.config import check_all
from newsmon.config import schedule as schedule_of
from newsmon.config import sources as sources_of
from newsmon.config.schemas.schedule import ScheduleConfig, fmt_duration
from newsmon.errors import StoreUnavailable
from newsmon.scheduling import jobs
from newsmon.storage import StoreError, open_store
from newsmon.storage.jobstore import jobstore_for
from newsmon.storage.leases import Leases, lease_key
from newsmon.storage.runs import RunLog

log = logging.getLogger("newsmon.scheduler")
FUNC = "scheduler:run_group"


def build_scheduler(store, config: ScheduleConfig):
    from apscheduler.schedulers.background import BackgroundScheduler

    from newsmon.scheduling.executor import FireTimeExecutor

    workers = max(2, len(config.groups))
    return BackgroundScheduler(
        jobstores={"default": jobstore_for(store)},
        executors={"default": FireTimeExecutor(max_workers=workers)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": int(config.misfire_grace)},
        timezone=ZoneInfo(config.timezone),
        jobstore_retry_interval=10,
    )


def sync_jobs(sched, config: ScheduleConfig) -> None:
    """Make the stored jobs match config/schedule.yaml, keeping unchanged ones as stored.

    Another scheduler may be doing the same at the same moment (both starting):
    a job it added or removed in between is taken as it left it.
    """
    from apscheduler.jobstores.base import ConflictingIdError, JobLookupError

    wanted = {name: g for name, g in config.groups.items() if g.enabled}
    for job in sched.get_jobs():
        if job.id not in wanted:
            try:
                sched.remove_job(job.id)
                log.info("removed job %s: its group is no longer scheduled in %s", job.id, config.path)
            except JobLookupError:
                pass
    for name, g in wanted.items():
        for attempt in range(3):
            try:
                _sync_job(sched, name, g)
                break
            except (ConflictingIdError, JobLookupError):
                if attempt == 2:
                    raise
                log.info("job %s was changed by another scheduler while this one started; looking again", name)


def _sync_job(sched, name: str, g) -> None:
    grace = int(g.misfire_grace)
    job = sched.get_job(g.job_id)
    if job is None:
        sched.add_job(FUNC, g.trigger(), args=[name], id=g.job_id, name=g.spec, coalesce=True,
                      max_instances=1, misfire_grace_time=grace)
        log.info("added job %s: %s", name, g.spec)
    elif job.name != g.spec or job.func_ref != FUNC or tuple(job.args) != (name,):
        sched.modify_job(g.job_id, func=FUNC, args=[name], name=g.spec, coalesce=True, max_instances=1,
                         misfire_grace_time=grace)
        sched.reschedule_job(g.job_id, trigger=g.trigger())
        log.info("rescheduled job %s: %s (was %s)", name, g.spec, job.name)
    else:
        if job.misfire_grace_time != grace or not job.coalesce or job.max_instances != 1:
            sched.modify_job(g.job_id, coalesce=True, max_instances=1, misfire_grace_time=grace)
        log.info("restored job %s from the job store: %s", name, g.spec)


def _check_groups(settings, config: ScheduleConfig) -> None:
    sources = [s for s in sources_of(settings) if s.enabled]
    for name, g in config.groups.items():
        members = [s.name for s in sources if s.group == name]
        if g.enabled and not members:
            log.warning("group %s is scheduled but no enabled source is in it: its runs will crawl nothing", name)
    unscheduled = sorted({s.group for s in sources} - {n for n, g in config.groups.items() if g.enabled})
    for name in unscheduled:
        names = ", ".join(s.name for s in sources if s.group == name)
        log.warning("sources %s are in group %s, which %s does not schedule; crawl them with 'newsmon run-now %s'",
                    names, name, config.path, name)


def serve(settings) -> int:
    """Run the scheduler until SIGTERM / Ctrl-C; 0 after a clean stop."""
    from newsmon.runs.logs import setup_from_settings

    check_all(settings)  # config errors before anything starts: one line, exit 2
    config = schedule_of(settings)
    path = setup_from_settings(settings, "scheduler")
    store = open_store(settings)

    if not config.from_file:
        log.info("%s does not exist: using the default schedule (group daily at 06:00 %s)", config.path, config.timezone)
    _check_groups(settings, config)
    jobs.reap_stale_runs(store, list(config.groups), config.lease_ttl)
    RunLog(store).close_dead(settings.getfloat("NEWSMON_RUN_STALE_AFTER"))
    sched = build_scheduler(store, config)
    stopped = threading.Event()

    def on_signal(signum, frame):
        name = signal.Signals(signum).name
        if jobs.STOP.reason:
            log.warning("%s again: killing the running crawl now", name)
            jobs.STOP.set(jobs.STOP.reason, force=True)
        else:
            log.info("%s received: starting no new run, stopping the running crawl cleanly", name)
            jobs.STOP.set(f"scheduler stopping ({name})")
        stopped.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        try:
            sched.start(paused=True)
            sync_jobs(sched, config)
            sched.resume()
            log.info("scheduler running (log file %s); jobs:", path)
            for job in sched.get_jobs():
                log.info("  %s: %s, next run %s", job.id, job.name, _fmt_time(job.next_run_time))
        except StoreError as exc:
            if sched.running:
                sched.shutdown(wait=False)
            raise StoreUnavailable(f"MongoDB did not answer while the scheduler started ({exc}); "
                                   "check that it is up, then start the scheduler again") from None
        while not stopped.wait(1.0):
            pass
        sched.shutdown(wait=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("scheduler stopped")
    return 0


def _fmt_time(value) -> str:
    if not isinstance(value, dt.datetime):
        return "-"
    return value.strftime("%Y-%m-%d %H:%M:%S %Z")


def describe(settings) -> list[dict]:
    """Groups, their schedule, sources, stored next run time and lease: for ``newsmon schedule --list``."""
    check_all(settings)
    config = schedule_of(settings)
    store = open_store(settings)
    leases = Leases(store)
    stored = {}
    for doc in jobstore_for(store).raw_jobs():
        stored[doc["_id"]] = doc.get("next_run_time")
    sources = [s for s in sources_of(settings) if s.enabled]
    out = []
    for name, g in config.groups.items():
        tz = ZoneInfo(g.timezone)
        if name in stored:
            ts = stored[name]
            nxt = dt.datetime.fromtimestamp(ts, tz) if ts is not None else None
            where = "job store"
        else:
            nxt = g.trigger().get_next_fire_time(None, dt.datetime.now(tz)) if g.enabled else None
            where = "config (no scheduler has stored this job yet)"
        lease = leases.get(lease_key(name))
        out.append({
            "group": name, "schedule": g.spec, "enabled": g.enabled, "timeout": fmt_duration(g.timeout),
            "misfire_grace": fmt_duration(g.misfire_grace), "sources": [s.name for s in sources if s.group == name],
            "next_run": nxt.isoformat() if nxt else None, "next_run_from": where,
            "running": ({"run_id": lease.get("run_id"), "holder": lease.get("holder"), "trigger": lease.get("trigger"),
                         "since": dt.datetime.fromtimestamp(lease["since"], tz).isoformat() if lease.get("since") else None,
                         "expired": float(lease.get("until") or 0) < time.time()}
                        if lease else None),
        })
    return out
