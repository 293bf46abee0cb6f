"""Publication dates in the forms Chinese sites use, with the precision they give."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# 2019年8月9日 10:30[:05] | 2019-08-09 10:30 | 2019/8/9 | 2019.08.09
DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?:T|\s)?\s*(?P<H>[0-2]?\d)\s*(?::|：|时)\s*(?P<M>[0-5]\d)(?:\s*(?::|：|分)\s*(?P<S>[0-5]\d))?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)
# /201908/t20190809_123.html, /2024-04/24/, /n1/2024/0424/, /20240509/
URL_DATE_RES = [
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})[-_/]?(\d{2})[-_/](\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),
]
LABELLED = re.compile(r"(?:发布时间|发布日期|发表时间|时间|日期|成文日期|来源时间|更新时间)\s*[:：]?\s*")


def _tz(text: str | None) -> dt.tzinfo:
    if not text:
        return SHANGHAI
    if text == "Z":
        return dt.timezone.utc
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def from_match(m: re.Match) -> tuple[dt.datetime, str] | None:
    try:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if m["H"] is not None:
            sec = int(m["S"]) if m["S"] else 0
            value = dt.datetime(y, mo, d, int(m["H"]), int(m["M"]), sec, tzinfo=_tz(m["tz"]))
            return value, "second" if m["S"] else "minute"
        return dt.datetime(y, mo, d, tzinfo=_tz(m["tz"])), "day"
    except ValueError:
        return None


def parse_date(text: str) -> tuple[dt.datetime, str] | None:
    """The first plausible date in text, with its precision (day / minute / second)."""
    for m in DATE_RE.finditer(text or ""):
        got = from_match(m)
        if got and _plausible(got[0]):
            return got
    return None


def date_from_url(url: str) -> tuple[dt.datetime, str] | None:
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
