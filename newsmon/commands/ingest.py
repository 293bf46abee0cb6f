"""Add one article by hand: a saved page or a URL, through the full pipeline into the store.

The page is read (or fetched), its article extracted, and the item runs through
every stage of ITEM_PIPELINES in order (normalize, blockchain mention filter,
dedupe, ..., store), exactly as in a crawl. One line says what happened:

  stored ID URL "title"                       a new article
  merged into ID (URL) as a near duplicate    a reprint: recorded in that article's also_at
  already known: ...                          this URL is stored, or recorded as a reprint
  rejected: why                               the pipeline dropped it (e.g. no blockchain term)

Examples:
  newsmon ingest saved.html --url http://finance.people.com.cn/n1/2020/0321/c1004-31640000.html
  newsmon ingest https://www.gov.cn/zhengce/2024-05/20/content_6952000.htm --kind gov
  newsmon ingest saved.html --url URL --source people --json

A saved file without --url is stored under its rel=canonical (or og:url) link if
it has one, else under its file:// path. Exit status: 0 stored, merged or already
known; 1 rejected; 2 bad option or config; 3 store unreachable; 4 file or HTTP failure.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import sys
from pathlib import Path

from newsmon.errors import ConfigError, NewsmonError, UnknownSource
from newsmon.fetch import fetch_url, is_url, read_file

HELP = "add one saved page or URL by hand (stored / merged into ID / rejected: why)"
DEDUPE_STAGE = "pipelines.dedupe.DedupePipeline"
log = logging.getLogger(__name__)



def add_arguments(parser):
    parser.add_argument("target", metavar="FILE_OR_URL", help="a saved HTML page, or an http(s) URL to fetch")
    parser.add_argument("--url", help="the page's address (for a saved file: where it was saved from)")
    parser.add_argument("--source", metavar="NAME", help="the configured source (config/sources.yaml) it belongs to; "
                        "default: a 'manual' source")
    parser.add_argument("--kind", choices=["gov", "media"], help="gov or media (default: the source's kind, else media)")
    parser.add_argument("--charset", help="the page's charset, if known (as an HTTP header would say)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="for fetching a URL (default 30)")
    parser.add_argument("--json", action="store_true", help="print the outcome as one JSON object")


# --- reading the page -------------------------------------------------------------------------
def _fetch(url: str, settings, timeout: float) -> tuple[bytes, str, str | None]:
    """(body, final URL after redirects, charset from Content-Type)."""
    return fetch_url(url, timeout=timeout, max_bytes=settings.getint("DOWNLOAD_MAXSIZE", 16 * 1024 * 1024),
                     user_agent=settings.get("USER_AGENT") or "newsmon")


def _links(body: bytes) -> tuple[str | None, str | None]:
    """The page's rel=canonical href and og:url, as written."""
    try:
        import lxml.html

        tree = lxml.html.fromstring(body)
    except Exception:
        return None, None
    canonical = next((h.strip() for h in tree.xpath("//link[translate(@rel,'CANONICAL','canonical')='canonical']/@href")
                      if h.strip()), None)
    og = next((c.strip() for c in tree.xpath("//meta[@property='og:url']/@content") if c.strip()), None)
    return canonical, og


def read_page(target: str, url: str | None, settings, timeout: float) -> dict:
    """{body, url, fetched_url, charset, canonical_link, url_from} for a file or a URL."""
    from urllib.parse import urljoin

    if is_url(target):
        body, final, charset = _fetch(target, settings, timeout)
        canonical, _ = _links(body)
        return {"body": body, "url": url or final, "fetched_url": final, "charset": charset,
                "canonical_link": urljoin(final, canonical) if canonical else None, "url_from": "fetched"}
    path = Path(target).expanduser()
    body = read_file(target)
    canonical, og = _links(body)
    if url:
        return {"body": body, "url": url, "fetched_url": url, "charset": None,
                "canonical_link": urljoin(url, canonical) if canonical else None, "url_from": "--url"}
    for link, how in ((canonical, "rel=canonical"), (og, "og:url")):
        if link and link.startswith(("http://", "https://")):
            return {"body": body, "url": link, "fetched_url": link, "charset": None, "canonical_link": None, "url_from": how}
    uri = path.resolve().as_uri()
    return {"body": body, "url": uri, "fetched_url": uri, "charset": None, "canonical_link": None, "url_from": "file"}


def build_item(page: dict, source, kind: str | None, charset: str | None) -> dict:
    """The item a spider would have yielded for this page (crawler/spiders/configured.py parse_article)."""
    from crawler.extract import extract

    ex = extract(page["body"], page["fetched_url"], header_charset=charset or page.get("charset"),
                 selectors=(source.selectors if source else None) or None)
    return {
        "url": page["url"],
        "fetched_url": page["fetched_url"],
        "canonical_link": page.get("canonical_link"),
        "source": source.name if source else "manual",
        "source_title": source.title if source else "manual",
        "kind": kind or (source.kind if source else "media"),
        "source_level": source.level if source else None,
        "source_province": source.province if source else None,
        "discovered_via": "manual",
        "listed_title": "",
        "listed_date": None,
        "title": ex.title,
        "published_at": ex.published_at,
        "published_precision": ex.published_precision,
        "outlet": ex.source,
        "authors": ex.authors,
        "content": ex.content,
        "lang": ex.lang,
        "encoding": ex.encoding,
        "extract_reason": ex.reason,
    }


