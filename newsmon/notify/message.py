"""What one message to one channel says: a watch's new articles (as the digest words them) and its events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from newsmon.digest.build import headline_of, outlet_of  # the digest's words for an article
from newsmon.digest.leads import lead
from newsmon.storage.deliveries import Event
from newsmon.vocab import OTHER, SHANGHAI

TITLE_CHARS = 100
SUMMARY_CHARS = 140


def clip(text: str, chars: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= chars else text[: chars - 1] + "…"


@dataclass(frozen=True)
class Item:
    """One article as a message shows it."""

    id: str
    title: str
    url: str
    source: str                       # the outlet (来源), else the source's title
    date: dt.datetime | None          # published, else first stored
    summary: str                      # the digest's lead: the first sentence that names blockchain
    category: str | None = None
    level: str | None = None
    province: str | None = None
    city: str | None = None
    region: str | None = None
    domains: tuple[str, ...] = ()
    published_at: dt.datetime | None = None
    first_seen: dt.datetime | None = None

    @classmethod
    def from_doc(cls, doc: dict) -> "Item":
        date = doc.get("published_at") or doc.get("first_seen")
        return cls(id=str(doc.get("_id")), title=clip(headline_of(doc), TITLE_CHARS), url=doc.get("url", ""),
                   source=outlet_of(doc), date=date if isinstance(date, dt.datetime) else None,
                   summary=clip(lead(doc), SUMMARY_CHARS),
                   category=doc.get("category"), level=doc.get("level"), province=doc.get("province"),
                   city=doc.get("city"), region=doc.get("region"), domains=tuple(doc.get("domains") or ()),
                   published_at=doc.get("published_at"), first_seen=doc.get("first_seen"))

    @property
    def when(self) -> str:
        return self.date.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if self.date else ""

    @property
    def labels(self) -> list[str]:
        place = "·".join(x for x in (self.province, self.city) if x)
        out = [x for x in (self.category if self.category != OTHER else None, self.level, place) if x]
        return out + list(self.domains[:3])

    @property
    def meta(self) -> str:
        """人民网 · 2026-11-21 08:00 · policy · provincial · 浙江"""
        return " · ".join(x for x in (self.source, self.when, *self.labels) if x)


@dataclass
class Message:
    """A watch's news for one channel: every matching article (newest first) and its events.

    A format lists at most ``limit`` articles (fewer if the channel's size limit says
    so) and counts the rest ("and 5 more").
    """

    watch: str
    items: list[Item]
    events: list[Event] = field(default_factory=list)
    limit: int = 20

    @classmethod
    def build(cls, watch: str, docs: list[dict], events: list[Event], limit: int) -> "Message":
        items = [Item.from_doc(d) for d in docs]
        far = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        items.sort(key=lambda i: (i.date or far, i.first_seen or far), reverse=True)
        return cls(watch, items, list(events), limit)

    @property
    def total(self) -> int:
        return len(self.items)

    def heading(self) -> str:
        parts = []
        if self.items:
            parts.append(f"{self.total} new article(s)")
        if self.events:
            parts.append(f"{len(self.events)} event(s)")
        return f"newsmon · {self.watch}: {', '.join(parts) or 'nothing new'}"

    def more(self, shown: int) -> str:
        left = self.total - shown
        return f"and {left} more" if left > 0 else ""
