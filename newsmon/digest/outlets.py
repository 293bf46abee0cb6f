"""How many outlets ran a story: the article and its reprints (``also_at``), counted by site.

Two pages of one site (人民网's finance and Shandong channels, a page and its mobile copy)
are one outlet, so "N 家媒体刊发" counts distinct sites, not URLs. A reprint's 来源 line
often names the story's origin (新华社) rather than the site that ran it, so the site
decides what is distinct and the 来源 line only names it. What a site is comes from the
caller (``site_of``: newsmon.urls' registrable domain and publisher groups in the CLI).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

_CHANNEL = re.compile(r"\s*[-－—_·|｜]\s*[^-－—_·|｜]*(?:频道|专题|栏目)$")


def host_of(url: str) -> str:
    """The fallback notion of a site: the URL's host without ``www.``."""
    host = (urlsplit(url or "").hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def outlet_name(name: str) -> str:
    """人民网-金融频道 → 人民网: a channel of an outlet is the outlet."""
    return _CHANNEL.sub("", (name or "").strip())


@dataclass
class Reach:
    outlets: int = 1                                   # distinct sites that ran it
    pages: int = 1                                     # URLs, the article's own included
    names: list[str] = field(default_factory=list)     # one per site, the article's own first


def reach(doc: dict, site_of: Callable[[str], str] = host_of) -> Reach:
    entries = [e for e in doc.get("also_at") or [] if isinstance(e, dict)]
    sites: dict[str, str] = {}
    own = doc.get("url") or ""
    sites[site_of(own) or own] = outlet_name(doc.get("source_title") or doc.get("outlet") or "") or site_of(own)
    for e in entries:
        url = e.get("url") or ""
        key = site_of(url) or url
        if key not in sites:
            sites[key] = outlet_name(e.get("outlet") or "") or key
    names: list[str] = []
    for key, name in sites.items():
        names.append(name if name not in names else key)
    return Reach(outlets=len(sites), pages=1 + len(entries), names=names)
