"""`newsmon notify`: for every watch and channel, what is new since it was last told, sent once.

    watches.yaml -> per (watch, channel): lease -> a message a dead notify left in flight?
    -> new articles since the channel's cursor that match the watch's filters, and its
    events not yet sent -> one message, tries with backoff -> cursor and sent events
    move only when the channel took it (storage/deliveries.py keeps the books)

Each channel is on its own: one that fails gets the same items at the next notify,
the others are not told twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Callable, Iterable

from newsmon import config
from newsmon.errors import ConfigError
from newsmon.notify import formats
from newsmon.notify.message import Message
from newsmon.notify.send import Failure, Policy, deliver
from newsmon.storage import StoreError, open_store
from newsmon.storage.deliveries import Deliveries, Event, now_ms, observed_events, outbox, prune_outbox, record_event, state_key
from newsmon.storage.queries import ArticleFilter
from newsmon.vocab import SHANGHAI

log = logging.getLogger(__name__)

EVENT_LOOKBACK_MS = 86_400_000       # a channel seen for the first time hears of the events of the last day
OBSERVE_MS = 7 * 86_400_000          # failed runs and flags looked for in crawl_runs / source_health
BAD = ("failed", "uncertain")


@dataclass
class Line:
    """The outcome for one (watch, channel): sent, nothing, failed, uncertain, busy or dry-run."""

    watch: str
    channel: str
    status: str
    text: str
    detail: str = ""          # --dry-run: the message as text

    def __str__(self) -> str:
        return f"{self.watch} → {self.channel}: {self.text}"


@dataclass
class Report:
    lines: list[Line]

    @property
    def ok(self) -> bool:
        """Every channel took its message (or had nothing to take)."""
        return not any(line.status in BAD for line in self.lines)


def _label(channel) -> str:
    if channel.name:
        return channel.name
    if channel.kind == "email":
        return f"{channel.id} ({', '.join(channel.to)})"
    host = channel.url.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[2]
    return f"{channel.id} ({host})"


def _count(articles: int, events: int) -> str:
    parts = ([f"{articles} article(s)"] if articles else []) + ([f"{events} event(s)"] if events else [])
    return " and ".join(parts)


def select(cfg, names: Iterable[str] | None, kinds: set[str] | None = None) -> list:
    """The watches named (all when none is), only those that listen for ``kinds`` when given."""
    by_name = {w.name: w for w in cfg.watches}
    names = list(names or [])
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ConfigError(f"unknown watch {unknown[0]!r}; watches in watches.yaml: {', '.join(by_name) or 'none'}")
    chosen = [by_name[n] for n in dict.fromkeys(names)] if names else list(cfg.watches)
    return [w for w in chosen if kinds is None or set(w.events) & kinds]


def notify(settings, names: Iterable[str] | None = None, *, dry_run: bool = False, articles: bool = True,
           kinds: set[str] | None = None, stop: Callable[[], object] | None = None,
           echo: Callable[[Line], None] | None = None) -> Report:
    """Tell every chosen watch's channels what is new; ``kinds``: only events of these kinds (no articles)."""
    cfg = config.watches(settings)
    watches = select(cfg, names, kinds)
    if not watches:
        return Report([])
    store = open_store(settings)
    deliveries = Deliveries(store)
    now = now_ms()
    observed: list[Event] = []
    if any(w.events for w in watches):
        observed = observed_events(store, now - OBSERVE_MS)
        if not dry_run:
            for event in observed:
                record_event(store, event)
            prune_outbox(store, now)
    job = _Job(settings, cfg, deliveries, Policy.from_settings(settings), now, dry_run, articles and kinds is None,
               kinds, stop, observed)
    lines = []
    for watch in watches:
        for channel in watch.channels:
            line = job.channel(watch, channel)
            lines.append(line)
            if echo:
                echo(line)
    return Report(lines)


def send_event(settings, event: Event, **options) -> Report:
    """Record an event (once per key) and tell it now to every watch that listens for its kind.

    The hook for whoever detects something worth telling (source_drifted): an event
    whose channel fails now is told at a later notify.
    """
    if not options.get("dry_run"):
        record_event(open_store(settings), event)
    return notify(settings, kinds={event.kind}, **options)


def after_run(settings, run: dict | None, *, stop: Callable[[], object] | None = None) -> Report | None:
    """The scheduler's hook: once the run's articles are settled, tell every watch what is new."""
    cfg = config.watches(settings)
    if not cfg.watches:
        return None
    settle = settings.getfloat("NEWSMON_NOTIFY_SETTLE")
    end = time.monotonic() + settle           # the run's last article is at least this old afterwards
    while time.monotonic() < end and not (stop and stop()):
        time.sleep(min(0.2, max(0.0, end - time.monotonic())))

    def echo(line: Line) -> None:
        log.log(logging.WARNING if line.status in BAD else logging.INFO, "notify %s", line)

    return notify(settings, stop=stop, echo=echo)


