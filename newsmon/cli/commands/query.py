"""Find stored articles by date, label, place, source or words.

Examples:
  newsmon query --days 1                                  stored in the last 24 hours
  newsmon query --since 2026-11-01 --by published --category policy --province 浙江
  newsmon query --level central --min-relevance 0.6 --format md
  newsmon query --text 数字人民币 --json | jq .title
  newsmon query --province 浙江省 --category 政策 --format csv > zj.csv   (浙江, policy; CSV with a BOM)

Province, region, category and source accept what readers type (浙江省, 华北地区,
规划 / 政策); an unknown value is one line naming the valid ones (exit 2).
Filters use indexed fields. Words are matched literally (no patterns, no operators).
"""

from __future__ import annotations

from newsmon.cli import options
from newsmon.cli.filters import add_filter_arguments, filter_from_args
from newsmon.cli.output import add_format_argument, format_of, render
from newsmon.config import get_settings
from newsmon.storage import open_store
from newsmon.storage.queries import SORTS, find_articles

HELP = "find stored articles (table, JSON lines, CSV or Markdown)"
PARENTS = (options.JSON,)


def add_arguments(parser):
    add_filter_arguments(parser)
    parser.add_argument("--sort", choices=sorted(SORTS),
                        help="default: the date --by filters on (first_seen, or published with --by published), "
                             "which the store answers from its index without reading the whole range")
    parser.add_argument("--asc", action="store_true", help="oldest / smallest first")
    options.add_limit(parser, "default: NEWSMON_PAGE_SIZE")
    parser.add_argument("--all", action="store_true", help="every matching article (no limit)")
    add_format_argument(parser)


def run(args) -> int:
    settings = get_settings()
    flt = filter_from_args(args, settings)
    limit = 0 if args.all else args.limit or settings.getint("NEWSMON_PAGE_SIZE")
    sort = args.sort or ("published" if flt.by == "published" else "first_seen")
    docs = find_articles(open_store(settings), flt, sort=sort, descending=not args.asc, limit=limit)
    print(render(docs, format_of(args)), end="")
    return 0
