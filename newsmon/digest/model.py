"""The digest as data: entries, sections, the facts its commentary is written from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from newsmon.digest.outlets import Reach

# Where an item goes: 中央 (central bodies act), 国家职能部门 (other central actors), 各省市.
AREAS = ("central", "ministries", "local")
LAYOUTS = ("seed", "nested")


@dataclass
class Entry:
    headline: str
    date: dt.datetime | None            # published (shown)
    bucket: dt.datetime | None          # the date the digest's range applies to (charts)
    source: str
    url: str
    lead: str
    category: str
    area: str
    province: str | None
    region: str | None
    relevance: float | None
    domains: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    reach: Reach = field(default_factory=Reach)

    @property
    def outlets(self) -> int:
        return self.reach.outlets

    @property
    def reprinted_by(self) -> list[str]:
        return self.reach.names


@dataclass
class Facts:
    """What a section (or the whole digest) holds, for its ●解读 paragraph."""

    count: int
    previous: int | None                      # same section, previous period of equal length; None: not asked
    places: list[tuple[str, int]]             # provinces (各省市) or bodies (中央 / 国家职能部门), most first
    place_word: str                           # 省份 / 机构
    domains: list[tuple[str, int]]
    new_places: list[str] | None = None       # first item within the look-back; None: no look-back to tell
    new_domains: list[str] | None = None
    top: Entry | None = None                  # the most reprinted item (by outlets), if any ran twice
    by_area: list[tuple[str, int]] = field(default_factory=list)        # whole digest only
    by_category: list[tuple[str, int]] = field(default_factory=list)    # whole digest only
    regions: list[tuple[str, int]] = field(default_factory=list)        # whole digest only


@dataclass
class Group:
    """A heading: its entries (flat layout), or entries by category and subgroups (nested layout)."""

    name: str
    key: tuple[str, ...] = ()
    entries: list[Entry] = field(default_factory=list)
    by_category: dict[str, list[Entry]] = field(default_factory=dict)
    children: list["Group"] = field(default_factory=list)
    phrase: str = ""                          # how the commentary names it: 各省市规划类
    facts: Facts | None = None
    note: str = ""                            # ●解读 paragraph; empty when commentary is off

    def all_entries(self) -> list[Entry]:
        out = list(self.entries) + [e for v in self.by_category.values() for e in v]
        for child in self.children:
            out.extend(child.all_entries())
        return out

    def count(self) -> int:
        return len(self.all_entries())


@dataclass
class Digest:
    title: str
    start: dt.date
    end: dt.date
    layout: str
    sections: list[Group]
    categories: dict[str, str]
    total: int
    per_province: list[tuple[str, int]]       # 各省市 items by province, most first (unplaced under its word)
    national: int                             # 中央 and 国家职能部门 items: no province, not on the map
    national_label: str
    per_week: dict[str, dict[str, int]]       # every week (Monday, YYYY-MM-DD) of the range -> {category: n}
    reprints: int                             # reprint pages merged into the entries
    previous_period: tuple[dt.date, dt.date] | None = None
    lookback_days: int = 0
    facts: Facts | None = None
    opening: str = ""                         # the opening paragraph; empty when commentary is off
    mark: str = ""                            # （自动生成）: says a paragraph was written by newsmon
    note_label: str = "●解读"
