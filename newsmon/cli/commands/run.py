"""Crawl every enabled source (or the ones named) into the store, then show what is new.

Starts the embedded store when MONGO_URI is not set. Each run is recorded in the
crawl_runs collection; articles already stored or already rejected are not
fetched again, so a daily run only reads what is new.

Progress: one line per source as it finishes ("[3/12] gov_beijing: 3 new, 41
pages, 0 errors", with "unreachable", "failed", "drifted" … when it applies),
then the new articles and the run's summary. Scrapy's own log (start-up lists,
stats) goes to <data dir>/logs/run.log, and to the console too with -v.

Exit status: 0 when the run ended ok or partial (some sources could not be
reached: the report names them), 1 when it failed (no source was reached, or the
crawl was stopped, timed out or died), 2 config, 3 store (see newsmon --help).
If another run holds the lease of a group these sources are in (the scheduler,
or another newsmon run), nothing starts: the message names that run, exit 1.

Examples:
  newsmon run                     every enabled source
  newsmon run people --since 2026-11-01
  NEWSMON_OFFLINE=1 newsmon run   replay the bundled snapshot, no network
"""

from __future__ import annotations

import logging

from newsmon import config
from newsmon.cli.report import Progress, run_report
from newsmon.config.settings import parse_overrides
from newsmon.errors import StoreUnavailable
from newsmon.scheduling.jobs import run_sources
from newsmon.storage import StoreError, open_store

HELP = "crawl sources into the store and print the new articles"


def add_arguments(parser):
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="source names (default: every enabled source)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="skip entries announced before this day")
    parser.add_argument("--offline", action="store_true", help="replay the offline snapshot (same as NEWSMON_OFFLINE=1)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS", help="stop the crawl after this long")
    parser.add_argument("--quiet", action="store_true", help="log only the crawl's warnings (in the log file too)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy or newsmon setting for this run, as with scrapy crawl -s")


def run(args) -> int:
    overrides = [*args.set, *(["NEWSMON_OFFLINE=1"] if args.offline else [])]
    settings = config.get_settings(parse_overrides(overrides))
    config.check_all(settings)
    if args.since:
        from crawler.spiders.configured import parse_since

        parse_since(args.since)  # a bad date is a clear error before anything starts
    from newsmon.runs.logs import CHILD_LOGGER, quiet_console, setup_from_settings
    from newsmon.runs.runner import select_sources

    path = setup_from_settings(settings, "run")
    quiet_console(getattr(args, "verbose", False))
    logging.getLogger(__name__).info("newsmon run: the crawl's log is %s", path)
    planned = select_sources(settings, args.sources)
    run_doc = run_sources(settings, args.sources, since=args.since, timeout=args.timeout,
                          log_level="WARNING" if args.quiet else "INFO", overrides=overrides,
                          log_to=logging.getLogger(CHILD_LOGGER), progress=Progress(len(planned)))
    try:
        articles = [] if run_doc.get("unrecorded") else open_store(settings).articles_of_run(run_doc["_id"])
    except (StoreUnavailable, StoreError):
        articles, run_doc = [], {**run_doc, "unrecorded": True}
    print()
    print(run_report(run_doc, articles))
    return 0 if run_doc.get("status") in ("ok", "partial") else 1
