"""The scheduler as users run it: real scheduler processes, real crawl children, a loopback site, the real store.

Every test uses a schedule with a 2-3 second interval trigger (``interval: 2s``
in schedule.yaml) and asserts on what lands in MongoDB (crawl_runs, leases,
scheduler_jobs) and on what the site saw.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal

import pytest
from test_scheduler_support import NewsSite, SchedulerProcess, pid_alive, scheduler_env, wait_for, write_config

from newsmon.storage.runs import RunLog

from conftest import run_cli

SCHEDULE = """
lease_ttl: {ttl}
stop_grace: 15s
settings:
  AUTOTHROTTLE_ENABLED: false
groups:
  daily:
    interval: {every}
    timeout: 60s
"""


def schedule(every: str = "2s", ttl: str = "3s") -> str:
    return SCHEDULE.format(every=every, ttl=ttl)


def as_dt(value) -> dt.datetime:
    """crawl_runs times: datetimes, or strings (the embedded server stores a $set date as text)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def runs(store) -> list[dict]:
    return sorted(store.db.crawl_runs.find(), key=lambda r: as_dt(r["started_at"]))


def closed_runs(store) -> list[dict]:
    return [r for r in runs(store) if r["status"] != "running"]


@pytest.fixture
def site():
    with NewsSite() as s:
        yield s


def test_runs_happen_recorded_and_two_schedulers_never_run_one_fire_twice(site, tmp_path, store):
    cfg = write_config(tmp_path / "cfg", site, schedule("2s"))
    a = SchedulerProcess(scheduler_env(cfg, tmp_path / "a"), tmp_path / "a.out", via="scheduler.py")
    b = SchedulerProcess(scheduler_env(cfg, tmp_path / "b"), tmp_path / "b.out", via="newsmon")
    try:
        wait_for(lambda: len([r for r in closed_runs(store) if r["status"] == "ok"]) >= 3, 75, what="three finished runs")
    finally:
        code_a, code_b = a.terminate(), b.terminate()
    out = a.output() + b.output()
    assert code_a == 0 and code_b == 0, f"A:\n{a.output()[-2500:]}\nB:\n{b.output()[-2500:]}"

    all_runs = runs(store)
    assert all(r["status"] in ("ok", "interrupted") for r in all_runs), [(r["_id"], r["status"], r.get("reason")) for r in all_runs]
    first = all_runs[0]
    assert first["status"] == "ok" and first["trigger"] == "schedule" and first["group"] == "daily"
    assert first["new_articles"] == 3 and first["sources"]["local"]["articles_stored"] == 3
    assert first["sources"]["local"]["errors"] == {} and first["exit_code"] == 0
    assert all(r["new_articles"] == 0 for r in all_runs[1:])          # daily runs are incremental
    assert store.db.articles.count_documents({}) == 3

    # never the same fire twice, never two crawls of the group at once
    fires = [r["scheduled_for"] for r in all_runs]
    assert len(fires) == len(set(fires))
    for earlier, later in zip(all_runs, all_runs[1:]):
        assert as_dt(earlier["finished_at"]) <= as_dt(later["started_at"]), (earlier["_id"], later["_id"])
    assert {r["pid"] for r in all_runs} <= {a.pid, b.pid}
    # the feed is read once per crawl: no crawl ran without its record
    assert site.feed_hits() <= len(all_runs)
    assert site.feed_hits() >= len([r for r in all_runs if r["status"] == "ok"])
    # both schedulers saw the fires; the one that came second stood back and said so
    assert ("already being crawled" in out) or ("already started by" in out), out[-3000:]
    assert list(store.db.leases.find()) == []


