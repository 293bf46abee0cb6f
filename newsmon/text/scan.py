"""One pass over the tokens: every gazetteer, organisation, term and cue hit.

What a token names is worked out once per distinct token (index lookup, cue
suffixes, 大连市委-style compounds, short county names); then only the positions
of tokens that name something are visited. This is the only walk over all tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsmon.text.lexicon import (
    ADMIN,
    BODY,
    CENTRAL_WORD,
    CUE,
    DOMAIN,
    LEADER,
    LEVEL_TITLE,
    LOCAL_WORD,
    LOCATION,
    ORG,
    PLACE,
    TECH,
    TITLE,
    ZONE,
)

WEAK, COMPOUND = "weak", "compound"


@dataclass
class Hits:
    places: list = field(default_factory=list)        # (i, places tuple)
    weak: list = field(default_factory=list)          # (i, places tuple): county short forms
    orgs: list = field(default_factory=list)          # (i, canonical) central bodies
    bodies: list = field(default_factory=list)        # (i, canonical) local bodies
    admin: dict = field(default_factory=dict)         # i -> level of 省/市/区/县 (prefix or prefixed body)
    cues: list = field(default_factory=list)          # (i, category, weight, word)
    titles: set = field(default_factory=set)          # token indexes of people titles
    leaders: list = field(default_factory=list)       # (i, name)
    level_titles: list = field(default_factory=list)  # (i, level)
    local_words: list = field(default_factory=list)   # (i, word)
    central_words: list = field(default_factory=list)  # (i, word)
    locations: set = field(default_factory=set)       # indexes of 在/于/赴 ...
    compound: dict = field(default_factory=dict)      # i -> (places, body or None, level or None)
    zones: set = field(default_factory=set)           # indexes of 高新区, 开发区 ...
    domains: dict = field(default_factory=dict)       # canonical -> [surface]
    techs: dict = field(default_factory=dict)         # canonical -> [surface]


def _entries(tok: str, lexicon) -> tuple:
    """Everything one distinct token names (empty tuple: nothing)."""
    entries = lexicon.index.get(tok, ())
    gaz = lexicon.gazetteer
    if not entries:
        if len(tok) > 3:  # 大连市委 = 大连 + 市委
            for k in range(min(len(tok) - 2, 6), 0, -1):
                suffix = lexicon.compound_suffixes.get(tok[-k:])
                if not suffix:
                    continue
                head = tok[:-k]
                places = gaz.strong.get(head) or [p for p in gaz.weak.get(head, ()) if p.name == head + tok[-k]]
                if places:  # 绥德县委: the 县 of 县委 confirms the short name 绥德 = 绥德县
                    entries += ((COMPOUND, (tuple(places), *suffix)),)
                    break
        if len(tok) > 2:
            for category, weight in lexicon.suffix_cues.get(tok[-2:], {}).items():
                entries += ((CUE, (category, weight)),)
    if tok in gaz.weak:
        entries += ((WEAK, tuple(gaz.weak[tok])),)
    return entries


_cache: dict[str, tuple] = {}
_cache_owner: list = [None]


def scan(tokens: list[str], lexicon) -> Hits:
    hits = Hits()
    if _cache_owner[0] is not lexicon or len(_cache) > 500_000:  # entries depend on the lexicon only
        _cache.clear()
        _cache_owner[0] = lexicon
    named = {}
    for tok in set(tokens):
        entries = _cache.get(tok)
        if entries is None:
            entries = _cache[tok] = _entries(tok, lexicon)
        if entries:
            named[tok] = entries
    for i in [i for i, tok in enumerate(tokens) if tok in named]:
        tok = tokens[i]
        for kind, value in named[tok]:
            if kind == PLACE:
                hits.places.append((i, value))
            elif kind == CUE:
                hits.cues.append((i, value[0], value[1], tok))
            elif kind == ORG:
                hits.orgs.append((i, value))
            elif kind == BODY:
                hits.bodies.append((i, value))
            elif kind == ADMIN:
                hits.admin[i] = value
            elif kind == LOCATION:
                hits.locations.add(i)
            elif kind == TITLE:
                hits.titles.add(i)
            elif kind == LEADER:
                hits.leaders.append((i, value))
            elif kind == LEVEL_TITLE:
                hits.level_titles.append((i, value))
            elif kind == LOCAL_WORD:
                hits.local_words.append((i, value))
            elif kind == CENTRAL_WORD:
                hits.central_words.append((i, value))
            elif kind == DOMAIN:
                hits.domains.setdefault(value, []).append(tok)
            elif kind == TECH:
                hits.techs.setdefault(value, []).append(tok)
            elif kind == WEAK:
                hits.weak.append((i, value))
            elif kind == COMPOUND:
                hits.compound[i] = value
            elif kind == ZONE:
                hits.zones.add(i)
    hits.domains = dict(sorted(hits.domains.items(), key=lambda kv: -len(kv[1])))
    hits.techs = dict(sorted(hits.techs.items(), key=lambda kv: -len(kv[1])))
    return hits
