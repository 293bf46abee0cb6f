"""Group labelled articles into the digest's sections (config/digest.yaml) and gather their facts.

Two layouts. ``seed``, the analysts' own: flat sections "区域——类别" (各省市——规划,
各省市——应用, 国家职能部门——应用 …), areas in the configured order, items newest first.
``nested``: 中央 / 国家职能部门 / 各省市, then region and province, then category.
One entry per article; a reprinted article is one entry that counts its outlets.

The caller does the I/O: it passes the period's articles and, for the commentary,
those of the previous period of equal length (``previous``) and of a look-back
window before the period (``history``, to tell a province's or domain's first item).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Callable

from newsmon.digest import commentary
from newsmon.digest.leads import LeadRules, lead
from newsmon.digest.model import LAYOUTS, Digest, Entry, Facts, Group
from newsmon.digest.outlets import host_of, reach
from newsmon.vocab import LOCAL_LEVELS, OTHER, SHANGHAI

_OLDEST = dt.datetime.min.replace(tzinfo=SHANGHAI)


def _scope(doc: dict) -> str:
    """local / national: who acts (its level label) or, when no actor was found, the site's level."""
    if doc.get("level") == "central":
        return "national"
    return "local" if doc.get("level") in LOCAL_LEVELS or doc.get("source_level") in ("provincial", "city") else "national"


def area_of(doc: dict, central_bodies: set[str]) -> str:
    """central / ministries / local for one article: its scope, and for national items whether a central body acts."""
    if _scope(doc) == "local":
        return "local"
    central = doc.get("level") == "central" and central_bodies & set(doc.get("organizations") or [])
    return "central" if central else "ministries"


def _province(doc: dict, unplaced: str) -> str:
    return doc.get("province") or doc.get("source_province") or unplaced


def _category(doc: dict, cats: dict[str, str]) -> str:
    c = doc.get("category") or OTHER
    return c if c in cats else OTHER


def _date(doc: dict, by: str) -> dt.datetime | None:
    return doc.get("first_seen") if by == "first_seen" else (doc.get("published_at") or doc.get("first_seen"))


def headline_of(doc: dict) -> str:
    """What the digest (and every message and feed built from it) calls an article."""
    return doc.get("title") or doc.get("listed_title") or doc.get("url", "")


def outlet_of(doc: dict) -> str:
    """Who published it: the page's 来源, else the source's title."""
    return doc.get("outlet") or doc.get("source_title") or doc.get("source") or ""


def _entry(doc: dict, cats: dict[str, str], area: str, unplaced: str, by: str, rules: LeadRules,
           site_of: Callable[[str], str]) -> Entry:
    return Entry(
        headline=headline_of(doc),
        date=doc.get("published_at") or doc.get("first_seen"),
        bucket=_date(doc, by),
        source=outlet_of(doc),
        url=doc.get("url", ""),
        lead=lead(doc, rules),
        category=_category(doc, cats),
        area=area,
        province=_province(doc, unplaced) if area == "local" else None,
        region=(doc.get("region") or unplaced) if area == "local" else None,
        relevance=doc.get("relevance"),
        domains=[d for d in doc.get("domains") or [] if d],
        organizations=[o for o in doc.get("organizations") or [] if o],
        reach=reach(doc, site_of),
    )


def _newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: e.date or e.bucket or _OLDEST, reverse=True)


def _places(entries: list[Entry], area: str) -> list[tuple[str, int]]:
    c: Counter = Counter()
    for e in entries:
        if area == "local":
            c[e.province] += 1
        else:
            c.update(e.organizations[:1])     # the acting body (a host such as 国新办 comes after it)
    return sorted(c.items(), key=lambda kv: -kv[1])       # ties: in the order of the section (newest first)


def _domains(entries: list[Entry]) -> list[tuple[str, int]]:
    c = Counter(d for e in entries for d in dict.fromkeys(e.domains))
    return sorted(c.items(), key=lambda kv: -kv[1])


def _top(entries: list[Entry]) -> Entry | None:
    best = max(entries, key=lambda e: (e.outlets, e.reach.pages, e.date or _OLDEST), default=None)
    return best if best is not None and best.outlets > 1 else None


