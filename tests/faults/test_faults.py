"""Fault injection: real processes are killed, the store goes away, responses misbehave.

Every scenario runs `newsmon run` (or the scheduler) as users run it against a
loopback site whose articles all differ, breaks something mid-crawl, lets at most
one recovery run happen, and asserts that every article the site offered is stored
exactly once and that every run record reached a final status.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from newsmon.storage.embedded import EmbeddedServer
from newsmon.storage.runs import RunLog
from newsmon.testing.httpsite import Route, Site
from newsmon.testing.servers import VENV_BIN, connect, free_port
from newsmon.testing.sites import GovSite

from conftest import ROOT, run_cli

N = 40
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWSMON_RETRY_BACKOFF_BASE=0.05", "-s", "DOWNLOAD_TIMEOUT=10",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]


class Crawl:
    """A config dir and a store for one scenario; `run()` = one `newsmon run` to completion."""

    def __init__(self, tmp: Path, site: Site, gov: GovSite, uri: str, db: str, extra: str = ""):
        self.cfg = tmp / "cfg"
        self.cfg.mkdir(exist_ok=True)
        shutil.copy(ROOT / "config" / "keywords.yaml", self.cfg)
        (self.cfg / "sources.yaml").write_text("sources:\n" + gov.source_yaml(max_pages=10) + extra, encoding="utf-8")
        self.env = {"NEWSMON_CONFIG_DIR": str(self.cfg), "MONGO_URI": uri, "MONGO_DATABASE": db,
                    "NEWSMON_ALLOW_HOSTS": "127.0.0.1", "NEWSMON_DATA_DIR": str(tmp / "data"),
                    "MONGO_TIMEOUT_MS": "2000", "NEWSMON_RUN_STALE_AFTER": "5"}
        self.uri, self.db, self.site, self.gov = uri, db, site, gov

    def store(self):
        return connect(self.uri, self.db)

    def run(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
        return run_cli("newsmon", "run", *FAST, *args, env=self.env, timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([str(VENV_BIN / "newsmon"), "run", *FAST, *args], cwd=ROOT,
                                env={**os.environ, **self.env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def articles_fetched(self) -> int:
        return sum("/content/" in p for p in self.site.paths_hit())

    def wait_fetched(self, k: int, limit: float = 60) -> None:
        deadline = time.monotonic() + limit
        while self.articles_fetched() < k:
            assert time.monotonic() < deadline, f"only {self.articles_fetched()} article pages fetched"
            time.sleep(0.05)

    def assert_all_stored_once(self) -> None:
        docs = list(self.store().db.articles.find({}, {"url": 1}))
        urls = [d["url"] for d in docs]
        assert len(urls) == len(set(urls)), "an article is stored twice"
        offered = {self.site.url(a["path"]) for a in self.gov.articles}
        assert set(urls) == offered, f"missing {len(offered - set(urls))}, unexpected {len(set(urls) - offered)}"

    def assert_runs_final(self) -> list[dict]:
        runs = RunLog(self.store()).recent(50)
        assert runs and all(r["status"] != "running" for r in runs), [(r["_id"], r["status"]) for r in runs]
        return runs


def child_pid(store, run_id_hint: float = 0) -> int:
    """The crawl child of the running run (its record carries child_pid)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for run in RunLog(store).running():
            if run.get("child_pid"):
                return int(run["child_pid"])
        time.sleep(0.05)
    raise AssertionError("no running crawl child")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


@pytest.fixture
def scenario(tmp_path, mongo_uri):
    sites = []

    def make(delay: float = 0.05, n: int = N, uri: str | None = None, db: str | None = None, extra: str = "") -> Crawl:
        site = Site().__enter__()
        sites.append(site)
        gov = GovSite(site, n=n, per_page=10, etag=True, distinct=True, delay=delay)
        return Crawl(tmp_path, site, gov, uri or mongo_uri, db or os.environ["MONGO_DATABASE"], extra)

    yield make
    for site in sites:
        site.__exit__(None, None, None)


def test_a_run_stopped_halfway_by_its_timeout_is_completed_by_the_next(scenario):
    crawl = scenario(delay=0.5)                # 40 pages, 2 at a time: about 10 s of fetching
    first = crawl.run("--timeout", "8")
    assert first.returncode == 1 and "timeout" in first.stdout, first.stdout[-2000:]
    assert len(list(crawl.store().db.articles.find({}, {"_id": 1}))) < N  # stopped before the end
    second = crawl.run()
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    crawl.assert_all_stored_once()
    runs = crawl.assert_runs_final()
    assert [r["status"] for r in runs][:2] == ["ok", "timeout"]


