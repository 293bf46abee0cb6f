"""Article listings for the console and for scripts: table, JSON lines, CSV, Markdown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from newsmon.cli.report import fmt_date, pad

FORMATS = ("table", "jsonl", "csv", "md")
COLUMNS = ["first_seen", "published_at", "source", "kind", "category", "level", "province", "city", "region",
           "relevance", "reprint_count", "title", "url"]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if type(value).__name__ == "ObjectId":  # the store's ids, printed as text
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def render(docs: list[dict], fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(_plain({**d, "_id": str(d.get("_id"))}), ensure_ascii=False) + "\n" for d in docs)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(COLUMNS)
        for d in docs:
            writer.writerow([_plain(d.get(c)) if d.get(c) is not None else "" for c in COLUMNS])
        return buf.getvalue()
    if fmt == "md":
        lines = ["| published | source | category | level | place | title |", "|---|---|---|---|---|---|"]
        for d in docs:
            place = "·".join(x for x in (d.get("province"), d.get("city")) if x)
            title = (d.get("title") or "").replace("|", "\\|")
            lines.append(f"| {fmt_date(d.get('published_at'))} | {d.get('source_title') or d.get('source', '')} | "
                         f"{d.get('category') or ''} | {d.get('level') or ''} | {place} | [{title}]({d.get('url')}) |")
        return "\n".join(lines) + "\n"
    if not docs:
        return "No articles match.\n"
    lines = [f"{pad('published', 17)} {pad('source', 12)} {pad('category', 12)} {pad('level', 11)} {pad('place', 10)} "
             f"{pad('title', 46)} url"]
    for d in docs:
        place = d.get("province") or ("中央" if d.get("level") == "central" else "")
        lines.append(f"{pad(fmt_date(d.get('published_at')), 17)} {pad(d.get('source_title') or d.get('source', ''), 12)} "
                     f"{pad(d.get('category') or '-', 12)} {pad(d.get('level') or '-', 11)} {pad(place or '-', 10)} "
                     f"{pad(d.get('title') or '', 46)} {d.get('url')}")
    return "\n".join(lines) + f"\n\n{len(docs)} article(s)\n"
