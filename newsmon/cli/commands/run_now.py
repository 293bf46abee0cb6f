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
    from newsmon import config as newsmon_config
    from newsmon.config.settings import child_environ, data_dir
    from newsmon.runs.logs import log_file, setup_from_settings
    from newsmon.runs.runner import select_sources
    from newsmon.scheduling.jobs import GroupBusy, busy_message, run_group
    from newsmon.storage import open_store
    from newsmon.storage.leases import Leases, lease_key
    from newsmon.storage.runs import RunLog, new_run_id

    settings = newsmon_config.get_settings()
    newsmon_config.check_all(settings)
    config = newsmon_config.schedule(settings)
    if not select_sources(settings, None, args.group):
        groups = sorted({s.group for s in newsmon_config.sources(settings) if s.enabled})
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
        from newsmon.cli.report import run_report

        print()
        print(run_report(outcome.run, store.articles_of_run(outcome.run["_id"])))
        return 0 if outcome.run.get("status") in ("ok", "partial") else 1

    lease = Leases(store).get(lease_key(args.group))
    if lease and float(lease.get("until") or 0) > time.time():
        raise GroupBusy(busy_message(args.group, lease, config.group(args.group).timezone))
    run_id = new_run_id()
    cmd = [sys.executable, "-m", "newsmon.cli", "run-now", args.group, "--wait", "--run-id", run_id]
    env = child_environ({} if settings.get("MONGO_URI") else {"MONGO_URI": store.uri})
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        if RunLog(store).get(run_id):
            print(f"started run {run_id} of group {args.group!r} in the background (pid {proc.pid}); "
                  f"its log: {log_file(data_dir(settings), 'run-now')}; 'newsmon runs' shows how it ends")
            return 0
        code = proc.poll()
        if code is not None:
            lease = Leases(store).get(lease_key(args.group))
            if lease:
                raise GroupBusy(busy_message(args.group, lease, config.group(args.group).timezone))
            raise NewsmonError(f"the run did not start (exit status {code}); see {log_file(data_dir(settings), 'run-now')}")
        time.sleep(0.2)
    raise NewsmonError(f"run {run_id} has not started after {START_WAIT:.0f}s; see {log_file(data_dir(settings), 'run-now')}")
