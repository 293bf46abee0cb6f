"""The one way a process reaches the store, with one outage policy.

Every component that needs MongoDB inside a crawl (pipelines, the incremental
and conditional-GET middlewares, the run recorder) gets the process's gateway
(``StoreGateway.from_crawler``) and asks it for the store each time it needs it:

* ``gateway.store()`` returns the connected :class:`Store`, or ``None`` while the
  store is down. It never blocks the caller for a connect timeout: after a failure
  the store is left alone for a back-off period (1 s, doubling up to
  NEWSMON_STORE_BACKOFF_MAX), and the next attempt runs in a background thread.
* ``gateway.failed(exc)`` is how a component reports that a call on the store
  raised: the gateway drops the connection and starts backing off.
* meanwhile writes go to the spill file (``gateway.spill``); when the store is
  back, the spill is written and queued reprint merges applied, before anything
  else uses the new connection ("back off, spill, replay").

Commands that need the store right now (``newsmon query``) use
:func:`newsmon.storage.open_store`, which waits up to MONGO_TIMEOUT_MS and raises
StoreUnavailable with one clear sentence.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable

from pymongo.errors import PyMongoError

from newsmon.errors import StoreUnavailable
from newsmon.storage.mongo import Store
from newsmon.storage.spill import Spill

log = logging.getLogger(__name__)
FIRST_BACKOFF = 1.0


class StoreGateway:
    def __init__(self, settings, connect: Callable[[int], Store], spill: Spill):
        self.settings = settings
        self.spill = spill
        self._connect = connect
        self._store: Store | None = None
        self._down_until = 0.0
        self._backoff = FIRST_BACKOFF
        self._backoff_max = settings.getfloat("NEWSMON_STORE_BACKOFF_MAX")
        self._retry_ms = settings.getint("NEWSMON_STORE_RETRY_TIMEOUT_MS")
        self._probe: threading.Thread | None = None
        self._lock = threading.Lock()
        self.outages = 0
        self.down_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler) -> "StoreGateway":
        from newsmon.storage import gateway

        return gateway(crawler.settings)

    # --- the store, or None ------------------------------------------------------------------
    def open(self) -> Store:
        """Connect now (up to MONGO_TIMEOUT_MS), replaying the spill; StoreUnavailable if it is down."""
        with self._lock:
            if self._store is not None:
                return self._store
        store = self._connect(self.settings.getint("MONGO_TIMEOUT_MS"))
        self._connected(store)
        return store

    def store(self) -> Store | None:
        """The connected store, or None while it is down (never waits for a connect timeout)."""
        with self._lock:
            if self._store is not None:
                return self._store
            if time.monotonic() < self._down_until or (self._probe and self._probe.is_alive()):
                return None
            if self.down_since is None:  # never connected yet: the caller's first use waits once, briefly
                first = True
            else:
                first = False
                self._probe = threading.Thread(target=self._reconnect, name="store reconnect", daemon=True)
                self._probe.start()
        if first:
            try:
                self._connected(self._connect(self._retry_ms))
            except (StoreUnavailable, PyMongoError) as exc:
                self.failed(exc)
        with self._lock:
            return self._store

    @property
    def available(self) -> bool:
        return self.store() is not None

    def failed(self, exc: BaseException) -> None:
        """A call on the store raised: drop the connection and back off."""
        with self._lock:
            if self._store is not None or self.down_since is None:
                self.outages += 1
                self.down_since = time.monotonic()
                log.warning("store unavailable (%s); writing to %s until it is back", _short(exc), self.spill.path)
            self._store = None
            self._down_until = time.monotonic() + self._backoff
            self._backoff = min(self._backoff * 2, self._backoff_max)

    # --- reconnecting --------------------------------------------------------------------------------
    def _reconnect(self) -> None:
        try:
            store = self._connect(self._retry_ms)
        except (StoreUnavailable, PyMongoError) as exc:
            self.failed(exc)
            return
        self._connected(store)

    def _connected(self, store: Store) -> None:
        """Replay what an outage left (spill file, queued merges), then hand the store out."""
        replay(store, self.spill)
        with self._lock:
            was_down = self.down_since is not None and self._store is None and self.outages
            self._store, self._backoff, self._down_until = store, FIRST_BACKOFF, 0.0
            if was_down:
                log.warning("store is back after %.0fs", time.monotonic() - (self.down_since or time.monotonic()))
            self.down_since = None


def replay(store: Store, spill: Spill) -> None:
    """Write what the spill file holds and apply queued reprint merges (safe to run concurrently)."""
    from newsmon.storage import reprints

    if spill.path.exists():
        try:
            written, left = spill.drain(lambda collection, doc, op="insert": reprints.write_back(store, collection, doc, op))
        except PyMongoError as exc:
            log.warning("could not write back %s yet: %s", spill.path, _short(exc))
            return
        if written or left:
            log.warning("wrote %d document(s) left in %s by an earlier outage; %d still waiting", written, spill.path, left)
    try:
        merged, waiting = reprints.apply_pending(store)
    except PyMongoError as exc:
        log.warning("could not apply queued reprint merges yet: %s", _short(exc))
        return
    if merged or waiting:
        log.warning("merged %d reprint(s) queued by an earlier outage; %d still waiting", merged, waiting)


def _short(exc: BaseException) -> str:
    return str(exc).split(",")[0].split("(")[0].strip()[:200] or type(exc).__name__


def spill_path(settings, data_dir: Path) -> Path:
    return Path(settings.get("NEWSMON_SPILL_FILE") or data_dir / "spill" / "articles.jsonl")
