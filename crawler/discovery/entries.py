"""What one discovery page announces: the parsing a crawl, ``newsmon sources check`` and the benchmark share.

A list or search page is read with the source's configured selector; when the
selector (or, without one, the source's ``article_pattern``) finds nothing on a
page that has links, the site's template has probably changed, and the page is
read again with the pattern, then with the generic detector
(crawler/discovery/generic.py). Such a fallback is *drift*: the entries say how
they were found (``how``) and the result says that it drifted, so the crawl
counts it and the source's health shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.discovery import Entry
from crawler.discovery.api import html_from_json, parse_api
from crawler.discovery.feeds import parse_feed
from crawler.discovery.generic import detect
from crawler.discovery.listpages import entries_of, has_links, parse_html
from crawler.discovery.sitemaps import parse_sitemap


@dataclass
class Found:
    """A discovery page's entries, how they were found, and whether the configured way failed."""

    entries: list[Entry] = field(default_factory=list)
    how: str = ""            # "selector" | "pattern" | "generic" ("" when nothing was found)
    drifted: bool = False    # the configured selector or pattern found nothing, a fallback did
    children: list[Entry] = field(default_factory=list)   # further sitemaps of a sitemap index; an auto front page's feeds
    links: int = 0           # links on the page (list and search pages)


def list_entries(body: bytes, base_url: str, *, links: str | None, article_re: re.Pattern | None,
                 header_charset: str | None = None) -> Found:
    """A list or search page's entries: the configured way first, then the fallbacks."""
    tree = parse_html(body, header_charset)
    if tree is None:
        return Found()
    count = sum(1 for _ in tree.iter("a"))
    first = entries_of(tree, base_url, links=links, article_re=article_re)
    if first:
        return Found(first, first[0].how, links=count)
    configured = bool(links) or article_re is not None
    if not has_links(tree):
        return Found(links=count)
    if links and article_re is not None:
        got = entries_of(tree, base_url, links=None, article_re=article_re, how="pattern")
        if got:
            return Found(got, "pattern", drifted=True, links=count)
    got = detect(tree, base_url)
    return Found(got, "generic" if got else "", drifted=configured and bool(got), links=count)


def discover(discovery, body: bytes, url: str, *, article_re: re.Pattern | None = None,
             header_charset: str | None = None) -> Found:
    """Entries of one response of a configured discovery (rss, sitemap, list, search, api or auto)."""
    via = discovery.via
    if via == "rss":
        got = parse_feed(body, header_charset)
        return Found(got, "feed" if got else "")
    if via == "sitemap":
        sitemap = parse_sitemap(body, header_charset)
        return Found(sitemap.entries, "sitemap" if sitemap.entries else "", children=sitemap.children)
    if via == "auto":  # a front page: the feeds it declares, and its own main list
        from crawler.discovery.auto import alternate_feeds

        tree = parse_html(body, header_charset)
        feeds = [Entry(u, how="feed") for u in alternate_feeds(tree, url)] if tree is not None else []
        got = detect(tree, url) if tree is not None else []
        return Found(got, "auto" if got or feeds else "", children=feeds)
    if via == "api":
        got = parse_api(body, url, discovery, header_charset)
        return Found(got, "api" if got else "")
    charset = header_charset
    if discovery.opt("json_html"):  # the list's HTML arrives as a string inside JSON
        body = html_from_json(body, discovery.opt("json_html"), header_charset).encode("utf-8")
        charset = None
    return list_entries(body, url, links=discovery.opt("links"), article_re=article_re, header_charset=charset)
