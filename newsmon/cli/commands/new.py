"""Articles first stored since this consumer last asked.

Each consumer (a person, a script, a chat bot) has its own cursor in the store;
the call moves it forward, so the next call shows only what came after.
--peek shows without moving it. The first call shows everything stored, or
what came after --since.

Examples:
  newsmon new                         the default consumer
  newsmon new --consumer alice --format md
  newsmon new --consumer bot --peek --format jsonl
"""

from __future__ import annotations

from newsmon.cli.filters import parse_when
from newsmon.cli.output import FORMATS, render
from newsmon.config import get_settings
from newsmon.storage import open_store
from newsmon.storage.queries import new_for_consumer, save_cursor

HELP = "show articles stored since your last call (a cursor per consumer)"


def add_arguments(parser):
    parser.add_argument("--consumer", default="default", metavar="NAME", help="whose cursor (default: default)")
    parser.add_argument("--peek", action="store_true", help="show without moving the cursor")
    parser.add_argument("--since", metavar="DATE", help="first call only: start from this day instead of the beginning")
    parser.add_argument("--limit", type=int, default=0, help="at most this many, oldest first; the cursor moves past them only")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--settle", type=float, default=2.0, metavar="SECONDS",
                        help="leave articles stored in the last SECONDS for the next call (default 2), "
                             "so one still being written by a parallel crawl is never skipped")


def run(args) -> int:
    store = open_store(get_settings())
    docs, position = new_for_consumer(store, args.consumer, limit=args.limit, settle_ms=int(args.settle * 1000),
                                      first_since=parse_when(args.since) if args.since else None)
    print(render(docs, args.format), end="")
    if position and not args.peek:
        save_cursor(store, args.consumer, position)
    return 0
