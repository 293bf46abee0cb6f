"""The headline: the heading element that agrees with <title> / og:title, else the line above the byline.

<title> carries site suffixes ("标题--时政--人民网", "标题_新华网") and og:title
is often the bare headline, so both are used only to recognise the real heading
on the page, whose text is what readers see.
"""

from __future__ import annotations

import re

from newsmon.extract import dates, xpaths
from newsmon.extract.dom import Page, clean, text_of
from newsmon.extract.patterns import CJK, CREDIT_LINE, SOURCE_LABEL, UI_TEXT

_SPLIT = re.compile(xpaths.TITLE_SPLIT)
_PAGE_SUFFIX = re.compile(xpaths.TITLE_PAGE_SUFFIX)
_HEADLINE_CLASS = re.compile(xpaths.HEADLINE_CLASS_PATTERN, re.I)
_PLAIN = re.compile(r"[\W_]+")   # compare headlines on letters and digits only (——/-/_, quotes, spaces vary)
MIN_LEN, MAX_LEN = 4, 150
MAX_CANDIDATES = 300
MIN_TEXT_NODE = 6     # a bare text line must be at least this long to count as the headline


def _in_list(page: Page, el) -> bool:
    """el is a link, a list item or page chrome (a menu entry that repeats the section name)."""
    i = page.index.get(el)
    if i is None or page.noisy[i]:
        return True
    for _ in range(3):
        if el is None:
            break
        if el.tag in ("a", "li", "option"):
            return True
        el = el.getparent()
    return False


def _plain(text: str) -> str:
    return _PLAIN.sub("", text)


def hints(page: Page) -> list[str]:
    """Headline texts the page declares: og:title & co, then <title> without its site suffix."""
    page_title = page.head.get("title", "")
    meta = page.head.get("meta_title", "")
    out = []
    for value in (meta, page_title):
        if not value:
            continue
        out.append(value)
        head = _PAGE_SUFFIX.sub("", _SPLIT.split(value)[0].strip())
        if head and head != value:
            out.append(head)
    return [h for h in dict.fromkeys(out) if len(h) >= 2]


def find(page: Page):
    """(title, (start, end) document positions of the headline text, or None): the byline follows end."""
    wanted = hints(page)
    plain_wanted = [(_plain(w), w) for w in wanted]
    best, best_score, best_text = None, 0.0, ""
    candidates = page.title_candidates[:MAX_CANDIDATES]
    for el in candidates:
        i = page.index.get(el)
        if i is None or not (MIN_LEN <= page.text_len[i] <= MAX_LEN):
            continue
        text = clean(text_of(el))
        if not (MIN_LEN <= len(text) <= MAX_LEN):
            continue
        plain = _plain(text)
        score, shown = 0.0, text
        for pw, w in plain_wanted:
            if not pw:
                continue
            if plain == pw:
                score, shown = 10.0, text
            elif plain.startswith(pw) and len(pw) >= MIN_LEN and len(pw) >= 0.5 * len(plain):
                # heading with extra furniture inside it ("标题播报文章"): keep the declared text
                if 9.0 > score:
                    score, shown = 9.0, w
            elif pw.startswith(plain) and len(plain) >= 0.6 * len(pw):
                score = max(score, 6.0 + 2.0 * len(plain) / len(pw))
            elif len(plain) >= 8 and plain in pw:
                score = max(score, 5.0 + len(plain) / len(pw))
        if not score:
            continue
        score += {"h1": 2.0, "h2": 1.0, "h3": 0.5}.get(el.tag, 0.0)
        if page.noisy[i]:
            score -= 3.0
        if el.tag == "a" or el.getparent() is not None and el.getparent().tag == "a":
            score -= 2.0
        if score > best_score:
            best, best_score, best_text = el, score, shown
    if best is not None and best_score >= 6.0:
        return best_text, _narrow(page, best, _plain(best_text))
    # No heading element agrees: a text node that equals a declared headline (a bare line, a <div>);
    # not a <title> that a wrapper (saved-page archives) put inside <body>.
    for pw, _ in plain_wanted:
        if len(pw) < MIN_TEXT_NODE:
            continue
        for node in page.nodes:
            if _plain(node.text) == pw and node.owner.tag != "title" and not _in_list(page, node.owner):
                return node.text, (node.pos, node.pos)
    if best is not None and best_score >= 5.0:
        return best_text, _narrow(page, best, _plain(best_text))
    return "", None


def first_heading(page: Page):
    """The first <h1> that is not a logo (a link) or a menu entry, else the first element classed as a
    headline, when <title> and og:title name no heading."""
    for headline in (lambda el: el.tag == "h1",
                     lambda el: bool(_HEADLINE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"))):
        for el in page.title_candidates:
            i = page.index[el]
            if (headline(el) and MIN_LEN <= page.text_len[i] <= MAX_LEN and not _in_list(page, el)
                    and page.link_len[i] * 2 < page.text_len[i]):   # a linked <h1> is the site logo
                text = clean(text_of(el))
                return text, _narrow(page, el, _plain(text))
    return "", None


def _narrow(page: Page, el, plain_title: str) -> tuple[float, float]:
    """Positions of the headline text inside el: a byline may share el's container."""
    start, end = page.span(el)
    seen = ""
    for node in page.nodes:
        if node.pos < start:
            continue
        if node.pos > end:
            break
        seen += _plain(node.text)
        if len(seen) >= len(plain_title):
            return start, node.pos
    return start, end


def above_byline(page: Page, until: float = float("inf")):
    """The line right above the first byline (a labelled date or 来源) when no heading matches <title>;
    until is where the body's prose starts: credits after it are no byline."""
    for i, node in enumerate(page.nodes):
        if node.pos > until:
            break
        if _in_list(page, node.owner):
            continue
        labelled = (dates.LABELLED.match(node.text) and dates.parse_date(node.text)) or SOURCE_LABEL.match(node.text)
        if not labelled:
            continue
        for prev in reversed(page.nodes[max(0, i - 3):i]):
            if UI_TEXT.search(prev.text) or CREDIT_LINE.search(prev.text):
                continue   # furniture and the other byline fields ("编辑： 金金") are not the headline
            if 5 <= len(prev.text) <= 80 and not dates.parse_date(prev.text) and CJK.search(prev.text):
                return prev.text, (prev.pos, prev.pos)
            break
        break
    return "", None


def fallback(page: Page) -> str:
    """og:title or <title> without the site name, when nothing on the page matches."""
    wanted = hints(page)
    meta = page.head.get("meta_title", "")
    if meta:
        return _SPLIT.split(meta)[0].strip() or meta
    return wanted[-1] if wanted else ""


