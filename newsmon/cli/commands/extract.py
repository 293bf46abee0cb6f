"""Extract one article and print it as one JSON object.

  newsmon extract page.html --url http://www.gov.cn/xinwen/2019-08/09/content_1.htm
  newsmon extract https://www.news.cn/politics/20240509/3dd6e3/c.html
  newsmon extract - < page.html
  newsmon extract page.html --selector body='div.article' --selector date='//span[@class="time"]'

FILE_OR_URL is a saved page (the bytes as the server sent them; "-" reads
standard input) or an http(s) URL, fetched with one plain GET. --url gives a
saved page's original address: dates in URLs such as /201908/t20190809_1.html
are read from it. --selector tries a per-site override (title, date, body,
outlet, author: CSS, or XPath when it starts with "/" or "(") the way
config/sources.yaml's `selectors:` would.

Keys: url, title, published_at (ISO 8601 with the page's zone, Asia/Shanghai
when it gives none), published_precision (day / minute / second), outlet,
authors, content (one paragraph per line), lang, encoding, reason (why fields
are empty, else null).
"""

from __future__ import annotations

import json

from newsmon.cli.fetch import fetch_url, is_url, read_file
from newsmon.errors import NewsmonError

HELP = "extract title, date, outlet, authors and body from a saved page or a URL (JSON)"
USER_AGENT = "Mozilla/5.0 (compatible; newsmon-extract/0.1)"
MAX_BYTES = 16 * 1024 * 1024   # read at most this much; the extractor refuses pages over 8 MB anyway
SELECTOR_KEYS = ("title", "date", "body", "outlet", "author")


class ExtractInputError(NewsmonError):
    """The file or the --selector given to `newsmon extract` cannot be used."""

    exit_code = 2


def add_arguments(parser):
    parser.add_argument("target", metavar="FILE_OR_URL", help="saved page, '-' for standard input, or an http(s) URL")
    parser.add_argument("--url", help="the page's original URL when FILE_OR_URL is a saved file")
    parser.add_argument("--charset", help="charset the server declared (Content-Type), for a saved file")
    parser.add_argument("--selector", action="append", default=[], metavar="FIELD=EXPR",
                        help=f"per-site override, FIELD one of {', '.join(SELECTOR_KEYS)} (repeatable)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a URL (default 20)")
    parser.add_argument("--compact", action="store_true", help="print the JSON on one line")


def run(args) -> int:
    from newsmon.extract import extract  # imported here: `newsmon --help` stays fast

    selectors = _selectors(args.selector)
    if is_url(args.target):
        body, url, charset = fetch_url(args.target, timeout=args.timeout, max_bytes=MAX_BYTES, user_agent=USER_AGENT)
        url = args.url or url
    else:
        body, url, charset = read_file(args.target), args.url or "", args.charset
    ex = extract(body, url, header_charset=charset, selectors=selectors)
    out = {"url": url or None, **ex.as_dict()}
    print(json.dumps(out, ensure_ascii=False, indent=None if args.compact else 2))
    return 0


def _selectors(items: list[str]) -> dict:
    selectors = {}
    for item in items:
        field, sep, expr = item.partition("=")
        field = field.strip()
        if not sep or field not in SELECTOR_KEYS or not expr.strip():
            raise ExtractInputError(f"--selector {item!r} must look like FIELD=EXPR with FIELD one of {', '.join(SELECTOR_KEYS)}.")
        selectors[field] = expr.strip()
    return selectors
