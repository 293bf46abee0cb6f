"""Publication dates in the forms Chinese sites use, with the precision they give.

Every date is timezone-aware: the page's own zone when it states one (ISO
offsets, "GMT", 格林尼治标准时间), Asia/Shanghai otherwise. The precision
("day" / "minute" / "second") is what the text shows, never padded.

Forms (patterns.py): 2019年8月9日 10:30, 2019-8-9, 2019/08/09, 2019.08.09, weekdays and
12-hour times (週三 上午8:21, 11:57 AM, 20点20分), full-width digits, 二〇二〇年三月五日,
English month names, and year-last dates (7/5/2005 9:23:57 PM) whose day/month order
is read only when the text or the page's own metadata date decides it. A ``hint``
(the page's metadata or URL date) decides that order and completes dates shown
without a year ("02日14:25").
"""

from __future__ import annotations

import datetime as dt
import re

from newsmon.extract.patterns import (  # noqa: F401  (re-exported: dates.LABELLED & co. are the date vocabulary)
    CN_DIGITS,
    CN_NUMERAL_DATE_RE,
    DATE_RE,
    EN_MONTHS,
    ENGLISH_DATE_RE,
    FULLWIDTH,
    LABELLED,
    PARTIAL_DATE_RE,
    PUBLISHED_LABEL,
    SCRIPT_DATE_RE,
    SHORT_DATE_RE,
    TIMESTAMP_RE,
    URL_DATE_RES,
    YEAR_APART_RE,
    YEAR_LAST_RE,
)
from newsmon.vocab import SHANGHAI

_UTC_WORDS = ("GMT", "UTC", "格林尼治标准时间", "格林威治标准时间", "Z")
_PM_PARTS = ("下午", "晚上", "傍晚", "夜里")
PARTIAL_SLACK = dt.timedelta(days=2)   # a date without its year is taken only this close to the hint

Found = tuple[dt.datetime, str]


def _tz(text: str | None) -> dt.tzinfo:
    if not text:
        return SHANGHAI
    if text in _UTC_WORDS:
        return dt.timezone.utc
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _hour(groups: dict) -> int:
    """The hour on a 24-hour clock: 下午2:05 -> 14, 9:23 PM -> 21, 12:10 AM -> 0, 中午12:30 -> 12."""
    hour = int(groups["H"])
    part, ampm = groups.get("dp"), (groups.get("ampm") or "").lower()[:1]
    if hour <= 12 and (ampm == "p" or part in _PM_PARTS or (part == "中午" and hour < 11)):
        hour = hour % 12 + 12
    elif hour == 12 and (ampm == "a" or part == "凌晨"):
        hour = 0
    return hour


def _cn_number(text: str) -> int:
    """十 -> 10, 二十五 -> 25, 三十一 -> 31, 七 -> 7 (months and days)."""
    if "十" not in text:
        return CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)


def _day_month(a: int, b: int, ampm: bool, hint: dt.date | None, year: int) -> tuple[int, int] | None:
    """(month, day) of a year-last date a/b/year, or None when nothing decides the order."""
    if a > 12 and b <= 12:
        return b, a
    if b > 12 and a <= 12 or a == b or ampm:
        return a, b   # US order: a number over 12 in second place, or the 12-hour clock of en-US ("9:23:57 PM")
    if hint is not None:
        for mo, d in ((a, b), (b, a)):
            try:
                if abs(dt.date(year, mo, d) - hint) <= PARTIAL_SLACK:
                    return mo, d
            except ValueError:
                continue
    return None


