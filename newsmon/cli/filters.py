"""Filter options shared by `newsmon query`, `new`, `stats`, `digest` and `feed`, and their parsing.

Province, region, category and source values are normalised and checked by
newsmon.config.values (浙江省 -> 浙江, 政策 -> policy; an unknown one is one line, exit 2).
"""

from __future__ import annotations

import datetime as dt

from newsmon.cli.options import positive_int
from newsmon.config.values import values
from newsmon.errors import ConfigError
from newsmon.storage.queries import ArticleFilter
from newsmon.vocab import KINDS, LEVELS, SHANGHAI


def parse_when(value: str, *, end: bool = False) -> dt.datetime:
    """YYYY-MM-DD (a day in Asia/Shanghai; as an end bound, the whole day) or an ISO date-time."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            start = dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
            return start + dt.timedelta(days=1) if end else start
        when = dt.datetime.fromisoformat(value)
        return when if when.tzinfo else when.replace(tzinfo=SHANGHAI)
    except ValueError:
        raise ConfigError(f"{value!r} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None


BY_HELP = {"first_seen": "first_seen, when newsmon stored it", "published": "published"}


def add_filter_arguments(parser, *, dates: bool = True, by_default: str = "first_seen") -> None:
    g = parser.add_argument_group("filters (repeat an option to allow several values)")
    if dates:
        g.add_argument("--since", metavar="DATE", help="from this day (YYYY-MM-DD, Asia/Shanghai) or time")
        g.add_argument("--until", metavar="DATE", help="up to and including this day")
        g.add_argument("--days", type=positive_int, metavar="N", help="the last N days (instead of --since)")
        g.add_argument("--by", choices=["first_seen", "published"], default=by_default,
                       help=f"which date the range applies to (default: {BY_HELP[by_default]})")
    g.add_argument("--category", action="append", default=[], metavar="NAME",
                   help="policy, application, voice, other, or a word for one in config/digest.yaml")
    g.add_argument("--level", action="append", choices=LEVELS, default=[])
    g.add_argument("--province", action="append", default=[], metavar="NAME", help="浙江 or 浙江省, 内蒙古 or 内蒙古自治区 …")
    g.add_argument("--region", action="append", default=[], metavar="NAME", help="华北 东北 华东 华中 华南 西南 西北")
    g.add_argument("--source", action="append", default=[], metavar="NAME", help="source name (newsmon sources)")
    g.add_argument("--kind", action="append", choices=KINDS, default=[])
    g.add_argument("--title", metavar="WORDS", help="title contains these characters")
    g.add_argument("--text", metavar="WORDS", help="title or body contains these characters")
    g.add_argument("--min-relevance", type=float, metavar="X", help="0..1: how much the article is about blockchain")


def filter_from_args(args, settings=None) -> ArticleFilter:
    """The filter the options describe, its values normalised (ConfigError on an unknown one)."""
    if settings is None:
        from newsmon.config import get_settings

        settings = get_settings()
    known = values(settings)
    since = until = None
    if getattr(args, "days", None):
        since = dt.datetime.now(SHANGHAI) - dt.timedelta(days=args.days)
    if getattr(args, "since", None):
        since = parse_when(args.since)
    if getattr(args, "until", None):
        until = parse_when(args.until, end=True)
    return ArticleFilter(since=since, until=until, by=getattr(args, "by", "first_seen"),
                         category=known.normalise_all("category", args.category), level=args.level,
                         province=known.normalise_all("province", args.province),
                         region=known.normalise_all("region", args.region),
                         source=known.normalise_all("source", args.source),
                         kind=args.kind, title=args.title, text=args.text, min_relevance=args.min_relevance)
