"""The daily crawl on a schedule: ``python scheduler.py`` (same as ``newsmon schedule``).

Reads config/schedule.yaml (default: group ``daily`` every day at 06:00
Asia/Shanghai), keeps its jobs in MongoDB (collection ``scheduler_jobs``), and
runs each due group as a crawl in a child process under a MongoDB lease, so two
schedulers never crawl the same group at once. Stop it with SIGTERM or Ctrl-C.
See docs/scheduler.md, and ``python scheduler.py --help`` for the options.

The stored jobs call :func:`run_group` by reference (``scheduler:run_group``),
with the group name as their only argument.
"""

from __future__ import annotations

import sys


def run_group(group: str) -> None:
    """The scheduled job: crawl one group (lease, fire claim, child process, crawl_runs record)."""
    from newsmon.scheduling.executor import current_fire_time
    from newsmon.scheduling.jobs import scheduled_run

    scheduled_run(group, current_fire_time())


def main(argv: list[str] | None = None) -> int:
    from newsmon.cli import main as newsmon_main

    return newsmon_main(["schedule", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
