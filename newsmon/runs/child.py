"""Child-process entry point: crawl some sources in one Scrapy process.

Twisted's reactor cannot be restarted, so every run (``newsmon run``, the
scheduler) starts this module in a fresh process. Exit status: 0 when every
source finished, 1 when one did not, 2 on a config error (one line on stderr).

    python -m newsmon.runs.child --run-id ID [--since YYYY-MM-DD] [SOURCE ...]
"""

from __future__ import annotations

import argparse
import logging
import sys

from scrapy.crawler import CrawlerProcess

from newsmon import config
from newsmon.config.settings import get_settings, parse_overrides
from newsmon.errors import NewsmonError

ORPHAN_LOG = "orphans"   # <data dir>/logs/orphans.log: a crawl's output once its parent is gone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsmon.runs.child", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", help="source names (default: every enabled source)")
    parser.add_argument("--run-id", required=True, help="crawl_runs id this crawl reports into")
    parser.add_argument("--since", help="skip entries announced before this day (YYYY-MM-DD)")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--stop-within", type=float, default=None, metavar="SECONDS",
                        help="if the parent process dies, stop cleanly and be gone within this long")
    parser.add_argument("--parent", type=int, default=None, metavar="PID", help="the process that started this one")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="override a setting")
    args = parser.parse_args(argv)

    try:
        settings = get_settings({**parse_overrides(args.set), "NEWSMON_RUN_ID": args.run_id, "LOG_LEVEL": args.log_level})
        config.check_all(settings)
    except NewsmonError as exc:
        print(f"newsmon: error: {exc}", file=sys.stderr)
        return exc.exit_code
    process = CrawlerProcess(settings)
    loader = process.spider_loader
    names = args.sources or [n for n, s in loader.sources.items() if s.enabled]
    crawlers = []
    for name in names:
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        process.crawl(crawler, **({"since": args.since} if args.since else {}))
    if args.stop_within is not None and args.parent:
        from newsmon.config.settings import data_dir
        from newsmon.runs.logs import log_file

        _watch_parent(process, args.parent, args.stop_within, log_file(data_dir(settings), ORPHAN_LOG))
    process.start()
    failed = [c.spidercls.name for c in crawlers if (c.stats.get_value("finish_reason") or "") != "finished"]
    return 1 if failed else 0


def _watch_parent(process: CrawlerProcess, parent: int, within: float, orphan_log) -> None:
    """Stop the crawl once, cleanly, when the process that started it is gone; exit hard if that takes too long.

    A scheduler that dies must not leave its crawl fetching after its lease expires
    (another scheduler may then take the group over), so it is gone within the parent's
    limit ``--stop-within`` (scheduling.jobs.orphan_limit keeps it inside the lease).
    The parent was what wrote this process' output to the run's log; from then on it
    goes to ``<data dir>/logs/orphans.log``, so what the crawl said while stopping is kept
    (and writing to a pipe nobody reads cannot fail the shutdown).
    """
    import os
    import threading
    import time

    from twisted.internet import reactor

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        try:
            orphan_log.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(orphan_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.close(fd)
        except OSError:
            pass  # keep the old output, whatever it is
        logging.getLogger(__name__).warning("the process that started this crawl (%d) is gone; stopping the crawl", parent)
        reactor.callFromThread(process.stop)
        time.sleep(max(within, 0.5))
        os._exit(1)

    threading.Thread(target=watch, name="parent watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
