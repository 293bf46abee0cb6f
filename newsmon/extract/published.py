"""The publication date: the byline first, then labelled dates after the body, then metadata, then the URL.

A page's own visible date wins (with the precision it shows); meta tags,
JSON-LD, script variables (WeChat's ``var ct``) and the URL are fallbacks and
also the *hint* that decides a year-last date's day/month order and completes
a date shown without its year. Dates that belong to something else (another
article's "最新推荐文章于 …", a "…以前" boundary) never count.
"""

from __future__ import annotations

import json
import re

from newsmon.extract import dates
from newsmon.extract.dom import Node, Page, clean
from newsmon.extract.patterns import (
    OTHER_DATE_AFTER,
    OTHER_DATE_BEFORE,
    PARAGRAPH_LIKE,
    POSTED_AFTER,
    POSTED_BEFORE,
    RELATIVE_DATE,
)

_AROUND_SEP = re.compile(r"(?<=\d)\s*([/:：-])\s*(?=\d)")
_LD_DATE = re.compile(r'"(?:datePublished|pubDate)"\s*:\s*"([^"]+)"')
_DATE_ATTRS = ("datetime", "title", "data-time", "data-date", "data-datetime")
TAIL_BARE_NODES = 4    # text nodes right after the body where an unlabelled post date may stand
STATEMENT_MAX = 80     # a body line read as a post's own date line is at most this long


def _own(text: str, start: int, end: int) -> bool:
    """The date at text[start:end] is the page's own: not another article's, not a boundary."""
    return not (OTHER_DATE_BEFORE.search(text[max(0, start - 12):start]) or OTHER_DATE_AFTER.match(text[end:end + 8]))


def _node_text(n: Node) -> str:
    """A node's text; a relative date ("1 月前") is read from its element's title/datetime attribute."""
    if n.owner is not None and (n.owner.tag == "time" or RELATIVE_DATE.match(n.text)):
        for attr in _DATE_ATTRS:
            value = clean(n.owner.get(attr))
            if value and dates.parse_date(value):
                return value
    return n.text


def _joined(nodes: list[Node]) -> str:
    # "2019" "09" "/" "07" "19" ":" "02" in separate elements (qq.com) read as one date
    return _AROUND_SEP.sub(r"\1", dates.normalise(" ".join(_node_text(n) for n in nodes)))


def _dates_in(nodes: list[Node], hint, labelled_only: bool = False):
    text = _joined(nodes)
    year = hint.year if hint else None
    best = None
    for m in dates.LABELLED.finditer(text):
        rest = text[m.end():m.end() + 40]
        got, end = dates.parse_short(rest, year), m.end()
        if not got:
            at = dates.date_at(rest, hint)
            if at:
                end, got = m.end() + at[0], at[1]
        if not got or not _own(text, m.start(), end):
            continue
        if dates.PUBLISHED_LABEL.match(m.group(0)):
            return got   # 发布日期 / 发布时间 / 发稿时间: the publication date, whatever comes before it
        if best is None:
            best = (m.start(), got)
    first = None
    for start, end, got in dates.iter_spans(text, hint):
        if not _own(text, start, end):
            continue
        if _posted_statement(text, start, end):
            return got   # "于 2023-03-12 13:08:03 发布": the post's own statement, even after an "已于 … 修改"
        first = first or (start, got)
    if first and not labelled_only and (best is None or first[0] < best[0]):
        best = first
    return best[1] if best else None


def _posted_statement(text: str, start: int, end: int) -> bool:
    return bool(POSTED_BEFORE.search(text[max(0, start - 3):start]) and POSTED_AFTER.match(text[end:end + 45]))


def _posted(lines: list[str], hint):
    """A post's own date line inside the body: "发表于 <date>", "本贴由 X 于 <date> 在〖…〗发表" (blogs and
    forums print it under the post, before the comments; the first one in the body is the post's)."""
    for line in lines:
        if len(line) > STATEMENT_MAX or PARAGRAPH_LIKE.search(line):
            continue   # a sentence of the article, not a byline
        text = dates.normalise(line)
        for m in dates.LABELLED.finditer(text):
            if dates.PUBLISHED_LABEL.match(m.group(0)):
                at = dates.date_at(text[m.end():m.end() + 40], hint)
                if at:
                    return at[1]
        if "于" in text:
            for start, end, got in dates.iter_spans(text, hint):
                if _posted_statement(text, start, end):
                    return got
    return None


def _under_post(tail: list[Node], url_date, hint):
    """An unlabelled date right under the post ("2005-08-30 13:22 | 评论(0)"), when nothing else dates the
    page: from the first TAIL_BARE_NODES nodes only, and only on the URL's day when the URL has one."""
    got = _dates_in(tail[:TAIL_BARE_NODES], hint)
    if got and (url_date is None or got[0].date() == url_date[0].date()):
        return got
    return None


def _partial(nodes: list[Node], hint):
    """A byline date shown without its year ("02日14:25"), completed from the hint."""
    text = _joined([n for n in nodes if not PARAGRAPH_LIKE.search(n.text)])
    return dates.parse_partial(text, hint)


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


def find_date(page: Page, before, header, tail, url: str, body_end: list[str] = (), lines: list[str] = ()):
    """The article's own date; body_end are the last lines of the body (a 发布时间 line may close it),
    lines all of its lines (a forum post's "于 … 发表" statement may sit among them)."""
    meta = page.head.get("meta_date", "")
    meta_date = dates.parse_date(meta) if meta else None
    ld = jsonld(page)
    ld_date = dates.parse_date(ld["date"]) if ld.get("date") else None
    url_date = dates.date_from_url(url)
    hinted = meta_date or ld_date or url_date
    hint = hinted[0].date() if hinted else None
    found = (_dates_in(header, hint) or _partial(header, hint) or _dates_in(tail, hint, labelled_only=True)
             or _dates_in([Node(line, None, 0.0) for line in body_end], hint, labelled_only=True)
             or _posted(lines, hint)
             or meta_date or ld_date or _dates_in(before[::-1], hint) or _under_post(tail, url_date, hint))
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