def test_crawl_child_killed_with_sigkill_leaves_a_failed_run_and_the_next_run_proceeds(site, tmp_path, store):
    site.slow = 3.0
    cfg = write_config(tmp_path / "cfg", site, schedule("2s"))
    sched = SchedulerProcess(scheduler_env(cfg, tmp_path / "data"), tmp_path / "s.out")
    try:
        victim = wait_for(lambda: next((r for r in runs(store) if r["status"] == "running" and r.get("child_pid")), None),
                          30, what="a running crawl")
        wait_for(lambda: site.article_hits() >= 1, 20, what="the crawl to fetch an article")
        os.kill(victim["child_pid"], signal.SIGKILL)
        site.slow = 0.0
        failed = wait_for(lambda: (d := RunLog(store).get(victim["_id"])) and d["status"] != "running" and d, 20,
                          what="the killed run to be closed")
        nxt = wait_for(lambda: next((r for r in runs(store) if r["status"] == "ok"), None), 40, what="the next run")
    finally:
        code = sched.terminate()
    assert code == 0, sched.output()[-3000:]
    assert failed["status"] == "failed" and failed["exit_code"] == -signal.SIGKILL
    assert "SIGKILL" in failed["reason"]
    assert as_dt(nxt["started_at"]) > as_dt(failed["started_at"])
    assert nxt["scheduled_for"] != failed["scheduled_for"]
    assert store.db.articles.count_documents({}) == 3
    assert failed["new_articles"] + nxt["new_articles"] == 3
    assert all(r["status"] != "running" for r in runs(store))
    assert list(store.db.leases.find()) == []


def test_sigterm_stops_the_running_crawl_cleanly_and_closes_its_record(tmp_path, store):
    with NewsSite(n=4) as site:
        site.slow, site.stagger = 0.5, 1.0       # article i answers after 0.5 + i seconds
        cfg = write_config(tmp_path / "cfg", site, schedule("2s"))
        sched = SchedulerProcess(scheduler_env(cfg, tmp_path / "data"), tmp_path / "s.out", via="newsmon")
        try:
            first = wait_for(lambda: store.db.articles.find_one({}, {"run_id": 1}), 40, what="a stored article")
        except BaseException:
            sched.kill()
            raise
        code = sched.terminate()
    out = sched.output()
    assert code == 0, out[-3000:]
    run = RunLog(store).get(first["run_id"])
    assert run["status"] == "interrupted" and "SIGTERM" in run["reason"], run
    # Scrapy closed the spider (requests in flight finished, counts recorded) instead of being killed
    assert run["sources"]["local"]["finish_reason"] == "shutdown", run
    stored = store.db.articles.count_documents({"run_id": run["_id"]})
    assert run["new_articles"] == run["sources"]["local"]["articles_stored"] == stored >= 1
    assert all(r["status"] != "running" for r in runs(store))
    assert len(runs(store)) == 1                              # no new run started after the signal
    assert list(store.db.leases.find()) == []
    assert "scheduler stopped" in out
    log = (tmp_path / "data" / "logs" / "scheduler.log").read_text(encoding="utf-8")
    assert "SIGTERM received" in log and "[scrapy.core.engine]" in log   # the crawl's own output is in the log too