def find_source(name: str, settings):
    from crawler.sources import load_sources

    sources = load_sources(settings.get("NEWSMON_SOURCES_FILE", "sources.yaml"))
    for src in sources:
        if src.name == name:
            return src
    raise UnknownSource(f"unknown source {name!r}; configured: {', '.join(s.name for s in sources) or 'none'}")


# --- running the pipeline ---------------------------------------------------------------------------
def pipeline_paths(settings) -> list[str]:
    """ITEM_PIPELINES in order; the dedupe stage is added at 300 if the settings do not list it."""
    from scrapy.utils.conf import build_component_list

    pipes = dict(settings.getwithbase("ITEM_PIPELINES"))
    names = {p if isinstance(p, str) else f"{p.__module__}.{p.__qualname__}" for p in pipes}
    if DEDUPE_STAGE not in names:
        pipes[DEDUPE_STAGE] = 300
    return [p if isinstance(p, str) else f"{p.__module__}.{p.__qualname__}" for p in build_component_list(pipes)]


def _resolve(result):
    """A stage's result: a value, an awaitable, or an already fired Deferred."""
    if inspect.isawaitable(result) and not hasattr(result, "addCallbacks"):
        return asyncio.run(result) if inspect.iscoroutine(result) else asyncio.run(_await(result))
    if hasattr(result, "addCallbacks"):  # twisted Deferred
        box = {}
        result.addCallbacks(lambda v: box.setdefault("value", v), lambda f: box.setdefault("failure", f))
        if "failure" in box:
            box["failure"].raiseException()
        if "value" not in box:
            raise RuntimeError("a pipeline stage returned a Deferred that does not fire without a reactor")
        return box["value"]
    return result


async def _await(aw):
    return await aw


def _call(method, item):
    params = [p for p in inspect.signature(method).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return method(item, None) if len(params) >= 2 else method(item)


def _hook(stage, name: str) -> None:
    method = getattr(stage, name, None)
    if method is None:
        return
    params = [p for p in inspect.signature(method).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    _resolve(method(None) if params and params[0].default is inspect.Parameter.empty else method())


def run_pipeline(item: dict, settings) -> tuple[dict, str | None]:
    """Run every stage in order; (item, None), or (item, why) when a stage dropped it."""
    from scrapy.exceptions import DropItem
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.misc import load_object

    crawler = type("IngestCrawler", (), {"settings": settings, "spider": None})()
    stats = MemoryStatsCollector(crawler)
    crawler.stats = stats
    stages = []
    for path in pipeline_paths(settings):
        cls = load_object(path)
        stages.append(cls.build(settings, stats) if hasattr(cls, "build") else cls.from_crawler(crawler)
                      if hasattr(cls, "from_crawler") else cls())
    for stage in stages:
        _hook(stage, "open_spider")
    why = None
    try:
        for stage in stages:
            item = _resolve(_call(stage.process_item, item))
    except DropItem as exc:
        msg = str(exc)
        why = msg.split(": ", 1)[1] if msg.startswith("rejected ") and ": " in msg else msg
    finally:
        for stage in stages:
            _hook(stage, "close_spider")
    return item, why


# --- the command --------------------------------------------------------------------------------------
def outcome(item: dict, why: str | None, store) -> dict:
    """What happened, as a dict for --json and the one-line message."""
    out = {"url": item.get("url"), "fetched_url": item.get("fetched_url"), "title": item.get("title") or "",
           "source": item.get("source")}
    if why is not None:
        return {**out, "outcome": "rejected", "reason": why}
    result = item.get("store_outcome") or "stored"
    info = item.get("dedupe") or {}
    if item.get("duplicate_of"):
        target = item["duplicate_of"]
        out.update(id=target, duplicate_kind=item.get("duplicate_kind"), similarity=info.get("similarity"),
                   reason=info.get("reason"), canonical_url=info.get("canonical_url"))
        from newsmon.storage.reprints import as_oid

        try:
            doc = store.db.articles.find_one({"_id": as_oid(target)}, {"title": 1, "url": 1})
        except Exception:  # the store went away after the pipeline ran: report without the title
            doc = None
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
    from newsmon.settings import get_settings
    from newsmon.storage import open_store

    if not getattr(args, "verbose", False):  # one line on stdout is the answer; stage logs only with -v
        for name in ("pipelines", "newsmon.storage", "newsmon.keywords", "crawler"):
            logging.getLogger(name).setLevel(logging.WARNING)
    settings = get_settings()
    store = open_store(settings)  # a store that is down is one clear error, before any work
    source = find_source(args.source, settings) if args.source else None
    if args.url and not args.url.startswith(("http://", "https://")):
        raise ConfigError(f"--url must be an http:// or https:// URL, got {args.url!r}")
    page = read_page(args.target, args.url, settings, args.timeout)
    item = build_item(page, source, args.kind, args.charset)
    item, why = run_pipeline(item, settings)
    o = outcome(item, why, store)
    o["url_from"] = page["url_from"]
    if args.json:
        print(json.dumps(o, ensure_ascii=False, default=str))
    else:
        print(message(o))
        if page["url_from"] == "file" and o["outcome"] != "rejected":
            print(f"note: no --url and no rel=canonical in the page, so it is keyed by {page['url']}", file=sys.stderr)
    return 1 if o["outcome"] == "rejected" else 0
