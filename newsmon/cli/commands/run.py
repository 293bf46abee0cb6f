"""Crawl every enabled source (or the ones named) into the store, then show what is new.

Starts the embedded store when MONGO_URI is not set. Each run is recorded in the
crawl_runs collection; articles already stored or already rejected are not
fetched again, so a daily run only reads what is new.

Examples:
  newsmon run                     every enabled source
  newsmon run people --since 2026-11-01
  NEWSMON_OFFLINE=1 newsmon run   replay the bundled snapshot, no network
"""

from __future__ import annotations

from newsmon import config
from newsmon.cli.report import run_report
from newsmon.config.settings import parse_overrides
from newsmon.runs.runner import run_crawl
from newsmon.storage import open_store

HELP = "crawl sources into the store and print the new articles"


def add_arguments(parser):
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="source names (default: every enabled source)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="skip entries announced before this day")
    parser.add_argument("--offline", action="store_true", help="replay the offline snapshot (same as NEWSMON_OFFLINE=1)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS", help="stop the crawl after this long")
    parser.add_argument("--quiet", action="store_true", help="only warnings from the crawl, then the report")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy or newsmon setting for this run, as with scrapy crawl -s")


def run(args) -> int:
    overrides = [*args.set, *(["NEWSMON_OFFLINE=1"] if args.offline else [])]
    settings = config.get_settings(parse_overrides(overrides))
    config.check_all(settings)
    if args.since:
        from crawler.spiders.configured import parse_since

        parse_since(args.since)  # a bad date is a clear error before anything starts
    run_doc = run_crawl(settings, args.sources, since=args.since, timeout=args.timeout,
                        log_level="WARNING" if args.quiet else "INFO", overrides=overrides)
    articles = open_store(settings).articles_of_run(run_doc["_id"])
    print()
    print(run_report(run_doc, articles))
    return 0 if run_doc.get("status") == "ok" else 1