def from_match(m: re.Match, year: int | None = None, hint: dt.date | None = None) -> Found | None:
    """The datetime and precision of one match of any date pattern (see patterns.py)."""
    groups = m.groupdict()
    try:
        y = groups.get("y")
        if y is None:
            if year is None:
                return None
            y = year
        elif not y.isdigit():
            y = int("".join(str(CN_DIGITS[c]) for c in y))
        y = int(y)
        if y < 100:
            y += 2000
        if groups.get("a"):
            order = _day_month(int(m["a"]), int(m["b"]), bool(groups.get("ampm")), hint, y)
            if order is None:
                return None
            mo, d = order
        elif groups.get("mon") or groups.get("mon2"):
            mo = EN_MONTHS.index((groups.get("mon") or groups["mon2"])[:3].lower()) + 1
            d = int(groups.get("d") or groups["d2"])
        elif m["m"] and not m["m"].isdigit():
            mo, d = _cn_number(m["m"]), _cn_number(m["d"])
        else:
            mo, d = int(m["m"]), int(m["d"])
        tz = groups.get("tz")
        if tz and tz[0] in "+-" and groups.get("sep") != "T" and not groups.get("S"):
            tz = None   # "9:00-11:30" is a time range, not an offset; offsets come in ISO form
        zone = _tz(tz or ("Z" if groups.get("zw") and "格林" in groups["zw"] else None))
        if groups.get("H") is not None:
            sec = int(m["S"]) if m["S"] else 0
            value = dt.datetime(y, mo, d, _hour(groups), int(m["M"]), sec, tzinfo=zone)
            return value, "second" if m["S"] else "minute"
        return dt.datetime(y, mo, d, tzinfo=zone), "day"
    except (ValueError, TypeError, KeyError):
        return None


FULL_FORMS = (DATE_RE, YEAR_APART_RE, YEAR_LAST_RE, ENGLISH_DATE_RE, CN_NUMERAL_DATE_RE)


def normalise(text: str) -> str:
    """Full-width digits and separators as ASCII, one character for one (offsets are kept)."""
    return (text or "").translate(FULLWIDTH)


def iter_spans(text: str, hint: dt.date | None = None):
    """Every plausible full date in text, in order: (start, end, (datetime, precision))."""
    text = normalise(text)
    found = []
    for rx in FULL_FORMS:
        for m in rx.finditer(text):
            got = from_match(m, hint=hint)
            if got and _plausible(got[0]):
                found.append((m.start(), m.end(), got))
    found.sort(key=lambda f: (f[0], -f[1]))
    last_end = -1
    for start, end, got in found:
        if start >= last_end:   # the forms may overlap ("2019 09/07 19:02")
            last_end = end
            yield start, end, got


def iter_dates(text: str, hint: dt.date | None = None):
    """Every plausible date in text, in order: (start offset, (datetime, precision))."""
    for start, _, got in iter_spans(text, hint):
        yield start, got


def parse_date(text: str, hint: dt.date | None = None) -> Found | None:
    """The first plausible date in text, with its precision (day / minute / second)."""
    return next((got for _, got in iter_dates(text, hint)), None)


def date_at(text: str, hint: dt.date | None = None) -> tuple[int, Found] | None:
    """A full date at the very start of text (right after a label): (its end offset, (datetime, precision))."""
    text = normalise(text)
    for rx in FULL_FORMS:
        m = rx.match(text)
        got = from_match(m, hint=hint) if m else None
        if got and _plausible(got[0]):
            return m.end(), got
    return None


def parse_short(text: str, year: int | None) -> Found | None:
    """A date right after a 发布时间 label written without a (four-digit) year."""
    m = SHORT_DATE_RE.match(normalise(text).strip())
    if not m:
        return None
    got = from_match(m, year)
    return got if got and _plausible(got[0]) else None


def parse_partial(text: str, hint: dt.date | None) -> Found | None:
    """A day shown without its year ("02日14:25", "5月7日 21:23"), completed from the hint; only when
    the result lies within PARTIAL_SLACK of the hint, so a stray "3日" never becomes a date."""
    if hint is None:
        return None
    for m in PARTIAL_DATE_RE.finditer(normalise(text)):
        try:
            day = dt.date(hint.year, int(m["m"]) if m["m"] else hint.month, int(m["d"]))
        except ValueError:
            continue
        if abs(day - hint) > PARTIAL_SLACK:
            continue
        value = dt.datetime(day.year, day.month, day.day, _hour(m.groupdict()), int(m["M"]),
                            int(m["S"]) if m["S"] else 0, tzinfo=SHANGHAI)
        return value, "second" if m["S"] else "minute"
    return None


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
