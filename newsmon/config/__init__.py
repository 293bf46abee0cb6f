"""The configuration layer: settings, and every config file as checked, ready objects.

Everything an entry point or a component needs from config/ comes from here, built
from the settings it was given (never from the environment directly)::

    from newsmon import config
    settings = config.get_settings()
    config.sources(settings)      # list[Source]
    config.keywords(settings)     # Keywords (blockchain terms)
    config.url_rules(settings)    # UrlRules
    config.schedule(settings)     # ScheduleConfig
    config.digest(settings)       # DigestFile
    config.watches(settings)      # WatchesFile (saved filters and their channels)
    config.analyser(settings)     # Analyser (lexicon + jieba), once per process
    config.check_all(settings)    # every file, before a crawl starts

Files are re-read when they change (see loader.py); objects built from them are
cached on the stamps of their files, so each is built once per process and version.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from newsmon.config.settings import config_dir, config_path, data_dir, get_settings
from newsmon.errors import ConfigError, DataError, UnknownSource

__all__ = ["get_settings", "config_dir", "config_path", "data_dir", "sources", "source", "keywords", "url_rules",
           "schedule", "digest", "watches", "lexicon", "analyser", "check_all"]

_built: dict[tuple, Any] = {}
_lock = threading.Lock()


def _cached(key: tuple, build: Callable[[], Any]) -> Any:
    with _lock:
        if key in _built:
            return _built[key]
    value = build()
    with _lock:
        return _built.setdefault(key, value)


def _load(settings, name: str, schema):
    from newsmon.config import loader

    return loader.load(config_path(settings, name), schema)


# --- sources ---------------------------------------------------------------------------------
def sources(settings) -> list:
    """The sources of NEWSMON_SOURCES_FILE, checked (names unique)."""
    from newsmon.config.schemas.sources import SourcesFile

    loaded = _load(settings, settings.get("NEWSMON_SOURCES_FILE"), SourcesFile)

    def build():
        seen: dict[str, int] = {}
        for i, s in enumerate(loaded.data.sources):
            if s.name in seen:
                raise loaded.error(("sources", i, "name"), f"duplicate source name {s.name!r} (also sources[{seen[s.name]}])")
            seen[s.name] = i
        return list(loaded.data.sources)

    return _cached(("sources", loaded.stamp), build)


def source(settings, name: str):
    """One configured source by name; UnknownSource naming the configured ones."""
    found = {s.name: s for s in sources(settings)}
    if name not in found:
        raise UnknownSource(f"unknown source {name!r}; configured sources: {', '.join(sorted(found)) or 'none'}")
    return found[name]


# --- single files ----------------------------------------------------------------------------
def keywords(settings):
    """The blockchain terms of NEWSMON_KEYWORDS_FILE, compiled."""
    from newsmon.config.schemas.keywords import KeywordsFile
    from newsmon.text.keywords import Keywords

    loaded = _load(settings, settings.get("NEWSMON_KEYWORDS_FILE"), KeywordsFile)
    return _cached(("keywords", loaded.stamp), lambda: Keywords.from_terms(list(loaded.data.terms)))


def url_rules(settings):
    """Canonical-URL rules of NEWSMON_URL_RULES_FILE (the built-ins only when the file is absent)."""
    from newsmon.config.schemas.url_rules import UrlRulesFile
    from newsmon.urls import BUILTIN, build_rules

    path = config_path(settings, settings.get("NEWSMON_URL_RULES_FILE"))
    if not path.exists():
        return BUILTIN
    loaded = _load(settings, str(path), UrlRulesFile)
    d = loaded.data
    return _cached(("url_rules", loaded.stamp), lambda: build_rules(
        list(d.tracking_params), dict(d.mobile_hosts), [(r.match, r.replace) for r in d.rewrites],
        [list(g) for g in d.same_site]))


def schedule(settings):
    """config/schedule.yaml (NEWSMON_SCHEDULE_FILE); the built-in daily 06:00 when there is none."""
    from newsmon.config.schemas.schedule import ScheduleFile, build_schedule

    path = config_path(settings, settings.get("NEWSMON_SCHEDULE_FILE"))
    if not path.exists():
        return build_schedule(None, str(path))
    loaded = _load(settings, str(path), ScheduleFile)
    return _cached(("schedule", loaded.stamp), lambda: build_schedule(loaded, str(path)))


def digest(settings):
    from newsmon.config.schemas.digest import DigestFile

    return _load(settings, settings.get("NEWSMON_DIGEST_FILE"), DigestFile).data


def watches(settings):
    """config/watches.yaml (NEWSMON_WATCHES_FILE), checked: names unique per file and per watch, sources known.

    No file: no watches.
    """
    from newsmon.config.schemas.watches import WatchesFile

    path = config_path(settings, settings.get("NEWSMON_WATCHES_FILE"))
    if not path.exists():
        return WatchesFile()
    loaded = _load(settings, str(path), WatchesFile)
    known = {s.name for s in sources(settings)}

    def build():
        import difflib

        seen: dict[str, int] = {}
        for i, w in enumerate(loaded.data.watches):
            if w.name in seen:
                raise loaded.error(("watches", i, "name"), f"duplicate watch name {w.name!r} (also watches[{seen[w.name]}])")
            seen[w.name] = i
            ids: dict[str, int] = {}
            for j, ch in enumerate(w.channels):
                if ch.id in ids:
                    raise loaded.error(("watches", i, "channels", j), f"the same channel as channels[{ids[ch.id]}]; "
                                                                      "give one of them another 'name'")
                ids[ch.id] = j
            for j, name in enumerate(w.filters.source):
                if name not in known:
                    near = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
                    hint = f"; did you mean '{near[0]}'?" if near else "; see 'newsmon sources'"
                    raise loaded.error(("watches", i, "filters", "source", j), f"unknown source {name!r}{hint}")
        return loaded.data

    return _cached(("watches", loaded.stamp, tuple(sorted(known))), build)


# --- text: lexicon and analyser ----------------------------------------------------------------
def _text_files(settings) -> dict:
    from newsmon.config import loader
    from newsmon.config.schemas import text

    schemas = {text.PLACES: text.PlacesFile, text.DISTRICTS: text.DistrictsFile,
               text.ORGANIZATIONS: text.OrganizationsFile, text.TERMS: text.TermsFile, text.RULES: text.RulesFile}
    return {name: loader.load(config_path(settings, name), schema) for name, schema in schemas.items()}


def lexicon(settings):
    """config/text/ and the blockchain terms, indexed (once per version of the files)."""
    from newsmon.config import loader
    from newsmon.config.schemas import text
    from newsmon.text.gazetteer import build_gazetteer
    from newsmon.text.lexicon import build_lexicon

    files = _text_files(settings)
    kw = keywords(settings)
    plain = {text.DICTIONARY: config_path(settings, text.DICTIONARY), text.SURNAMES: config_path(settings, text.SURNAMES)}
    try:
        stamps = tuple(f.stamp for f in files.values()) + tuple(loader.stamp(p) for p in plain.values())
    except OSError as exc:
        raise ConfigError(f"config file {exc.filename} cannot be read: {exc.strerror}") from None

    def build():
        data = {name: f.data.model_dump() for name, f in files.items()}
        try:
            gaz = build_gazetteer(data[text.PLACES], data[text.DISTRICTS], text.PLACES, text.DISTRICTS)
            return build_lexicon(gazetteer=gaz, keywords=kw, organizations=data[text.ORGANIZATIONS],
                                 terms=data[text.TERMS], rules=data[text.RULES],
                                 dictionary=text.parse_dictionary(plain[text.DICTIONARY]),
                                 surnames=text.parse_surnames(plain[text.SURNAMES]),
                                 organizations_name=text.ORGANIZATIONS)
        except DataError as exc:
            raise files[exc.source].error(exc.loc, exc.message) from None

    return _cached(("lexicon", stamps, id(kw)), build)


def analyser(settings):
    """The process's Analyser for this configuration (jieba's cache under the data directory)."""
    from newsmon.text.analyser import Analyser

    lex = lexicon(settings)
    cache = data_dir(settings) / "jieba"
    return _cached(("analyser", id(lex), str(cache)), lambda: Analyser(lex, cache))


# --- everything, before a crawl starts --------------------------------------------------------------
def check_all(settings) -> None:
    """Load and check every config file and typed setting; ConfigError (one line) on the first problem."""
    from newsmon.config.settings import check_types

    check_types(settings)
    sources(settings)
    keywords(settings)
    url_rules(settings)
    schedule(settings)
    digest(settings)
    watches(settings)
    lexicon(settings)
