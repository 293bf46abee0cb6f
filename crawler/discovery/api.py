"""JSON list endpoints (the lists many media sites build in the browser).

A source names where the items are (``items: data.list``) and which fields hold
the link, title and date; JSONP wrappers are removed first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from string import Formatter
from typing import Any
from urllib.parse import urljoin

from crawler.discovery import Entry
from crawler.discovery.feeds import parse_date_any
from newsmon.extract.charset import decode

_JSONP = re.compile(r"^\s*[\w.$]+\s*\((.*)\)\s*;?\s*$", re.S)


def dig(data: Any, path: str | None) -> Any:
    """Follow a dot path (``data.list``, ``result.items.0.url``) through dicts and lists."""
    if not path:
        return data
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _date(value: Any) -> dt.datetime | None:
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
        number = float(value)
        if number > 1e11:  # milliseconds
            number /= 1000
        try:
            return dt.datetime.fromtimestamp(number, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_date_any(str(value)) if value else None


def _fill(template: str, item: dict) -> str | None:
    try:
        fields = {name: dig(item, name) for _, name, _, _ in Formatter().parse(template) if name}
    except ValueError:
        return None
    if any(v is None for v in fields.values()):
        return None
    out = template
    for name, value in fields.items():
        out = out.replace("{" + name + "}", str(value))
    return out


def load_json(body: bytes, header_charset: str | None = None):
    """JSON or JSONP from bytes; None when it is neither."""
    text, _ = decode(body, header_charset)
    m = _JSONP.match(text)
    try:
        return json.loads(m.group(1) if m else text)
    except ValueError:
        return None


def html_from_json(body: bytes, path: str, header_charset: str | None = None) -> str:
    """The HTML string a JSON response carries at `path` ("" when absent)."""
    value = dig(load_json(body, header_charset), path)
    return value if isinstance(value, str) else ""


def parse_api(body: bytes, base_url: str, options, header_charset: str | None = None) -> list[Entry]:
    """Entries of a JSON list; ``options`` is an api discovery entry (items, link or link_template, title, date)."""
    opt = options.opt if hasattr(options, "opt") else options.get
    items = dig(load_json(body, header_charset), opt("items"))
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = dig(item, opt("link")) if opt("link") else _fill(opt("link_template"), item)
        if not isinstance(link, str) or not link.strip():
            continue
        url = urljoin(base_url, link.strip())
        title = dig(item, opt("title") or "title")
        out.append(Entry(url, str(title).strip() if title else "", _date(dig(item, opt("date") or "date"))))
    return out
