"""Who acts, and where: level, province/city/district and the organisations named.

The level comes from the actor, not the outlet: the first body, leader or place
that is the subject in the title, else in the text (quoted speech, 《titles》,
datelines such as 新华社北京5月9日电, and places after 在/赴 are not actors).
Places next to each other form one actor whose most specific member wins
(河北衡水 -> 衡水, city). A central actor gets a province only when its title
names one place (李强在新疆调研 -> 新疆).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from newsmon.text.gazetteer import CITY, DISTRICT, PROVINCIAL, Place
from newsmon.vocab import LEVELS

CENTRAL = LEVELS[0]
_SPECIFIC = {PROVINCIAL: 0, CITY: 1, DISTRICT: 2}
_DATELINE = re.compile(r"\s*(?:\d{1,2}月)?\d{1,2}日(?:电|讯)|\s*电(?![\u4e00-\u9fa5])")
_TITLE_STARTERS = frozenset("：:|｜丨 ")
_LEVEL_OF_CHAR = {"省": PROVINCIAL, "市": CITY, "区": DISTRICT, "县": DISTRICT}
# 全国政协委员 / 全国人大代表 X: a member of a national body, labelled by the office X holds
_MEMBER = frozenset({"委员", "代表", "常委", "人大代表", "政协委员", "人大常委"})


def _own_city(gaz, province: str | None) -> bool:
    """北京, 上海, 天津, 重庆 are their own city (not 海南, also the short name of a Qinghai prefecture)."""
    city = gaz.cities.get(province) if province else None
    return city is not None and city.province == province


@dataclass
class Actor:
    i: int
    level: str
    surface: str
    strength: int            # 2 named subject, 1 weak cue, 0 place that is only a location
    place: Place | None = None
    venue: bool = False


@dataclass
class Where:
    level: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    region: str | None = None
    organizations: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)


def _spans(full: str, open_ch: str, close_ch: str) -> list[tuple[int, int]]:
    spans, start = [], full.find(open_ch)
    while start >= 0:
        end = full.find(close_ch, start + 1)
        if end < 0:
            break
        spans.append((start, end))
        start = full.find(open_ch, end + 1)
    return spans


class _Inside:
    """Is an offset inside quotes “…” or a 《title》? (sorted spans, bisect)"""

    def __init__(self, full: str):
        spans = sorted(_spans(full, "“", "”") + _spans(full, "《", "》"))
        self.starts = [s for s, _ in spans]
        self.spans = spans

    def __call__(self, offset: int) -> bool:
        k = bisect_right(self.starts, offset) - 1
        return k >= 0 and self.spans[k][0] < offset < self.spans[k][1]


def _resolve(places: tuple, known: list[Place]) -> Place:
    """Pick one of several places with the same name (朝阳区) using the others named."""
    if len(places) == 1:
        return places[0]
    for p in places:
        if any(k.province == p.province and (k.city == p.city or k.kind == PROVINCIAL) for k in known):
            return p
    return places[0]


def _prev(tokens: list[str], i: int) -> int:
    j = i - 1
    while j >= 0 and tokens[j].isspace() and tokens[j] != "\n":
        j -= 1
    return j


def _next(tokens: list[str], i: int) -> int:
    j = i + 1
    while j < len(tokens) and tokens[j].isspace() and tokens[j] != "\n":
        j += 1
    return j


def _former(tokens: list[str], j: int, hits) -> bool:
    """青岛市政协原主席X: a former post describes a person, the body does not act."""
    return j < len(tokens) and tokens[j] == "原" and _next(tokens, j) in hits.titles


def locate(doc, hits, lexicon) -> Where:
    gaz = lexicon.gazetteer
    tokens, starts, full = doc.tokens, doc.starts, doc.full
    inside = _Inside(full)
    title_end = len(doc.title)

    body_at = dict(hits.bodies)
    org_at = dict(hits.orgs)
    level_title_at = dict(hits.level_titles)
    local_word_at = dict(hits.local_words)

    # 1. places, with datelines dropped and short county names accepted only in context
    unique = [p[0] for _, p in hits.places if len(p) == 1]
    placed: dict[int, Place] = {}
    for i, options in hits.places:
        end = starts[i] + len(tokens[i])
        if starts[i] > title_end and _DATELINE.match(full, end, end + 8):
            continue
        placed[i] = _resolve(options, unique)
    for i, (options, _body, _level) in hits.compound.items():
        placed[i] = _resolve(options, unique)
    strong_districts = {p for p in placed.values() if p.kind == DISTRICT}
    for i, options in hits.weak:
        if i in placed:
            continue
        j, k = _prev(tokens, i), _next(tokens, i)
        before = placed.get(j)
        after = tokens[k] if k < len(tokens) else ""
        ok = [p for p in options if p in strong_districts
              or (after and p.name == tokens[i] + after[0] and (k in local_word_at or k in body_at))
              or (before is not None and before.kind == PROVINCIAL and before.province == p.province)
              or (before is not None and before.kind == CITY and before.city == p.city)
              or (starts[i] < title_end and k < len(tokens) and tokens[k] and tokens[k][0] in _TITLE_STARTERS
                  and all(t.isspace() or t in _TITLE_STARTERS or t not in lexicon.index for t in tokens[:i]))]
        if ok:
            placed[i] = ok[0]

    # 2. actors in token order
    actors: list[Actor] = []
    consumed: set[int] = set()
    sentence_first: dict[int, int] = {}
    for i in sorted(placed):
        if i in consumed:
            continue
        chain, j = [i], _next(tokens, i)
        while i not in hits.compound and j in placed and placed[j].province == placed[chain[-1]].province:
            chain.append(j)
            j = _next(tokens, j)
        consumed.update(chain)
        place = max((placed[c] for c in chain), key=lambda p: _SPECIFIC[p.kind])
        surface = "".join(tokens[chain[0]:chain[-1] + 1])
        level, strength, after = place.kind, 2, j
        if j in hits.zones and (place.kind == CITY or _own_city(gaz, place.province)) and chain[-1] not in hits.compound:
            # 成都高新区: a zone of the city acts at district level
            city = gaz.cities[place.city or place.province]
            place = Place(surface + tokens[j], DISTRICT, city.province, city.city, city.full + tokens[j])
            level = DISTRICT
            placed[chain[-1]] = place
            surface += tokens[j]
            j = after = _next(tokens, j)
        if chain[-1] in hits.compound:  # 河南省委: place and body in one token
            level = hits.compound[chain[-1]][2] or level
        elif j < len(tokens) and (j in body_at or j in level_title_at or j in local_word_at):
            level = hits.admin.get(j) or level_title_at.get(j) or level
            if level == CENTRAL:
                level = place.kind
            surface += tokens[j]
            after = _next(tokens, j)
        elif _prev(tokens, i) in hits.locations:
            strength = 0
        if level == CITY and place.kind == PROVINCIAL:
            level = PROVINCIAL  # 上海市政府, 北京市长: a municipality's city offices act at provincial level
        if _former(tokens, after, hits):
            strength = 0
        actors.append(Actor(i, level, surface, strength, place))
    for i, canonical in hits.orgs:
        if i in consumed or _prev(tokens, i) in placed or _prev(tokens, i) in hits.admin:
            continue  # 河南省发改委: a local body, handled below
        nxt = _next(tokens, i)
        member = nxt < len(tokens) and tokens[nxt] in _MEMBER
        actors.append(Actor(i, CENTRAL, tokens[i], 0 if member or _former(tokens, nxt, hits) else 2,
                            venue=canonical in lexicon.venues))
    for i, _ in hits.bodies:
        j = _prev(tokens, i)
        if j in placed:
            continue  # part of a place actor above
        level = hits.admin.get(i) or (hits.admin.get(j) if j >= 0 and len(tokens[j]) <= 3 else None)
        if level and i not in org_at:
            actors.append(Actor(i, level, (tokens[j] if j in hits.admin else "") + tokens[i], 2))
    for i, name in hits.leaders:
        actors.append(Actor(i, CENTRAL, name, 2))
    for i, level in hits.level_titles:
        if _prev(tokens, i) not in placed:
            actors.append(Actor(i, level, tokens[i], 2 if level == CENTRAL else 1))
    for i, word in hits.central_words:
        nxt = _next(tokens, i)
        if not (nxt < len(tokens) and tokens[nxt] in _MEMBER):  # 全国 政协委员: a membership, not an actor
            actors.append(Actor(i, CENTRAL, word, 1))
    for i, word in hits.local_words:
        level = next((_LEVEL_OF_CHAR[ch] for ch in word if ch in _LEVEL_OF_CHAR), None)
        if _prev(tokens, i) not in placed and level:
            actors.append(Actor(i, level, word, 2 if word[0] == "我" else 1))
    actors.sort(key=lambda a: a.i)
    for a in actors:  # 在市委市政府的领导下, 在国务院举行的发布会上: a setting, not the actor
        if a.place is None and _prev(tokens, a.i) in hits.locations:
            a.strength = 0
    # a place is a subject when nothing else acts before it in its sentence (text only)
    for a in actors:
        s = doc.sentence_of(a.i)
        if a.place is not None and a.strength == 2 and s > 0 and sentence_first.get(s, a.i) < a.i:
            a.strength = 1
        if a.strength > 0 and not a.venue and not inside(starts[a.i]):
            sentence_first.setdefault(s, a.i)

    # 3. the deciding actor
    quoted = [a for a in actors if inside(starts[a.i])]
    free = [a for a in actors if not inside(starts[a.i])]

    def first(pool, cond):
        return next((a for a in pool if cond(a)), None)

    def in_title(a: Actor) -> bool:
        return starts[a.i] < title_end

    actor = (first(free, lambda a: a.strength == 2 and not a.venue and in_title(a))
             or first(free, lambda a: a.strength == 2 and not a.venue)
             or first(free, lambda a: a.strength == 2)
             or first(free, lambda a: a.strength == 1)
             or first(free, lambda a: a.strength == 0)
             or first(quoted, lambda a: a.strength > 0))
    where = Where()
    ev = where.evidence
    if actor is None:
        if not placed:  # nobody and nowhere local is named: a national matter
            where.level = CENTRAL
            ev["level"] = [f"{CENTRAL}: no local body or place named"]
        return _organizations(where, doc, hits, lexicon, placed)
    where.level = actor.level
    zone = "title" if in_title(actor) else "text"
    ev["level"] = [f"{actor.level}: {actor.surface} ({zone})"]

    # 4. where: the actor's place, else the places the title (or text) names
    place = actor.place
    if actor.level == CENTRAL:
        title_places = {placed[i] for i in placed if starts[i] < title_end}
        provinces = {p.province for p in title_places}
        place = None
        if len(provinces) == 1:
            place = max(title_places, key=lambda p: _SPECIFIC[p.kind])
            if len({p for p in title_places if p.kind != PROVINCIAL}) > 1:
                place = gaz.provinces.get(place.province)
    elif place is None:
        want = _SPECIFIC[actor.level]
        ordered = [placed[i] for i in sorted(placed) if not inside(starts[i])] or [placed[i] for i in sorted(placed)]
        place = next((p for p in ordered if _SPECIFIC[p.kind] == want), None) or (ordered[0] if ordered else None)
    if place is not None:
        where.province = place.province
        where.region = gaz.regions.get(place.province)
        where.city = place.city if place.kind != PROVINCIAL else (place.province if _own_city(gaz, place.province) else None)
        where.district = place.name if place.kind == DISTRICT else None
        if actor.level == PROVINCIAL and where.city is None:
            # 湖南 ... 娄底市: one city of that province in the title is where it happens
            cities = {placed[i].city for i in placed if starts[i] < title_end
                      and placed[i].province == place.province and placed[i].city}
            if len(cities) == 1:
                where.city = cities.pop()
        shown = next((tokens[i] for i in sorted(placed) if placed[i] == place), place.name)
        ev["province"] = [f"{shown} → {where.province}"]
        if where.city:
            ev["city"] = [f"{shown} → {where.city}"]
        if where.district:
            ev["district"] = [shown]
        if where.region:
            ev["region"] = [f"{where.province} → {where.region}"]
    return _organizations(where, doc, hits, lexicon, placed)


def _organizations(where: Where, doc, hits, lexicon, placed) -> Where:
    tokens = doc.tokens
    gaz = lexicon.gazetteer
    found: list[tuple[int, str, str]] = []
    for i, canonical in hits.orgs:
        j = _prev(tokens, i)
        if j not in placed and j not in hits.admin:
            found.append((i, canonical, tokens[i]))
    bodies = list(hits.bodies) + [(i, c[1]) for i, c in hits.compound.items() if c[1]]
    for i, body in sorted(bodies):
        j = _prev(tokens, i)
        place = placed.get(i) if i in hits.compound else placed.get(j)
        if place is None and (i in hits.admin or j in hits.admin):
            level = hits.admin.get(i) or hits.admin.get(j)
            if level == PROVINCIAL and where.province:
                place = gaz.provinces.get(where.province)
            elif level == CITY and where.city:
                place = gaz.cities.get(where.city)
        if place is not None:
            surface = (tokens[j] if (j in placed or j in hits.admin) and i not in hits.compound else "") + tokens[i]
            found.append((i, place.full + body, surface))
    seen: set[str] = set()
    for _, name, surface in sorted(found):
        if name not in seen:
            seen.add(name)
            where.organizations.append(name)
            where.evidence.setdefault("organizations", []).append(surface if surface == name else f"{surface} → {name}")
    return where
