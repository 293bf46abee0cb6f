"""Spider loader: one spider per configured source, plus the site-specific ones.

``scrapy list`` shows every source in config/sources.yaml; a source runs the
generic ConfiguredSpider unless a spider module defines a class with its name.
A malformed config is reported when a spider is listed or loaded, as one message.
"""

from __future__ import annotations

from scrapy.spiderloader import SpiderLoader

from crawler.spiders.configured import ConfiguredSpider
from newsmon import config
from newsmon.config.settings import apply_env
from newsmon.errors import ConfigError, UnknownSource


class SourceSpiderLoader(SpiderLoader):
    def __init__(self, settings):
        super().__init__(settings)
        self.sources = {}
        self.config_error: ConfigError | None = None
        # Scrapy builds the loader before add-ons run: apply the environment the way they will
        # (below -s), so every entry point reads the same sources file.
        effective = settings.copy()
        effective.frozen = False  # Scrapy hands the loader a frozen copy; this one is ours
        apply_env(effective)
        try:
            self.sources = {s.name: s for s in config.sources(effective)}
        except ConfigError as exc:
            self.config_error = exc
        for name, source in self.sources.items():
            site_spider = self._spiders.get(name)
            if site_spider is not None:
                site_spider.source = source
            else:
                attrs = {"name": name, "source": source, "__module__": __name__}
                if source.renders_javascript:
                    attrs["custom_settings"] = {"NEWSMON_JAVASCRIPT": True,
                                                "NEWSMON_BROWSER_DOMAINS": ",".join(source.browser_hosts)}
                self._spiders[name] = type(f"{name.title().replace('_', '')}Spider", (ConfiguredSpider,), attrs)

    def _check(self) -> None:
        if self.config_error:
            raise self.config_error

    def load(self, spider_name: str):
        self._check()
        try:
            return super().load(spider_name)
        except KeyError:
            known = ", ".join(sorted(self._spiders)) or "none configured"
            raise UnknownSource(f"unknown spider {spider_name!r}; configured sources: {known}") from None

    def list(self) -> list[str]:
        self._check()
        return super().list()
