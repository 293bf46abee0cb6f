"""Write the articles that match `newsmon query`'s options as an Atom 1.0 feed.

Newest first (first stored), at most --limit. Each entry: the headline, a link to
the article, when it was published and stored, the outlet as author, the sentence
that mentions blockchain as summary, and the labels (category, level, province,
domains) as categories. Entry ids stay the same from one run to the next, so a
feed reader shows each article once; point one at the file a cron job rewrites.

Examples:
  newsmon feed --days 7 -o week.xml
  newsmon feed --category policy --province 浙江 --link https://intra.example.cn/zj.xml -o /var/www/zj.xml
"""

from __future__ import annotations

import sys
from pathlib import Path

from newsmon.cli import options
from newsmon.cli.filters import add_filter_arguments, filter_from_args
from newsmon.config import get_settings
from newsmon.digest.atom import to_atom, urn
from newsmon.storage import open_store
from newsmon.storage.queries import find_articles

HELP = "write matching articles as an Atom feed (the options of newsmon query)"
PROJECTION = {"content": 0, "tokens": 0, "bands": 0, "evidence": 0}
# query options that describe the feed (its default title and id)
DESCRIBED = ("category", "level", "province", "region", "source", "kind", "title", "text", "min_relevance", "since",
             "until", "days", "by")


def add_arguments(parser):
    add_filter_arguments(parser)
    options.add_limit(parser, "entries, newest first; default: NEWSMON_PAGE_SIZE")
    parser.add_argument("--all", action="store_true", help="every matching article (no limit)")
    parser.add_argument("--feed-title", metavar="TEXT", help="the feed's title (default: newsmon and the filters)")
    parser.add_argument("--link", metavar="URL", help="where the feed will be served (its rel=self link)")
    parser.add_argument("--id", dest="feed_id", metavar="IRI",
                        help="the feed's id (default: a urn:uuid derived from the filters, the same every time)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")


def describe(args) -> str:
    """The filters in words: policy 浙江 --since 2026-11-01 …"""
    parts = []
    for name in DESCRIBED:
        value = getattr(args, name, None)
        if name == "by" and value == "first_seen":
            continue
        for v in (value if isinstance(value, list) else [value] if value not in (None, "") else []):
            parts.append(f"{name}={v}")
    return ", ".join(parts)


def run(args) -> int:
    settings = get_settings()
    flt = filter_from_args(args, settings)
    for name in ("category", "province", "region", "source"):  # the feed's title and id from the normalised values
        setattr(args, name, getattr(flt, name))
    limit = 0 if args.all else args.limit or settings.getint("NEWSMON_PAGE_SIZE")
    docs = find_articles(open_store(settings), flt, sort="first_seen", descending=True, limit=limit,
                         projection=PROJECTION)
    what = describe(args)
    data = to_atom(docs, feed_id=args.feed_id or urn("feed", what), title=args.feed_title or f"newsmon: {what or 'all articles'}",
                   link=args.link, subtitle="区块链 news from Chinese governments and media, collected by newsmon")
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"wrote {args.output}: {len(docs)} entr{'y' if len(docs) == 1 else 'ies'}")
    else:
        out = getattr(sys.stdout, "buffer", None)
        if out is None:                     # a text stream (output captured in this process)
            sys.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.flush()
            out.write(data)
            out.flush()
    return 0
