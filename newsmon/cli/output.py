"""Article listings for the console and for scripts: table, JSON lines, CSV, Markdown.

Every format has the same place column (浙江·杭州, 中央: newsmon.config.values.place_of).
CSV starts with a UTF-8 byte-order mark (so spreadsheet programs read the Chinese
right) and gives times in Asia/Shanghai, as the table does; JSON keeps ISO times
with their offset.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any, Callable

from newsmon.cli.report import fmt_date, pad
from newsmon.vocab import SHANGHAI

FORMATS = ("table", "jsonl", "csv", "md")
ALIASES = {"json": "jsonl"}  # --format json is --format jsonl (and --json)
COLUMNS = ["first_seen", "published_at", "source", "kind", "category", "level", "place", "province", "city", "region",
           "relevance", "reprint_count", "title", "url"]
BOM = "\ufeff"


def add_format_argument(parser, default: str = "table") -> None:
    parser.add_argument("--format", choices=[*FORMATS, *ALIASES], default=default,
                        help=f"default: {default}; jsonl is the same as --json")


def format_of(args) -> str:
    """The format asked for: --json wins, then --format (json = jsonl)."""
    if getattr(args, "json", False):
        return "jsonl"
    fmt = getattr(args, "format", None) or "table"
    return ALIASES.get(fmt, fmt)


def _plain(value: Any, tz=None) -> Any:
    if isinstance(value, dt.datetime):
        return (value.astimezone(tz) if tz else value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if type(value).__name__ == "ObjectId":  # the store's ids, printed as text
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v, tz) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, tz) for v in value]
    return value


def dumps(value: Any) -> str:
    """One JSON document (dataclasses as objects, times as ISO text), for a command's --json."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.dumps(_plain(value), ensure_ascii=False)


def _local(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(_plain(value))


def _default_place() -> Callable[[dict], str]:
    from newsmon.config import get_settings
    from newsmon.config.values import placer

    return placer(get_settings())


def render(docs: list[dict], fmt: str, place: Callable[[dict], str] | None = None) -> str:
    fmt = ALIASES.get(fmt, fmt)
    place = place or _default_place()
    if fmt == "jsonl":
        return "".join(json.dumps(_plain({**d, "_id": str(d.get("_id")), "place": place(d)}), ensure_ascii=False) + "\n"
                       for d in docs)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(COLUMNS)
        for d in docs:
            writer.writerow([place(d) if c == "place" else _local(d.get(c)) for c in COLUMNS])
        return BOM + buf.getvalue()
    if fmt == "md":
        lines = ["| published | source | category | level | place | title |", "|---|---|---|---|---|---|"]
        for d in docs:
            title = (d.get("title") or "").replace("|", "\\|")
            lines.append(f"| {fmt_date(d.get('published_at'))} | {d.get('source_title') or d.get('source', '')} | "
                         f"{d.get('category') or ''} | {d.get('level') or ''} | {place(d)} | [{title}]({d.get('url')}) |")
        return "\n".join(lines) + "\n"
    if not docs:
        return "No articles match.\n"
    lines = [f"{pad('published', 17)} {pad('source', 12)} {pad('category', 12)} {pad('level', 11)} {pad('place', 14)} "
             f"{pad('title', 46)} url"]
    for d in docs:
        lines.append(f"{pad(fmt_date(d.get('published_at')), 17)} {pad(d.get('source_title') or d.get('source', ''), 12)} "
                     f"{pad(d.get('category') or '-', 12)} {pad(d.get('level') or '-', 11)} {pad(place(d) or '-', 14)} "
                     f"{pad(d.get('title') or '', 46)} {d.get('url')}")
    return "\n".join(lines) + f"\n\n{len(docs)} article(s)\n"
