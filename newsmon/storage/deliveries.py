"""What each (watch, channel) was told, and the outbox of events: the store side of ``newsmon notify``.

Collections (indexes in indexes.py):
  deliveries        one document per (watch, channel), ``_id`` "<watch>/<channel>": the events it
                    was sent, the message in flight, the last outcome
  notify_events     the outbox: one document per event, ``_id`` its key, so an event exists once
  consumer_cursors  articles: a (watch, channel) reads new articles as the consumer
                    "notify:<watch>/<channel>" with `newsmon new`'s cursor (queries.new_for_consumer)

Never twice. The cursor moves, and events count as sent, only after the channel took
the message. While a message is out its document says so (``inflight``, phase
``sending`` during a try, ``waiting`` between tries), under a lease per (watch,
channel) (leases.py) so two notifies never send one message at once. A notify that
died during a try leaves nobody knowing whether the message arrived: the next one
counts it as sent rather than risk a second copy, and says so; one that died between
tries had not sent it, and it goes out again.

Times are epoch milliseconds: the embedded server stores a ``$set`` datetime as text.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable

from pymongo.errors import DuplicateKeyError

from newsmon.config.schemas.watches import EVENT_KINDS
from newsmon.storage.indexes import ARTICLES, DELIVERIES, EVENTS, LEASES
from newsmon.storage.leases import Acquired, Leases, new_holder
from newsmon.storage.mongo import Store
from newsmon.storage.queries import LIST_PROJECTION, ArticleFilter, new_for_consumer, save_cursor
from newsmon.storage.runs import RunLog

CONSUMER_PREFIX = "notify:"
LEASE_PREFIX = "notify:"
EVENT_KEEP_DAYS = 30
FAILED_RUN = ("failed", "timeout")
_CHUNK = 500


def now_ms() -> int:
    return int(time.time() * 1000)


def epoch_ms(value: Any) -> int | None:
    """A stored time (datetime, or the text the embedded server made of a $set datetime) in epoch ms."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return int((value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).timestamp() * 1000)
    return None


# --- events ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Event:
    """Something to tell the watches that asked for its kind, once: ``key`` identifies it."""

    kind: str            # one of EVENT_KINDS
    key: str             # the same key is recorded, and told, once
    subject: str         # one line
    text: str = ""       # detail
    url: str = ""
    at_ms: int = 0       # when it happened

    def __post_init__(self):
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}; known: {', '.join(EVENT_KINDS)}")


def record_event(store: Store, event: Event) -> bool:
    """Put an event in the outbox (stamped now if it has no time); False when its key is there already."""
    doc = asdict(event)
    doc["at_ms"] = doc["at_ms"] or now_ms()
    try:
        store.db[EVENTS].insert_one({"_id": event.key, **doc})
        return True
    except DuplicateKeyError:
        return False


def outbox(store: Store, since_ms: int) -> list[Event]:
    """Events of the outbox from ``since_ms`` on, oldest first."""
    docs = store.db[EVENTS].find({"at_ms": {"$gte": int(since_ms)}}).sort([("at_ms", 1), ("_id", 1)])
    return [Event(d["kind"], d["key"], d["subject"], d.get("text", ""), d.get("url", ""), d["at_ms"]) for d in docs]


def prune_outbox(store: Store, now: int | None = None) -> None:
    cutoff = (now or now_ms()) - EVENT_KEEP_DAYS * 86_400_000
    store.db[EVENTS].delete_many({"at_ms": {"$lt": cutoff}})


