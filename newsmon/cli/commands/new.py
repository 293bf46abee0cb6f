"""Articles first stored since this consumer last asked.

Each consumer (a person, a script, a chat bot) has its own cursor in the store;
the call moves it forward, so the next call shows only what came after.
--peek shows without moving it. The first call shows everything stored, or
what came after --since, a page at a time: at most --limit (default
NEWSMON_PAGE_SIZE) oldest first, and how many more wait for the next call
(the cursor moves past the ones shown only); --all shows every one.

Examples:
  newsmon new                         the default consumer
  newsmon new --consumer alice --format md
  newsmon new --consumer bot --peek --json
"""

from __future__ import annotations

import sys

from newsmon.cli import options
from newsmon.cli.filters import parse_when
from newsmon.cli.output import add_format_argument, format_of, render
from newsmon.config import get_settings
from newsmon.storage import open_store
from newsmon.storage.queries import count_new, new_for_consumer, save_cursor

HELP = "show articles stored since your last call (a cursor per consumer)"
PARENTS = (options.JSON,)


def add_arguments(parser):
    parser.add_argument("--consumer", default="default", metavar="NAME", help="whose cursor (default: default)")
    parser.add_argument("--peek", action="store_true", help="show without moving the cursor")
    parser.add_argument("--since", metavar="DATE", help="first call only: start from this day instead of the beginning")
    options.add_limit(parser, "oldest first; the cursor moves past them only; default: NEWSMON_PAGE_SIZE")
    parser.add_argument("--all", action="store_true", help="every new article at once")
    add_format_argument(parser)
    parser.add_argument("--settle", type=float, default=2.0, metavar="SECONDS",
                        help="leave articles stored in the last SECONDS for the next call (default 2), "
                             "so one still being written by a parallel crawl is never skipped")


def run(args) -> int:
    settings = get_settings()
    store = open_store(settings)
    limit = 0 if args.all else args.limit or settings.getint("NEWSMON_PAGE_SIZE")
    query = dict(settle_ms=int(args.settle * 1000), first_since=parse_when(args.since) if args.since else None)
    docs, position = new_for_consumer(store, args.consumer, limit=limit, **query)
    more = 0
    if limit and len(docs) == limit:  # a full page: count what waits behind it
        more = count_new(store, args.consumer, **query) - len(docs)
    fmt = format_of(args)
    print(render(docs, fmt), end="")
    if more:
        again = "newsmon new" + (f" --consumer {args.consumer}" if args.consumer != "default" else "")
        note = (f"{more} more new article(s) after these {len(docs)}: run '{again}' again, or add --all"
                if not args.peek else f"{more} more new article(s) after these {len(docs)} (--all shows every one)")
        print(note, file=sys.stdout if fmt in ("table", "md") else sys.stderr)
    if position and not args.peek:
        save_cursor(store, args.consumer, position)
    return 0