def test_job_store_survives_restart_and_a_dead_schedulers_run_is_closed(site, tmp_path, store):
    site.slow = 3.0
    cfg = write_config(tmp_path / "cfg", site, schedule("3s", ttl="3s"))
    env = scheduler_env(cfg, tmp_path / "data")
    first = SchedulerProcess(env, tmp_path / "a.out")
    try:
        orphan = wait_for(lambda: next((r for r in runs(store) if r["status"] == "running" and r.get("child_pid")), None),
                          30, what="a running crawl")
        wait_for(lambda: site.article_hits() >= 1, 20, what="the crawl to fetch an article")
    finally:
        first.kill()                                        # SIGKILL: no chance to clean up
    stored = store.db.scheduler_jobs.find_one({"_id": "daily"})
    assert stored is not None and stored["next_run_time"]
    wait_for(lambda: not pid_alive(orphan["child_pid"]), 30, what="the crawl to die with its scheduler")
    assert RunLog(store).get(orphan["_id"])["status"] == "running"   # nobody closed it yet
    site.slow = 0.0

    restart = dt.datetime.now(dt.timezone.utc)
    second = SchedulerProcess(env, tmp_path / "b.out")
    try:
        closed = wait_for(lambda: (d := RunLog(store).get(orphan["_id"])) and d["status"] != "running" and d, 40,
                          what="the dead scheduler's run to be closed")
        ok = wait_for(lambda: next((r for r in runs(store) if r["status"] == "ok"), None), 40, what="a run by the restarted scheduler")
    finally:
        code = second.terminate()
    assert code == 0, second.output()[-3000:]
    assert "restored job daily from the job store" in second.output()
    assert closed["status"] == "failed" and closed["reason"] == "scheduler died"
    assert ok["pid"] == second.pid and ok["new_articles"] + closed["new_articles"] == 3
    # the restored job kept its trigger (same 3-second grid as before the restart), not a new one
    gap = (as_dt(ok["scheduled_for"]) - as_dt(orphan["scheduled_for"])).total_seconds()
    assert gap > 0 and abs(gap / 3 - round(gap / 3)) < 0.01, gap
    # fires missed while no scheduler ran were coalesced into at most one late run
    assert len([r for r in runs(store) if r["pid"] == second.pid and as_dt(r["scheduled_for"]) < restart]) <= 1
    assert store.db.scheduler_jobs.count_documents({}) == 1


def test_run_now_goes_through_the_lease(site, tmp_path, store, monkeypatch, capsys):
    from newsmon.cli import main as newsmon
    from newsmon.storage.leases import Leases

    cfg = write_config(tmp_path / "cfg", site, schedule("1h"))
    env = scheduler_env(cfg, tmp_path / "data")
    leases = Leases(store)
    assert leases.acquire("crawl:daily", "otherhost:4242:abcd", 60, run_id="R-OTHER", trigger="schedule").ok
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    root = logging.getLogger()
    saved = list(root.handlers)
    for argv in (["run-now", "daily", "--wait"], ["run-now"]):   # in this process: same code, no start-up cost
        try:
            assert newsmon(argv) == 1
        finally:
            for handler in [h for h in root.handlers if h not in saved]:
                root.removeHandler(handler)
                handler.close()
        err = capsys.readouterr().err
        assert "already being crawled" in err and "R-OTHER" in err and "otherhost:4242" in err, err
        assert "Traceback" not in err
    assert runs(store) == [] and site.feed_hits() == 0
    assert leases.release("crawl:daily", "otherhost:4242:abcd")

    done = run_cli("newsmon", "run-now", "daily", "--wait", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ok: 3 new article(s)" in done.stdout
    (run,) = runs(store)
    assert run["trigger"] == "run-now" and run["group"] == "daily" and run["status"] == "ok" and "scheduled_for" not in run

    bg = run_cli("newsmon", "run-now", env=env)
    assert bg.returncode == 0 and "started run" in bg.stdout, bg.stderr
    second = wait_for(lambda: next((r for r in runs(store)[1:] if r["status"] != "running"), None), 40, what="the background run")
    assert second["status"] == "ok" and second["trigger"] == "run-now" and second["new_articles"] == 0
    assert newsmon(["runs", "--limit", "5"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("run-now") == 2 and run["_id"] in listing
    assert (tmp_path / "data" / "logs" / "run-now.log").exists()


def test_run_now_wait_exits_1_when_no_source_could_be_reached(tmp_path, store):
    from conftest import free_port

    class Dead:
        def url(self, path: str) -> str:
            return f"http://127.0.0.1:{free_port()}{path}"

    cfg = write_config(tmp_path / "cfg", Dead(), schedule("1h"))
    env = {**scheduler_env(cfg, tmp_path / "data"), "NEWSMON_RETRY_BACKOFF_BASE": "0.05"}
    done = run_cli("newsmon", "run-now", "daily", "--wait", env=env)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    (run,) = runs(store)
    assert run["status"] == "failed" and "Traceback" not in done.stderr
    assert "connection_refused" in done.stdout