def observed_events(store: Store, since_ms: int) -> list[Event]:
    """Failed or timed-out runs, flagged and drifting sources, as crawl_runs and source_health show them now.

    A flag is one event per episode: its key counts the source's runs up to the first
    bad run of the streak, so it stays the same while the streak lasts and a later
    streak is a new event.
    """
    events = []
    for run in RunLog(store).recent(200):
        if run.get("status") not in FAILED_RUN:
            continue
        at = epoch_ms(run.get("finished_at")) or epoch_ms(run.get("started_at")) or 0
        if at < since_ms:
            continue
        what = f"run {run['_id']}" + (f" of group {run['group']}" if run.get("group") else "")
        verb = "timed out" if run["status"] == "timeout" else "failed"
        reason = run.get("reason") if run.get("reason") != verb else ""
        sources = ", ".join(run.get("planned") or sorted(run.get("sources") or {}))
        events.append(Event("run_failed", f"run_failed:{run['_id']}", f"{what} {verb}" + (f": {reason}" if reason else ""),
                            f"trigger {run.get('trigger', '?')}; sources: {sources or '-'}", "", at))
    for name, health in sorted(store.health().items()):
        if health.get("flagged") != "yes":
            continue
        reason = health.get("flag_reason") or "flagged"
        streak = health.get("empty_streak" if reason == "nothing found" else "unreachable_streak") or 0
        first_bad = int(health.get("runs") or 0) - int(streak) + 1
        at = epoch_ms(health.get("last_at")) or 0
        if at < since_ms:
            continue
        events.append(Event("source_flagged", f"source_flagged:{name}:{reason}:{first_bad}",
                            f"source {name} flagged: {reason} {streak} runs in a row",
                            f"last run {health.get('last_run', '?')}, status {health.get('last_status', '?')}", "", at))
    for name, health in sorted(store.health().items()):
        # the crawl records a drift's event as it begins; this finds one whose recording was missed
        if health.get("drifted") == "yes" and (epoch_ms(health.get("last_at")) or 0) >= since_ms:
            events.append(drift_event(name, health))
    return events


def drift_event(name: str, health: dict) -> Event:
    """The source_drifted event of a source's current drift (health as record_health returns it).

    One event per episode, as for flags: the key counts the source's runs up to the
    run the drift began, so the runs a drift lasts tell it once and a later drift is
    a new event.
    """
    first = int(health.get("runs") or 0) - int(health.get("drift_streak") or 1) + 1
    drift = health.get("drift") or {}
    where = ", ".join("every configured endpoint (auto-discovery took over)" if kind == "auto" else f"{n} {kind} page(s)"
                      for kind, n in sorted(drift.items())) or "its pages"
    links = (health.get("last_counts") or {}).get("drift_links") or {}
    found = ", ".join(f"{n} by {how}" for how, n in sorted(links.items()))
    return Event("source_drifted", f"source_drifted:{name}:{first}",
                 f"source {name} drifted: its configured discovery found nothing on {where}",
                 (f"the fallback found {found} link(s); " if found else "")
                 + f"update its selector or article_pattern (run {health.get('last_run', '?')})",
                 "", epoch_ms(health.get("drifted_at")) or 0)


# --- per (watch, channel) ---------------------------------------------------------------------
_sending: set[str] = set()     # lease holders of this process whose notify is still sending


def _left_by_us(holder: str) -> bool:
    return holder.startswith(f"{socket.gethostname()}:{os.getpid()}:") and holder not in _sending


def state_key(watch: str, channel: str) -> str:
    return f"{watch}/{channel}"


