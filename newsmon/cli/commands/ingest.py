"""Add one article by hand: a saved page or a URL, through the full pipeline into the store.

The page is read (or fetched) and crawled as a one-page crawl: the same article
builder and the same item pipeline as every crawl (normalize, blockchain mention
filter, dedupe, segment, label, store). One line says what happened:

  stored ID URL "title"                       a new article
  merged into ID (URL) as a near duplicate    a reprint: recorded in that article's also_at
  already known: ...                          this URL is stored, or recorded as a reprint
  rejected: why                               the pipeline refused it (e.g. no blockchain term)

Examples:
  newsmon ingest saved.html --url http://finance.people.com.cn/n1/2020/0321/c1004-31640000.html
  newsmon ingest https://www.gov.cn/zhengce/2024-05/20/content_6952000.htm --kind gov
  newsmon ingest saved.html --url URL --source people --json

A saved file without --url is stored under its rel=canonical (or og:url) link if
it has one, else under its file:// path. A URL is fetched once, without robots.txt
or the crawl's address guard (you chose it), within --timeout in total.
Exit status: 0 stored, merged or already known; 1 rejected; 2 bad option or
config; 3 store unreachable; 4 file or HTTP failure.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from newsmon.errors import ConfigError, FetchError

HELP = "add one saved page or URL by hand (stored / merged into ID / rejected: why)"
log = logging.getLogger(__name__)


def add_arguments(parser):
    parser.add_argument("target", metavar="FILE_OR_URL", help="a saved HTML page, or an http(s) URL to fetch")
    parser.add_argument("--url", help="the page's address (for a saved file: where it was saved from)")
    parser.add_argument("--source", metavar="NAME", help="the configured source (config/sources.yaml) it belongs to; "
                        "default: a 'manual' source")
    parser.add_argument("--kind", choices=["gov", "media"], help="gov or media (default: the source's kind, else media)")
    parser.add_argument("--charset", help="the page's charset, if known (as an HTTP header would say)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="for fetching a URL: the whole download (default 30)")
    parser.add_argument("--json", action="store_true", help="print the outcome as one JSON object")


def _page(args) -> dict:
    from newsmon.cli.fetch import is_url, read_file

    if args.url and not args.url.startswith(("http://", "https://")):
        raise ConfigError(f"--url must be an http:// or https:// URL, got {args.url!r}")
    if is_url(args.target):
        return {"url": args.target, "as_url": args.url, "charset": args.charset, "body": None}
    body = read_file(args.target)
    return {"body": body, "url": args.url, "charset": args.charset,
            "fallback_url": Path(args.target).expanduser().resolve().as_uri()}


def ingest(settings, page: dict, source, kind: str | None, timeout: float) -> tuple[dict | None, str | None, str | None]:
    """Crawl one page; (final item, rejection reason, fetch failure)."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.ingest import IngestSpider
    from pipelines import Rejected

    settings = settings.copy()
    settings.set("DOWNLOAD_TIMEOUT", timeout, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # the CLI's own handler prints
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(IngestSpider)
    got: dict = {}

    def scraped(item, response, spider):
        got["item"] = dict(item)

    def dropped(item, response, exception, spider):
        got["item"] = dict(item)
        got["rejected"] = exception.reason if isinstance(exception, Rejected) else str(exception)

    def failed(item, response, spider, failure):
        got["item"] = dict(item)
        got["error"] = f"{failure.type.__name__}: {failure.value}"

    crawler.signals.connect(scraped, signal=signals.item_scraped)
    crawler.signals.connect(dropped, signal=signals.item_dropped)
    crawler.signals.connect(failed, signal=signals.item_error)
    process.crawl(crawler, page=page, source=source, kind=kind)
    process.start()
    if got.get("error"):
        raise FetchError(f"the pipeline failed on this page: {got['error']}")
    failure = getattr(crawler.spider, "failure", None)
    return got.get("item"), got.get("rejected"), failure


def outcome(item: dict, why: str | None, store) -> dict:
    """What happened, as a dict for --json and the one-line message."""
    out = {"url": item.get("url"), "fetched_url": item.get("fetched_url"), "title": item.get("title") or "",
           "source": item.get("source"), "url_from": item.get("url_from")}
    if why is not None:
        return {**out, "outcome": "rejected", "reason": why}
    result = item.get("store_outcome") or "stored"
    info = item.get("dedupe") or {}
    if item.get("duplicate_of"):
        target = item["duplicate_of"]
        out.update(id=target, duplicate_kind=item.get("duplicate_kind"), similarity=info.get("similarity"),
                   reason=info.get("reason"), canonical_url=info.get("canonical_url"))
        from newsmon.storage.reprints import article_summary

        doc = article_summary(store, target) if store is not None else None
        if doc:
            out.update(canonical_url=doc.get("url"), canonical_title=doc.get("title") or "")
        if item.get("reprint_count") is not None:
            out["reprint_count"] = item.get("reprint_count")
    else:
        out["id"] = item.get("article_id")
    if result == "known" and out.get("canonical_url") and out["canonical_url"] != out["url"]:
        result = "already"  # the URL is recorded as a reprint of another article
    out["outcome"] = result
    return out


def message(o: dict) -> str:
    kind = o["outcome"]
    title = f" \"{o['title'][:60]}\"" if o.get("title") else ""
    if kind == "rejected":
        return f"rejected: {o['reason']}"
    if kind == "stored":
        return f"stored {o['id']} {o['url']}{title}"
    canon = f"{o['id']} ({o.get('canonical_url') or '?'})"
    if kind == "merged":
        how = "an exact duplicate" if o.get("duplicate_kind") == "exact" else "a near duplicate"
        sim = f", {o['reason']}" if o.get("duplicate_kind") == "near" and o.get("reason") else ""
        return f"merged into {canon} as {how}{sim}; it now has {o.get('reprint_count', '?')} reprint(s)"
    if kind == "already":
        return f"already known: {o['url']} is recorded as a reprint of {canon}"
    if kind == "known":
        return f"already known: {o['url']} is stored as {o['id']}"
    if kind == "queued":
        return f"merged into {canon} (queued: that article is not in the store yet)"
    if kind == "spilled":
        return f"{'merge into ' + canon if o.get('duplicate_kind') else 'article'} spilled: the store went away; written on the next start"
    return f"{kind}: {o['url']}"


def run(args) -> int:
    from newsmon import config
    from newsmon.storage import gateway, open_store

    if not getattr(args, "verbose", False):  # one line on stdout is the answer; the crawl's log only with -v
        for handler in logging.getLogger().handlers:
            handler.setLevel(logging.WARNING)
    settings = config.get_settings()
    config.check_all(settings)
    open_store(settings)  # a store that is down is one clear error, before any work
    source = config.source(settings, args.source) if args.source else None
    page = _page(args)
    item, why, failure = ingest(settings, page, source, args.kind, args.timeout)
    if item is None:
        raise FetchError(f"could not fetch {args.target}: {failure or 'no answer'}")
    o = outcome(item, why, gateway(settings).store())
    if args.json:
        print(json.dumps(o, ensure_ascii=False, default=str))
    else:
        print(message(o))
        if o.get("url_from") == "file" and o["outcome"] != "rejected":
            print(f"note: no --url and no rel=canonical in the page, so it is keyed by {o['url']}", file=sys.stderr)
    return 1 if o["outcome"] == "rejected" else 0