class _Job:
    """One notify: the settings and store it works with, and the handling of one channel."""

    def __init__(self, settings, cfg, deliveries: Deliveries, policy: Policy, now: int, dry_run: bool,
                 articles: bool, kinds: set[str] | None, stop, observed: list[Event]):
        self.cfg, self.deliveries, self.policy, self.now = cfg, deliveries, policy, now
        self.dry_run, self.articles, self.kinds, self.stop, self.observed = dry_run, articles, kinds, stop, observed
        self.settle_ms = int(settings.getfloat("NEWSMON_NOTIFY_SETTLE") * 1000)

    def _news(self, watch, key: str) -> tuple[list[dict], dict | None]:
        if not (self.articles and watch.articles):
            return [], None
        since = watch.filters.since
        first = dt.datetime(since.year, since.month, since.day, tzinfo=SHANGHAI) if since else None
        docs, position = self.deliveries.new_articles(key, first_since=first, settle_ms=self.settle_ms)
        matched = self.deliveries.matching(docs, ArticleFilter(**watch.filters.query())) if docs else []
        return matched, position

    def _kinds(self, watch) -> list[str]:
        return [k for k in watch.events if self.kinds is None or k in self.kinds]

    def channel(self, watch, channel) -> Line:
        key, label = state_key(watch.name, channel.id), _label(channel)
        try:
            if self.dry_run:
                return self._preview(watch, channel, key, label)
            holder, current = self.deliveries.claim(key, self.policy.longest + 60)
            if holder is None:
                who = (current or {}).get("holder", "another process")
                return Line(watch.name, label, "busy", f"skipped: another notify ({who}) is sending to it now")
            try:
                return self._send(watch, channel, key, label, holder)
            finally:
                with contextlib.suppress(StoreError):    # the lease runs out by itself
                    self.deliveries.release(key, holder)
        except StoreError as exc:
            # what was not recorded as sent goes out next time; a message that may have gone out does not
            reason = str(exc).split(",")[0][:160]
            return Line(watch.name, label, "failed", f"failed: the store stopped answering ({reason})")

    def _send(self, watch, channel, key: str, label: str, holder: str) -> Line:
        d = self.deliveries
        state = d.open(watch.name, channel.id, self.now - EVENT_LOOKBACK_MS)
        notes = []
        lost = d.recover(key, state)
        if lost:
            what = _count(lost.get("articles", 0), len(lost.get("events") or [])) or "a message"
            notes.append(f"an earlier notify stopped while sending {what}; not sent again (it may not have arrived)")
        status = "uncertain" if lost else "sent"
        matched, position = self._news(watch, key)
        kinds = self._kinds(watch)
        events, window = d.pending_events(state, kinds, self.now) if kinds else ([], set())
        if not matched and not events:
            d.skip(key, position)
            return Line(watch.name, label, "uncertain" if lost else "nothing", "; ".join(["nothing new", *notes]))
        msg = Message.build(watch.name, matched, events, self.cfg.limit(watch))
        keys = [e.key for e in events]
        d.begin(key, holder, position, keys, len(matched))
        try:
            tries = deliver(channel, msg, self.policy, phase=lambda p: d.phase(key, p), stop=self.stop)
        except Failure as exc:
            d.failed(key, exc.reason)
            return Line(watch.name, label, "failed", "; ".join([f"failed: {exc.reason}; it is sent again next time", *notes]))
        except Exception as exc:   # a bug must not leave the message counted as sent
            log.exception("notify %s → %s", watch.name, label)
            d.failed(key, f"internal error: {exc!r}")
            return Line(watch.name, label, "failed", f"failed: internal error {exc!r}; it is sent again next time")
        d.delivered(key, state, position, keys, len(matched), window)
        listed = min(msg.limit, msg.total)
        text = f"sent {_count(len(matched), len(events))}" + (f" (up to {listed} listed)" if listed < msg.total else "")
        if tries > 1:
            text += f" on try {tries}"
        return Line(watch.name, label, status, "; ".join([text, *notes]))

    def _preview(self, watch, channel, key: str, label: str) -> Line:
        """What would be sent: nothing is sent, no cursor moves, nothing is written."""
        d = self.deliveries
        state = d.get(key) or {"events_from_ms": self.now - EVENT_LOOKBACK_MS, "events_sent": []}
        matched, _ = self._news(watch, key)
        kinds = self._kinds(watch)
        events: list[Event] = []
        if kinds:
            events, _ = d.pending_events(state, kinds, self.now)
            known = {e.key for e in outbox(d.store, 0)}
            sent = set(state.get("events_sent") or [])
            since = int(state.get("events_from_ms") or 0)
            events += [e for e in self.observed
                       if e.kind in kinds and e.key not in known and e.key not in sent and e.at_ms >= since]
        if not matched and not events:
            return Line(watch.name, label, "nothing", "nothing new")
        msg = Message.build(watch.name, matched, events, self.cfg.limit(watch))
        return Line(watch.name, label, "dry-run", f"would send {_count(len(matched), len(events))}",
                    detail=formats.plain(msg))
