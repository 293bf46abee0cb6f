"""Canonical article URLs: one spelling per article, so the store keys on it.

Drops what does not change the page (fragments, tracking parameters, default
ports, a trailing index.html) and normalises case where URLs are case-blind.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w+|spm|from|fromuid|frommodule|share(?:_\w+)?|shareid|sharesource|share_token|isappinstalled|"
    r"wxshare_count|scene|clicktime|enterid|srcid|subscene|sessionid|ref|refer|referer|sourcefrom|"
    r"cre|mod|loc|rfunc|doct|tj|wfr|vd_source|timestamp|_t|s_trans|s_channel|tt_from|chid)$",
    re.I,
)
DEFAULT_PORTS = {"http": 80, "https": 443}
INDEX_PAGE = re.compile(r"/index\.s?html?$", re.I)


def canonical_url(url: str) -> str:
    """The canonical form of an article URL (idempotent)."""
    url = (url or "").strip()
    if not url:
        return url
    parts = urlsplit(url)
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    path = INDEX_PAGE.sub("/", path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))
