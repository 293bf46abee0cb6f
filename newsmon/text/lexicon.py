"""Everything in config/text/ loaded once and indexed by token.

Labelling walks the token stream once and looks each token up in one dict, so every
rule, term list and gazetteer entry is turned into ``token -> entries`` here. A
malformed file raises ConfigError naming the file and what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from newsmon.config import config_path, load_keywords, load_yaml, require
from newsmon.errors import ConfigError
from newsmon.keywords import Keywords
from newsmon.text.gazetteer import Gazetteer, load_gazetteer

CATEGORIES = ("policy", "application", "voice")
LEVELS = ("central", "provincial", "city", "district")

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


def _mapping_of_lists(data, label: str, key: str) -> dict[str, list[str]]:
    value = data.get(key) or {}
    require(isinstance(value, dict), label, f"'{key}' must be a mapping of name: [aliases]")
    out = {}
    for name, aliases in value.items():
        require(isinstance(aliases, list) and all(isinstance(a, str) and a.strip() for a in aliases), label,
                f"{key}.{name} must be a list of names, got {aliases!r}")
        out[str(name)] = [a.strip() for a in aliases]
    return out


def _number(value, label: str, where: str) -> float:
    require(isinstance(value, (int, float)) and not isinstance(value, bool), label, f"{where} must be a number, got {value!r}")
    return float(value)


def load_dictionary(name: str = "text/dict.txt") -> dict[str, int | None]:
    """Parse the jieba user dictionary: `word [freq] [tag]`, # comments."""
    path = config_path(name)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror or exc}") from None
    words: dict[str, int | None] = {}
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = None
        if len(parts) > 1:
            if not parts[1].isdigit():
                raise ConfigError(f"config file {path} line {n}: frequency must be a whole number, got {parts[1]!r}")
            freq = int(parts[1])
        words[parts[0]] = freq
    return words


def load_surnames(name: str = "text/surnames.txt") -> frozenset:
    path = config_path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror or exc}") from None
    names = {w for line in text.splitlines() for w in line.split("#", 1)[0].split()}
    require(bool(names), str(path), "no surnames listed")
    return frozenset(names)


@lru_cache(maxsize=None)
def load_lexicon() -> Lexicon:
    """Load and index config/text/ (cached: once per process)."""
    lex = Lexicon(gazetteer=load_gazetteer(), keywords=load_keywords())
    _load_orgs(lex, "text/organizations.yaml")
    _load_terms(lex, "text/terms.yaml")
    _load_rules(lex, "text/rules.yaml")
    for surface, places in lex.gazetteer.strong.items():
        lex.add(surface, PLACE, tuple(places))
    lex.jieba_words.update(load_dictionary())
    lex.surnames = load_surnames()
    for word in lex.gazetteer.words() | set(lex.central_orgs) | set(lex.central_orgs.values()) | set(lex.local_bodies):
        lex.jieba_words.setdefault(word, None)
    for term in lex.keywords.terms:
        if not term.isascii():
            lex.jieba_words.setdefault(term, None)
    return lex


def _load_orgs(lex: Lexicon, name: str) -> None:
    data, label = load_yaml(name), str(config_path(name))
    require(isinstance(data, dict), label, "expected a mapping with 'central' and 'local_bodies'")
    seen: dict[str, str] = {}
    for section, table, kind in (("central", lex.central_orgs, ORG), ("local_bodies", lex.local_bodies, BODY)):
        for canonical, aliases in _mapping_of_lists(data, label, section).items():
            for alias in {canonical, *aliases} if section == "central" else aliases:
                other = seen.get((section, alias))
                require(other is None or other == canonical, label,
                        f"alias {alias} is listed under both {other} and {canonical} in '{section}'")
                seen[(section, alias)] = canonical
                table[alias] = canonical
                lex.add(alias, kind, canonical)
    venues = data.get("venues") or []
    require(isinstance(venues, list) and all(v in lex.central_orgs.values() for v in venues), label,
            "'venues' must list canonical names from 'central'")
    lex.venues = frozenset(venues)


