"""The storage layer: the one package that knows MongoDB.

``gateway(settings)`` is the process's :class:`~newsmon.storage.gateway.StoreGateway`
(components inside a crawl); ``open_store(settings)`` is the store right now, or
one clear StoreUnavailable (commands). Without ``MONGO_URI`` both start (or reuse)
the embedded nx-27017 server whose data lives under the data directory.
Opening writes back whatever an earlier outage left in the spill file, so
"written on the next start" needs no separate step.
"""

from __future__ import annotations

import logging
import threading

from pymongo.errors import PyMongoError as StoreError

from newsmon.config.settings import data_dir
from newsmon.errors import StoreUnavailable
from newsmon.storage.embedded import EmbeddedServer, ServerInfo
from newsmon.storage.gateway import StoreGateway, spill_path
from newsmon.storage.mongo import Store, redact
from newsmon.storage.spill import Spill

# StoreError: what any call on the store may raise (the driver's base error); components catch this,
# so only this package imports the driver.
__all__ = ["gateway", "open_store", "embedded_server", "spill_for", "Store", "StoreError", "StoreGateway", "Spill",
           "StoreUnavailable", "ServerInfo", "redact", "forget_stores"]

log = logging.getLogger(__name__)
# The driver builds a debug record for every command whenever its loggers are left at NOTSET (Scrapy leaves
# them so): about 15% of a crawl's time, measured, for lines nobody reads. Its warnings still come through.
logging.getLogger("pymongo").setLevel(logging.INFO)
_gateways: dict[tuple, StoreGateway] = {}
_lock = threading.Lock()


def embedded_server(settings) -> EmbeddedServer:
    return EmbeddedServer(data_dir(settings), settings.get("NEWSMON_EMBEDDED_HOST"),
                          settings.getint("NEWSMON_EMBEDDED_PORT"))


def spill_for(settings) -> Spill:
    return Spill(spill_path(settings, data_dir(settings)))


def resolve_uri(settings) -> str:
    """MONGO_URI, or the embedded server's (started when it is not running)."""
    uri = settings.get("MONGO_URI") or ""
    if uri:
        return uri
    info = embedded_server(settings).ensure_running()
    log.debug("using the embedded store at %s (data in %s)", info.uri, info.data_path)
    return info.uri


def gateway(settings) -> StoreGateway:
    """The process's gateway for this store (one per MONGO_URI, database and data directory)."""
    key = (settings.get("MONGO_URI") or "", settings.get("MONGO_DATABASE"), str(data_dir(settings)),
           settings.get("NEWSMON_SPILL_FILE") or "")
    with _lock:
        gw = _gateways.get(key)
        if gw is None:
            def connect(timeout_ms: int) -> Store:
                store = Store.connect(resolve_uri(settings), settings.get("MONGO_DATABASE"), timeout_ms,
                                      selection_ms=settings.getint("NEWSMON_STORE_RETRY_TIMEOUT_MS"))
                store.ensure_indexes()
                return store

            gw = _gateways[key] = StoreGateway(settings, connect, spill_for(settings))
    return gw


def open_store(settings) -> Store:
    """The connected store (waiting up to MONGO_TIMEOUT_MS); StoreUnavailable with one clear sentence."""
    return gateway(settings).open()


def forget_stores() -> None:
    """Close connections and forget gateways (tests, and after a fork)."""
    from newsmon.storage import indexes

    with _lock:
        for gw in _gateways.values():
            store = gw.store() if gw._store is not None else None
            if store is not None:
                store.close()
        _gateways.clear()
    indexes.forget()
