"""Channel list pages and site-search result pages: article links, their titles and dates.

A list item usually reads ``<li><a href=…>标题</a><span>2026-11-20</span></li>``;
the date is taken from the smallest container around the link, so sidebars and
the page footer cannot lend their dates to an article.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from crawler.discovery import Entry
from newsmon.extract.charset import decode
from newsmon.extract.dates import date_from_url, parse_date

NEXT_TEXT = re.compile(r"^\s*(?:下一页|下页|后一页|next\s*(?:page)?|›|»|>)\s*$", re.I)
ARTICLE_HINT = re.compile(r"(?:/t\d{8}_\d+|content_\d+|/\d{4}[-/]?\d{2}[-/]?\d{2}/|/\d{6,}|\d{5,}\.s?html?$|/c\d+-\d+\.html)", re.I)
CONTAINERS = {"li", "tr", "dd", "dt", "p", "div", "article", "section", "h3", "h4", "td"}
_WS = re.compile(r"\s+")


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_PARSER = lxml.html.HTMLParser(huge_tree=True)  # deep nesting (templates of nested tables) must not cut the list
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)


def parse_html(body: bytes, header_charset: str | None = None):
    """Parse a list page. Records kept as CDATA (Hanweb/大汉 CMS lists in
    ``<script type="text/xml">``, and its ``dataproxy.jsp`` XML pages) are
    unwrapped into the document, so their links count like any other."""
    text, _ = decode(body, header_charset)
    if not text.strip():
        return None
    text = _XML_DECL.sub("", text, count=1)  # lxml refuses a str that still declares its encoding
    if "<![CDATA[" in text:
        records = [c for c in _CDATA.findall(text) if "<a" in c]
        if records:
            text = _CDATA.sub("", text)
            text = text.replace("</body>", "") + "<div class='cdata-records'>" + "".join(records) + "</div>"
    try:
        return lxml.html.document_fromstring(text.replace("\x00", ""), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def select(tree, expr: str) -> list:
    """CSS, or XPath when the expression starts with '/' or '('."""
    return tree.xpath(expr) if expr.lstrip().startswith(("/", "(")) else tree.cssselect(expr)


def _text(el) -> str:
    return _WS.sub(" ", el.text_content()).strip()


def _item_date(a):
    """Date printed next to the link, from the smallest container that holds one."""
    node = a.getparent()
    for _ in range(3):
        if node is None or node.tag in ("body", "html"):
            break
        if node.tag in CONTAINERS:
            text = _text(node)
            if len(text) > 400:
                break
            got = parse_date(text)
            if got:
                return got[0]
        node = node.getparent()
    return None


def parse_list(body: bytes, base_url: str, *, links: str | None = None, article_re: re.Pattern | None = None,
               header_charset: str | None = None) -> list[Entry]:
    """Article entries on a list or search-result page, in page order, without repeats."""
    tree = parse_html(body, header_charset)
    return entries_of(tree, base_url, links=links, article_re=article_re) if tree is not None else []


def entries_of(tree, base_url: str, *, links: str | None = None, article_re: re.Pattern | None = None,
               how: str = "") -> list[Entry]:
    """parse_list on a parsed page: the selector's links, else the pattern's, else links that look like articles."""
    anchors: list[tuple[str, object]] = []   # (href, <a> element or None)
    if links:
        for el in select(tree, links):
            if isinstance(el, str):
                anchors.append((el, None))
            elif el.tag == "a":
                anchors.append((el.get("href") or "", el))
            else:
                anchors.extend((a.get("href") or "", a) for a in el.iter("a"))
    else:
        anchors = [(a.get("href") or "", a) for a in tree.iter("a")]
    how = how or ("selector" if links else "pattern" if article_re is not None else "generic")
    out, seen = [], set()
    for href, a in anchors:
        href = href.strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if not url.startswith(("http://", "https://")) or url in seen:
            continue
        title = _text(a) if a is not None else ""
        if len(title) < 6 and a is not None and a.get("title"):
            title = a.get("title").strip()  # lists often cut the text and keep the full title here
        if a is not None and not title:
            continue  # an icon or "download" link beside the item's real title link
        if article_re is not None:
            if not article_re.search(url):
                continue
        elif not links and not (len(title) >= 6 and ARTICLE_HINT.search(url)):
            continue  # no pattern and no selector: keep links that look like articles
        seen.add(url)
        date = _item_date(a) if a is not None else None
        if date is None:
            got = date_from_url(url)
            date = got[0] if got else None
        out.append(Entry(url, title, date, how))
    return out


def has_links(tree) -> bool:
    """Does the page link anywhere at all (a page without links cannot have drifted)?"""
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith(("javascript:", "mailto:", "#")):
            return True
    return False


def next_page(body: bytes, base_url: str, *, selector: str | None = None, header_charset: str | None = None) -> str | None:
    """The next-page link: the configured selector, else a link reading 下一页 / next."""
    tree = parse_html(body, header_charset)
    if tree is None:
        return None
    if selector:
        found = select(tree, selector)
        for el in found:
            href = el if isinstance(el, str) else el.get("href")
            if href and not href.startswith("javascript:"):
                return urljoin(base_url, href.strip())
        return None
    for a in tree.iter("a"):
        if NEXT_TEXT.match(_text(a)) and a.get("href") and not a.get("href").startswith(("javascript:", "#")):
            url = urljoin(base_url, a.get("href").strip())
            if url != base_url:
                return url
    return None
