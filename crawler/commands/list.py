"""``scrapy list``: Scrapy's command, reporting a malformed config as one line (exit 2)."""

from __future__ import annotations

import sys

from scrapy.commands.list import Command as ScrapyList

from newsmon import config
from newsmon.config.settings import apply_env
from newsmon.errors import NewsmonError


class Command(ScrapyList):
    def run(self, args, opts):
        try:
            settings = self.settings.copy()
            apply_env(settings)
            config.check_all(settings)
            super().run(args, opts)
        except NewsmonError as exc:
            print(f"scrapy list: error: {exc}", file=sys.stderr)
            self.exitcode = exc.exit_code
