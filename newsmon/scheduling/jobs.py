"""One run of one group, the same way for the scheduled job and ``newsmon run-now``.

    lease (MongoDB, per group) -> close runs a dead scheduler left "running"
    -> claim the fire time (scheduled runs) -> runner.run_crawl (child process,
    wall-clock limit) -> release the lease

A group that is already being crawled is not crawled twice: the second caller
gets a ``busy`` outcome with a message naming the run in progress.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from newsmon.config import check_all, get_settings
from newsmon.config import schedule as schedule_of
from newsmon.config.schemas.schedule import ScheduleConfig
from newsmon.errors import NewsmonError
from newsmon.notify import after_run
from newsmon.runs.runner import Cancel, run_crawl, select_sources
from newsmon.scheduling.lease import LeaseKeeper
from newsmon.storage import StoreError, open_store
from newsmon.storage.leases import Leases, lease_key, new_holder
from newsmon.storage.runs import RunLog, new_run_id
from newsmon.vocab import SHANGHAI_NAME

log = logging.getLogger(__name__)

# Set when this process is shutting down (SIGTERM / Ctrl-C in the scheduler):
# no new run starts, and the running ones stop cleanly.
STOP = Cancel()
STALE_REASON = "scheduler died"


class GroupBusy(NewsmonError):
    """The group is being crawled by another run (its lease is held)."""

    exit_code = 1


@dataclass
class Outcome:
    status: str                 # ran / busy / duplicate / empty / stopping
    message: str
    run: dict | None = None


def _when(epoch: float | None, tz: str) -> str:
    if not epoch:
        return "?"
    return dt.datetime.fromtimestamp(epoch, ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def busy_message(group: str, lease: dict | None, tz: str = SHANGHAI_NAME) -> str:
    lease = lease or {}
    who = lease.get("holder", "another process")
    what = f"run {lease['run_id']}" if lease.get("run_id") else "a run"
    by = f" ({lease['trigger']})" if lease.get("trigger") else ""
    return (f"group {group!r} is already being crawled: {what}{by} by {who}, started {_when(lease.get('since'), tz)}; "
            "not starting a second crawl (see 'newsmon runs')")


def run_group(group: str, *, trigger: str = "run-now", scheduled_for: dt.datetime | None = None,
              run_id: str | None = None, settings=None, config: ScheduleConfig | None = None,
              log_to: logging.Logger | None = None, cancel: Cancel | None = None) -> Outcome:
    """Crawl every enabled source of ``group`` under the group's lease; see the module docstring."""
    if settings is None:
        settings = get_settings()
    check_all(settings)  # a file edited since the scheduler started: one line, no crawl
    config = config or schedule_of(settings)
    gcfg = config.group(group)
    if STOP.reason:
        return Outcome("stopping", f"not starting group {group!r}: {STOP.reason}")
    sources = select_sources(settings, None, group)
    if not sources:
        return Outcome("empty", f"no enabled source is in group {group!r} (the 'group' field in sources.yaml); nothing to crawl")
    store = open_store(settings)
    leases = Leases(store)
    key, holder = lease_key(group), new_holder()
    run_id = run_id or new_run_id()
    got = leases.acquire(key, holder, config.lease_ttl, group=group, run_id=run_id, trigger=trigger,
                         host=socket.gethostname(), pid=os.getpid())
    if not got.ok:
        return Outcome("busy", busy_message(group, got.current, gcfg.timezone))
    run = None
    try:
        if got.took_over:
            log.warning("lease %s had expired: its holder stopped renewing it (died)", key)
        stale = RunLog(store).close_stale(key, holder, STALE_REASON)
        for rid in stale:
            log.warning("run %s of group %s was left 'running' by a scheduler that died; marked failed", rid, group)
        fire = None
        if scheduled_for is not None:
            fire = scheduled_for.astimezone(dt.timezone.utc).isoformat()
            claim = leases.claim_fire(group, scheduled_for, holder, run_id)
            if claim is not None:
                return Outcome("duplicate", f"the {fire} run of group {group!r} was already started by "
                                            f"{claim.get('holder')} (run {claim.get('run_id')}); not running it twice")
        fields = {"group": group, "lease": key, "holder": holder, "host": socket.gethostname(), "pid": os.getpid()}
        if fire:
            fields["scheduled_for"] = fire
        run_cancel = Cancel(parent=cancel or STOP)
        with LeaseKeeper(leases, key, holder, config.lease_ttl, run_cancel):
            run = run_crawl(settings, sources, trigger=trigger, timeout=gcfg.timeout, run_id=run_id,
                            overrides=gcfg.overrides,
                            cancel=run_cancel, run_fields=fields, log_to=log_to, stop_grace=config.stop_grace,
                            orphan_within=orphan_limit(config.lease_ttl, config.stop_grace))
        return Outcome("ran", f"run {run_id} of group {group!r}: {run.get('status')}", run)
    finally:
        _release(leases, key, holder)
        if run is not None:
            notify_after(settings, run, cancel or STOP)


