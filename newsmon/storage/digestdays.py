"""What the digest's look-back window knew, kept per day, so a daily digest reads one day, not ninety.

The ●解读 commentary tells a province or domain that is new: one with no article in
the ``lookback_days`` before the period. Reading those articles on every digest
costs what reading them costs on the embedded server, about a millisecond each
(90 days of a year of 100k articles: 25k documents, tens of seconds). A day that is
over no longer changes, so what it knew (newsmon.digest.build.known_of: places and
domains, no config in it) is kept in ``digest_days``, one document per
(date field, filters, day); each digest reads the window's days in one ``_id $in``
and scans only the days not kept yet.

A day is kept once it is over. An article stored later with that day's date (a
late find carrying an older published date, a spilled article written back) makes
the store forget the day (Store.insert_article), so it is read again next time.
Labels corrected later, or articles folded into others, can leave a place known
that no longer is: the only effect is that it is not called new. Drop the
collection to recompute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, replace

from newsmon.digest.build import known_of, merge_known
from newsmon.storage.indexes import DIGEST_DAYS
from newsmon.storage.mongo import Store, utcnow
from newsmon.storage.queries import ArticleFilter, find_articles
from newsmon.vocab import SHANGHAI

FIELDS = ("level", "organizations", "province", "source_level", "source_province", "domains")


def _signature(flt: ArticleFilter) -> str:
    """The filters the window was read with (dates aside), as a short stable key."""
    spec = {k: v for k, v in asdict(replace(flt, since=None, until=None, by="first_seen")).items() if v not in (None, [])}
    return hashlib.sha1(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), SHANGHAI)


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs: one query per run of days not kept yet."""
    out: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if out and day == out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def _read(store: Store, flt: ArticleFilter, by: str, lo: dt.datetime, hi: dt.datetime) -> dict[dt.date, list[dict]]:
    date_field = "published_at" if by == "published" else "first_seen"
    docs = find_articles(store, replace(flt, since=lo, until=hi, by=by),
                         projection={**{f: 1 for f in FIELDS}, date_field: 1, "_id": 0})
    per_day: dict[dt.date, list[dict]] = defaultdict(list)
    for doc in docs:
        when = doc.get(date_field)
        if isinstance(when, dt.datetime):
            per_day[when.astimezone(SHANGHAI).date()].append(doc)
    return per_day


def known_before(store: Store, flt: ArticleFilter, by: str, start: dt.datetime, lookback_days: int,
                 now: dt.datetime | None = None) -> dict:
    """known_of the articles matching ``flt`` before ``start``: the ``lookback_days`` whole days
    before the day of ``start``, and that day up to ``start``."""
    now = now or utcnow()
    today = start.astimezone(SHANGHAI).date()
    days = [today - dt.timedelta(days=i) for i in range(lookback_days, 0, -1)]
    sig = _signature(flt)
    key = {day: f"{by}|{sig}|{day.isoformat()}" for day in days}
    kept = {d["_id"]: d["known"] for d in store.db[DIGEST_DAYS].find({"_id": {"$in": list(key.values())}})} if days else {}
    parts = [kept[key[day]] for day in days if key[day] in kept]
    keep = []
    for first, last in _runs([day for day in days if key[day] not in kept]):
        per_day = _read(store, flt, by, _day_start(first), _day_start(last + dt.timedelta(days=1)))
        for i in range((last - first).days + 1):
            day = first + dt.timedelta(days=i)
            known = known_of(per_day.get(day, []))
            parts.append(known)
            if _day_start(day + dt.timedelta(days=1)) <= now:
                keep.append({"_id": key[day], "known": known, "at": now})
    if _day_start(today) < start:  # the part of the period's first day before it starts: never kept
        parts.append(known_of(_read(store, flt, by, _day_start(today), start).get(today, [])))
    if keep:
        from pymongo.errors import BulkWriteError

        try:
            store.db[DIGEST_DAYS].insert_many(keep, ordered=False)
        except BulkWriteError:
            pass  # another digest kept the same days first
    return merge_known(parts)
