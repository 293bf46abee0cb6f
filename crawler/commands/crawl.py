"""``scrapy crawl NAME``: Scrapy's command, with newsmon's checks first and a truthful exit status.

An unknown spider, a malformed config file or setting, or an unreachable store
end with one clear line and the documented exit code (2 config, 3 store) before
any crawl starts, instead of a traceback. A crawl whose run ends ``failed`` (the
source could not be reached, or the guard refused every page) exits 1.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.spiders.configured import parse_since
from newsmon import config
from newsmon.config.settings import apply_env
from newsmon.errors import NewsmonError
from newsmon.storage import open_store


class Command(ScrapyCrawl):
    def run(self, args, opts):
        try:
            if args:
                self.crawler_process.spider_loader.load(args[0])
            parse_since(opts.spargs.get("since"))
            settings = self.settings.copy()
            apply_env(settings)  # as the crawler will see them (EnvironmentOverrides add-on)
            config.check_all(settings)
            open_store(settings)
        except NewsmonError as exc:
            print(f"scrapy crawl: error: {exc}", file=sys.stderr)
            self.exitcode = exc.exit_code
            return
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's usage errors
            return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        status = crawler.stats.get_value("newsmon/run_status") if crawler.stats else None
        if self.crawler_process.bootstrap_failed or status == "failed":
            self.exitcode = 1
