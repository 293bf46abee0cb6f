"""Counts of stored articles by source, category, province and day.

Examples:
  newsmon stats                       everything stored
  newsmon stats --days 7
  newsmon stats --since 2026-11-01 --by published --json
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from newsmon.cli import options
from newsmon.cli.filters import add_filter_arguments, filter_from_args
from newsmon.cli.report import pad
from newsmon.config import get_settings
from newsmon.storage import open_store
from newsmon.storage.queries import count_by
from newsmon.vocab import SHANGHAI

HELP = "counts by source, category, province and day"
KEYS = ("source", "category", "province", "kind", "level")
PARENTS = (options.JSON,)


def add_arguments(parser):
    add_filter_arguments(parser)


def run(args) -> int:
    settings = get_settings()
    store = open_store(settings)
    flt = filter_from_args(args, settings)
    date_field = "published_at" if flt.by == "published" else "first_seen"
    # one pass over the matching articles: the embedded server's cost is per document read, not per field
    counts = count_by(store, flt, *KEYS, date_field)
    days = Counter()
    for value, n in counts.pop(date_field):
        if isinstance(value, dt.datetime):
            days[value.astimezone(SHANGHAI).date().isoformat()] += n
    total = sum(n for _, n in counts["source"])
    if args.json:
        out = {k: {str(v): n for v, n in rows} for k, rows in counts.items()}
        out["day"] = dict(sorted(days.items()))
        out["total"] = total
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"{total} article(s)")
    for key in (*KEYS, "day"):
        rows = sorted(days.items(), reverse=True) if key == "day" else counts[key]
        print(f"\nby {key}{' (' + flt.by + ')' if key == 'day' else ''}:")
        for value, n in rows[:40]:
            print(f"  {pad(str(value) if value is not None else '(none)', 24)} {n:>6}")
    return 0
