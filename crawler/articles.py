"""The one way an article item is made from a fetched page (crawls and ``newsmon ingest``).

The page's bytes are extracted once (title, date, outlet, authors, body, and its
rel=canonical link); what a listing said about the article fills what the page
does not (a date). Everything after this is a pipeline stage's job.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from crawler.items import ArticleItem
from newsmon.extract import extract
from newsmon.extract.model import Extraction

MANUAL = {"source": "manual", "source_title": "manual", "kind": "media", "source_level": None, "source_province": None}


def header_charset(headers) -> str | None:
    """The charset of a Content-Type header (Scrapy Headers or a plain mapping)."""
    raw = headers.get(b"Content-Type") if hasattr(headers, "getlist") else headers.get("Content-Type")
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1")
    m = re.search(r"charset=([\w\-]+)", raw or "", re.I)
    return m.group(1) if m else None


def selectors_of(source) -> dict | None:
    """The extraction selectors a configured source overrides (None: added by hand)."""
    return source.selectors.as_dict() if source else None


def build_article(body: bytes, url: str | None, *, source=None, charset: str | None = None, listed: dict | None = None,
                  fetched_url: str | None = None, kind: str | None = None, fallback_url: str = "",
                  extraction: Extraction | None = None) -> ArticleItem:
    """The item for one article page. ``source`` is a configured Source (None: added by hand).

    ``url`` None (a saved page given without its address): the page's own
    rel=canonical or og:url, else ``fallback_url``; ``url_from`` says which.
    ``extraction``: the page already extracted (in a worker process, newsmon/workers.py).
    """
    listed = listed or {}
    ex = extraction or extract(body, url or "", header_charset=charset, selectors=selectors_of(source))
    url_from = "fetched"
    if url is None:
        url, url_from = next(((link, how) for link, how in ((ex.canonical, "rel=canonical"), (ex.og_url, "og:url"))
                              if link and link.startswith(("http://", "https://"))), (fallback_url, "file"))
        fetched_url = url
    published_at, precision = ex.published_at, ex.published_precision
    if published_at is None and listed.get("date"):
        published_at, precision = listed["date"], "listed"
    meta = ({"source": source.name, "source_title": source.title, "kind": source.kind,
             "source_level": source.level, "source_province": source.province} if source else dict(MANUAL))
    if kind:
        meta["kind"] = kind
    return ArticleItem(
        url=url,
        fetched_url=fetched_url or url,
        canonical_link=urljoin(url, ex.canonical) if ex.canonical else None,
        **meta,
        discovered_via=listed.get("via", "manual"),
        listed_title=listed.get("title") or "",
        listed_date=listed.get("date"),
        title=ex.title or listed.get("title") or "",
        published_at=published_at,
        published_precision=precision,
        outlet=ex.outlet,
        authors=ex.authors,
        content=ex.content,
        lang=ex.lang,
        encoding=ex.encoding,
        extract_reason=ex.reason,
        url_from=url_from,
    )
