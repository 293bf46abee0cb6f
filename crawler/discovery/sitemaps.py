"""XML sitemaps: url sets (with Google News extensions) and sitemap indexes."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from crawler.discovery import Entry
from crawler.discovery.feeds import _child_text, _local, parse_date_any, parse_xml


@dataclass(frozen=True)
class Sitemap:
    entries: list[Entry]          # article URLs (urlset)
    children: list[Entry]         # further sitemaps (sitemapindex), with lastmod as date


def parse_sitemap(body: bytes, header_charset: str | None = None) -> Sitemap:
    try:
        root = parse_xml(body, header_charset)
    except etree.XMLSyntaxError:
        return Sitemap([], [])
    if root is None:
        return Sitemap([], [])
    entries, children = [], []
    is_index = _local(root.tag) == "sitemapindex"
    for el in root:
        name = _local(el.tag)
        if name not in ("url", "sitemap"):
            continue
        loc = _child_text(el, "loc")
        if not loc.startswith(("http://", "https://")):
            continue
        title, date = "", None
        for child in el:
            if _local(child.tag) == "news":
                title = _child_text(child, "title")
                date = parse_date_any(_child_text(child, "publication_date"))
        date = date or parse_date_any(_child_text(el, "lastmod"))
        (children if is_index or name == "sitemap" else entries).append(Entry(loc, title, date))
    return Sitemap(entries, children)
