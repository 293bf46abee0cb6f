"""``newsmon sources add URL``: a proposed sources.yaml entry for a site, for a person to review.

The front page (fetched, or a saved file with --page) tells the site's title,
its declared feeds and its article links; online, robots.txt's ``Sitemap:``
lines and the common feed and sitemap addresses are tried too. Kind and level
are guessed from the host (gov.cn hosts are government; a host the configured
sources already use lends its level and province) and the page title
(…省人民政府, …市人民政府); ``article_pattern`` is generalised from the page's
article links (crawler.discovery.auto.infer_pattern).
"""

from __future__ import annotations

import re
import sys
import time
from urllib.parse import urljoin, urlsplit

import yaml

from newsmon import config
from newsmon.errors import ConfigError, FetchError

CENTRAL_TITLE = re.compile(r"(?:部|委员会|总局|总署|署|银行|法院|检察院|办公室|管理局|中国政府网)")


def _title(tree) -> str:
    node = tree.find(".//title") if tree is not None else None
    text = re.sub(r"\s+", " ", node.text_content()).strip() if node is not None else ""
    return re.split(r"\s*[-_|｜–—]\s*", text)[0] if text else ""


def guess_place(host: str, title: str, known) -> dict:
    """kind, level, province, city from the host and the page title (the configured sources lend theirs)."""
    if not (host == "gov.cn" or host.endswith(".gov.cn")):
        return {"kind": "media", "level": "central"}
    labels = host.split(".")[:-2]
    for source in known:
        if source.kind != "gov":
            continue
        for domain in source.allowed_domains:
            mark = domain.removeprefix("www.").removesuffix(".gov.cn")
            if mark and mark != "gov.cn" and (host == domain or mark in labels):
                out = {"kind": "gov", "level": source.level}
                if source.province:
                    out["province"] = source.province
                if source.city and source.level == "city":
                    out["city"] = source.city
                return out
    out = {"kind": "gov"}
    city = re.search(r"([\u4e00-\u9fff]{2,6}?)市(?:人民政府|政府)", title)
    province = re.search(r"([\u4e00-\u9fff]{2,8}?)(?:省|自治区)(?:人民政府|政府)", title)
    if city:
        out.update(level="city", city=city.group(1))
    elif province:
        out.update(level="provincial", province=province.group(1))
    elif host == "www.gov.cn" or CENTRAL_TITLE.search(title):
        out["level"] = "central"
    else:
        out["level"] = "city"
    return out


def name_for(host: str, kind: str) -> str:
    labels = [x for x in host.split(".") if x not in ("www", "gov", "cn", "com", "net", "org", "edu")] or ["site"]
    base = re.sub(r"[^a-z0-9_]", "_", labels[-1].lower()) or "site"
    return f"gov_{base}" if kind == "gov" else base


def propose(url: str, page: bytes, charset: str | None, probes: dict[str, tuple[int, bytes]], known,
            name: str | None = None) -> dict:
    """The proposed entry; ``probes``: URL -> (status, body) of robots.txt and the common paths tried."""
    from crawler.discovery.auto import alternate_feeds, infer_pattern, robots_sitemaps, sniff
    from crawler.discovery.generic import detect
    from crawler.discovery.listpages import parse_html

    host = (urlsplit(url).hostname or "").lower()
    tree = parse_html(page, charset)
    if tree is None:
        raise FetchError(f"{url}: the page is empty or not HTML")
    title = _title(tree)
    place = guess_place(host, title, known)
    discovery: list[dict] = []
    seen: set[str] = set()

    def add(via: str, target: str) -> None:
        if target not in seen:
            seen.add(target)
            discovery.append({via: target})

    for feed in alternate_feeds(tree, url):
        add("rss", feed)
    for probe, (status, body) in probes.items():
        if probe.endswith("/robots.txt") and status == 200:
            for sitemap in robots_sitemaps(body.decode("utf-8", "replace"), url):
                add("sitemap", sitemap)
        elif status == 200 and sniff(body):
            add(sniff(body), probe)
    links = [a.get("href") for a in tree.iter("a") if a.get("href")]
    absolute = [urljoin(url, h.strip()).split("#", 1)[0] for h in links]
    main = [e.url for e in detect(tree, url)]
    pattern = infer_pattern(main, host) or infer_pattern(absolute, host)
    if not discovery:
        add("list", url)  # read the page itself: the pattern (or the generic detector) picks the articles
    hosts = sorted({host, *(urlsplit(next(iter(d.values()))).hostname or host for d in discovery)})
    entry = {"name": name or name_for(host, place["kind"]), "title": title or host, **place,
             "allowed_domains": hosts}
    if pattern:
        entry["article_pattern"] = pattern
    entry["discovery"] = discovery
    entry["notes"] = (f"proposed by `newsmon sources add` on {time.strftime('%Y-%m-%d')} from {url}; "
                      "kind, level and article_pattern are guesses: review them, then run `newsmon sources check`")
    return entry


def run_add(args) -> int:
    from newsmon.cli.fetch import fetch_url, read_file

    if not args.url.startswith(("http://", "https://")):
        raise ConfigError(f"URL must start with http:// or https://, got {args.url!r}")
    settings = config.get_settings()
    known = config.sources(settings)
    probes: dict[str, tuple[int, bytes]] = {}
    from newsmon import __version__

    agent = f"newsmon/{__version__} (+{settings.get('NEWSMON_CONTACT_URL')})"  # as crawls introduce themselves
    if args.page:
        page, charset = read_file(args.page), None
    else:
        from crawler.discovery.auto import common_urls

        page, _, charset = fetch_url(args.url, timeout=args.timeout, user_agent=agent)
        root = f"{urlsplit(args.url).scheme}://{urlsplit(args.url).netloc}"
        for probe in [root + "/robots.txt", *common_urls(args.url)]:
            time.sleep(settings.getfloat("AUTOTHROTTLE_START_DELAY"))  # polite: one request at a time, spaced
            try:
                body, _, _ = fetch_url(probe, timeout=args.timeout, user_agent=agent)
                probes[probe] = (200, body)
            except FetchError as exc:
                print(f"  tried {probe}: {exc}", file=sys.stderr)
    entry = propose(args.url, page, charset, probes, known, name=args.name)
    print("# proposed entry for config/sources.yaml (under `sources:`); review before use")
    print(yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=120).rstrip())
    return 0
