"""Canonical article URLs: one spelling per article, so the store keys on it.

Drops what does not change the page (fragments, tracking parameters, default
ports, a trailing index.html), normalises case where URLs are case-blind and
percent-escapes, and maps a site's mobile host to its desktop host where the
site's pattern is known. Site knowledge (more tracking parameters, mobile hosts,
path rewrites, domains of one publisher) is data in ``config/url_rules.yaml``.

``canonical_url`` is idempotent: a canonical URL maps to itself.
``article_url`` also honours the page's ``<link rel="canonical">`` when it stays on
the page's own site.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w+|spm|from|fromuid|frommodule|share(?:_\w+)?|shareid|sharesource|share_token|isappinstalled|"
    r"wxshare_count|scene|clicktime|enterid|srcid|subscene|sessionid|ref|refer|referer|sourcefrom|"
    r"cre|mod|loc|rfunc|doct|tj|wfr|vd_source|timestamp|_t|s_trans|s_channel|tt_from|chid)$",
    re.I,
)
DEFAULT_PORTS = {"http": 80, "https": 443}
INDEX_PAGE = re.compile(r"/index\.s?html?$", re.I)
_PCT = re.compile(r"%([0-9a-fA-F]{2})")
_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "%:@!$&'()*+,;=-._~/?"

# Second-level labels under which a country code domain is sold (a short public suffix list).
_PUBLIC_SLD = {
    "cn": {"com", "net", "org", "gov", "edu", "ac", "mil", "ah", "bj", "cq", "fj", "gd", "gs", "gx", "gz", "ha", "hb",
           "he", "hi", "hk", "hl", "hn", "jl", "js", "jx", "ln", "mo", "nm", "nx", "qh", "sc", "sd", "sh", "sn", "sx",
           "tj", "tw", "xj", "xz", "yn", "zj"},
    "hk": {"com", "net", "org", "gov", "edu", "idv"},
    "tw": {"com", "net", "org", "gov", "edu", "idv"},
    "mo": {"com", "net", "org", "gov", "edu"},
    "uk": {"co", "org", "gov", "ac", "ltd", "plc", "me"},
    "jp": {"co", "or", "ne", "go", "ac", "ed"},
    "sg": {"com", "net", "org", "gov", "edu"},
    "au": {"com", "net", "org", "gov", "edu"},
}


@dataclass
class UrlRules:
    tracking: list[re.Pattern] = field(default_factory=list)
    mobile_hosts: dict[str, str] = field(default_factory=dict)
    rewrites: list[tuple[re.Pattern, str]] = field(default_factory=list)
    groups: dict[str, int] = field(default_factory=dict)  # registrable domain -> publisher group

    def is_tracking(self, name: str) -> bool:
        return bool(TRACKING_PARAMS.match(name)) or any(p.match(name) for p in self.tracking)

    def canonical(self, url: str) -> str:
        return canonical_url(url, self)

    def article_url(self, fetched_url: str, canonical_link: str | None = None) -> str:
        return article_url(fetched_url, canonical_link, self)

    def same_site(self, url_a: str, url_b: str) -> bool:
        return same_site(url_a, url_b, self)


def build_rules(tracking_params: list[str], mobile_hosts: dict[str, str], rewrites: list[tuple[str, str]],
                same_site: list[list[str]]) -> UrlRules:
    """Compile checked rule data (config/url_rules.yaml) into UrlRules."""
    rules = UrlRules()
    for name in tracking_params:
        body = re.escape(name[:-1]) + r".*" if name.endswith("*") else re.escape(name)
        rules.tracking.append(re.compile(rf"^{body}$", re.I))
    for mobile, desktop in mobile_hosts.items():
        rules.mobile_hosts[mobile.lower().rstrip(".")] = desktop.lower().rstrip(".")
    rules.rewrites.extend((re.compile(match), replace) for match, replace in rewrites)
    for n, group in enumerate(same_site):
        for domain in group:
            rules.groups[domain.lower()] = n
    return rules


BUILTIN = UrlRules()  # the built-in rules only (no site knowledge): for tests and tools without config


def _norm_escapes(text: str) -> str:
    """Upper-case percent escapes and decode those of unreserved characters (RFC 3986 6.2.2)."""
    def repl(m):
        ch = chr(int(m.group(1), 16))
        return ch if ch in _UNRESERVED else "%" + m.group(1).upper()
    return _PCT.sub(repl, text)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4: /a/./b/../c -> /a/c."""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        if seg == ".":
            if i == len(segments) - 1:
                out.append("")
        elif seg == "..":
            if len(out) > 1:
                out.pop()
            if i == len(segments) - 1:
                out.append("")
        else:
            out.append(seg)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


