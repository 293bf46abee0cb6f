"""Run one group of sources now, the way the scheduler runs it.

Same path as a scheduled run: the group's lease in MongoDB (so it never
overlaps a scheduled run or another run-now of the group), the group's
wall-clock limit from config/schedule.yaml, a crawl_runs record
(trigger "run-now"). If the group is being crawled already, nothing starts and
the message names the run in progress (exit 1).

Without --wait the run goes on in the background (it keeps going when you log
out); its log is <data dir>/logs/run-now.log and `newsmon runs` shows how it
ended. With --wait it runs in the foreground, logs to the console too, and
prints the new articles at the end; Ctrl-C stops it cleanly.

Examples:
  newsmon run-now                 group daily, in the background
  newsmon run-now daily --wait    wait for it and show what it found
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time

from newsmon.errors import NewsmonError

NAME = "run-now"
HELP = "run one group of sources now (same lease and record as a scheduled run)"
START_WAIT = 30.0  # seconds to wait for a background run to show up in crawl_runs


def add_arguments(parser):
    parser.add_argument("group", nargs="?", default="daily", help="group of sources (the 'group' field in sources.yaml; default daily)")
    parser.add_argument("--wait", action="store_true", help="run in the foreground and print the report when it ends")
    parser.add_argument("--run-id", help=argparse.SUPPRESS, default=None)  # set by the background launcher


def run(args) -> int:
    from newsmon.logs import setup_from_settings
    from newsmon.runner import select_sources
    from newsmon.scheduling.config import schedule_for
    from newsmon.scheduling.jobs import GroupBusy, busy_message, run_group
    from newsmon.settings import get_settings
    from newsmon.storage import open_store
    from newsmon.storage.leases import Leases, lease_key

    settings = get_settings()
    config = schedule_for(settings)
    if not select_sources(settings, None, args.group):
        from crawler.sources import load_sources

        groups = sorted({s.group for s in load_sources(settings.get("NEWSMON_SOURCES_FILE", "sources.yaml")) if s.enabled})
        raise NewsmonError(f"no enabled source is in group {args.group!r}; groups with sources: {', '.join(groups) or 'none'}")
    store = open_store(settings)
    if args.wait:
        path = setup_from_settings(settings, "run-now")
        logging.getLogger(__name__).info("run-now %s (log file %s)", args.group, path)
        outcome = run_group(args.group, trigger="run-now", run_id=args.run_id, settings=settings, config=config,
                            log_to=logging.getLogger("newsmon.crawl.child"))
        if outcome.status == "busy":
            raise GroupBusy(outcome.message)
        if outcome.run is None:
            raise NewsmonError(outcome.message)
        from newsmon.report import run_report

        print()
        print(run_report(outcome.run, store.articles_of_run(outcome.run["_id"])))
        return 0 if outcome.run.get("status") == "ok" else 1

    lease = Leases(store).get(lease_key(args.group))
    if lease and float(lease.get("until") or 0) > time.time():
        raise GroupBusy(busy_message(args.group, lease, config.group(args.group).timezone))
    from newsmon.logs import log_file
    from newsmon.paths import data_dir
    from newsmon.runs import new_run_id

    run_id = new_run_id()
    cmd = [sys.executable, "-m", "newsmon.cli", "run-now", args.group, "--wait", "--run-id", run_id]
    env = {**os.environ}
    if not settings.get("MONGO_URI"):
        env["MONGO_URI"] = store.uri
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        if store.get_run(run_id):
            print(f"started run {run_id} of group {args.group!r} in the background (pid {proc.pid}); "
                  f"its log: {log_file(data_dir(), 'run-now')}; 'newsmon runs' shows how it ends")
            return 0
        code = proc.poll()
        if code is not None:
            lease = Leases(store).get(lease_key(args.group))
            if lease:
                raise GroupBusy(busy_message(args.group, lease, config.group(args.group).timezone))
            raise NewsmonError(f"the run did not start (exit status {code}); see {log_file(data_dir(), 'run-now')}")
        time.sleep(0.2)
    raise NewsmonError(f"run {run_id} has not started after {START_WAIT:.0f}s; see {log_file(data_dir(), 'run-now')}")
