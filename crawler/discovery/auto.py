"""Auto-discovery: where a site announces its articles, found from the site itself.

For ``discovery: auto`` sources, for a crawl whose every configured endpoint
failed, and for ``newsmon sources add``: the ``Sitemap:`` lines of robots.txt,
the ``<link rel="alternate">`` feeds of the front page, and the feed and
sitemap addresses sites commonly use. Also the article-URL shape of a site, as
a regex (``article_pattern``) generalised from its links. Pure: text in, URLs
and patterns out.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

from crawler.discovery.generic_patterns import ARTICLE_URL, NOT_ARTICLE_URL

# Addresses many sites serve feeds and sitemaps at (tried after the declared ones).
COMMON_PATHS = ("/rss.xml", "/feed", "/rss", "/feed.xml", "/atom.xml", "/index.xml", "/sitemap.xml",
                "/sitemap_index.xml", "/news_sitemap.xml", "/sitemap/sitemap.xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
              "text/xml", "application/xml")
_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt."""
    out = []
    for url in _SITEMAP_LINE.findall(text or ""):
        url = urljoin(base_url, url.strip())
        if url.startswith(("http://", "https://")) and url not in out:
            out.append(url)
    return out


def alternate_feeds(tree, base_url: str) -> list[str]:
    """Feeds a page declares with ``<link rel="alternate" type="application/rss+xml" href=…>``."""
    out = []
    if tree is None:
        return out
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = urljoin(base_url, href)
            if url.startswith(("http://", "https://")) and url not in out:
                out.append(url)
    return out


def sniff(body: bytes) -> str | None:
    """"rss" for a feed, "sitemap" for a sitemap or sitemap index, None for anything else."""
    head = body[:2048].lstrip().lower()
    if b"<html" in head[:600] or b"<!doctype html" in head[:100]:
        return None
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "rss"
    return None


def common_urls(base_url: str) -> list[str]:
    root = f"{urlsplit(base_url).scheme}://{urlsplit(base_url).netloc}"
    return [root + path for path in COMMON_PATHS]


def _segment(seg: str, same: bool) -> str:
    """One path segment as a regex: literal where every link agrees (digits never: dates and ids change),
    digits as \\d, the rest as [^/]+."""
    if same and not any(ch.isdigit() for ch in seg):
        return re.escape(seg)
    if seg.isdigit():
        return rf"\d{{{len(seg)}}}" if len(seg) in (4, 6, 8) else r"\d+"
    shape = re.sub(r"\d+", "#", seg)
    if "#" in shape and re.fullmatch(r"[A-Za-z_\-.#]+", shape):
        return "".join(r"\d+" if part == "#" else re.escape(part) for part in re.split(r"(#)", shape) if part)
    return r"[^/]+"


def infer_pattern(urls: list[str], host: str | None = None) -> str | None:
    """An ``article_pattern`` covering most article-like URLs of one host; None when there is no clear shape.

    URLs are grouped by host, number of path segments, extension and the digit
    shape of each segment; the largest group (at least 3 URLs) becomes the
    pattern: segments all its URLs share stay literal, the rest are generalised.
    """
    groups: dict[tuple, list[list[str]]] = {}
    for url in urls:
        parts = urlsplit(url)
        if host and parts.hostname != host:
            continue
        if not ARTICLE_URL.search(url) or NOT_ARTICLE_URL.search(url):
            continue
        segs = [s for s in parts.path.split("/") if s]
        if not segs:
            continue
        ext = segs[-1].rsplit(".", 1)[-1] if "." in segs[-1] else ""
        shape = tuple(re.sub(r"\d+", "#", s) if any(c.isdigit() for c in s) else "*" for s in segs)
        groups.setdefault((parts.hostname, len(segs), ext, shape), []).append(segs)
    if not groups:
        return None
    key, members = max(groups.items(), key=lambda kv: len(kv[1]))
    if len(members) < 3:
        return None
    hostname = key[0]
    out = []
    for i in range(key[1]):
        values = Counter(m[i] for m in members)
        out.append(_segment(members[0][i], len(values) == 1))
    return re.escape(hostname) + "/" + "/".join(out)
