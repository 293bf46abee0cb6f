"""``newsmon sources check``: does each source's discovery still work? (the crawl and the printing)."""

from __future__ import annotations

import datetime as dt
import json

from newsmon.cli.report import pad

NONE = "-"


def run_check(settings, sources, record: str | None = None) -> list[dict]:
    """Check every source in one Scrapy process (one crawler per source); one report per source."""
    from scrapy.crawler import CrawlerProcess

    from crawler.discovery.check import CHECK_SETTINGS, check_spider
    from crawler.discovery.verdict import source_verdict
    from newsmon import config

    settings = settings.copy()
    for name, value in CHECK_SETTINGS.items():
        if isinstance(value, dict) and value:  # switch components off, keep the others
            merged = dict(settings.getdict(name))
            merged.update(value)
            settings.set(name, merged, priority="cmdline")
        else:
            settings.set(name, value, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    if record and not settings.getbool("NEWSMON_OFFLINE"):
        settings.set("HTTPCACHE_ENABLED", True, priority="cmdline")
        settings.set("HTTPCACHE_DIR", str(record), priority="cmdline")
        settings.set("HTTPCACHE_STORAGE", "crawler.discovery.record.RecordingStorage", priority="cmdline")
        settings.set("HTTPCACHE_POLICY", "scrapy.extensions.httpcache.DummyPolicy", priority="cmdline")
    keywords = config.keywords(settings)
    process = CrawlerProcess(settings)
    crawlers = []
    for source in sources:
        crawler = process.create_crawler(check_spider(source))
        process.crawl(crawler, keywords=keywords)
        crawlers.append((source, crawler))
    process.start()
    reports = []
    for source, crawler in crawlers:
        spider = crawler.spider
        results = spider.results if spider is not None else []
        dates = [r["newest"] for r in results if r.get("newest")]
        reports.append({
            "name": source.name, "title": source.title,
            "verdict": source_verdict([r["verdict"] for r in results]),
            "links": sum(r.get("links", 0) for r in results),
            "newest": max(dates) if dates else None,
            "discoveries": results,
            "sample": spider.sample if spider is not None else None,
        })
    return reports


def _date(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    return NONE


def to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))


def sample_text(sample: dict | None) -> str:
    if not sample:
        return "no article to sample"
    if sample.get("error"):
        return f"sample {sample['url']}: {sample['error']}"
    terms = ",".join(sample.get("blockchain_terms") or []) or "no blockchain term"
    return (f"\"{sample['title'][:40]}\" {_date(sample.get('date'))}, {sample['body_chars']} chars, "
            f"{sample.get('outlet') or 'no outlet'}, {terms}")


def table(reports: list[dict]) -> str:
    lines = [f"{pad('source', 20)} {pad('verdict', 17)} {pad('discovery', 10)} {'status':>6} {'links':>5} "
             f"{pad('how', 8)} {pad('newest', 11)}  detail"]
    for r in reports:
        for i, d in enumerate(r["discoveries"] or [{}]):
            lines.append(
                f"{pad(r['name'] if i == 0 else '', 20)} {pad(r['verdict'] if i == 0 else '', 17)} "
                f"{pad(d.get('via', NONE), 10)} {str(d.get('status') or NONE):>6} {d.get('links', 0):>5} "
                f"{pad(d.get('how') or NONE, 8)} {pad(_date(d.get('newest')), 11)}  "
                f"{d.get('verdict', '')}{': ' + d['reason'] if d.get('reason') else ''} ({d.get('url', '')})")
        lines.append(f"{'':20} {'':17} sample: {sample_text(r.get('sample'))}")
    ok = sum(r["verdict"] == "ok" for r in reports)
    lines.append(f"\n{len(reports)} source(s) checked, {ok} ok")
    return "\n".join(lines)


def check_page(source, index: int, body: bytes, url: str, charset: str | None = None) -> dict:
    """The discovery parsing of one saved response, as if it came from `url` (fetches nothing)."""
    import re

    from crawler.discovery.entries import discover
    from crawler.discovery.verdict import page_verdict

    discovery = source.discovery[index]
    article_re = re.compile(source.article_pattern) if source.article_pattern else None
    found = discover(discovery, body, url, article_re=article_re, header_charset=charset)
    found.entries = [e for e in found.entries if e.how == "generic" or not article_re or article_re.search(e.url)]
    verdict, reason = page_verdict(200, body, found, charset, auto=discovery.via == "auto")
    return {"name": source.name, "discovery": index, "via": discovery.via, "url": url, "verdict": verdict,
            "reason": reason, "how": found.how, "sitemaps": [c.url for c in found.children],
            "links": [{"url": e.url, "title": e.title, "date": e.date, "how": e.how} for e in found.entries]}
