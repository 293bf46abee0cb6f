"""Articles as an Atom 1.0 feed (RFC 4287), written with feedgen. Pure: article documents in, bytes out.

Each entry says what the digest says of the article (headline, outlet, date, its
lead: digest/leads.py) and carries its labels as categories, one scheme per
label (``urn:newsmon:category``, ``…:level``, ``…:province``, ``…:domain``). Entry
ids are ``urn:uuid:`` names derived from the article's id in the store, so an
article keeps its id however often the feed is written; ``updated`` is the newest
entry's, so the same articles give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid

from feedgen.feed import FeedGenerator

from newsmon.digest.build import headline_of, outlet_of
from newsmon.digest.leads import lead

SCHEME = "urn:newsmon:"
GENERATOR = "newsmon"
LABELS = (("category", "category"), ("level", "level"), ("province", "province"), ("domains", "domain"))


def urn(kind: str, key: str) -> str:
    """A stable id: ``urn:uuid:`` of a name in newsmon's namespace (RFC 4122 version 5)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'newsmon:{kind}:{key}')}"


def _when(value) -> dt.datetime | None:
    """A stored time as an aware datetime (the embedded server may hand back a $set date as text)."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return None


def to_atom(docs: list[dict], *, feed_id: str, title: str, link: str | None = None, subtitle: str | None = None,
            now: dt.datetime | None = None) -> bytes:
    """The feed of ``docs`` (in their order) as UTF-8 Atom; ``link`` is the feed's own address (rel=self)."""
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.author({"name": GENERATOR})
    fg.generator(GENERATOR)
    fg.language("zh-CN")
    if subtitle:
        fg.subtitle(subtitle)
    if link:
        fg.link(href=link, rel="self", type="application/atom+xml")
    newest = None
    for doc in docs:
        headline, url, outlet = headline_of(doc), doc.get("url", ""), outlet_of(doc)
        summary = lead(doc)
        seen = _when(doc.get("first_seen"))
        published = _when(doc.get("published_at"))
        updated = seen or published or now or dt.datetime.now(dt.timezone.utc)
        newest = max(newest, updated) if newest else updated
        fe = fg.add_entry(order="append")
        fe.id(urn("article", str(doc.get("_id") or doc.get("url"))))
        fe.title(headline)
        if url:
            fe.link(href=url, rel="alternate", type="text/html")
        fe.updated(updated)
        if published:
            fe.published(published)
        fe.author({"name": outlet or GENERATOR})
        if summary:
            fe.summary(summary)
        for key, scheme in LABELS:
            values = doc.get(key)
            for value in (values if isinstance(values, list) else [values]):
                if value:
                    fe.category(term=str(value), scheme=SCHEME + scheme, label=str(value))
    fg.updated(newest or now or dt.datetime.now(dt.timezone.utc))
    return fg.atom_str(pretty=True, encoding="UTF-8")
