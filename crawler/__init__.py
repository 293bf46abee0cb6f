"""The Scrapy project: settings, items, spiders, middlewares, extraction."""
