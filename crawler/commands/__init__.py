"""Scrapy commands newsmon overrides so user errors read as one line, not a traceback."""
