"""Places from config/text/places.yaml and districts.yaml, indexed by every spelling.

The gazetteer is data an analyst extends; the config layer checks each file's
shape, this module checks that the two agree and turns them into lookups by
surface form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsmon.errors import DataError
from newsmon.vocab import LOCAL_LEVELS

PROVINCIAL, CITY, DISTRICT = LOCAL_LEVELS
_COUNTY_SUFFIX = re.compile(r"(自治县|自治旗|林区|特区|新区|区|县|市|旗)$")


@dataclass(frozen=True)
class Place:
    name: str            # canonical: province short name, city short name, district full name
    kind: str            # provincial / city / district
    province: str
    city: str | None = None
    full: str = ""       # full official name (for organisation names)

    @property
    def level(self) -> str:
        return self.kind


@dataclass
class Gazetteer:
    regions: dict[str, str] = field(default_factory=dict)          # province short -> region
    provinces: dict[str, Place] = field(default_factory=dict)      # province short -> Place
    cities: dict[str, Place] = field(default_factory=dict)         # city short -> Place
    strong: dict[str, list[Place]] = field(default_factory=dict)   # surface -> places (matched alone)
    weak: dict[str, list[Place]] = field(default_factory=dict)     # county short forms (need context)

    def words(self) -> set[str]:
        """Every strong surface form, for the jieba dictionary."""
        return set(self.strong)

    def _add(self, table: dict, surface: str, place: Place) -> None:
        if surface and place not in table.setdefault(surface, []):
            table[surface].append(place)


def build_gazetteer(places: dict, districts: dict, places_name: str = "text/places.yaml",
                    districts_name: str = "text/districts.yaml") -> Gazetteer:
    """The gazetteer from checked places.yaml and districts.yaml data; DataError when they disagree."""
    gaz = Gazetteer()
    _add_places(gaz, places, places_name)
    _add_districts(gaz, districts, districts_name)
    return gaz


def _add_places(gaz: Gazetteer, data: dict, source: str) -> None:
    for region, provs in data["regions"].items():
        for p in provs:
            gaz.regions[p] = str(region)
    for short, full in data["provinces"].items():
        short, full = str(short), full.strip()
        if short not in gaz.regions:
            raise DataError(source, ("provinces", short), f"province {short} is in no region (add it under 'regions')")
        place = Place(short, PROVINCIAL, short, None, full)
        gaz.provinces[short] = place
        gaz._add(gaz.strong, short, place)
        gaz._add(gaz.strong, full, place)
        if full.endswith("市"):  # 北京, 上海 ...: the province is its own city
            gaz.cities[short] = Place(short, CITY, short, short, full)
    needs_suffix = set(data.get("needs_suffix") or [])
    for prov, entries in data["cities"].items():
        prov = str(prov)
        if prov not in gaz.provinces:
            raise DataError(source, ("cities", prov), f"{prov} is not under 'provinces'")
        for entry in entries:
            if isinstance(entry, str):
                full, shorts = entry + "市", [entry]
            else:
                (full, shorts), = entry.items()
                full = str(full)
            place = Place(shorts[0], CITY, prov, shorts[0], full)
            gaz.cities[shorts[0]] = place
            gaz._add(gaz.strong, full, place)
            if full.endswith("自治州"):  # 延边州, 恩施州 as news writes them
                gaz._add(gaz.strong, shorts[0] + "州", place)
            for short in shorts:
                # 白银 (silver), 吉林 (also the province): only the full name matches
                if short not in needs_suffix and short not in gaz.provinces:
                    gaz._add(gaz.strong, short, place)


def _add_districts(gaz: Gazetteer, data: dict, source: str) -> None:
    for name, spec in (data.get("areas") or {}).items():
        name = str(name)
        city = gaz.cities.get(spec["city"])
        if city is None:
            raise DataError(source, ("areas", name, "city"), f"city {spec['city']} is not in places.yaml")
        place = Place(name, DISTRICT, city.province, city.city, name)
        gaz._add(gaz.strong, name, place)
        for alias in spec.get("aliases") or []:
            gaz._add(gaz.strong, alias, place)
    for prov, by_city in (data.get("counties") or {}).items():
        prov = str(prov)
        if prov not in gaz.provinces:
            raise DataError(source, ("counties", prov), f"{prov} is not a province in places.yaml")
        for city_name, names in by_city.items():
            city_name = str(city_name)
            if city_name == "省直辖":
                city = None
            else:
                city = gaz.cities.get(city_name)
                if city is None or city.province != prov:
                    raise DataError(source, ("counties", prov, city_name), f"no such city of {prov} in places.yaml")
            for name in names:
                place = Place(name, DISTRICT, prov, city.city if city else None, name)
                gaz._add(gaz.strong, name, place)
                short = _COUNTY_SUFFIX.sub("", name)
                if len(short) >= 2 and short != name:
                    gaz._add(gaz.weak, short, place)