def test_a_crawl_child_killed_outright_is_completed_by_the_next_run(scenario):
    crawl = scenario(delay=0.1)
    proc = crawl.start()
    child = child_pid(crawl.store())           # asked first: the rest of the crawl can take less than a second
    crawl.wait_fetched(N // 3)
    os.kill(child, signal.SIGKILL)
    out = proc.communicate(timeout=60)[0]
    assert proc.returncode == 1 and "killed by SIGKILL" in out, out[-2000:]
    second = crawl.run()
    assert second.returncode == 0, second.stdout[-2000:]
    crawl.assert_all_stored_once()
    assert [r["status"] for r in crawl.assert_runs_final()][:2] == ["ok", "failed"]


def test_a_killed_parent_stops_its_crawl_once_and_cleanly(scenario):
    crawl = scenario(delay=0.1)
    proc = crawl.start()
    child = child_pid(crawl.store())           # asked first: the rest of the crawl can take less than a second
    crawl.wait_fetched(N // 3)
    proc.kill()                                # the parent dies: SIGKILL, no chance to clean up
    deadline = time.monotonic() + 30
    while not gone(child):
        assert time.monotonic() < deadline, "the crawl outlived its parent"
        time.sleep(0.1)
    proc.stdout.read()
    # the parent wrote the crawl's log; once it is gone, the crawl writes what it says itself
    out = (Path(crawl.env["NEWSMON_DATA_DIR"]) / "logs" / "orphans.log").read_text()
    assert out.count(f"the process that started this crawl ({proc.pid}) is gone") == 1, out[-3000:]
    assert "Received SIGTERM twice" not in out and "unclean shutdown" not in out
    assert "Spider closed (shutdown)" in out or "Closing spider (shutdown)" in out, out[-3000:]
    second = crawl.run()                        # closes the dead run, fetches what it left
    assert second.returncode == 0, second.stdout[-2000:]
    crawl.assert_all_stored_once()
    runs = crawl.assert_runs_final()
    assert runs[1]["status"] == "failed" and "process" in runs[1]["reason"]


def test_the_store_killed_mid_crawl_and_back_late_loses_nothing(scenario, tmp_path):
    server = EmbeddedServer(tmp_path / "own-store", port=free_port())
    info = server.ensure_running()
    try:
        crawl = scenario(delay=0.05, uri=info.uri, db="newsmon")
        proc = crawl.start()
        crawl.wait_fetched(N // 3)
        server.stop()                          # down, and it stays down until the crawl has ended
        out = proc.communicate(timeout=120)[0]
        assert "Traceback" not in out, out[-3000:]
        assert crawl.articles_fetched() >= N, out[-2000:]   # the crawl went on without the store
        assert proc.returncode in (0, 1)
        server.ensure_running()                # back, late
        listed = run_cli("newsmon", "runs", env=crawl.env)   # the next command that opens the store replays the spill
        assert listed.returncode == 0, listed.stderr[-2000:]
        crawl.assert_all_stored_once()
        crawl.assert_runs_final()
        again = crawl.run()                    # at most one recovery run: nothing left to do
        assert again.returncode == 0
        crawl.assert_all_stored_once()
    finally:
        server.stop()


def test_slow_oversized_and_compressed_pages(scenario):
    crawl = scenario(delay=0.0, extra="")
    site, gov = crawl.site, crawl.gov
    big, zipped, slow = gov.articles[7], gov.articles[9], gov.articles[5]
    body = site.routes[big["path"]].body
    filler = "".join(f"<p>附{i}：市区块链服务平台第{i}项数据目录已上线，覆盖政务服务事项。</p>" for i in range(3000))
    site.add(big["path"], Route(body.replace(b"</div>\n<div class=\"editor\">", filler.encode() + b"</div>\n<div class=\"editor\">")))
    site.add(zipped["path"], Route(site.routes[zipped["path"]].body, gzip=True))
    calls = {"n": 0}
    slow_body = site.routes[slow["path"]].body

    def slow_once(handler):
        calls["n"] += 1
        return Route(slow_body, delay=10.0 if calls["n"] == 1 else 0.0)   # beyond DOWNLOAD_TIMEOUT the first time

    site.add(slow["path"], slow_once)
    # two article pages over DOWNLOAD_MAXSIZE: one announces its size, one inflates past it.
    # Each is read once, refused as too_large, and given up (not fetched by the next run)
    inflating = "/zhengce/content/2026-11/01/content_9999999.htm"
    site.add(inflating, Route(gzip.compress(b"<html><body>" + "区块链".encode() * 1_500_000 + b"</body></html>"),
                              headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    announced = "/zhengce/content/2026-11/01/content_9999998.htm"
    site.add(announced, Route(b"<html><body>" + "区块链".encode() * 1_500_000 + b"</body></html>"))
    when = gov.articles[-1]["when"]
    gov.articles += [{"path": p, "title": "超大页面区块链", "text": "", "when": when} for p in (inflating, announced)]
    gov.publish()
    del gov.articles[-2:]
    caps = ["-s", "DOWNLOAD_MAXSIZE=4000000", "-s", "RETRY_TIMES=0", "-s", "NEWSMON_MAX_CONTENT_CHARS=100000",
            "-s", "DOWNLOAD_TIMEOUT=3"]
    first = crawl.run(*caps)
    assert "Traceback" not in first.stdout + first.stderr
    assert "timeout" in first.stdout and "too_large 2" in first.stdout, first.stdout[-1500:]
    second = crawl.run(*caps)
    assert second.returncode == 0, second.stdout[-2000:]
    crawl.assert_all_stored_once()
    doc = crawl.store().db.articles.find_one({"url": site.url(big["path"])})
    assert "content" in doc["truncated"] and len(doc["content"]) == 100_000
    assert site.paths_hit().count(inflating) == site.paths_hit().count(announced) == 1
    assert calls["n"] == 2                      # timed out once, fetched again by the next run
    crawl.assert_runs_final()


def test_two_runs_at_once_never_both_fetch_a_source(scenario):
    crawl = scenario(delay=0.5)                # slow enough that the first is still crawling when the second has started
    first = crawl.start()
    crawl.wait_fetched(3)
    second = crawl.run()
    assert second.returncode == 1 and "already being crawled" in second.stderr, second.stdout[-1000:] + second.stderr[-1000:]
    assert first.wait(timeout=120) == 0
    crawl.assert_all_stored_once()
    paths = [p for p in crawl.site.paths_hit() if "/content/" in p]
    assert len(paths) == len(set(paths)) == N


def test_a_listing_that_answers_304_still_gets_what_a_killed_run_left(scenario):
    """The killed run completed its pass over page 1 (saving its ETag) before its articles came in."""
    crawl = scenario(delay=0.0)
    assert crawl.run().returncode == 0
    newest = crawl.gov.articles[0]["when"].date()
    fresh = [crawl.gov.add_article(newest + dt.timedelta(days=1)) for _ in range(5)]   # on top of page 1
    crawl.gov.publish()
    for a in fresh:                            # slow, so the run is killed while they are being fetched
        crawl.site.add(a["path"], Route(crawl.site.routes[a["path"]].body, delay=4.0))
    before = crawl.articles_fetched()
    proc = crawl.start()
    child = child_pid(crawl.store())           # asked first, as in the other kill tests
    deadline = time.monotonic() + 30
    while crawl.articles_fetched() == before:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    proc.communicate(timeout=60)
    for a in fresh:
        crawl.site.add(a["path"], Route(crawl.site.routes[a["path"]].body))
    third = crawl.run("-v")  # the crawl's own log lines reach the console with -v
    assert third.returncode == 0, third.stdout[-2000:]
    assert "5 article(s) announced by earlier runs" in third.stdout + third.stderr
    statuses = [h[2].get("If-None-Match") for h in crawl.site.hits if h[1] == crawl.gov.list_path + ".htm"]
    assert statuses[-1] is not None            # the last read of page 1 was conditional (it answered 304)
    crawl.assert_all_stored_once()
    crawl.assert_runs_final()


def test_a_dead_schedulers_crawl_stops_before_its_lease_can_be_taken_over(scenario):
    from test_scheduler_support import SchedulerProcess

    ttl = 15.0
    crawl = scenario(delay=0.15)
    (crawl.cfg / "schedule.yaml").write_text(
        f"lease_ttl: {ttl:g}s\nstop_grace: 30s\nsettings:\n  AUTOTHROTTLE_ENABLED: false\n"
        "groups:\n  daily:\n    interval: 2s\n    timeout: 120s\n", encoding="utf-8")
    scheduler = SchedulerProcess(crawl.env, crawl.cfg.parent / "scheduler.out")
    try:
        crawl.wait_fetched(N // 4)
        child = child_pid(crawl.store())
    finally:
        scheduler.kill()                       # SIGKILL: its lease lives on for up to ttl
    killed = time.monotonic()
    while not gone(child):
        time.sleep(0.05)
    # the lease was renewed at most ttl/3 before the kill, so nobody can take it for 2/3 ttl
    assert time.monotonic() - killed < ttl * 2 / 3, "the orphaned crawl outlived its lease"
    last_hit = max(t for t, p in crawl.site.timeline)
    assert last_hit - killed < ttl * 2 / 3
    again = crawl.run()                        # takes the dead scheduler's lease, fetches what was left
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    crawl.assert_all_stored_once()
    crawl.assert_runs_final()


def test_a_shared_crawl_loses_nothing_when_one_of_its_processes_is_killed(scenario, redis_url):
    crawl = scenario(delay=0.3)
    crawl.env.update(NEWSMON_REDIS_URL=redis_url, NEWSMON_CRAWL_KEY=f"faults{os.getpid()}{time.time_ns()}")
    args = [str(VENV_BIN / "scrapy"), "crawl", "gov_local", *FAST, "-s", "CONCURRENT_REQUESTS=4"]

    def start(i: int) -> subprocess.Popen:
        env = {**os.environ, **crawl.env, "NEWSMON_DATA_DIR": str(crawl.cfg.parent / f"d{i}")}
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    doomed, survivor = start(0), start(1)
    crawl.wait_fetched(N // 3)
    doomed.kill()                              # its popped requests are gone from the Redis queue
    doomed.communicate(timeout=30)
    out = survivor.communicate(timeout=180)[0]
    assert survivor.returncode == 0, out[-3000:]
    recovery = start(2)                        # the same crawl (its duplicate filter knows the lost URLs)
    out = recovery.communicate(timeout=180)[0]
    assert recovery.returncode == 0, out[-3000:]
    crawl.assert_all_stored_once()
    crawl.assert_runs_final()
