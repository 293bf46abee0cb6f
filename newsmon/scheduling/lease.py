"""Keep a lease alive while its crawl runs: a thread renews it every third of its TTL.

When a renewal finds the lease gone (it expired and another scheduler took it),
or the store has not confirmed a renewal for a whole TTL, the keeper cancels the
run: another process may now be crawling the same group, and two crawls of one
group must not overlap.
"""

from __future__ import annotations

import logging
import threading

from newsmon.runs.runner import Cancel
from newsmon.storage import StoreError
from newsmon.storage.leases import Leases

log = logging.getLogger(__name__)


class LeaseKeeper:
    """``step()`` is one renewal; the thread calls it every third of the TTL (tests call it directly)."""

    def __init__(self, leases: Leases, key: str, holder: str, ttl: float, cancel: Cancel):
        self.leases, self.key, self.holder, self.ttl, self.cancel = leases, key, holder, ttl, cancel
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease {key}", daemon=True)
        self.last_ok = leases.clock()

    def __enter__(self) -> "LeaseKeeper":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        interval = max(self.ttl / 3.0, 0.2)
        while not self._stop.wait(interval):
            if not self.step():
                return

    def step(self) -> bool:
        """Renew once; False (and the run cancelled) when the lease is lost."""
        try:
            if self.leases.renew(self.key, self.holder, self.ttl):
                self.last_ok = self.leases.clock()
                return True
            log.error("lease %s is no longer held by this process (it expired and was taken over); "
                      "stopping the crawl so two crawls of the group do not overlap", self.key)
            self.cancel.set("lease lost")
            return False
        except StoreError as exc:
            log.warning("could not renew lease %s: %s", self.key, exc)
            if self.leases.clock() - self.last_ok > self.ttl:
                log.error("lease %s not renewed for %.0fs (longer than its TTL); stopping the crawl", self.key, self.ttl)
                self.cancel.set("lease lost (store unreachable)")
                return False
            return True
