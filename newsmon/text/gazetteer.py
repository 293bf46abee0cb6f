"""Places from config/text/places.yaml and districts.yaml, indexed by every spelling.

The gazetteer is data an analyst extends; this module only checks its shape (one
ConfigError naming file and problem) and turns it into lookups by surface form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsmon.config import config_path, load_yaml, require
from newsmon.errors import ConfigError

PROVINCIAL, CITY, DISTRICT = "provincial", "city", "district"
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


def load_gazetteer(places_file: str = "text/places.yaml", districts_file: str = "text/districts.yaml") -> Gazetteer:
    gaz = Gazetteer()
    _load_places(gaz, load_yaml(places_file), str(config_path(places_file)))
    _load_districts(gaz, load_yaml(districts_file), str(config_path(districts_file)))
    return gaz


def _str_list(value, label: str, what: str) -> list[str]:
    require(isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value), label,
            f"{what} must be a list of names, got {value!r}")
    return [v.strip() for v in value]


def _load_places(gaz: Gazetteer, data, label: str) -> None:
    require(isinstance(data, dict), label, "expected a mapping with 'regions', 'provinces' and 'cities'")
    for key in ("regions", "provinces", "cities"):
        require(isinstance(data.get(key), dict), label, f"'{key}' must be a mapping")
    for region, provs in data["regions"].items():
        for p in _str_list(provs, label, f"regions.{region}"):
            gaz.regions[p] = str(region)
    for short, full in data["provinces"].items():
        short = str(short)
        require(isinstance(full, str) and full.strip(), label, f"provinces.{short} must be the full name, got {full!r}")
        require(short in gaz.regions, label, f"province {short} is in no region (add it under 'regions')")
        place = Place(short, PROVINCIAL, short, None, full.strip())
        gaz.provinces[short] = place
        gaz._add(gaz.strong, short, place)
        gaz._add(gaz.strong, full.strip(), place)
        if full.endswith("市"):  # 北京, 上海 ...: the province is its own city
            gaz.cities[short] = Place(short, CITY, short, short, full.strip())
    needs_suffix = set(_str_list(data.get("needs_suffix") or [], label, "needs_suffix"))
    for prov, entries in data["cities"].items():
        prov = str(prov)
        require(prov in gaz.provinces, label, f"cities.{prov}: {prov} is not under 'provinces'")
        require(isinstance(entries, list), label, f"cities.{prov} must be a list")
        for entry in entries:
            if isinstance(entry, str) and entry.strip():
                full, shorts = entry.strip() + "市", [entry.strip()]
            elif isinstance(entry, dict) and len(entry) == 1:
                (full, shorts), = entry.items()
                full = str(full)
                shorts = _str_list(shorts, label, f"cities.{prov}.{full}")
            else:
                raise ConfigError(f"config file {label}: cities.{prov}: entry {entry!r} must be a name "
                                  f"or {{full name: [short names]}}")
            place = Place(shorts[0], CITY, prov, shorts[0], full)
            gaz.cities[shorts[0]] = place
            gaz._add(gaz.strong, full, place)
            if full.endswith("自治州"):  # 延边州, 恩施州 as news writes them
                gaz._add(gaz.strong, shorts[0] + "州", place)
            for short in shorts:
                # 白银 (silver), 吉林 (also the province): only the full name matches
                if short not in needs_suffix and short not in gaz.provinces:
                    gaz._add(gaz.strong, short, place)


def _load_districts(gaz: Gazetteer, data, label: str) -> None:
    require(isinstance(data, dict), label, "expected a mapping with 'areas' and 'counties'")
    areas = data.get("areas") or {}
    require(isinstance(areas, dict), label, "'areas' must be a mapping of name: {city: ..., aliases: [...]}")
    for name, spec in areas.items():
        name = str(name)
        require(isinstance(spec, dict) and isinstance(spec.get("city"), str), label,
                f"areas.{name} must look like {{city: 城市, aliases: [...]}}, got {spec!r}")
        city = gaz.cities.get(spec["city"])
        require(city is not None, label, f"areas.{name}: city {spec['city']} is not in places.yaml")
        place = Place(name, DISTRICT, city.province, city.city, name)
        gaz._add(gaz.strong, name, place)
        for alias in _str_list(spec.get("aliases") or [], label, f"areas.{name}.aliases"):
            gaz._add(gaz.strong, alias, place)
    counties = data.get("counties") or {}
    require(isinstance(counties, dict), label, "'counties' must be a mapping province -> city -> [names]")
    for prov, by_city in counties.items():
        prov = str(prov)
        require(prov in gaz.provinces, label, f"counties.{prov}: {prov} is not a province in places.yaml")
        require(isinstance(by_city, dict), label, f"counties.{prov} must be a mapping city -> [names]")
        for city_name, names in by_city.items():
            city_name = str(city_name)
            if city_name == "省直辖":
                city = None
            else:
                city = gaz.cities.get(city_name)
                require(city is not None and city.province == prov, label,
                        f"counties.{prov}.{city_name}: no such city of {prov} in places.yaml")
            for name in _str_list(names, label, f"counties.{prov}.{city_name}"):
                place = Place(name, DISTRICT, prov, city.city if city else None, name)
                gaz._add(gaz.strong, name, place)
                short = _COUNTY_SUFFIX.sub("", name)
                if len(short) >= 2 and short != name:
                    gaz._add(gaz.weak, short, place)