def notify_after(settings, run: dict, cancel: Cancel) -> None:
    """Tell the watches what the run brought (docs/notifications.md); a notification problem never fails the run."""
    if not settings.getbool("NEWSMON_NOTIFY_AFTER_RUN"):
        return
    try:
        after_run(settings, run, stop=lambda: cancel.reason)
    except Exception:
        log.exception("notifying the watches after run %s failed", run.get("_id"))


def orphan_limit(lease_ttl: float, stop_grace: float) -> float:
    """How soon a crawl whose parent died must be gone: before its lease can expire.

    The keeper renews every ttl/3, so after the parent's death the lease lives at
    least 2/3 of the ttl more; the child notices within 0.5 s and gets a third of
    the ttl (never more than the stop grace) to close, which leaves a margin.
    """
    return max(min(stop_grace, lease_ttl / 3.0), 0.5)


def run_sources(settings, names: list[str] | None, *, trigger: str = "newsmon run", cancel: Cancel | None = None,
                **crawl_options) -> dict:
    """``newsmon run``: the leases the scheduler takes, for every group the sources are in, then the crawl.

    So a run by hand and a scheduled run (or two runs by hand) never fetch one source
    at the same time: the second one finds the lease held and says by whom (GroupBusy).
    """
    from contextlib import ExitStack

    from newsmon.config import sources as sources_of

    config = schedule_of(settings)
    sources = select_sources(settings, names)
    groups = sorted({s.group for s in sources_of(settings) if s.name in set(sources)})
    leases = Leases(open_store(settings))
    holder, run_id = new_holder(), new_run_id()
    held: list[str] = []
    try:
        for group in groups:
            got = leases.acquire(lease_key(group), holder, config.lease_ttl, group=group, run_id=run_id, trigger=trigger,
                                 host=socket.gethostname(), pid=os.getpid())
            if not got.ok:
                raise GroupBusy(busy_message(group, got.current, config.group(group).timezone))
            held.append(group)
        run_cancel = Cancel(parent=cancel or STOP)
        with ExitStack() as stack:
            for group in held:
                stack.enter_context(LeaseKeeper(leases, lease_key(group), holder, config.lease_ttl, run_cancel))
            return run_crawl(settings, sources, trigger=trigger, run_id=run_id, cancel=run_cancel,
                             run_fields={"leases": [lease_key(g) for g in held], "holder": holder},
                             stop_grace=config.stop_grace,
                             orphan_within=orphan_limit(config.lease_ttl, config.stop_grace), **crawl_options)
    finally:
        for group in held:
            _release(leases, lease_key(group), holder)


def _release(leases: Leases, key: str, holder: str) -> None:
    """Give the lease back; with the store down it runs out by itself (or its dead holder is noticed)."""
    try:
        leases.release(key, holder)
    except StoreError as exc:
        log.warning("could not release lease %s (%s); it expires by itself", key, str(exc).split(",")[0])


def reap_stale_runs(store, groups, lease_ttl: float) -> list[str]:
    """Close runs that dead schedulers left ``running`` in groups whose lease is free or expired.

    Called when a scheduler starts, so ``newsmon runs`` tells the truth before the
    group's next run. A group whose lease is live is left to its holder.
    """
    leases = Leases(store)
    closed = []
    for group in groups:
        key, holder = lease_key(group), new_holder()
        got = leases.acquire(key, holder, lease_ttl, group=group, trigger="cleanup", host=socket.gethostname(),
                             pid=os.getpid())
        if not got.ok:
            continue
        try:
            for rid in RunLog(store).close_stale(key, holder, STALE_REASON):
                log.warning("run %s of group %s was left 'running' by a scheduler that died; marked failed", rid, group)
                closed.append(rid)
        finally:
            leases.release(key, holder)
    return closed


def scheduled_run(group: str, fire_time: dt.datetime | None) -> dict | None:
    """The scheduled job's body (``scheduler:run_group``): never raises, logs what happened."""
    try:
        outcome = run_group(group, trigger="schedule", scheduled_for=fire_time,
                            log_to=logging.getLogger("newsmon.crawl.child"))
    except NewsmonError as exc:
        log.error("scheduled run of group %s did not start: %s", group, exc)
        return None
    except Exception:
        log.exception("scheduled run of group %s failed", group)
        return None
    if outcome.status == "ran":
        log.info("%s", outcome.message)
    else:
        log.warning("%s", outcome.message)
    return outcome.run
