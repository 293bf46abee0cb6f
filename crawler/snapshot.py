"""A read-only HTTP cache storage over a folder of saved pages (offline mode).

Layout of the snapshot folder::

    manifest.json     {"<url>": {"file": "<path under the folder>", "status": 200,
                                 "headers": {"Content-Type": "..."}}, ...}
    <host>/<path>     the saved bytes, exactly as served

Responses carry the real URL, so spiders and pipelines cannot tell a replay
from the live site.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from newsmon import config
from newsmon.config.settings import PROJECT_ROOT

log = logging.getLogger(__name__)


def snapshot_dir(settings) -> Path:
    return Path(settings.get("NEWSMON_SNAPSHOT_DIR") or PROJECT_ROOT / "snapshot")


def snapshot_urls(settings) -> set[str]:
    """Every URL the offline snapshot can answer (exact and canonical spellings)."""
    try:
        entries = json.loads((snapshot_dir(settings) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    rules = config.url_rules(settings)
    return set(entries) | {rules.canonical(u) for u in entries}


class SnapshotStorage:
    def __init__(self, settings):
        self.root = Path(settings.get("HTTPCACHE_DIR"))
        self.urls = config.url_rules(settings)
        self.index: dict[str, dict] = {}

    def open_spider(self, spider):
        manifest = self.root / "manifest.json"
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))
        except FileNotFoundError:
            log.error("offline snapshot has no manifest at %s; nothing will be served", manifest)
            entries = {}
        self.index = {self.urls.canonical(url): meta for url, meta in entries.items()}
        self.index.update(entries)  # exact spellings win
        log.info("offline mode: serving %d saved pages from %s", len(entries), self.root)

    def close_spider(self, spider):
        pass

    def retrieve_response(self, spider, request):
        meta = self.index.get(request.url) or self.index.get(self.urls.canonical(request.url))
        if meta is None:
            return None
        body = (self.root / meta["file"]).read_bytes()
        headers = Headers(meta.get("headers") or {})
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=int(meta.get("status", 200)), headers=headers, body=body)

    def store_response(self, spider, request, response):
        pass  # the snapshot is read-only
