"""Find stored articles by date, label, place, source or words.

Examples:
  newsmon query --days 1                                  stored in the last 24 hours
  newsmon query --since 2026-11-01 --by published --category policy --province 浙江
  newsmon query --level central --min-relevance 0.6 --format md
  newsmon query --text 数字人民币 --format jsonl | jq .title

Filters use indexed fields. Words are matched literally (no patterns, no operators).
"""

from __future__ import annotations

from newsmon.cli.filters import add_filter_arguments, filter_from_args
from newsmon.cli.output import FORMATS, render
from newsmon.config import get_settings
from newsmon.storage import open_store
from newsmon.storage.queries import SORTS, find_articles

HELP = "find stored articles (table, JSON lines, CSV or Markdown)"


def add_arguments(parser):
    add_filter_arguments(parser)
    parser.add_argument("--sort", choices=sorted(SORTS), default="first_seen")
    parser.add_argument("--asc", action="store_true", help="oldest / smallest first")
    parser.add_argument("--limit", type=int, default=50, help="at most this many (0: all; default 50)")
    parser.add_argument("--format", choices=FORMATS, default="table")


def run(args) -> int:
    store = open_store(get_settings())
    docs = find_articles(store, filter_from_args(args), sort=args.sort, descending=not args.asc, limit=args.limit)
    print(render(docs, args.format), end="")
    return 0
