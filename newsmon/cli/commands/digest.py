"""Write the digest analysts used to write by hand, for a period.

Layout `seed` (the default, as in the analysts' digest): flat sections
各省市——规划, 各省市——应用, 国家职能部门——应用 …, 各省市 first; `nested`:
中央 / 国家职能部门 / 各省市, then region and province, then category. Each item
has its headline, a lead of two or three sentences that keeps the article's
figures, bodies and officials, its date and source link; a reprinted story is one
item with the number of distinct outlets that ran it. An opening paragraph and a
●解读 after each section, written from the data and marked （自动生成）, compare
with the previous period of equal length and say what is new (--no-commentary,
or `commentary: enabled: false` in config/digest.yaml, leaves them out).
HTML adds a China map, articles per province and per week (inline SVG, opens
offline); PDF is that HTML printed by headless Chromium. Wording, layout and
section order are data in config/digest.yaml.

Period: --from/--to (days, Asia/Shanghai), --days N (the last N days), or
--since-last NAME (everything stored since the previous digest of that name:
a cursor in the store, as `newsmon new --consumer`). Default: the last 7 days.

Examples:
  newsmon digest --from 2026-11-16 --to 2026-11-22
  newsmon digest --days 30 --format html -o month.html
  newsmon digest --since-last weekly --format pdf -o weekly.pdf
  newsmon digest --from 2026-11-01 --to 2026-11-30 --layout nested --province 浙江
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

from newsmon import config
from newsmon.cli import options
from newsmon.cli.filters import add_filter_arguments, filter_from_args
from newsmon.cli.output import dumps
from newsmon.digest import LAYOUTS, build_digest
from newsmon.digest.render import to_html, to_markdown, to_text
from newsmon.errors import ConfigError
from newsmon.storage import open_store
from newsmon.storage.digestdays import known_before
from newsmon.storage.queries import ArticleFilter, find_articles, new_for_consumer, read_cursor, save_cursor
from newsmon.urls import registrable_domain
from newsmon.vocab import SHANGHAI, UTC

HELP = "write a digest (Markdown, plain text, self-contained HTML with charts and map, or PDF)"
FORMATS = ("md", "text", "html", "pdf", "json")
PARENTS = (options.JSON,)
DEFAULT_DAYS = 7
CURSOR_PREFIX = "digest:"
# the article as the digest needs it: body and labels (with their evidence, for the leads), no tokens
PROJECTION = {"tokens": 0, "bands": 0, "top_words": 0}
# what the commentary needs of the previous period and the look-back window
LABELS = {k: 1 for k in ("level", "organizations", "category", "province", "source_level", "source_province",
                         "region", "domains")}


def add_arguments(parser):
    when = parser.add_argument_group("period (default: the last 7 days)")
    when.add_argument("--from", dest="since", metavar="DATE", help="first day (YYYY-MM-DD); same as --since")
    when.add_argument("--to", dest="until", metavar="DATE", help="last day, included; same as --until")
    when.add_argument("--since-last", metavar="NAME",
                      help="what was stored since the previous `digest --since-last NAME` (first time: everything, "
                           "or from --from/--since/--days)")
    when.add_argument("--peek", action="store_true", help="with --since-last: leave the cursor where it is")
    parser.add_argument("--layout", choices=LAYOUTS,
                        help="seed: flat 区域——类别 sections; nested: area, region, province, category "
                             "(default: `layout` in config/digest.yaml)")
    parser.add_argument("--format", choices=FORMATS, default="md", help="default: md; json is the same as --json")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output (pdf: required)")
    parser.add_argument("--no-commentary", action="store_true", help="leave out the opening and ●解读 paragraphs")
    add_filter_arguments(parser, by_default="published")


def _site_of(settings):
    """A URL's site for counting outlets: its registrable domain, or its publisher group (url_rules.yaml)."""
    groups = config.url_rules(settings).groups

    def site(url: str) -> str:
        domain = registrable_domain(urlsplit(url or "").hostname or "")
        return f"group:{groups[domain]}" if domain in groups else domain
    return site


def _day(when: dt.datetime) -> dt.date:
    return when.astimezone(SHANGHAI).date()


def _period(args, flt: ArticleFilter) -> tuple[dt.datetime, dt.datetime]:
    now = dt.datetime.now(SHANGHAI)
    end = flt.until or now
    start = flt.since or end - dt.timedelta(days=DEFAULT_DAYS)
    if end <= start:
        raise ConfigError(f"the period ends ({args.until}) before it starts ({args.since})")
    return start, end


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None


def run(args) -> int:
    if args.json:
        args.format = "json"
    if args.format == "pdf" and not args.output:
        raise ConfigError("--format pdf writes a file: give -o FILE")
    if args.since_last and args.until:
        raise ConfigError("--since-last runs up to now: leave out --to/--until")
    if args.peek and not args.since_last:
        raise ConfigError("--peek goes with --since-last NAME")
    settings = config.get_settings()
    cfg = config.digest(settings).model_dump()
    store = open_store(settings)
    flt = filter_from_args(args, settings)
    position = None
    if args.since_last:
        consumer = CURSOR_PREFIX + args.since_last
        cursor = read_cursor(store, consumer)
        docs, position = new_for_consumer(store, consumer, flt=flt, projection=PROJECTION, first_since=flt.since)
        end = dt.datetime.now(UTC)
        if cursor:
            start = dt.datetime.fromtimestamp(cursor["first_seen_ms"] / 1000, UTC)
        else:
            start = flt.since or min((d["first_seen"] for d in docs if d.get("first_seen")), default=end)
        by = "first_seen"
    else:
        start, end = _period(args, flt)
        by = args.by
        docs = find_articles(store, dataclasses.replace(flt, since=start, until=end, by=by), sort="published",
                             projection=PROJECTION)
    length = max(end - start, dt.timedelta(days=1))
    previous = find_articles(store, dataclasses.replace(flt, since=start - length, until=start, by=by), projection=LABELS)
    lookback = cfg["commentary"]["lookback_days"]
    known = known_before(store, flt, by, start, lookback) if lookback else None
    last_day = _day(end - dt.timedelta(microseconds=1))
    digest = build_digest(docs, _day(start), max(last_day, _day(start)), cfg, layout=args.layout, previous=previous,
                          known=known, by=by, site_of=_site_of(settings),
                          previous_period=(_day(start - length), _day(start - dt.timedelta(microseconds=1))),
                          commentary_on=False if args.no_commentary else None)
    if args.format == "pdf":
        from newsmon.cli.pdf import chromium_path, html_to_pdf

        size = html_to_pdf(to_html(digest), Path(args.output), chromium_path(settings.get("NEWSMON_CHROMIUM")))
        print(f"wrote {args.output}: {digest.total} article(s) in {len(digest.sections)} section(s), {size} bytes")
    else:
        text = {"html": to_html, "text": to_text, "json": lambda d: dumps(d) + "\n"}.get(args.format, to_markdown)(digest)
        if args.output:
            _write(Path(args.output), text)
            print(f"wrote {args.output}: {digest.total} article(s) in {len(digest.sections)} section(s)")
        else:
            print(text, end="")
    if position and not args.peek:
        save_cursor(store, CURSOR_PREFIX + args.since_last, position)
    return 0
