"""Filter values as readers type them, checked and normalised once for every command.

    浙江省, 浙江          -> 浙江      (provinces of config/text/places.yaml: short or full name)
    华北地区, 华北        -> 华北      (its regions)
    政策, 规划, policy    -> policy    (config/digest.yaml: the category names, their words, category_aliases)
    gov_beijing                        (the configured sources)

An unknown value is one ConfigError line (exit 2) naming the valid values, or the
nearest ones when there are many (sources). ``place_of`` is the one place column
every listing prints (浙江·杭州, or the word for central items, 中央).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from newsmon.errors import ConfigError
from newsmon.vocab import ALL_CATEGORIES

# Up to this many valid values are all listed in an error; beyond it, the nearest ones.
LIST_ALL_UP_TO = 40
REGION_SUFFIX = "地区"


@dataclass(frozen=True)
class Values:
    """Every accepted spelling -> its stored value, per kind of filter."""

    province: dict[str, str]
    region: dict[str, str]
    category: dict[str, str]
    source: dict[str, str]

    def normalise(self, kind: str, raw: str) -> str:
        table: dict[str, str] = getattr(self, kind)
        text = str(raw).strip()
        for key in (text, text.lower()):
            if key in table:
                return table[key]
        valid = list(dict.fromkeys(table.values()))
        if len(valid) <= LIST_ALL_UP_TO:
            hint = f"{_PLURAL[kind]}: {', '.join(valid)}"
        else:
            near = difflib.get_close_matches(text, sorted(table), n=5, cutoff=0.5)
            hint = (f"nearest: {', '.join(dict.fromkeys(table[n] for n in near))}" if near
                    else f"{len(valid)} {_PLURAL[kind]}, see 'newsmon {_PLURAL[kind]}'")
        raise ConfigError(f"unknown {kind} {text!r}; {hint}")

    def normalise_all(self, kind: str, raws) -> list[str]:
        return list(dict.fromkeys(self.normalise(kind, r) for r in raws or []))


_PLURAL = {"province": "provinces", "region": "regions", "category": "categories", "source": "sources"}


def build_values(places, digest, source_names) -> Values:
    """From the checked places.yaml and digest.yaml and the source names (no I/O)."""
    province = {}
    for short, full in places.provinces.items():
        province[short] = province[full] = short
    region = {}
    for name in places.regions:
        region[name] = region[name + REGION_SUFFIX] = name
    category = {}
    for name in ALL_CATEGORIES:
        category[name] = name
    for name, word in digest.categories.items():
        category.setdefault(word, name)
    for name, words in digest.category_aliases.items():
        for word in words:
            category.setdefault(word, name)
    return Values(province=province, region=region, category=category, source={n: n for n in source_names})


def values(settings) -> Values:
    """The accepted values of this configuration (places.yaml, digest.yaml, sources.yaml)."""
    from newsmon import config
    from newsmon.config.schemas import text

    places = config._load(settings, text.PLACES, text.PlacesFile).data
    return build_values(places, config.digest(settings), [s.name for s in config.sources(settings)])


def place_of(doc: dict, central: str) -> str:
    """The place an article is about, the same in every listing: 浙江·杭州, 浙江, ``central`` (中央), or ''."""
    parts = [p for p in (doc.get("province"), doc.get("city")) if p]
    if len(parts) == 2 and parts[0] == parts[1]:  # 北京·北京: a province-level city is its own city
        parts = parts[:1]
    if parts:
        return "·".join(parts)
    return central if doc.get("level") == "central" else ""


def placer(settings):
    """place_of with this configuration's word for central items (config/digest.yaml sections.central)."""
    from newsmon import config

    central = config.digest(settings).sections.central
    return lambda doc: place_of(doc, central)
