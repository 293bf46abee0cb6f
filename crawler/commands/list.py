"""``scrapy list``: Scrapy's command, reporting a malformed config as one line."""

from __future__ import annotations

import sys

from scrapy.commands.list import Command as ScrapyList

from newsmon.errors import NewsmonError


class Command(ScrapyList):
    def run(self, args, opts):
        try:
            super().run(args, opts)
        except NewsmonError as exc:
            print(f"scrapy list: error: {exc}", file=sys.stderr)
            self.exitcode = exc.exit_code
