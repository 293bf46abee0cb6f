"""Scheduler parts against the real embedded server: schedule.yaml, leases, fire claims, job store, CLI."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import threading
from zoneinfo import ZoneInfo

import pytest

from newsmon import config as newsmon_config
from newsmon.config import get_settings
from newsmon.config.schemas.schedule import next_fire, parse_duration
from newsmon.config.schemas.schedule import schedule_from_data as parse_schedule
from newsmon.errors import ConfigError
from newsmon.storage.runs import RunLog

from conftest import ROOT, run_cli


def load_schedule(path: str | None = None):
    """config/schedule.yaml as the scheduler reads it (NEWSMON_SCHEDULE_FILE = path when given)."""
    return newsmon_config.schedule(get_settings({"NEWSMON_SCHEDULE_FILE": path} if path else None))

SH = ZoneInfo("Asia/Shanghai")


def write_schedule(tmp_path, monkeypatch, text: str):
    cfg = tmp_path / "cfg"
    cfg.mkdir(exist_ok=True)
    (cfg / "schedule.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    return cfg / "schedule.yaml"


# --- config/schedule.yaml -----------------------------------------------------------


def test_shipped_schedule_runs_daily_at_six_shanghai():
    config = load_schedule()
    daily = config.groups["daily"]
    assert config.from_file and daily.cron == "0 6 * * *" and daily.timezone == "Asia/Shanghai"
    assert daily.timeout == 3 * 3600 and config.misfire_grace == 3600 and config.lease_ttl == 120
    fire = next_fire(daily, dt.datetime(2026, 11, 21, 7, 0, tzinfo=SH))
    assert fire == dt.datetime(2026, 11, 22, 6, 0, tzinfo=SH)
    # 06:00 in Shanghai is 22:00 UTC the day before
    assert fire.astimezone(dt.timezone.utc).hour == 22


def test_missing_schedule_file_means_daily_at_six(tmp_path, monkeypatch):
    config = load_schedule(str(tmp_path / "nowhere.yaml"))
    assert not config.from_file and list(config.groups) == ["daily"] and config.groups["daily"].cron == "0 6 * * *"
    assert config.groups["daily"].timezone == "Asia/Shanghai"
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(tmp_path))   # a config dir without the file: the shipped one
    assert load_schedule().path == str(ROOT / "config" / "schedule.yaml")


def test_bad_cron_is_one_clear_error_with_file_and_line(tmp_path, monkeypatch):
    path = write_schedule(tmp_path, monkeypatch, "timezone: Asia/Shanghai\ngroups:\n  daily:\n    cron: \"0 25 * * *\"\n")
    with pytest.raises(ConfigError) as err:
        load_schedule()
    msg = str(err.value)
    assert str(path) in msg and "line 4" in msg and "groups.daily.cron" in msg
    assert "'0 25 * * *' is not a valid cron expression" in msg and "0 6 * * *" in msg
    write_schedule(tmp_path, monkeypatch, "groups:\n  daily:\n    cron: \"0 6 * *\"\n")
    with pytest.raises(ConfigError, match=r"expected 5 fields"):
        load_schedule()


def test_malformed_yaml_and_schema_errors_name_file_and_line(tmp_path, monkeypatch):
    path = write_schedule(tmp_path, monkeypatch, "groups:\n  daily:\n    cron: \"0 6 * * *\n    timeout: 3h\n")
    with pytest.raises(ConfigError) as err:
        load_schedule()
    assert str(path) in str(err.value) and "line" in str(err.value)
    write_schedule(tmp_path, monkeypatch, "groups:\n  daily:\n    cron: \"0 6 * * *\"\n    timout: 3h\n")
    with pytest.raises(ConfigError, match=r"line 4: groups\.daily\.timout: unknown key; did you mean 'timeout'\?"):
        load_schedule()
    write_schedule(tmp_path, monkeypatch, "timezone: Mars/Olympus\ngroups: {daily: {cron: '0 6 * * *'}}\n")
    with pytest.raises(ConfigError, match=r"line 1: timezone: unknown time zone 'Mars/Olympus'"):
        load_schedule()
    write_schedule(tmp_path, monkeypatch, "groups:\n  daily:\n    cron: '0 6 * * *'\n    interval: 1h\n")
    with pytest.raises(ConfigError, match=r"exactly one of 'cron'"):
        load_schedule()
    write_schedule(tmp_path, monkeypatch, "groups:\n  daily:\n    interval: 3 hours\n")
    with pytest.raises(ConfigError, match=r"line 3: groups\.daily\.interval: expected a duration"):
        load_schedule()


def test_cron_weekdays_mean_what_crontab_means():
    def weekdays(expr):
        g = parse_schedule({"groups": {"g": {"cron": expr}}}).groups["g"]
        trig, t, out = g.trigger(), dt.datetime(2026, 11, 1, tzinfo=SH), set()
        for _ in range(10):
            t = trig.get_next_fire_time(None, t + dt.timedelta(seconds=1))
            out.add(t.strftime("%a"))
        return out

    assert weekdays("0 7 * * 1-5") == {"Mon", "Tue", "Wed", "Thu", "Fri"}
    assert weekdays("0 7 * * 0") == {"Sun"} == weekdays("0 7 * * 7") == weekdays("0 7 * * sun")
    assert weekdays("0 7 * * 5-7") == {"Fri", "Sat", "Sun"}
    assert weekdays("0 7 * * 1,3") == {"Mon", "Wed"}


def test_intervals_seconds_cron_durations_and_settings():
    config = parse_schedule({"lease_ttl": "5s", "settings": {"AUTOTHROTTLE_ENABLED": False},
                             "groups": {"fast": {"interval": "1s", "settings": {"DOWNLOAD_TIMEOUT": 10}},
                                        "secs": {"cron": "*/2 * * * * *", "timeout": "1h30m"}}})
    fast, secs = config.groups["fast"], config.groups["secs"]
    assert fast.interval == 1 and fast.spec == "every 1s" and config.lease_ttl == 5
    assert fast.overrides == ["AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_TIMEOUT=10"]
    assert secs.timeout == 5400
    now = dt.datetime(2026, 11, 21, 8, 0, 1, tzinfo=SH)
    assert next_fire(secs, now) == dt.datetime(2026, 11, 21, 8, 0, 2, tzinfo=SH)
    assert parse_duration(90) == 90 and parse_duration("2d") == 172800 and parse_duration("15m") == 900
    with pytest.raises(ValueError, match="must be positive"):
        parse_duration("0s")


# --- leases and fire claims ------------------------------------------------------------


class Clock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_lease_acquire_renew_expire_takeover_release(store):
    from newsmon.storage.leases import Leases

    clock = Clock()
    leases = Leases(store, clock)
    assert leases.acquire("crawl:g", "a", 60, run_id="R1").ok
    busy = leases.acquire("crawl:g", "b", 60)
    assert not busy.ok and busy.current["holder"] == "a" and busy.current["run_id"] == "R1"
    assert leases.renew("crawl:g", "a", 60) and not leases.renew("crawl:g", "b", 60)
    clock.advance(59)
    assert not leases.acquire("crawl:g", "b", 60).ok  # renewed: still a's
    clock.advance(2)                                  # a died: its lease runs out
    took = leases.acquire("crawl:g", "b", 30)
    assert took.ok and took.took_over and leases.get("crawl:g")["holder"] == "b"
    assert not leases.renew("crawl:g", "a", 30)       # the old holder learns it lost the lease
    assert not leases.release("crawl:g", "a") and leases.get("crawl:g")["holder"] == "b"
    assert leases.release("crawl:g", "b") and leases.get("crawl:g") is None
    fresh = leases.acquire("crawl:g", "c", 30)
    assert fresh.ok and not fresh.took_over


def test_a_fire_is_claimed_once(store):
    from newsmon.storage.leases import Leases

    leases = Leases(store)
    fire = dt.datetime(2026, 11, 22, 6, 0, tzinfo=SH)
    assert leases.claim_fire("daily", fire, "a", "R1") is None
    again = leases.claim_fire("daily", fire.astimezone(dt.timezone.utc), "b", "R2")
    assert again["holder"] == "a" and again["run_id"] == "R1"
    assert leases.claim_fire("daily", fire + dt.timedelta(days=1), "b", "R3") is None


def test_stale_runs_of_a_lease_are_closed_others_are_not(store):
    from newsmon.storage.runs import RunLog

    runs = RunLog(store)
    for rid, holder in (("dead", "gone:1:x"), ("mine", "me:2:y")):
        runs.start(rid, ["local"], "schedule")
        runs.annotate(rid, {"lease": "crawl:daily", "holder": holder})
    runs.start("manual", ["local"], "newsmon run")     # not under a lease: none of the scheduler's business
    assert runs.close_stale("crawl:daily", "me:2:y", "scheduler died") == ["dead"]
    assert runs.get("dead")["status"] == "failed" and runs.get("dead")["reason"] == "scheduler died"
    assert runs.get("mine")["status"] == "running" and runs.get("manual")["status"] == "running"


def test_lease_keeper_renews_and_cancels_when_the_lease_is_lost(store):
    from newsmon.runs.runner import Cancel
    from newsmon.scheduling.lease import LeaseKeeper
    from newsmon.storage.leases import Leases

    clock = Clock()
    leases = Leases(store, clock)
    assert leases.acquire("crawl:k", "me", 60).ok
    cancel = Cancel()
    keeper = LeaseKeeper(leases, "crawl:k", "me", 60, cancel)
    for _ in range(5):                                 # five TTLs go by: only renewals keep it
        clock.advance(50)
        assert keeper.step() and cancel.reason is None
        assert not leases.acquire("crawl:k", "other", 60).ok
    leases.release("crawl:k", "me")
    assert leases.acquire("crawl:k", "other", 60).ok   # someone else takes it
    assert not keeper.step() and cancel.reason == "lease lost"


def test_run_group_refuses_when_stopping_or_empty(settings, tmp_path, monkeypatch):
    from newsmon.scheduling import jobs

    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "sources.yaml").write_text("sources:\n  - name: one\n    kind: gov\n    level: city\n    allowed_domains: [127.0.0.1]\n"
                                      "    discovery: [{rss: 'http://127.0.0.1:9/rss.xml'}]\n    group: weekly\n")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    settings = get_settings()
    out = jobs.run_group("daily", settings=settings)
    assert out.status == "empty" and "no enabled source is in group 'daily'" in out.message
    monkeypatch.setattr(jobs, "STOP", jobs.Cancel())
    jobs.STOP.set("scheduler stopping (SIGTERM)")
    out = jobs.run_group("weekly", settings=settings)
    assert out.status == "stopping" and out.run is None


def test_a_fire_another_scheduler_already_ran_is_not_run_again(settings, store, tmp_path, monkeypatch):
    from newsmon.scheduling import jobs
    from newsmon.storage.leases import Leases

    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "sources.yaml").write_text("sources:\n  - name: one\n    kind: gov\n    level: city\n    allowed_domains: [127.0.0.1]\n"
                                      "    discovery: [{rss: 'http://127.0.0.1:9/rss.xml'}]\n")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    settings = get_settings()
    fire = dt.datetime(2026, 11, 22, 6, 0, tzinfo=SH)
    assert Leases(store).claim_fire("daily", fire, "elsewhere:7:abc", "R-FIRST") is None
    out = jobs.run_group("daily", trigger="schedule", scheduled_for=fire, settings=settings)
    assert out.status == "duplicate" and "R-FIRST" in out.message and "elsewhere:7:abc" in out.message
    from newsmon.storage.runs import RunLog

    assert RunLog(store).recent() == [] and Leases(store).get("crawl:daily") is None   # nothing ran, lease released


# --- job store ------------------------------------------------------------------------------


def _scheduler(store, config):
    from newsmon.scheduling.service import build_scheduler

    return build_scheduler(store, config)


def test_job_store_keeps_jobs_across_scheduler_instances(store):
    from newsmon.scheduling.service import sync_jobs

    config = parse_schedule({"groups": {"daily": {"cron": "0 6 * * *"}, "gov": {"cron": "30 * * * *", "timeout": "40m"}}})
    first = _scheduler(store, config)
    first.start(paused=True)
    sync_jobs(first, config)
    before = {j.id: (j.next_run_time, j.name, j.func_ref, j.args) for j in first.get_jobs()}
    first.shutdown()
    assert store.db.command("ping")["ok"] == 1         # the shared client stays open
    docs = {d["_id"]: d for d in store.db.scheduler_jobs.find()}
    assert set(docs) == {"daily", "gov"} and all(isinstance(d["next_run_time"], float) for d in docs.values())

    second = _scheduler(store, config)
    second.start(paused=True)
    sync_jobs(second, config)                          # unchanged: kept as stored
    after = {j.id: (j.next_run_time, j.name, j.func_ref, j.args) for j in second.get_jobs()}
    assert after == before and after["daily"][2] == "scheduler:run_group" and after["daily"][3] == ("daily",)
    job = second.get_job("daily")
    assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time == 3600
    changed = parse_schedule({"groups": {"daily": {"cron": "0 7 * * *"}}})
    sync_jobs(second, changed)                         # changed: rescheduled; gone: removed
    assert [j.id for j in second.get_jobs()] == ["daily"]
    assert second.get_job("daily").next_run_time.astimezone(SH).hour == 7
    second.shutdown()
    assert [d["_id"] for d in store.db.scheduler_jobs.find()] == ["daily"]


def test_two_schedulers_starting_together_both_keep_the_one_job(store):
    from newsmon.scheduling.service import sync_jobs

    config = parse_schedule({"groups": {"daily": {"cron": "0 6 * * *"}}})
    first, second = _scheduler(store, config), _scheduler(store, config)
    first.start(paused=True)
    second.start(paused=True)
    real_get_job = second.get_job
    calls = []

    def racing_get_job(job_id, *args):           # second looked before first added the job
        calls.append(job_id)
        return None if len(calls) == 1 else real_get_job(job_id, *args)

    second.get_job = racing_get_job
    try:
        sync_jobs(first, config)
        sync_jobs(second, config)                 # its add collides with first's job: taken as stored
        assert len(calls) == 2 and [j.id for j in second.get_jobs()] == ["daily"]
    finally:
        first.shutdown()
        second.shutdown()
    assert store.db.scheduler_jobs.count_documents({}) == 1


def test_executor_tells_the_job_its_fire_time():
    from apscheduler.schedulers.background import BackgroundScheduler

    from newsmon.scheduling.executor import FireTimeExecutor, current_fire_time

    seen, done = [], threading.Event()

    def job():
        seen.append(current_fire_time())
        done.set()

    sched = BackgroundScheduler(executors={"default": FireTimeExecutor(2)}, timezone=SH)
    sched.start()
    try:
        added = sched.add_job(job, "interval", seconds=0.3)
        planned = added.next_run_time
        assert done.wait(5)
    finally:
        sched.shutdown()
    assert seen[0] == planned and current_fire_time() is None


# --- logs -------------------------------------------------------------------------------------


def test_logs_rotate_under_the_data_dir(tmp_path):
    from newsmon.runs import logs

    root = logging.getLogger()
    saved = list(root.handlers)
    try:
        path = logs.setup(tmp_path, "t", max_bytes=2000, backups=2)
        logs.setup(tmp_path, "t", max_bytes=2000, backups=2)   # idempotent
        assert path == tmp_path / "logs" / "t.log"
        ours = [h for h in root.handlers if h not in saved]
        assert len([h for h in ours if isinstance(h, logging.handlers.RotatingFileHandler)]) == 1
        for i in range(100):
            logging.getLogger("newsmon.test").warning("line %d %s", i, "x" * 50)
        assert path.exists() and (tmp_path / "logs" / "t.log.1").exists()
        assert not (tmp_path / "logs" / "t.log.3").exists()
    finally:
        for h in list(root.handlers):
            if h not in saved:
                root.removeHandler(h)
                h.close()


# --- commands ---------------------------------------------------------------------------------


def newsmon(capsys, *argv) -> tuple[int, str, str]:
    """Run a newsmon command in this process (faster than a subprocess): exit code, stdout, stderr."""
    from newsmon.cli import main

    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_runs_command_lists_runs_and_json(store, capsys):
    assert "No runs yet" in newsmon(capsys, "runs")[1]
    RunLog(store).start("20261121T220000Z-aaaaaa", ["local"], "schedule")
    RunLog(store).record_source("20261121T220000Z-aaaaaa", "local", {"pages_fetched": 5, "articles_found": 3, "articles_stored": 3,
                                                             "errors": {"http_404": 2}, "finish_reason": "finished"})
    RunLog(store).finish("20261121T220000Z-aaaaaa", "failed", exit_code=-9, new_articles=3, duration_s=12.5,
                     reason="the crawl process was killed by SIGKILL")
    RunLog(store).start("20261122T220000Z-bbbbbb", ["local"], "run-now")
    code, out, err = newsmon(capsys, "runs", "--details")
    assert code == 0, err
    lines = out.splitlines()
    assert "20261122T220000Z-bbbbbb" in lines[1] and "running" in lines[1]       # newest first
    row = next(line for line in lines if "20261121T220000Z-aaaaaa" in line)
    assert "failed" in row and "12.5s" in row and "killed by SIGKILL" in row and " 2 " in row
    assert "local: 5 pages fetched" in out
    data = json.loads(newsmon(capsys, "runs", "--json", "--limit", "1")[1])
    assert [r["_id"] for r in data] == ["20261122T220000Z-bbbbbb"]


def test_schedule_list_and_errors(tmp_path, store, monkeypatch, capsys):
    from newsmon.storage.leases import Leases

    path = write_schedule(tmp_path, monkeypatch, "groups:\n  daily:\n    cron: '0 6 * * *'\n    timeout: 2h\n")
    cfg = path.parent
    (cfg / "sources.yaml").write_text((ROOT / "config" / "sources.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    env = {"NEWSMON_CONFIG_DIR": str(cfg)}
    Leases(store).acquire("crawl:daily", "host:1:abc", 60, run_id="R9", trigger="run-now")
    code, listed, err = newsmon(capsys, "schedule", "--list")
    assert code == 0, err
    assert "daily: cron '0 6 * * *' (Asia/Shanghai), timeout 2h" in listed
    assert "next run: " in listed and "06:00:00+08:00" in listed
    assert "running now: run R9 (run-now) by host:1:abc" in listed
    data = json.loads(newsmon(capsys, "schedule", "--list", "--json")[1])
    assert data[0]["group"] == "daily" and data[0]["running"]["run_id"] == "R9"

    path.write_text("groups:\n  daily:\n    cron: 'every morning'\n")
    bad = run_cli(sys.executable, str(ROOT / "scheduler.py"), env=env, timeout=60)
    assert bad.returncode == 2 and "not a valid cron expression" in bad.stderr and "Traceback" not in bad.stderr
    import scheduler

    with pytest.raises(SystemExit) as done:
        scheduler.main(["--help"])
    helped = capsys.readouterr().out
    assert done.value.code == 0 and "--list" in helped and "SIGTERM" in helped