def known_of(docs: list[dict]) -> dict:
    """The places and domains a set of articles has had: what tells a later item's place or domain is new.

    Config-free and JSON-able, so the store can keep it per day (storage/digestdays.py):
    ``{"places": [[scope, name or None], ...], "domains": [...]}``; None is the unplaced word.
    """
    places: set[tuple[str, str | None]] = set()
    domains: set[str] = set()
    for doc in docs:
        if _scope(doc) == "local":
            places.add(("local", doc.get("province") or doc.get("source_province") or None))
        else:
            places.update(("national", o) for o in (doc.get("organizations") or [])[:1])
        domains.update(d for d in doc.get("domains") or [] if d)
    return {"places": sorted((list(p) for p in places), key=lambda p: (p[1] is None, p)),
            "domains": sorted(domains), "articles": len(docs)}


def merge_known(parts: list[dict]) -> dict:
    places = {tuple(p) for k in parts for p in k["places"]}
    return {"places": [list(p) for p in places], "domains": sorted({d for k in parts for d in k["domains"]}),
            "articles": sum(k.get("articles", 0) for k in parts)}


class _Seen:
    """Places and domains of the look-back window; each new one is told once, where it first appears."""

    def __init__(self, known: dict | None, unplaced: str):
        self.known = known is not None and known.get("articles", 0) > 0
        self.places: set[tuple[str, str]] = {(scope, name or unplaced) for scope, name in (known or {}).get("places", [])}
        self.domains: set[str] = set((known or {}).get("domains", []))
        self.told: set = set()

    def new(self, area: str, places: list[tuple[str, int]], domains: list[tuple[str, int]]):
        if not self.known:
            return None, None
        scope = "local" if area == "local" else "national"
        new_places = [p for p, _ in places if (scope, p) not in self.places and (scope, p) not in self.told]
        new_domains = [d for d, _ in domains if d not in self.domains and d not in self.told]
        self.told.update((scope, p) for p in new_places)
        self.told.update(new_domains)
        return new_places, new_domains


def _facts(entries: list[Entry], area: str, previous: int | None, seen: _Seen) -> Facts:
    places, domains = _places(entries, area), _domains(entries)
    new_places, new_domains = seen.new(area, places, domains)
    return Facts(count=len(entries), previous=previous, places=places, place_word="省份" if area == "local" else "机构",
                 domains=domains, new_places=new_places, new_domains=new_domains, top=_top(entries))


def _seed_sections(entries: list[Entry], cfg: dict, order: list[str]) -> list[Group]:
    sep, words = cfg["separator"], cfg["sections"]
    groups = []
    for area in order:
        for cat in cfg["categories"]:
            chosen = [e for e in entries if e.area == area and e.category == cat]
            if chosen:
                groups.append(Group(f"{words[area]}{sep}{cfg['categories'][cat]}", (area, cat), entries=_newest_first(chosen),
                                    phrase=f"{words[area]}{cfg['categories'][cat]}类"))
    return groups


def _nested_sections(entries: list[Entry], cfg: dict, order: list[str]) -> list[Group]:
    cats = cfg["categories"]

    def by_category(items: list[Entry]) -> dict[str, list[Entry]]:
        return {c: _newest_first([e for e in items if e.category == c]) for c in cats if any(e.category == c for e in items)}

    groups = []
    for area in order:
        items = [e for e in entries if e.area == area]
        if not items:
            continue
        group = Group(cfg["sections"][area], (area,), phrase=cfg["sections"][area])
        if area != "local":
            group.by_category = by_category(items)
        else:
            local: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
            for e in items:
                local[e.region][e.province].append(e)
            regions = list(cfg["regions"]) + sorted(r for r in local if r not in cfg["regions"])
            for region in (r for r in regions if r in local):
                rgroup = Group(region, (area, region))
                for province, pentries in sorted(local[region].items(), key=lambda kv: (-len(kv[1]), kv[0])):
                    rgroup.children.append(Group(province, (area, region, province), by_category=by_category(pentries)))
                group.children.append(rgroup)
        groups.append(group)
    return groups


