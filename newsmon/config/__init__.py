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
    config.analyser(settings)     # Analyser (lexicon + jieba + category model), once per process
    config.category_model(settings)  # the category model of text/model.yaml (None without that file)
    config.train_category_model(settings, items)  # retrain it (`newsmon label --train`)
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
           "schedule", "digest", "watches", "lexicon", "analyser", "rules_analyser", "category_model", "model_options", "training_items",
           "train_category_model", "check_all"]

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
    from newsmon.config.values import values as filter_values

    places = filter_values(settings)  # a watch's 浙江省 is the query's 浙江 (newsmon/config/values.py)

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
        return loaded.data.model_copy(update={"watches": [_normalised(loaded, i, w, places)
                                                          for i, w in enumerate(loaded.data.watches)]})

    return _cached(("watches", loaded.stamp, tuple(sorted(known)), tuple(sorted(places.province.items())),
                    tuple(sorted(places.region.items()))), build)


def _normalised(loaded, i: int, watch, places):
    """The watch with its province and region filters as stored (浙江省 -> 浙江); unknown ones: file and line."""
    update = {}
    for kind in ("province", "region"):
        names = []
        for j, value in enumerate(getattr(watch.filters, kind)):
            try:
                names.append(places.normalise(kind, value))
            except ConfigError as exc:
                raise loaded.error(("watches", i, "filters", kind, j), str(exc)) from None
        update[kind] = list(dict.fromkeys(names))
    return watch.model_copy(update={"filters": watch.filters.model_copy(update=update)})


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


def rules_analyser(settings):
    """The process's Analyser with the rules alone (what the category model is trained on)."""
    from newsmon.text.analyser import Analyser

    lex = lexicon(settings)
    cache = data_dir(settings) / "jieba"
    return _cached(("analyser", id(lex), str(cache)), lambda: Analyser(lex, cache))


def analyser(settings):
    """The process's Analyser for this configuration: rules, gazetteer, jieba (its cache under the
    data directory) and the category model, each loaded once per process and version of its files."""
    rules = rules_analyser(settings)
    model = category_model(settings)
    return _cached(("analyser+model", id(rules), id(model)), lambda: rules.with_model(model))


def _model_config(settings):
    from newsmon.config.schemas import text

    path = config_path(settings, text.MODEL)
    return _load(settings, str(path), text.ModelFile) if path.exists() else None


def category_model(settings):
    """The category model named by text/model.yaml (None when there is no model.yaml: rules alone)."""
    from newsmon.config import loader, training
    from newsmon.vocab import ALL_CATEGORIES

    loaded = _model_config(settings)
    if loaded is None:
        return None
    path = config_path(settings, loaded.data.model_file)
    try:
        key = ("category_model", loader.stamp(path))
    except OSError:
        key = ("category_model", str(path), "missing")
    return _cached(key, lambda: training.read_model(path, list(ALL_CATEGORIES)))


def model_options(settings) -> dict:
    """The training options of text/model.yaml (what the next `newsmon label --train` uses)."""
    loaded = _model_config(settings)
    if loaded is None:
        raise ConfigError(f"config file {config_path(settings, 'text/model.yaml')} does not exist: no model to train")
    return loaded.data.options.model_dump()


def training_items(settings) -> list[dict]:
    """The model's training items with the analysts' corrections applied (text/model.yaml).

    Items of a correction that names only an article ``id`` have empty title and
    text: the caller (``newsmon label --train``) fills them in from the store.
    """
    from newsmon.config import training

    loaded = _model_config(settings)
    if loaded is None:
        raise ConfigError(f"config file {config_path(settings, 'text/model.yaml')} does not exist: no model to train")
    items: list[dict] = []
    for name in loaded.data.training:
        items += training.read_items(config_path(settings, name))
    corrections = training.read_items(config_path(settings, loaded.data.corrections), missing_ok=True)
    return training.merge(items, corrections)


def train_category_model(settings, items: list[dict]) -> dict:
    """Train the category model on items (title, text, labels) and write its file; what was written."""
    from newsmon.config import training
    from newsmon.text import model
    from newsmon.vocab import ALL_CATEGORIES

    loaded = _model_config(settings)
    if loaded is None:
        raise ConfigError(f"config file {config_path(settings, 'text/model.yaml')} does not exist: no model to train")
    missing = [i["from"] for i in items if not (i["title"] or i["text"])]
    if missing:
        raise ConfigError(f"training item {missing[0]} has no title or text (an article id not found in the store?)")
    options = model_options(settings)
    rules = rules_analyser(settings)
    rows = [(i["title"], i["text"], i["labels"]["category"]) for i in items]
    examples = [(rules.category_features(t, x, options), c) for t, x, c in rows]
    trained = model.train(examples, list(ALL_CATEGORIES), options, model.data_hash(rows))
    path = config_dir(settings) / loaded.data.model_file
    text_out = model.to_json(trained)
    training.write_model(path, text_out)
    return {"path": str(path), "examples": len(rows), "features": len(trained.weights),
            "bytes": len(text_out.encode("utf-8")), "data_sha256": trained.meta["data_sha256"],
            "per_class": trained.meta["per_class"]}


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
    category_model(settings)