class Deliveries:
    """Delivery state of every (watch, channel); ``clock`` (epoch seconds) is injectable for tests."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time):
        self.store = store
        self.coll = store.db[DELIVERIES]
        self.leases = Leases(store, clock)
        self.clock = clock

    # --- the lease ---------------------------------------------------------------------------
    def claim(self, key: str, ttl: float) -> tuple[str | None, dict | None]:
        """(our holder id, None), or (None, the lease of the notify that is sending to this channel now).

        A lease this very process left behind (the store went away before it was
        released) is taken over at once: its notify is over, and a long-lived
        scheduler need not wait for it to run out.
        """
        holder, name = new_holder(), LEASE_PREFIX + key
        got = self.leases.acquire(name, holder, ttl)
        current = got.current or {}
        if not got.ok and _left_by_us(current.get("holder") or ""):
            now = self.clock()
            taken = self.store.db[LEASES].update_one({"_id": name, "holder": current["holder"]}, {"$set": {
                "holder": holder, "until": now + ttl, "since": now, "ttl": ttl}})
            got = Acquired(taken.matched_count == 1, current=got.current)
        if not got.ok:
            return None, got.current
        _sending.add(holder)
        return holder, None

    def release(self, key: str, holder: str) -> None:
        _sending.discard(holder)
        self.leases.release(LEASE_PREFIX + key, holder)

    # --- state ---------------------------------------------------------------------------------
    def get(self, key: str) -> dict | None:
        return self.coll.find_one({"_id": key})

    def open(self, watch: str, channel: str, events_from_ms: int) -> dict:
        """The channel's state, created on first sight (events count from ``events_from_ms``)."""
        key = state_key(watch, channel)
        doc = {"_id": key, "watch": watch, "channel": channel, "created_ms": int(self.clock() * 1000),
               "events_from_ms": int(events_from_ms), "events_sent": [], "inflight": None, "sent_articles": 0,
               "sent_events": 0, "messages": 0, "last_status": "", "last_detail": "", "last_ms": 0}
        try:
            self.coll.insert_one(doc)
            return doc
        except DuplicateKeyError:
            return self.get(key) or doc

    def _set(self, key: str, fields: dict[str, Any]) -> None:
        self.coll.update_one({"_id": key}, {"$set": fields})

    # --- what is new -----------------------------------------------------------------------------
    @staticmethod
    def consumer(key: str) -> str:
        return CONSUMER_PREFIX + key

    def new_articles(self, key: str, *, first_since: dt.datetime | None, settle_ms: int) -> tuple[list[dict], dict | None]:
        """Articles stored since the channel's cursor (oldest first) and the cursor after them (not saved)."""
        return new_for_consumer(self.store, self.consumer(key), first_since=first_since, settle_ms=settle_ms)

    def matching(self, docs: list[dict], flt: ArticleFilter) -> list[dict]:
        """Those of ``docs`` that match the filter, in their order: the filter's own query, by ``_id``."""
        ids = [d["_id"] for d in docs]
        found: dict[Any, dict] = {}
        for i in range(0, len(ids), _CHUNK):
            query = {**flt.to_mongo(), "_id": {"$in": ids[i:i + _CHUNK]}}
            found.update((d["_id"], d) for d in self.store.db[ARTICLES].find(query, LIST_PROJECTION))
        return [found[i] for i in ids if i in found]

    def pending_events(self, state: dict, kinds: list[str], now: int | None = None) -> tuple[list[Event], set[str]]:
        """(events of these kinds not yet sent to the channel, every key in the window: to prune what was sent)."""
        now = now or now_ms()
        since = max(int(state.get("events_from_ms") or 0), now - EVENT_KEEP_DAYS * 86_400_000)
        window = outbox(self.store, since)
        sent = set(state.get("events_sent") or [])
        return [e for e in window if e.kind in kinds and e.key not in sent], {e.key for e in window}

    # --- a message out ---------------------------------------------------------------------------
    def begin(self, key: str, holder: str, position: dict | None, events: list[str], articles: int) -> None:
        self._set(key, {"inflight": {"phase": "sending", "holder": holder, "position": position, "events": events,
                                     "articles": articles, "since_ms": int(self.clock() * 1000)}})

    def phase(self, key: str, phase: str) -> None:
        """``sending`` while a try is under way, ``waiting`` between tries."""
        self._set(key, {"inflight.phase": phase})

    def delivered(self, key: str, state: dict, position: dict | None, events: list[str], articles: int,
                  window: set[str]) -> None:
        """The channel took the message: move the cursor, count the events as sent, clear the flight."""
        if position:
            save_cursor(self.store, self.consumer(key), position)
        sent = [k for k in dict.fromkeys((state.get("events_sent") or []) + events) if k in window or k in events]
        self._set(key, {"inflight": None, "events_sent": sent, "last_status": "sent",
                        "last_detail": f"{articles} article(s), {len(events)} event(s)", "last_ms": int(self.clock() * 1000),
                        "sent_articles": int(state.get("sent_articles") or 0) + articles,
                        "sent_events": int(state.get("sent_events") or 0) + len(events),
                        "messages": int(state.get("messages") or 0) + 1})
        state["events_sent"] = sent

    def failed(self, key: str, reason: str) -> None:
        """The channel did not take it: nothing moves, the same items go out next time."""
        self._set(key, {"inflight": None, "last_status": "failed", "last_detail": reason[:500],
                        "last_ms": int(self.clock() * 1000)})

    def skip(self, key: str, position: dict | None) -> None:
        """Nothing new matched: move the cursor past the articles that did not."""
        if position:
            save_cursor(self.store, self.consumer(key), position)

    def recover(self, key: str, state: dict) -> dict | None:
        """A message a notify that died left in flight (call holding the lease).

        Died during a try: counted as sent (returned, to be reported); between tries: dropped, sent again.
        """
        flight = state.get("inflight")
        if not flight:
            return None
        if flight.get("phase") != "sending":
            self._set(key, {"inflight": None})
            state["inflight"] = None
            return None
        if flight.get("position"):
            save_cursor(self.store, self.consumer(key), flight["position"])
        sent = list(dict.fromkeys((state.get("events_sent") or []) + list(flight.get("events") or [])))
        self._set(key, {"inflight": None, "events_sent": sent, "last_status": "uncertain",
                        "last_detail": "a notify stopped while sending; not sent again", "last_ms": int(self.clock() * 1000)})
        state.update(inflight=None, events_sent=sent)
        return flight
