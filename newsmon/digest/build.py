"""Group labelled articles into the digest's structure (config/digest.yaml).

中央 / 国家职能部门 / 各省市, then region and province for 各省市, then category.
One entry per article; a reprinted article is one entry that counts its outlets.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from newsmon.vocab import LOCAL_LEVELS, SHANGHAI


@dataclass
class Entry:
    headline: str
    date: dt.datetime | None
    source: str
    url: str
    sentence: str
    outlets: int
    category: str
    province: str | None
    relevance: float | None
    reprinted_by: list[str] = field(default_factory=list)


@dataclass
class Group:
    """A heading with entries by category (in config order) and subgroups."""

    name: str
    by_category: dict[str, list[Entry]] = field(default_factory=dict)
    children: list["Group"] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(v) for v in self.by_category.values()) + sum(c.count() for c in self.children)


@dataclass
class Digest:
    title: str
    start: dt.date
    end: dt.date
    sections: list[Group]
    categories: dict[str, str]
    total: int
    per_province: list[tuple[str, int]]
    per_week: dict[str, dict[str, int]]     # week start (YYYY-MM-DD) -> {category: n}
    reprints: int


def _entry(doc: dict) -> Entry:
    also = doc.get("also_at") or []
    mentions = doc.get("mentions") or []
    sentence = next((m for m in mentions if m and m != doc.get("title")), "") or (doc.get("content") or "")[:120]
    return Entry(
        headline=doc.get("title") or doc.get("listed_title") or doc.get("url", ""),
        date=doc.get("published_at") or doc.get("first_seen"),
        source=doc.get("outlet") or doc.get("source_title") or doc.get("source") or "",
        url=doc.get("url", ""),
        sentence=sentence.strip(),
        outlets=1 + len(also),
        category=doc.get("category") or "other",
        province=doc.get("province"),
        relevance=doc.get("relevance"),
        reprinted_by=list(dict.fromkeys(a.get("source_title") or a.get("source") or a.get("url", "") for a in also)),
    )


def _section(doc: dict, central_bodies: set[str]) -> str:
    if doc.get("level") == "central":
        return "central" if central_bodies & set(doc.get("organizations") or []) else "ministries"
    if doc.get("level") in LOCAL_LEVELS:
        return "local"
    # no actor found: an item from a provincial or city site is about that place
    return "local" if doc.get("source_level") in ("provincial", "city") else "ministries"


def build_digest(docs: list[dict], start: dt.date, end: dt.date, cfg: dict) -> Digest:
    """The digest's structure; ``cfg`` is config/digest.yaml as a mapping (newsmon.config.digest)."""
    cats = dict(cfg["categories"])
    central_bodies = set(cfg["central_bodies"])
    sections = {key: Group(cfg["sections"][key]) for key in ("central", "ministries", "local")}
    local: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))   # region -> province -> entries
    per_province: Counter = Counter()
    per_week: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        e = _entry(doc)
        if e.category not in cats:
            e.category = "other"
        key = _section(doc, central_bodies)
        if key == "local":
            province = doc.get("province") or doc.get("source_province") or cfg.get("unplaced", "地点未明")
            region = doc.get("region") or cfg.get("unplaced", "地点未明")
            local[region][province].append(e)
            per_province[province] += 1
        else:
            sections[key].by_category.setdefault(e.category, []).append(e)
        if e.date:
            day = e.date.astimezone(SHANGHAI).date()
            per_week[(day - dt.timedelta(days=day.weekday())).isoformat()][e.category] += 1

    def ordered(entries_by_cat: dict[str, list[Entry]]) -> dict[str, list[Entry]]:
        return {c: sorted(entries_by_cat[c], key=lambda x: (x.date or dt.datetime.min.replace(tzinfo=SHANGHAI)), reverse=True)
                for c in cats if entries_by_cat.get(c)}

    for group in sections.values():
        group.by_category = ordered(group.by_category)
    regions = list(cfg["regions"]) + sorted(r for r in local if r not in cfg["regions"])
    for region in regions:
        if region not in local:
            continue
        rgroup = Group(region)
        for province, entries in sorted(local[region].items(), key=lambda kv: (-len(kv[1]), kv[0])):
            by_cat: dict[str, list[Entry]] = defaultdict(list)
            for e in entries:
                by_cat[e.category].append(e)
            rgroup.children.append(Group(province, ordered(by_cat)))
        sections["local"].children.append(rgroup)
    return Digest(
        title=cfg["title"], start=start, end=end,
        sections=[g for g in sections.values() if g.count()],
        categories=cats, total=len(docs),
        per_province=per_province.most_common(),
        per_week={w: dict(c) for w, c in sorted(per_week.items())},
        reprints=sum(len(d.get("also_at") or []) for d in docs),
    )
