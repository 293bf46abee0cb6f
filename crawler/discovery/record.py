"""Record a crawl's responses as an offline snapshot (``newsmon sources check --record DIR``).

An HTTP cache storage that never answers from the cache and writes every
response it sees in the layout crawler/snapshot.py replays (``manifest.json``
plus the bytes under ``<host>/<path>``), so ``NEWSMON_OFFLINE=1
NEWSMON_SNAPSHOT_DIR=DIR`` serves the same answers later, without the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)
KEPT_HEADERS = ("Content-Type", "Content-Encoding", "Location", "Last-Modified", "ETag")


def file_for(url: str) -> str:
    """Where the bytes of `url` go under the snapshot folder (host, then the path; a query gets a hash)."""
    parts = urlsplit(url)
    host = (parts.hostname or "host") + (f"_{parts.port}" if parts.port else "")
    path = parts.path or "/"
    if path.endswith("/"):
        path += "index.html"
    safe = "/".join(seg for seg in path.split("/") if seg not in ("", ".", ".."))
    if parts.query:
        safe += "_" + hashlib.sha1(parts.query.encode()).hexdigest()[:10]
    return f"{host}/{safe or 'index.html'}"


class RecordingStorage:
    """HTTPCACHE_STORAGE: fetch everything, keep every response in snapshot format under HTTPCACHE_DIR."""

    def __init__(self, settings):
        self.root = Path(settings.get("HTTPCACHE_DIR"))
        self.entries: dict[str, dict] = {}

    def open_spider(self, spider):
        self.root.mkdir(parents=True, exist_ok=True)

    def close_spider(self, spider):
        manifest = self.root / "manifest.json"
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        entries.update(self.entries)  # several crawls (one per source) share one snapshot
        manifest.write_text(json.dumps(entries, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        log.info("recorded %d response(s) in %s", len(self.entries), self.root)

    def retrieve_response(self, spider, request):
        return None  # always fetch

    def store_response(self, spider, request, response):
        name = file_for(request.url)
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(response.body)
        headers = {}
        for key in KEPT_HEADERS:
            value = response.headers.get(key)
            if value is not None:
                headers[key] = value.decode("latin-1")
        self.entries[request.url] = {"file": name, "status": response.status, "headers": headers}
