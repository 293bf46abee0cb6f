"""Publication dates in the forms Chinese sites use, with the precision they give.

Every date is timezone-aware: the page's own zone when it states one (ISO
offsets, "GMT", 格林尼治标准时间), Asia/Shanghai otherwise. The precision
("day" / "minute" / "second") is what the text shows, never padded.
"""

from __future__ import annotations

import datetime as dt
import re

from newsmon.vocab import SHANGHAI

_UTC_WORDS = ("GMT", "UTC", "格林尼治标准时间", "格林威治标准时间", "Z")

# 2019年8月9日 10:30[:05] | 2019-08-09T10:30:05+08:00 | 2019/8/9 | 2019.08.09 | 2012年12月10日, 格林尼治标准时间10:41
DATE_RE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*[,，]?\s*(?P<sep>T|\s|-(?=[0-2]?\d:))?\s*(?P<zw>北京时间|格林尼治标准时间|格林威治标准时间)?\s*"
    r"(?P<H>[0-2]?\d)\s*(?::|：|时)\s*(?P<M>[0-5]\d)(?:\s*(?::|：|分)\s*(?P<S>[0-5]\d)(?:\.\d+)?)?(?!\d))?"
    r"\s*(?P<tz>Z\b|[+-]\d{2}:?\d{2}\b|GMT|UTC)?"
)
# qq.com and news.cn write "2019 09/07 19:02" (year in its own element).
YEAR_APART_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s+(?P<m>\d{1,2})/(?P<d>\d{1,2})\s+(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?(?!\d)"
)
# After a 发布时间 label only: "18-03-08 23:16" (two-digit year) and "10-08 12:00" (no year; baijiahao).
SHORT_DATE_RE = re.compile(
    r"^(?:(?P<y>\d{2})-)?(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?(?!\d)"
)
# /201908/t20190809_123.html, /2024-04/24/, /n1/2024/0424/, /20240509/, /2019_09_07_516923.shtml
URL_DATE_RES = [
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})[-_/]?(\d{2})[-_/](\d{2})(?:/|_)"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})/"),
]
# Labels that introduce a date; PUBLISHED_LABEL ones name the publication itself and win over others
# (gov.cn policy pages show 成文日期 before 发布日期).
LABELLED = re.compile(r"(?:发布时间|发布日期|发表时间|发表于|发稿时间|更新时间|成文日期|来源时间|时间|日期)\s*[:：]?\s*")
PUBLISHED_LABEL = re.compile(r"^(?:发布|发表|发稿)")
# WeChat: var ct = "1659274471"; other sites: "publish_time": 1581517074
TIMESTAMP_RE = re.compile(r"""(?:\bvar\s+ct|["']?(?:publish_?time|pubtime|ptime)["']?)\s*[=:]\s*["']?(\d{10})(?:\d{3})?["']?""")
SCRIPT_DATE_RE = re.compile(r"""["']?(?:publish_?time|pubtime|pubDate|datePublished)["']?\s*[=:]\s*["']([^"']{8,40})["']""")

Found = tuple[dt.datetime, str]


def _tz(text: str | None) -> dt.tzinfo:
    if not text:
        return SHANGHAI
    if text in _UTC_WORDS:
        return dt.timezone.utc
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def from_match(m: re.Match, year: int | None = None) -> Found | None:
    """The datetime and precision of one match of DATE_RE, YEAR_APART_RE or SHORT_DATE_RE."""
    groups = m.groupdict()
    try:
        y = groups.get("y")
        if y is None:
            if year is None:
                return None
            y = year
        y = int(y)
        if y < 100:
            y += 2000
        mo, d = int(m["m"]), int(m["d"])
        tz = groups.get("tz")
        if tz and tz[0] in "+-" and groups.get("sep") != "T" and not groups.get("S"):
            tz = None   # "9:00-11:30" is a time range, not an offset; offsets come in ISO form
        zone = _tz(tz or ("Z" if groups.get("zw") and "格林" in groups["zw"] else None))
        if m["H"] is not None:
            sec = int(m["S"]) if m["S"] else 0
            value = dt.datetime(y, mo, d, int(m["H"]), int(m["M"]), sec, tzinfo=zone)
            return value, "second" if m["S"] else "minute"
        return dt.datetime(y, mo, d, tzinfo=zone), "day"
    except (ValueError, TypeError):
        return None


def iter_dates(text: str):
    """Every plausible date in text, in order: (start offset, (datetime, precision))."""
    found = []
    for rx in (DATE_RE, YEAR_APART_RE):
        for m in rx.finditer(text or ""):
            got = from_match(m)
            if got and _plausible(got[0]):
                found.append((m.start(), m.end(), got))
    found.sort(key=lambda f: (f[0], -f[1]))
    last_end = -1
    for start, end, got in found:
        if start >= last_end:   # YEAR_APART and DATE_RE may overlap
            last_end = end
            yield start, got


def parse_date(text: str) -> Found | None:
    """The first plausible date in text, with its precision (day / minute / second)."""
    return next((got for _, got in iter_dates(text)), None)


def parse_short(text: str, year: int | None) -> Found | None:
    """A date right after a 发布时间 label written without a (four-digit) year."""
    m = SHORT_DATE_RE.match(text.strip())
    if not m:
        return None
    got = from_match(m, year)
    return got if got and _plausible(got[0]) else None


def from_timestamp(seconds: int) -> Found | None:
    """A Unix timestamp, shown to the minute in Asia/Shanghai (as WeChat pages render it)."""
    try:
        value = dt.datetime.fromtimestamp(seconds, SHANGHAI).replace(second=0)
    except (OverflowError, OSError, ValueError):
        return None
    return (value, "minute") if _plausible(value) else None


def date_from_url(url: str) -> Found | None:
    """A day-precision date from the URL path (/201908/t20190809_1.html, /2024-04/24/, /n1/2024/0424/ …)."""
    for rx in URL_DATE_RES:
        m = rx.search(url or "")
        if m:
            try:
                value = dt.datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=SHANGHAI)
            except ValueError:
                continue
            if _plausible(value):
                return value, "day"
    return None


def _plausible(value: dt.datetime) -> bool:
    now = dt.datetime.now(dt.timezone.utc)
    return dt.datetime(1995, 1, 1, tzinfo=dt.timezone.utc) <= value <= now + dt.timedelta(days=2)