def _weeks(entries: list[Entry], start: dt.date, end: dt.date, cats: dict[str, str]) -> dict[str, dict[str, int]]:
    """Every week from the one holding ``start`` to the one holding ``end``, empty weeks included."""
    def monday(day: dt.date) -> dt.date:
        return day - dt.timedelta(days=day.weekday())

    days = [e.bucket.astimezone(SHANGHAI).date() for e in entries if e.bucket]
    first, last = monday(min([start, *days])), monday(max([end, *days]))
    weeks: dict[str, dict[str, int]] = {}
    week = first
    while week <= last:
        weeks[week.isoformat()] = {}
        week += dt.timedelta(days=7)
    for e, day in zip((e for e in entries if e.bucket), days):
        counts = weeks[monday(day).isoformat()]
        counts[e.category] = counts.get(e.category, 0) + 1
    return weeks


def build_digest(docs: list[dict], start: dt.date, end: dt.date, cfg: dict, *, layout: str | None = None,
                 previous: list[dict] | None = None, history: list[dict] | None = None, known: dict | None = None,
                 previous_period: tuple[dt.date, dt.date] | None = None, by: str = "published",
                 site_of: Callable[[str], str] = host_of, commentary_on: bool | None = None) -> Digest:
    """The digest of ``docs`` for ``start``..``end`` (days, both included).

    ``cfg`` is config/digest.yaml as a mapping (newsmon.config.digest(...).model_dump()).
    ``previous``: the articles of ``previous_period`` (same filters), for the change since then;
    ``history``: the articles of the look-back window before ``start``, to tell what is new;
    or ``known``: what known_of says of them (the store keeps it per day, storage/digestdays.py).
    ``by``: the date the range applies to (published / first_seen), for the weekly chart.
    """
    layout = layout or cfg["layout"]
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {', '.join(LAYOUTS)}")
    cats = dict(cfg["categories"])
    central_bodies, unplaced = set(cfg["central_bodies"]), cfg["unplaced"]
    order = list(cfg["layouts"][layout])
    rules = LeadRules(max_sentences=cfg["lead"]["max_sentences"], max_chars=cfg["lead"]["max_chars"])
    comment_cfg = cfg["commentary"]
    if commentary_on is None:
        commentary_on = comment_cfg["enabled"]

    entries = [_entry(doc, cats, area_of(doc, central_bodies), unplaced, by, rules, site_of) for doc in docs]
    sections = _seed_sections(entries, cfg, order) if layout == "seed" else _nested_sections(entries, cfg, order)

    prev_counts: Counter | None = None
    if previous is not None:
        prev_counts = Counter()
        for doc in previous:
            area = area_of(doc, central_bodies)
            prev_counts[(area, _category(doc, cats))] += 1
            prev_counts[(area,)] += 1
    if known is None and history is not None:
        known = known_of(history)
    seen = _Seen(known, unplaced)
    for group in sections:
        area = group.key[0]
        group.facts = _facts(group.all_entries(), area, prev_counts[group.key] if prev_counts is not None else None, seen)

    per_province = Counter(e.province for e in entries if e.area == "local")
    places, domains = _places([e for e in entries if e.area == "local"], "local"), _domains(entries)
    new_places, new_domains = _Seen(known, unplaced).new("local", places, domains)
    whole = Facts(count=len(entries), previous=len(previous) if previous is not None else None, places=places,
                  place_word="省份", domains=domains, new_places=new_places, new_domains=new_domains, top=_top(entries))
    whole.by_area = [(cfg["sections"][a], n) for a in order if (n := sum(e.area == a for e in entries))]
    whole.by_category = [(cats[c], n) for c in cats if (n := sum(e.category == c for e in entries))]
    whole.regions = sorted(Counter(e.region for e in entries if e.area == "local").items(), key=lambda kv: (-kv[1], kv[0]))
    digest = Digest(
        title=cfg["title"], start=start, end=end, layout=layout, sections=sections, categories=cats,
        total=len(entries), per_province=sorted(per_province.items(), key=lambda kv: (-kv[1], kv[0])),
        national=sum(e.area != "local" for e in entries),
        national_label="、".join(cfg["sections"][a] for a in order if a != "local"),
        per_week=_weeks(entries, start, end, cats),
        reprints=sum(e.reach.pages - 1 for e in entries),
        previous_period=previous_period if previous is not None else None,
        lookback_days=comment_cfg["lookback_days"], facts=whole,
        mark=comment_cfg["mark"] if commentary_on else "", note_label=comment_cfg["label"],
    )
    if commentary_on:
        digest.opening = commentary.opening(digest)
        for group in sections:
            group.note = commentary.section_note(group, digest)
    return digest
