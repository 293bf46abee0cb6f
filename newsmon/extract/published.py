"""The publication date: the byline first, then labelled dates after the body, then metadata, then the URL.

A page's own visible date wins (with the precision it shows); meta tags,
JSON-LD, script variables (WeChat's ``var ct``) and the URL are fallbacks.
"""

from __future__ import annotations

import json
import re

from newsmon.extract import dates
from newsmon.extract.dom import Node, Page, clean

_AROUND_SEP = re.compile(r"(?<=\d)\s*([/:：-])\s*(?=\d)")
_LD_DATE = re.compile(r'"(?:datePublished|pubDate)"\s*:\s*"([^"]+)"')


def _dates_in(nodes: list[Node], year: int | None, labelled_only: bool = False):
    # "2019" "09" "/" "07" "19" ":" "02" in separate elements (qq.com) read as one date
    text = _AROUND_SEP.sub(r"\1", " ".join(n.text for n in nodes))
    best = None
    for m in dates.LABELLED.finditer(text):
        rest = text[m.end():m.end() + 40]
        got = dates.parse_short(rest, year)
        if not got:
            lead = dates.DATE_RE.match(rest) or dates.YEAR_APART_RE.match(rest)
            got = dates.from_match(lead) if lead else None
        if got and dates.PUBLISHED_LABEL.match(m.group(0)):
            return got   # 发布日期 / 发布时间 / 发稿时间: the publication date, whatever comes before it
        if got and best is None:
            best = (m.start(), got)
    if not labelled_only:
        for start, got in dates.iter_dates(text):
            if best is None or start < best[0]:
                best = (start, got)
            break
    return best[1] if best else None


def jsonld(page: Page) -> dict:
    """datePublished and author name from JSON-LD blocks (broken JSON tolerated)."""
    out: dict = {}
    for raw in page.head.get("jsonld", []):
        try:
            data = json.loads(raw)
        except ValueError:
            m = _LD_DATE.search(raw)
            if m:
                out.setdefault("date", m.group(1))
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []:
            if not isinstance(item, dict):
                continue
            for key in ("datePublished", "pubDate", "dateCreated"):
                if item.get(key):
                    out.setdefault("date", str(item[key]))
            author = item.get("author")
            if isinstance(author, list) and author:
                author = author[0]
            if isinstance(author, dict) and author.get("name"):
                out.setdefault("author", clean(str(author["name"])))
    return out


def find_date(page: Page, before, header, tail, url: str, body_end: list[str] = ()):
    """The article's own date; body_end are the last lines of the body (a 发布时间 line may close it)."""
    meta = page.head.get("meta_date", "")
    meta_date = dates.parse_date(meta) if meta else None
    ld = jsonld(page)
    ld_date = dates.parse_date(ld["date"]) if ld.get("date") else None
    url_date = dates.date_from_url(url)
    hint = meta_date or ld_date or url_date
    year = hint[0].year if hint else None
    found = (_dates_in(header, year) or _dates_in(tail, year, labelled_only=True)
             or _dates_in([Node(line, None, 0.0) for line in body_end], year, labelled_only=True)
             or meta_date or ld_date or _dates_in(before[::-1], year))
    if found:
        return found
    scripts = page.head.get("scripts", "")
    m = dates.TIMESTAMP_RE.search(scripts)
    if m:
        found = dates.from_timestamp(int(m.group(1)))
    if not found:
        for m in dates.SCRIPT_DATE_RE.finditer(scripts):
            found = dates.parse_date(m.group(1))
            if found:
                break
    return found or url_date
