"""Open the configured store: ``MONGO_URI`` if set, else the embedded server.

Opening also creates indexes and writes back whatever an earlier outage left in
the spill file, so "written on the next start" needs no separate step.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from newsmon.errors import StoreUnavailable
from newsmon.paths import data_dir
from newsmon.storage.embedded import EmbeddedServer, ServerInfo
from newsmon.storage.mongo import Store, redact
from newsmon.storage.spill import Spill

__all__ = ["open_store", "embedded_server", "spill_for", "Store", "Spill", "StoreUnavailable", "ServerInfo", "redact"]

log = logging.getLogger(__name__)
_cache: dict[tuple[str, str], Store] = {}
_lock = threading.Lock()


def embedded_server(settings) -> EmbeddedServer:
    return EmbeddedServer(data_dir(), settings.get("NEWSMON_EMBEDDED_HOST", "127.0.0.1"),
                          settings.getint("NEWSMON_EMBEDDED_PORT", 27117))


def spill_for(settings) -> Spill:
    path = settings.get("NEWSMON_SPILL_FILE") or data_dir() / "spill" / "articles.jsonl"
    return Spill(Path(path))


def resolve_uri(settings) -> str:
    uri = settings.get("MONGO_URI") or ""
    if uri:
        return uri
    info = embedded_server(settings).ensure_running()
    log.debug("using the embedded store at %s (data in %s)", info.uri, info.data_path)
    return info.uri


def open_store(settings, *, drain_spill: bool = True) -> Store:
    """A connected Store, shared per process for the same URI and database."""
    uri = resolve_uri(settings)
    db_name = settings.get("MONGO_DATABASE", "newsmon")
    key = (uri, db_name)
    with _lock:
        store = _cache.get(key)
        if store is None:
            store = Store.connect(uri, db_name, settings.getint("MONGO_TIMEOUT_MS", 5000))
            store.ensure_indexes()
            _cache[key] = store
    if drain_spill:
        spill = spill_for(settings)
        if spill.path.exists():
            written, left = spill.drain(store.write_spilled)
            if written or left:
                log.warning("wrote %d document(s) left in %s by an earlier outage; %d still waiting", written, spill.path, left)
        from newsmon.storage import reprints

        merged, waiting = reprints.apply_pending(store)  # reprints an outage kept from merging
        if merged or waiting:
            log.warning("merged %d reprint(s) queued by an earlier outage; %d still waiting", merged, waiting)
    return store


def forget_stores() -> None:
    """Close cached connections (tests, and after a fork)."""
    with _lock:
        for store in _cache.values():
            store.close()
        _cache.clear()
