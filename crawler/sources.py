"""Sources as data: config/sources.yaml parsed and checked into ``Source`` objects.

A source is one site (or one section of a site) crawled by its own spider, named
like the source. Every check names the entry and the field that is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from newsmon.config import config_path, load_yaml, require

KINDS = ("gov", "media")
LEVELS = ("central", "provincial", "city", "district")
METHODS = ("rss", "sitemap", "list", "search", "api")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Discovery:
    """One way a source publishes its article links."""

    method: str               # rss / sitemap / list / search / api
    url: str                  # feed, sitemap, first list page, search or API URL ({keyword}, {page})
    options: dict[str, Any] = field(default_factory=dict)

    def opt(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    kind: str
    level: str
    province: str | None
    city: str | None
    allowed_domains: tuple[str, ...]
    discovery: tuple[Discovery, ...]
    article_pattern: str | None = None      # regex an article URL must match
    selectors: dict[str, str] = field(default_factory=dict)
    group: str = "daily"
    enabled: bool = True
    javascript: bool = False                # render list pages with a browser
    notes: str = ""
    headers: dict[str, str] = field(default_factory=dict)   # sent with every request of this source


def _check_discovery(entry: Any, where: str, label: str) -> Discovery:
    require(isinstance(entry, dict) and len(entry) >= 1, label, f"{where}: each discovery entry is a mapping like 'rss: URL'")
    methods = [k for k in entry if k in METHODS]
    require(len(methods) == 1, label, f"{where}: name exactly one of {', '.join(METHODS)} (got {', '.join(map(str, entry)) or 'nothing'})")
    method = methods[0]
    value = entry[method]
    options = {k: v for k, v in entry.items() if k != method}
    if isinstance(value, dict):
        options = {**value, **options}
        value = options.pop("url", None)
    require(isinstance(value, str) and value.startswith(("http://", "https://")), label,
            f"{where}: {method} needs an http(s) URL, got {value!r}")
    if method == "search":
        require("{keyword}" in value + repr(options.get("form")) + repr(options.get("json")), label,
                f"{where}: a search needs {{keyword}} in its URL, form or json")
    if method == "api":
        require(isinstance(options.get("items"), str), label, f"{where}: api needs 'items', the dot path of the item list")
        require(isinstance(options.get("link"), str) or isinstance(options.get("link_template"), str), label,
                f"{where}: api needs 'link' (field with the URL) or 'link_template'")
    for key in ("max_pages", "page_start"):
        if key in options:
            require(isinstance(options[key], int) and options[key] >= 0, label, f"{where}: {key} must be a whole number")
    if "pages" in options:
        require(isinstance(options["pages"], str) and "{page}" in options["pages"], label,
                f"{where}: 'pages' must be a URL template containing {{page}}")
    if "method" in options:
        require(str(options["method"]).upper() in ("GET", "POST"), label, f"{where}: method must be GET or POST")
    for key in ("form", "json", "headers"):
        if key in options:
            require(isinstance(options[key], dict), label, f"{where}: '{key}' must be a mapping")
    if "keyword_encoding" in options:
        require(options["keyword_encoding"] in ("once", "twice", "raw"), label,
                f"{where}: keyword_encoding must be once, twice or raw")
    if "per_page" in options:
        require(isinstance(options["per_page"], int) and options["per_page"] > 0, label, f"{where}: per_page must be a positive number")
    keywords = options.get("keywords")
    if keywords is not None:
        require(isinstance(keywords, list) and all(isinstance(k, str) and k for k in keywords), label,
                f"{where}: 'keywords' must be a list of search words")
    return Discovery(method, value, options)


def parse_sources(data: Any, label: str) -> list[Source]:
    require(isinstance(data, dict) and isinstance(data.get("sources"), list), label, "expected a mapping with a 'sources' list")
    defaults = data.get("defaults") or {}
    require(isinstance(defaults, dict), label, "'defaults' must be a mapping")
    out: list[Source] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["sources"]):
        require(isinstance(raw, dict), label, f"sources[{i}] must be a mapping")
        entry = {**defaults, **raw}
        name = entry.get("name")
        where = f"sources[{i}] ({name or 'no name'})"
        require(isinstance(name, str) and NAME_RE.match(name), label, f"{where}: 'name' must be lowercase letters, digits and _ (it becomes the spider name)")
        require(name not in seen, label, f"{where}: duplicate source name {name!r}")
        seen.add(name)
        require(entry.get("kind") in KINDS, label, f"{where}: 'kind' must be one of {', '.join(KINDS)}")
        require(entry.get("level") in LEVELS, label, f"{where}: 'level' must be one of {', '.join(LEVELS)}")
        domains = entry.get("allowed_domains")
        require(isinstance(domains, list) and domains and all(isinstance(d, str) for d in domains), label,
                f"{where}: 'allowed_domains' must be a non-empty list of host names")
        disc = entry.get("discovery")
        require(isinstance(disc, list) and disc, label, f"{where}: 'discovery' must be a non-empty list")
        pattern = entry.get("article_pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                require(False, label, f"{where}: article_pattern is not a valid regex ({exc})")
        headers = entry.get("headers") or {}
        require(isinstance(headers, dict), label, f"{where}: 'headers' must be a mapping of header name to value")
        selectors = entry.get("selectors") or {}
        require(isinstance(selectors, dict), label, f"{where}: 'selectors' must be a mapping of title/date/body/source to CSS or XPath")
        out.append(Source(
            name=name,
            title=str(entry.get("title") or name),
            kind=entry["kind"],
            level=entry["level"],
            province=entry.get("province"),
            city=entry.get("city"),
            allowed_domains=tuple(d.lower() for d in domains),
            discovery=tuple(_check_discovery(d, f"{where} discovery[{j}]", label) for j, d in enumerate(disc)),
            article_pattern=pattern,
            selectors={str(k): str(v) for k, v in selectors.items()},
            group=str(entry.get("group") or "daily"),
            enabled=bool(entry.get("enabled", True)),
            javascript=bool(entry.get("javascript", False)),
            notes=str(entry.get("notes") or ""),
            headers={str(k): str(v) for k, v in headers.items()},
        ))
    return out


def load_sources(name: str = "sources.yaml") -> list[Source]:
    return parse_sources(load_yaml(name), str(config_path(name)))
