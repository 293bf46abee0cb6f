"""Extract one article and print it as one JSON object.

  newsmon extract page.html --url http://www.gov.cn/xinwen/2019-08/09/content_1.htm
  newsmon extract https://www.news.cn/politics/20240509/3dd6e3/c.html
  newsmon extract - < page.html
  newsmon extract page.html --selector body='div.article' --selector date='//span[@class="time"]'

FILE_OR_URL is a saved page (the bytes as the server sent them; "-" reads
standard input) or an http(s) URL, fetched with one plain GET. --url gives a
saved page's original address: dates in URLs such as /201908/t20190809_1.html
are read from it. --selector tries a per-site override (title, date, body,
source, author: CSS, or XPath when it starts with "/" or "(") the way
config/sources.yaml's `selectors:` would.

Keys: url, title, published_at (ISO 8601 with the page's zone, Asia/Shanghai
when it gives none), published_precision (day / minute / second), source,
authors, content (one paragraph per line), lang, encoding, reason (why fields
are empty, else null).
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

from newsmon.errors import NewsmonError

HELP = "extract title, date, outlet, authors and body from a saved page or a URL (JSON)"
USER_AGENT = "Mozilla/5.0 (compatible; newsmon-extract/0.1)"
MAX_BYTES = 16 * 1024 * 1024   # read at most this much; the extractor refuses pages over 8 MB anyway
SELECTOR_KEYS = ("title", "date", "body", "source", "author")


class ExtractInputError(NewsmonError):
    """The file or the --selector given to `newsmon extract` cannot be used."""

    exit_code = 2


class FetchError(NewsmonError):
    """The URL given to `newsmon extract` could not be fetched."""

    exit_code = 4


def add_arguments(parser):
    parser.add_argument("target", metavar="FILE_OR_URL", help="saved page, '-' for standard input, or an http(s) URL")
    parser.add_argument("--url", help="the page's original URL when FILE_OR_URL is a saved file")
    parser.add_argument("--charset", help="charset the server declared (Content-Type), for a saved file")
    parser.add_argument("--selector", action="append", default=[], metavar="FIELD=EXPR",
                        help=f"per-site override, FIELD one of {', '.join(SELECTOR_KEYS)} (repeatable)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a URL (default 20)")
    parser.add_argument("--compact", action="store_true", help="print the JSON on one line")


def run(args) -> int:
    from crawler.extract import extract  # imported here: `newsmon --help` stays fast

    selectors = _selectors(args.selector)
    if args.target.startswith(("http://", "https://")):
        body, url, charset = fetch(args.target, args.timeout)
        url = args.url or url
    else:
        body, url, charset = _read(args.target), args.url or "", args.charset
    ex = extract(body, url, header_charset=charset, selectors=selectors)
    out = {"url": url or None, **ex.as_dict()}
    print(json.dumps(out, ensure_ascii=False, indent=None if args.compact else 2))
    return 0


def fetch(url: str, timeout: float) -> tuple[bytes, str, str | None]:
    """GET url: (body, final URL after redirects, charset from Content-Type)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            body = resp.read(MAX_BYTES + 1)
            return body, resp.geturl(), resp.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"fetching {url} failed: the server answered HTTP {exc.code} {exc.reason}.") from None
    except urllib.error.URLError as exc:
        reason = exc.reason if not isinstance(exc.reason, OSError) else (exc.reason.strerror or str(exc.reason))
        raise FetchError(f"could not fetch {url}: {reason}.") from None
    except TimeoutError:
        raise FetchError(f"fetching {url} timed out after {timeout:g} s; try again or raise --timeout.") from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"could not fetch {url}: {exc}.") from None


def _read(target: str) -> bytes:
    if target == "-":
        return sys.stdin.buffer.read()
    path = Path(target)
    if not path.is_file():
        raise ExtractInputError(f"{target} is not a file or an http(s) URL; give a saved page or a URL.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExtractInputError(f"cannot read {target}: {exc.strerror or exc}.") from None


def _selectors(items: list[str]) -> dict:
    selectors = {}
    for item in items:
        field, sep, expr = item.partition("=")
        field = field.strip()
        if not sep or field not in SELECTOR_KEYS or not expr.strip():
            raise ExtractInputError(f"--selector {item!r} must look like FIELD=EXPR with FIELD one of {', '.join(SELECTOR_KEYS)}.")
        selectors[field] = expr.strip()
    return selectors
