"""Authors: 作者 / 记者 / 编辑 / 责任编辑 names from the byline, the dateline, credit lines and the text after the body.

Photographers (摄), proof-readers (校对), selectors (选稿) and outlets in a name
slot (作者：新京报) are not authors; editor codes (_NF4425, PK155) are cut.
"""

from __future__ import annotations

import re

from newsmon.extract.dom import Node, Page
from newsmon.extract.patterns import (
    BARE_ROLE,
    BRACKETED,
    CJK,
    DATELINE,
    EDITOR_CODE,
    LABELLED_ROLE,
    MAX_NAME,
    NAME_GAP,
    NAME_SLASH_OUTLET,
    NAME_TOKEN,
    NOT_A_NAME,
    NOT_AUTHOR_ROLE,
    PHOTO_AFTER,
    PHOTO_CREDIT,
    PURE_CODE,
    REPORTER,
    ROLE_WORD,
    SPACED_ROLE,
    TITLE_WORD,
    TRAILING_CODE,
    UI_TEXT,
)

_PADDED = re.compile(r" ([\u4e00-\u9fff])(?![\u4e00-\u9fff])")        # "方 敏": a two-character name padded with a space
_NOT_WRITER = re.compile(r"(?:摄影|图片|视频|图)\s*$")                   # "图/" "视频/" before a role label
_OPEN_BRACKET = re.compile(r"[（(【]\s*[\u4e00-\u9fff·]{0,10}$")        # "（新华社记者": a bracketed credit
_ENDS_WITH_LABEL = re.compile(r"[:：/丨|]\s*$")
_DATELINE_ROLE = re.compile(r"^[\u4e00-\u9fff·]{0,10}?(?:见习|特约)?(?:记者|通讯员)\s*")
_HAS_COLON = re.compile(r"[：:]")


def _names(text: str) -> list[str]:
    """Names at the start of text, up to the first word that is not a name."""
    out: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        gap = NAME_GAP.match(text, pos)
        start = gap.end()
        if out and start == pos:
            break
        m = NAME_TOKEN.match(text, start)
        if not m:
            break
        token = m.group(0)
        end = m.end()
        if CJK.match(token) and TITLE_WORD.search(token) and not out:
            pos = end   # "政能亮特约评论员 韩涵", "观察者网专栏作者 王文": a title before the name
            continue
        if CJK.match(token) and len(token) > MAX_NAME and "·" not in token and "•" not in token:
            break  # a run of prose, not a name
        # "方 敏": a two-character name padded with a space
        if len(token) == 1 and CJK.match(token):
            pad = _PADDED.match(text, end)
            if not pad:
                break
            token, end = token + pad.group(1), pad.end()
        token = EDITOR_CODE.sub("", token).strip()
        if PHOTO_AFTER.match(text, end):
            return []  # a photo credit
        if ROLE_WORD.match(token) or NOT_AUTHOR_ROLE.search(token) or UI_TEXT.search(token):
            break
        if PURE_CODE.match(token) or NOT_A_NAME.search(token):
            if CJK.match(token):
                break
            pos = end
            continue
        if len(token) >= 2:
            out.append(token)
        pos = end
        code = TRAILING_CODE.match(text, pos)
        if code:
            pos = code.end()
    return out


def _credits(text: str, short: bool) -> list[str]:
    """Names after role labels in one line of byline or credits."""
    names: list[str] = []
    for m in LABELLED_ROLE.finditer(text):
        if _NOT_WRITER.search(text, 0, m.start()):
            continue
        names += _names(text[m.end():])
    if short:
        for m in SPACED_ROLE.finditer(text):
            names += _names(text[m.end():])
    if PHOTO_CREDIT.search(text):
        return names   # "▲广州日报全媒体图片记者黎旭阳、李妍摄": photographers are not authors
    for m in REPORTER.finditer(text):
        head = text[max(0, m.start() - 12):m.start()]
        if short or _OPEN_BRACKET.search(head):
            names += _names(text[m.end():])
    return names




def _node_lines(nodes: list[Node]) -> list[str]:
    """One line per text node, links left out (related-article titles); a node that ends with a
    role label ("责任编辑：", "| 作者") takes the next node's text, which holds the name."""
    lines = []
    for i, n in enumerate(nodes):
        if n.owner is not None and n.owner.tag == "a":
            continue
        text = n.text
        if (_ENDS_WITH_LABEL.search(text) or BARE_ROLE.search(text)) and i + 1 < len(nodes):
            text += "：" + nodes[i + 1].text if BARE_ROLE.search(text) else " " + nodes[i + 1].text
        lines.append(text)
    return lines


def _chrome_in_body(page: Page, body_el) -> list[Node]:
    """Text inside the body element that the body text leaves out as chrome (an editor line in a share bar)."""
    if body_el is None or body_el not in page.index:
        return []
    start, end = page.span(body_el)
    return [n for n in page.nodes if start <= n.pos <= end and page.noisy[page.index.get(n.owner, 0)]][-20:]


def find_authors(page: Page, header, tail, body_lines: list[str], body_el=None) -> list[str]:
    """作者 / 记者 / 编辑 / 责任编辑 names from the byline, the dateline, credit lines and the lines after the body."""
    names: list[str] = []
    header_texts = {n.text for n in header}
    for line in _node_lines(header):
        names += _credits(line, short=len(line) <= 40)
    for n in header:
        m = NAME_SLASH_OUTLET.match(n.text)
        if m and not UI_TEXT.search(m.group(1)):
            names.append(m.group(1))
    meta_author = page.head.get("meta_author", "")
    if meta_author and meta_author in header_texts:
        names += _names(meta_author)
    dateline_done = False
    for line in body_lines[:3]:
        m = DATELINE.search(line[:80])
        if m and not dateline_done:
            dateline_done = True
            inner = _DATELINE_ROLE.sub("", m.group("body"))
            if not _HAS_COLON.search(inner):
                names += _names(inner)
        lead = BRACKETED.match(line)
        if lead:
            names += _credits(lead.group("body"), short=True)
        if len(line) <= 40:
            names += _credits(line, short=True)
    for line in body_lines[3:-4]:
        if len(line) <= 40:
            names += _credits(line, short=len(line) <= 20)   # "《棱镜》作者 周纯" on a line of its own
    for line in body_lines[-4:]:
        if len(line) <= 60:
            names += _credits(line, short=True)
        for m in BRACKETED.finditer(line[-60:]):
            names += _credits(m.group("body"), short=True)
    for line in _node_lines(tail):
        names += _credits(line, short=len(line) <= 40)
    for line in _node_lines(_chrome_in_body(page, body_el)):
        if len(line) <= 40:
            names += _credits(line, short=False)
    seen: dict[str, None] = {}
    for name in names:
        name = name.replace(" ", "") if CJK.match(name) else name
        if name and name not in seen:
            seen[name] = None
    return list(seen)
