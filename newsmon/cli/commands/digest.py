"""Write the digest analysts used to write by hand, for a date range.

Grouped 中央 / 国家职能部门 / 各省市, then by region and province, then by
category (政策, 应用, 声音); one entry per article with its headline, date,
source link and the sentence that mentions blockchain; a reprinted article is
one entry with the number of outlets. HTML adds charts (articles per province,
per week by category) and is a single file that opens offline.
Grouping and headings are data in config/digest.yaml.

Examples:
  newsmon digest --from 2026-11-16 --to 2026-11-22
  newsmon digest --from 2026-11-01 --to 2026-11-30 --format html -o november.html
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newsmon import config
from newsmon.cli.filters import add_filter_arguments, filter_from_args, parse_when
from newsmon.digest import build_digest
from newsmon.digest.render import to_html, to_markdown
from newsmon.errors import NewsmonError
from newsmon.storage import open_store
from newsmon.storage.queries import find_articles

HELP = "write a digest (Markdown or self-contained HTML with charts)"
PROJECTION = {"tokens": 0, "bands": 0, "evidence": 0, "content": 0}


def add_arguments(parser):
    parser.add_argument("--from", dest="start", required=True, metavar="DATE", help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day, included")
    parser.add_argument("--by", choices=["published", "first_seen"], default="published",
                        help="which date the range applies to (default: published)")
    parser.add_argument("--format", choices=["md", "html"], default="md")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    add_filter_arguments(parser, dates=False)


def run(args) -> int:
    start, end = parse_when(args.start), parse_when(args.end, end=True)
    if end <= start:
        raise NewsmonError(f"--to {args.end} is before --from {args.start}")
    flt = filter_from_args(args)
    flt.since, flt.until, flt.by = start, end, args.by
    settings = config.get_settings()
    docs = find_articles(open_store(settings), flt, sort="published", descending=True, projection=PROJECTION)
    digest = build_digest(docs, start.date(), (end - dt.timedelta(days=1)).date(), config.digest(settings).model_dump())
    text = to_html(digest) if args.format == "html" else to_markdown(digest)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}: {digest.total} article(s) in {len(digest.sections)} section(s)")
    else:
        print(text, end="")
    return 0
