"""The outlet (来源): a labelled 来源 in the byline, a source-classed element, the name next to the date,
then 来源 lines after the body, then metadata."""

from __future__ import annotations

import re

from newsmon.extract import dates, xpaths
from newsmon.extract.dom import Node, Page, clean
from newsmon.extract.patterns import (
    BRACKETED,
    CJK,
    NAME_SLASH_OUTLET,
    NOT_OUTLET,
    SOURCE_JUNK,
    SOURCE_LABEL,
    SOURCE_STOP,
    TRAILING_PAREN,
    UI_TEXT,
)
from newsmon.extract.published import jsonld

_SOURCE_CLASS = re.compile(xpaths.SOURCE_CLASS_PATTERN, re.I)
_LEADING_BARS = re.compile(r"^[\s|｜]+")
_HAS_LETTER = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_LABEL_PREFIX = re.compile(r"^\D{0,8}[:：]\s*")
_CLOCK = re.compile(r"\d:\d\d")
_CLOCK_ONLY = re.compile(r"\d{1,2}:\d\d(?::\d\d)?")
_AFTER_CLOCK = re.compile(r"^.*?\d{1,2}:\d\d(?::\d\d)?\s*")
_PLACE_LABEL = re.compile(r"(?:发布于|来自)")
_META_LABEL = re.compile(r"^\s*(?:来源|稿源)\s*[:：]\s*")


def _outlet(value: str, title: str = "") -> str:
    value = TRAILING_PAREN.sub("", clean(value)).strip(" ：:|｜-—·")
    if not (2 <= len(value) <= 30) or SOURCE_JUNK.search(value) or value == title:
        return ""
    return value


def _labelled_source(nodes: list[Node]) -> str:
    text = " | ".join(n.text for n in nodes)
    for m in SOURCE_LABEL.finditer(text):
        rest = _LEADING_BARS.sub("", text[m.end():m.end() + 80])
        value = SOURCE_STOP.split(rest, maxsplit=1)[0]
        value = value.split(None, 1)[0] if value.strip() else ""
        got = _outlet(value)
        if got:
            return got
    return ""


def _outlet_like(text: str, title: str) -> bool:
    """Short, no sentence punctuation, not furniture, not a date: could be an outlet or account name."""
    return (2 <= len(text) <= 20 and not UI_TEXT.search(text) and not NOT_OUTLET.search(text) and text != title
            and not dates.parse_date(text) and bool(_HAS_LETTER.search(text)))


def _classed_source(page: Page, nodes: list[Node], title: str) -> str:
    for n in nodes:
        el = n.owner
        for _ in range(2):
            if el is None:
                break
            attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
            if len(attrs) > 1 and _SOURCE_CLASS.search(attrs) and _outlet_like(n.text, title):
                return _outlet(n.text, title)
            el = el.getparent()
    return ""


def _adjacent_source(nodes: list[Node], title: str) -> str:
    """An unlabelled outlet printed next to the byline date (新浪, 凤凰, 和讯, platform accounts)."""
    for i, n in enumerate(nodes):
        if not dates.parse_date(n.text) and not dates.SHORT_DATE_RE.match(_LABEL_PREFIX.sub("", n.text)):
            continue
        # the date may run over two nodes ("2019-09-05" "11:10")
        nxt = i + 1
        if nxt < len(nodes) and _CLOCK_ONLY.fullmatch(nodes[nxt].text):
            nxt += 1
        rest = _AFTER_CLOCK.sub("", n.text) if _CLOCK.search(n.text) else ""
        if rest and _outlet_like(rest, title):
            return _outlet(rest, title)
        for cand in nodes[nxt:nxt + 3]:
            if _outlet_like(cand.text, title):
                return _outlet(cand.text, title)
            if not UI_TEXT.search(cand.text) or _PLACE_LABEL.match(cand.text):
                break   # "发布于：" "北京市" is a place, not an outlet
        for cand in reversed(nodes[max(0, i - 3):i]):
            if _outlet_like(cand.text, title):
                return _outlet(cand.text, title)
            if not UI_TEXT.search(cand.text):
                break
        return ""
    return ""


def find_outlet(page: Page, before, header, tail, title: str, body_end: list[str] = ()) -> str:
    """The outlet: labelled 来源 in the byline, a source-classed element, the name next to the date,
    then 来源 lines after the body, then metadata."""
    for n in header:
        m = NAME_SLASH_OUTLET.match(n.text)
        if m and not UI_TEXT.search(m.group(1)):
            return m.group(2)
    got = (_labelled_source(header) or _classed_source(page, header, title) or _adjacent_source(header, title)
           or _labelled_source(before) or _labelled_source(tail)
           or _labelled_source([Node(m.group("body"), None, 0.0) for line in body_end for m in BRACKETED.finditer(line)]))
    if got:
        return got
    meta = page.head.get("meta_source", "")
    if meta:
        got = _outlet(_META_LABEL.sub("", meta))
        if got and CJK.search(got):
            return got
    return _outlet(jsonld(page).get("author", ""))
