"""Everything in config/text/ indexed by token.

Labelling walks the token stream once and looks each token up in one dict, so every
rule, term list and gazetteer entry is turned into ``token -> entries`` here. The
config layer validates each file and calls :func:`build_lexicon` once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsmon.errors import DataError
from newsmon.text.gazetteer import Gazetteer
from newsmon.text.keywords import Keywords

# entry kinds in Lexicon.index
PLACE, ORG, BODY, DOMAIN, TECH, CUE, TITLE, LEADER, LEVEL_TITLE, LOCAL_WORD, CENTRAL_WORD, LOCATION, ADMIN, ZONE = (
    "place", "org", "body", "domain", "tech", "cue", "title", "leader", "level_title", "local_word",
    "central_word", "location", "admin", "zone")


@dataclass
class Lexicon:
    gazetteer: Gazetteer
    keywords: Keywords
    index: dict[str, tuple] = field(default_factory=dict)      # token -> ((kind, value), ...)
    suffix_cues: dict[str, dict] = field(default_factory=dict)  # 2-char cue -> {category: weight}
    rules: dict = field(default_factory=dict)
    central_orgs: dict[str, str] = field(default_factory=dict)  # alias -> canonical
    local_bodies: dict[str, str] = field(default_factory=dict)  # alias -> canonical
    venues: frozenset = frozenset()
    surnames: frozenset = frozenset()
    doc_types: tuple = ()
    doc_number: re.Pattern | None = None
    jieba_words: dict[str, int | None] = field(default_factory=dict)  # word -> freq (None: let jieba suggest)
    # 大连市委, 河南省委: jieba keeps place + body as one token; suffix -> (body or None, level or None)
    compound_suffixes: dict[str, tuple] = field(default_factory=dict)

    def add(self, token: str, kind: str, value) -> None:
        if not token:
            return
        entries = self.index.get(token, ())
        if (kind, value) not in entries:
            self.index[token] = entries + ((kind, value),)


def build_lexicon(*, gazetteer: Gazetteer, keywords: Keywords, organizations: dict, terms: dict, rules: dict,
                  dictionary: dict[str, int | None], surnames: frozenset,
                  organizations_name: str = "text/organizations.yaml") -> Lexicon:
    """Index checked config/text data by token (DataError when the files disagree)."""
    lex = Lexicon(gazetteer=gazetteer, keywords=keywords)
    _add_orgs(lex, organizations, organizations_name)
    _add_terms(lex, terms)
    _add_rules(lex, rules)
    for surface, places in lex.gazetteer.strong.items():
        lex.add(surface, PLACE, tuple(places))
    lex.jieba_words.update(dictionary)
    lex.surnames = surnames
    for word in lex.gazetteer.words() | set(lex.central_orgs) | set(lex.central_orgs.values()) | set(lex.local_bodies):
        lex.jieba_words.setdefault(word, None)
    for term in lex.keywords.terms:
        if not term.isascii():
            lex.jieba_words.setdefault(term, None)
    return lex


def _add_orgs(lex: Lexicon, data: dict, source: str) -> None:
    seen: dict[tuple[str, str], str] = {}
    for section, table, kind in (("central", lex.central_orgs, ORG), ("local_bodies", lex.local_bodies, BODY)):
        for canonical, aliases in (data.get(section) or {}).items():
            for alias in {canonical, *aliases} if section == "central" else aliases:
                other = seen.get((section, alias))
                if other is not None and other != canonical:
                    raise DataError(source, (section, canonical),
                                    f"alias {alias} is listed under both {other} and {canonical} in '{section}'")
                seen[(section, alias)] = canonical
                table[alias] = canonical
                lex.add(alias, kind, canonical)
    for place_name, names in (data.get("place_bodies") or {}).items():
        # 港府 = the government of 香港: the body stands for its place (it acts there, at its level)
        place = lex.gazetteer.provinces.get(place_name) or lex.gazetteer.cities.get(place_name)
        if place is None:
            raise DataError(source, ("place_bodies", place_name), f"{place_name} is not a province or city of places.yaml")
        for name in names:
            lex.add(name, PLACE, (place,))
            lex.jieba_words.setdefault(name, None)
    venues = data.get("venues") or []
    unknown = [v for v in venues if v not in lex.central_orgs.values()]
    if unknown:
        raise DataError(source, ("venues",), f"{unknown[0]} is not a canonical name under 'central'")
    lex.venues = frozenset(venues)


def _add_terms(lex: Lexicon, data: dict) -> None:
    for section, kind in (("domains", DOMAIN), ("technologies", TECH)):
        for canonical, words in data[section].items():
            for term in {canonical, *words}:
                lex.add(term, kind, canonical)
                lex.jieba_words.setdefault(term, None)


def _add_rules(lex: Lexicon, data: dict) -> None:
    cat = data["category"]
    suffixes = set(cat.get("suffix_cues") or [])
    for category, words in cat["cues"].items():
        for word, weight in words.items():
            w = float(weight)
            lex.add(str(word), CUE, (category, w))
            lex.jieba_words.setdefault(str(word), None)
            if str(word) in suffixes:
                lex.suffix_cues.setdefault(str(word), {})[category] = w
    lvl = data["level"]
    prefixes = lvl.get("admin_prefixes") or {}
    for word in lvl.get("central_words") or []:
        lex.add(word, CENTRAL_WORD, word)
    for word in lvl.get("zone_words") or []:
        lex.add(word, ZONE, word)
        lex.jieba_words.setdefault(word, None)
    for word in lvl.get("location_markers") or []:
        lex.add(word, LOCATION, word)
    for word in lvl.get("local_words") or []:
        lex.add(word, LOCAL_WORD, word)
        lex.jieba_words.setdefault(word, None)
        lex.compound_suffixes[word] = (None, prefixes.get(word[0]))
    for alias, body in lex.local_bodies.items():
        lex.compound_suffixes.setdefault(alias, (body, None))
    for prefix, level in prefixes.items():
        lex.add(prefix, ADMIN, level)
        for alias, body in lex.local_bodies.items():  # 市政府, 省委宣传部 as jieba may cut them
            lex.add(prefix + alias, BODY, body)
            lex.add(prefix + alias, ADMIN, level)
            lex.compound_suffixes[prefix + alias] = (body, level)
    for title, level in (lvl.get("titles") or {}).items():
        lex.add(title, LEVEL_TITLE, level)
    ppl = data["people"]
    for title in ppl.get("titles") or []:
        lex.add(title, TITLE, title)
        lex.jieba_words.setdefault(title, None)
    for person in ppl.get("central") or []:
        lex.add(person, LEADER, person)
        lex.jieba_words.setdefault(person, None)
    docs = data["documents"]
    lex.doc_types = tuple(sorted(docs["types"], key=len, reverse=True))
    lex.doc_number = re.compile(docs["number_pattern"])
    lex.rules = data
