"""Run the scheduler: crawl each group of sources at the times in config/schedule.yaml.

Same as `python scheduler.py`. Runs in the foreground until SIGTERM or Ctrl-C
(use systemd, supervisord or tmux to keep it running). Jobs are kept in
MongoDB (collection scheduler_jobs), so a restart keeps the schedule and still
runs, once, a fire missed within the misfire grace time. Each run is a child
process with a wall-clock limit, under a lease in MongoDB: two schedulers on
two machines never crawl the same group at once. Logs go to the console and
to <data dir>/logs/scheduler.log (rotated).

On SIGTERM / Ctrl-C no new run starts; a running crawl gets SIGTERM, closes
its spiders and pipelines, and its run is recorded as "interrupted" with the
counts so far; then the scheduler exits 0. A second signal kills the crawl.

Examples:
  newsmon schedule               run the scheduler
  newsmon schedule --list        groups, their schedule and next run, runs in progress
  newsmon run-now daily          one run of a group now, by hand
  newsmon runs                   the last runs and how they ended
"""

from __future__ import annotations

import json

from newsmon.config import get_settings

HELP = "run the scheduler (daily crawl at the times in config/schedule.yaml)"


def add_arguments(parser):
    parser.add_argument("--list", action="store_true",
                        help="show each group's schedule, sources, next run and any run in progress, then exit")
    parser.add_argument("--json", action="store_true", help="with --list: print JSON")


def run(args) -> int:
    settings = get_settings()
    if args.list:
        from newsmon.scheduling.service import describe

        groups = describe(settings)
        if args.json:
            print(json.dumps(groups, ensure_ascii=False, indent=2))
            return 0
        for g in groups:
            state = "" if g["enabled"] else " (disabled)"
            print(f"{g['group']}{state}: {g['schedule']}, timeout {g['timeout']}, misfire grace {g['misfire_grace']}")
            print(f"  sources: {', '.join(g['sources']) or '(none enabled in this group)'}")
            print(f"  next run: {g['next_run'] or '-'}  (from the {g['next_run_from']})")
            if g["running"]:
                r = g["running"]
                note = " - lease expired, its holder is gone" if r["expired"] else ""
                print(f"  running now: run {r['run_id']} ({r['trigger']}) by {r['holder']} since {r['since']}{note}")
        return 0
    from newsmon.scheduling.service import serve

    return serve(settings)
