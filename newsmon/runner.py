"""Run a crawl the one way CLI and scheduler share: a child process per run.

The parent opens the store first (so an unreachable store is one clear error,
not a crawl that spills everything), records the run in ``crawl_runs``, starts
``python -m newsmon.crawl`` with a wall-clock limit, and closes the record with
the outcome: ok, failed (with the exit status) or timeout.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

from crawler.sources import load_sources
from newsmon.errors import UnknownSource
from newsmon.runs import new_run_id
from newsmon.storage import open_store

log = logging.getLogger(__name__)


def select_sources(settings, names: list[str] | None, group: str | None = None) -> list[str]:
    sources = {s.name: s for s in load_sources(settings.get("NEWSMON_SOURCES_FILE", "sources.yaml"))}
    unknown = [n for n in names or [] if n not in sources]
    if unknown:
        raise UnknownSource(f"unknown source {', '.join(map(repr, unknown))}; configured sources: {', '.join(sorted(sources))}")
    if names:
        return list(names)
    return [n for n, s in sources.items() if s.enabled and (group is None or s.group == group)]


def run_crawl(settings, names: list[str] | None = None, *, since: str | None = None, group: str | None = None,
              trigger: str = "newsmon run", timeout: float | None = None, run_id: str | None = None,
              log_level: str = "INFO", extra_env: dict | None = None,
              overrides: list[str] | None = None) -> dict:
    """Crawl the sources in a child process; return the finished crawl_runs document."""
    sources = select_sources(settings, names, group)
    store = open_store(settings)
    run_id = run_id or new_run_id()
    store.start_run(run_id, sources, trigger)
    cmd = [sys.executable, "-m", "newsmon.crawl", "--run-id", run_id, "--log-level", log_level, *sources]
    if since:
        cmd += ["--since", since]
    for item in overrides or []:
        cmd += ["--set", item]
    env = {**os.environ, **(extra_env or {}), "NEWSMON_RUN_ID": run_id}
    if not settings.get("MONGO_URI"):
        env["MONGO_URI"] = store.uri  # the child reuses the server the parent found or started
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    status = "ok"
    try:
        code = proc.wait(timeout=timeout)
        if code != 0:
            status = "failed"
    except subprocess.TimeoutExpired:
        log.error("run %s exceeded its %ss limit; stopping the crawl", run_id, timeout)
        _stop(proc)
        status, code = "timeout", proc.returncode
    except KeyboardInterrupt:
        _stop(proc)
        store.finish_run(run_id, "interrupted", exit_code=proc.returncode,
                         new_articles=len(store.articles_of_run(run_id)))
        raise
    new = len(store.articles_of_run(run_id))
    store.finish_run(run_id, status, exit_code=code, new_articles=new,
                     duration_s=round(time.monotonic() - started, 1))
    return store.get_run(run_id)


def _stop(proc: subprocess.Popen, grace: float = 20.0) -> None:
    """SIGTERM first (Scrapy closes spiders and pipelines cleanly), SIGKILL after grace."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
