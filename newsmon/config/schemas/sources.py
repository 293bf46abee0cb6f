"""config/sources.yaml: the sites newsmon crawls, as a declared schema.

A source is one site (or one section of a site) crawled by its own spider, named
like the source. Its ``discovery`` entries say how the site announces articles;
in the file each entry names its kind as its key::

    - rss: https://example.cn/rss.xml
    - list:
        url: https://example.cn/news/index.html
        links: "ul.list li a"
        max_pages: 5

The file's header comment documents every field; this module is what enforces it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union
from urllib.parse import urlsplit

from pydantic import BeforeValidator, Field, NonNegativeInt, PositiveInt, field_validator, model_validator

from newsmon.config.schemas.base import HttpUrl, Name, Regex, Scalar, Selector, Strict, Text, Upper
from newsmon.vocab import DISCOVERY_METHODS, KINDS, LEVELS

PAGE_FIELDS = ("{page}", "{offset}", "{start}", "{end}")
METHODS = (*DISCOVERY_METHODS, "auto")   # auto: find the feeds and sitemaps from the site itself
RENAMED = {"keywords": "search_terms"}


class _Discovery(Strict):
    url: HttpUrl
    headers: dict[str, str] = {}

    def opt(self, name: str, default: Any = None) -> Any:
        """An option's value, or ``default`` when the entry does not set it."""
        value = getattr(self, name, None)
        return default if value is None else value

    @property
    def template(self) -> str:
        """URL, form and JSON body as one text, to look for placeholders in."""
        return self.url + repr(getattr(self, "form", None)) + repr(getattr(self, "json_body", None))

    @property
    def paged(self) -> bool:
        return any(f in self.template for f in PAGE_FIELDS)

    @property
    def searched(self) -> bool:
        return "{keyword}" in self.template


class Feed(_Discovery):
    via: Literal["rss"]


class Sitemap(_Discovery):
    via: Literal["sitemap"]


class Auto(_Discovery):
    """``discovery: auto`` (or ``- auto: URL``): robots.txt's sitemaps, the front page's feeds, common addresses."""

    via: Literal["auto"]


class _Paged(_Discovery):
    http_method: Annotated[Literal["GET", "POST"], Upper] = Field("GET", alias="method")
    form: dict[str, Scalar] | None = None
    json_body: dict[str, Any] | None = Field(None, alias="json")
    per_page: PositiveInt = 20
    page_start: NonNegativeInt | None = None
    max_pages: NonNegativeInt = 3
    search_terms: list[Text] | None = None
    keyword_encoding: Literal["once", "twice", "raw"] = "once"
    javascript: bool | None = None


class ListPage(_Paged):
    via: Literal["list"]
    links: Selector | None = None
    pages: str | None = None
    next: Selector | None = None
    json_html: str | None = None

    @field_validator("pages")
    @classmethod
    def _pages(cls, value: str | None) -> str | None:
        if value is not None and "{page}" not in value:
            raise ValueError("'pages' must be a URL template containing {page}")
        return value


class Search(ListPage):
    via: Literal["search"]

    @model_validator(mode="after")
    def _keyword(self):
        if not self.searched:
            raise ValueError("a search needs {keyword} in its url, form or json")
        return self


class Api(_Paged):
    via: Literal["api"]
    items: str
    link: str | None = None
    link_template: str | None = None
    title: str = "title"
    date: str = "date"

    @model_validator(mode="after")
    def _link(self):
        if not (self.link or self.link_template):
            raise ValueError("an api needs 'link' (the field with the URL) or 'link_template'")
        return self


def _normalise_discovery(entry: Any) -> Any:
    """``{list: {url: …, …}, max_pages: 3}`` or ``{rss: URL}`` -> ``{via: list, url: …, …}``."""
    if not isinstance(entry, dict):
        raise ValueError("each discovery entry is a mapping like 'rss: URL' or 'list: {url: …}'")
    methods = [k for k in entry if k in METHODS]
    if len(methods) != 1:
        got = ", ".join(map(str, entry)) or "nothing"
        raise ValueError(f"name exactly one of {', '.join(METHODS)} (got {got})")
    method = methods[0]
    value, options = entry[method], {k: v for k, v in entry.items() if k != method}
    if isinstance(value, dict):
        options = {**value, **options}
        value = options.pop("url", None)
    for old, new in RENAMED.items():
        if old in options:
            raise ValueError(f"'{old}' is now called '{new}'")
    return {"via": method, "url": value, **options}


Discovery = Annotated[Union[Feed, Sitemap, ListPage, Search, Api, Auto], Field(discriminator="via"),
                      BeforeValidator(_normalise_discovery)]


class Selectors(Strict):
    """Per-site overrides for the article page (CSS, or XPath when it starts with '/' or '(')."""

    title: Selector | None = None
    date: Selector | None = None
    body: Selector | None = None
    outlet: Selector | None = None
    author: Selector | None = None

    def get(self, key: str) -> str | None:
        return getattr(self, key, None)

    def as_dict(self) -> dict[str, str]:
        return self.model_dump(exclude_none=True)


class Source(Strict):
    name: Name
    title: str = ""
    kind: Literal[KINDS]
    level: Literal[LEVELS]
    province: str | None = None
    city: str | None = None
    allowed_domains: Annotated[list[Text], Field(min_length=1)]
    discovery: Annotated[list[Discovery], Field(min_length=1)]
    article_pattern: Regex | None = None
    selectors: Selectors = Selectors()
    group: Text = "daily"
    enabled: bool = True
    javascript: bool = False
    notes: str = ""
    headers: dict[str, str] = {}
    browser_domains: list[Text] = []   # other hosts a rendered page may load from (a CDN), beyond allowed_domains

    @model_validator(mode="before")
    @classmethod
    def _title(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("title") and isinstance(data.get("name"), str):
            data = {**data, "title": data["name"]}
        if isinstance(data, dict) and data.get("discovery") == "auto":
            # `discovery: auto`: start from the front page of the first allowed domain
            domains = data.get("allowed_domains") or []
            if not domains or not isinstance(domains[0], str):
                raise ValueError("discovery: auto needs allowed_domains (its first host's front page is read)")
            data = {**data, "discovery": [{"auto": f"https://{domains[0].lower()}/"}]}
        return data

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        return [d.lower() for d in value]

    @model_validator(mode="after")
    def _checks(self):
        for i, d in enumerate(self.discovery):
            host = (urlsplit(d.url).hostname or "").lower()
            if host and not any(host == a or host.endswith("." + a) for a in self.allowed_domains):
                raise ValueError(f"discovery[{i}]: {host} is not within allowed_domains "
                                 f"({', '.join(self.allowed_domains)}); its requests would be dropped")
        return self

    @property
    def browser_hosts(self) -> list[str]:
        """Hosts a page of this source rendered in the browser may load from."""
        return [*self.allowed_domains, *(d.lower() for d in self.browser_domains)]

    @property
    def renders_javascript(self) -> bool:
        return self.javascript or any(getattr(d, "javascript", None) for d in self.discovery)


class SourcesFile(Strict):
    defaults: dict[str, Any] = {}
    sources: list[Source]

    @model_validator(mode="before")
    @classmethod
    def _apply_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("defaults"), dict) and isinstance(data.get("sources"), list):
            data = {**data, "sources": [{**data["defaults"], **s} if isinstance(s, dict) else s for s in data["sources"]]}
        return data