def _load_terms(lex: Lexicon, name: str) -> None:
    data, label = load_yaml(name), str(config_path(name))
    require(isinstance(data, dict), label, "expected a mapping with 'domains' and 'technologies'")
    for section, kind in (("domains", DOMAIN), ("technologies", TECH)):
        for canonical, terms in _mapping_of_lists(data, label, section).items():
            for term in {canonical, *terms}:
                lex.add(term, kind, canonical)
                lex.jieba_words.setdefault(term, None)


def _load_rules(lex: Lexicon, name: str) -> None:
    data, label = load_yaml(name), str(config_path(name))
    require(isinstance(data, dict), label, "expected a mapping with 'category', 'level', 'people', 'documents'")
    for key in ("category", "level", "people", "documents", "relevance"):
        require(isinstance(data.get(key), dict), label, f"'{key}' must be a mapping")
    cat = data["category"]
    cues = cat.get("cues")
    require(isinstance(cues, dict) and set(cues) <= set(CATEGORIES), label,
            f"category.cues must map {', '.join(CATEGORIES)} to word: weight")
    suffixes = set(cat.get("suffix_cues") or [])
    for category, words in cues.items():
        require(isinstance(words, dict), label, f"category.cues.{category} must map word: weight")
        for word, weight in words.items():
            w = _number(weight, label, f"category.cues.{category}.{word}")
            lex.add(str(word), CUE, (category, w))
            lex.jieba_words.setdefault(str(word), None)
            if str(word) in suffixes:
                lex.suffix_cues.setdefault(str(word), {})[category] = w
    weights = cat.get("weights") or {}
    require(isinstance(weights, dict) and set(weights) == {"title", "lead", "body"}, label,
            "category.weights must give title, lead and body")
    for key in ("lead_sentences", "body_sentences", "min_score", "document_title", "title_speaker"):
        _number(cat.get(key), label, f"category.{key}")
    lvl = data["level"]
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
        lex.compound_suffixes[word] = (None, (lvl.get("admin_prefixes") or {}).get(word[0]))
    for alias, body in lex.local_bodies.items():
        lex.compound_suffixes.setdefault(alias, (body, None))
    prefixes = lvl.get("admin_prefixes") or {}
    require(isinstance(prefixes, dict) and set(prefixes.values()) <= set(LEVELS), label,
            f"level.admin_prefixes must map a character to one of {', '.join(LEVELS)}")
    for prefix, level in prefixes.items():
        lex.add(prefix, ADMIN, level)
        for alias, body in lex.local_bodies.items():  # 市政府, 省委宣传部 as jieba may cut them
            lex.add(prefix + alias, BODY, body)
            lex.add(prefix + alias, ADMIN, level)
            lex.compound_suffixes[prefix + alias] = (body, level)
    titles = lvl.get("titles") or {}
    require(isinstance(titles, dict) and set(titles.values()) <= set(LEVELS), label,
            f"level.titles must map a title to one of {', '.join(LEVELS)}")
    for title, level in titles.items():
        lex.add(title, LEVEL_TITLE, level)
    ppl = data["people"]
    for title in ppl.get("titles") or []:
        lex.add(title, TITLE, title)
        lex.jieba_words.setdefault(title, None)
    for person in ppl.get("central") or []:
        lex.add(person, LEADER, person)
        lex.jieba_words.setdefault(person, None)
    require(isinstance(ppl.get("name_end"), str), label, "people.name_end must be a string of characters")
    docs = data["documents"]
    types = docs.get("types")
    require(isinstance(types, list) and types, label, "documents.types must be a non-empty list")
    lex.doc_types = tuple(sorted(types, key=len, reverse=True))
    try:
        lex.doc_number = re.compile(docs.get("number_pattern") or "")
    except re.error as exc:
        raise ConfigError(f"config file {label}: documents.number_pattern is not a valid regex ({exc})") from None
    require(lex.doc_number.groups == 3, label, "documents.number_pattern needs 3 groups: issuer, year, number")
    rel = data["relevance"]
    for key in ("title", "focused", "listed", "spread"):
        _number(rel.get(key), label, f"relevance.{key}")
    lex.rules = data