def _canonical_once(url: str, rules: UrlRules) -> str:
    parts = urlsplit(url)
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower().rstrip(".")
    host = rules.mobile_hosts.get(host, host)
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", _norm_escapes(quote(parts.path or "/", safe=_PATH_SAFE)))
    path = _remove_dot_segments(path)
    path = INDEX_PAGE.sub("/", path)
    # Query values keep their bytes (a GBK-encoded search term stays what it was): non-ASCII
    # characters are escaped as UTF-8, then escapes are decoded and re-encoded byte for byte.
    raw_query = quote(parts.query, safe=_QUERY_SAFE)
    query = [(k, v) for k, v in parse_qsl(raw_query, keep_blank_values=True, encoding="latin-1")
             if not rules.is_tracking(k)]
    query.sort()
    out = urlunsplit((scheme, netloc, path, urlencode(query, encoding="latin-1"), ""))
    for pattern, repl in rules.rewrites:
        new = pattern.sub(repl, out)
        if new != out:
            return new
    return out


def canonical_url(url: str, rules: UrlRules) -> str:
    """The canonical form of an article URL (idempotent)."""
    url = (url or "").strip()
    if not url:
        return url
    for _ in range(4):  # a rewrite's result is canonicalised again, until nothing changes
        new = _canonical_once(url, rules)
        if new == url:
            break
        url = new
    return url


def registrable_domain(host: str) -> str:
    """The part of a host name its owner registered: people.com.cn for finance.people.com.cn."""
    host = (host or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) <= 2:
        return host
    if labels[-2] in _PUBLIC_SLD.get(labels[-1], ()):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(url_a: str, url_b: str, rules: UrlRules) -> bool:
    """Both URLs on one site: same registrable domain, or domains of one publisher (url_rules.yaml same_site)."""
    a = registrable_domain(urlsplit(url_a).hostname or "")
    b = registrable_domain(urlsplit(url_b).hostname or "")
    if not a or not b:
        return False
    if a == b:
        return True
    ga, gb = rules.groups.get(a), rules.groups.get(b)
    return ga is not None and ga == gb


def article_url(fetched_url: str, canonical_link: str | None, rules: UrlRules) -> str:
    """The URL an article is stored under: the page's rel=canonical when it stays on the same site, else the fetched URL.

    A rel=canonical that points to the site's home page (a common template
    mistake) or leaves http(s) is ignored.
    """
    own = canonical_url(fetched_url, rules)
    if not canonical_link or not canonical_link.strip():
        return own
    link = canonical_url(urljoin(fetched_url or "", canonical_link.strip()), rules)
    parts, own_parts = urlsplit(link), urlsplit(own)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return own
    if parts.path in ("", "/") and not parts.query and own_parts.path not in ("", "/"):
        return own
    return link if same_site(own, link, rules) else own


# --- which addresses a crawl may reach ---------------------------------------------------------
# Ranges Python's is_global lets through although they lead elsewhere: IPv6 transition
# prefixes that embed (or translate to) an IPv4 address, possibly a private one.
_TRANSLATED = [ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32")]


def is_public_address(ip: str) -> bool:
    """True only for a globally routable unicast address.

    Refuses private, loopback, link-local, CGNAT (100.64.0.0/10, e.g. the cloud
    metadata address 100.100.100.200), benchmarking, reserved, multicast and
    unspecified ranges, IPv4-mapped IPv6 of any of those, and the transition
    prefixes (6to4, Teredo, NAT64) whose embedded address cannot be trusted.
    """
    try:
        addr = ipaddress.ip_address((ip or "").strip("[]"))
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return is_public_address(str(addr.ipv4_mapped))
        if any(addr in net for net in _TRANSLATED):
            return False
    return addr.is_global and not addr.is_multicast


def host_allowed(host: str, domains) -> bool:
    """The host is one of the domains or a subdomain of one (how allowed_domains reads)."""
    host = (host or "").lower().rstrip(".").strip("[]")
    return any(host == d or host.endswith("." + d) for d in (d.lower().strip("[]") for d in domains))
